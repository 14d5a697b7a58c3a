"""Priorities (dot voting on published themes) and lived-experience panel answers.

A person's invitation, votes and panel answer hang off their participant row through foreign
keys, so deleting their data deletes these too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.store.schema import (
    Participant,
    PriorityInvitation,
    PriorityPanelWords,
    PriorityRound,
    PriorityVote,
    Question,
    Response,
    Theme,
    utcnow,
)

INVITED = "invited"
CHOOSING = "choosing"
PANEL = "panel"
DONE = "done"
#: Invitations the person is in the middle of answering.
UNDER_WAY = (CHOOSING, PANEL)


@dataclass(frozen=True)
class VoteCount:
    label: str
    votes: int


@dataclass(frozen=True)
class PanelWords:
    """What a person is told the panel involves: staff's words (None: Sayso's), and pay."""

    details: str | None
    paid: bool


@dataclass(frozen=True)
class PanelAnswer:
    participant_id: str
    channel: str
    joined: bool
    answered_at: datetime


def published_themes(session: Session, consultation_id: int) -> list[Theme]:
    """The consultation's published themes, in question order, each question's oldest first."""
    return list(
        session.execute(
            select(Theme)
            .join(Question, Question.id == Theme.question_id)
            .where(Theme.consultation_id == consultation_id, Theme.status == "published")
            .order_by(Question.position, Theme.id)
        ).scalars()
    )


def people_not_yet_invited(session: Session, consultation_id: int) -> list[str]:
    """Who answered the consultation, agreed to updates, and has not been invited yet."""
    invited = select(PriorityInvitation.participant_id).where(
        PriorityInvitation.consultation_id == consultation_id
    )
    return list(
        session.execute(
            select(Participant.id)
            .join(Response, Response.participant_id == Participant.id)
            .where(
                Response.consultation_id == consultation_id,
                Participant.consent_updates.is_(True),
                Participant.id.not_in(invited),
            )
            .distinct()
            .order_by(Participant.id)
        ).scalars()
    )


def get_round(session: Session, consultation_id: int) -> PriorityRound | None:
    return session.get(PriorityRound, consultation_id)


def save_round(
    session: Session,
    consultation_id: int,
    panel_details: str | None = None,
    panel_paid: bool | None = None,
) -> PriorityRound:
    """Start the round, or change what the panel involves for people invited from now on.

    None keeps what staff said before, so inviting again never wipes their words; empty
    details mean Sayso's own words. People already invited keep what they were told.
    """
    found = session.get(PriorityRound, consultation_id)
    if found is None:
        found = PriorityRound(consultation_id=consultation_id, invited_count=0, panel_paid=False)
        session.add(found)
    if panel_details is not None:
        found.panel_details = panel_details.strip() or None
    if panel_paid is not None:
        found.panel_paid = panel_paid
    session.flush()
    return found


def add_invitation(session: Session, round_: PriorityRound, participant_id: str) -> None:
    """Invite one person, keeping the panel words as they stand now for them."""
    session.add(
        PriorityInvitation(
            consultation_id=round_.consultation_id, participant_id=participant_id, status=INVITED
        )
    )
    session.flush()
    session.add(
        PriorityPanelWords(
            consultation_id=round_.consultation_id,
            participant_id=participant_id,
            panel_details=round_.panel_details,
            panel_paid=bool(round_.panel_paid),
        )
    )
    round_.invited_count = (round_.invited_count or 0) + 1
    session.flush()


def panel_words(session: Session, consultation_id: int, participant_id: str) -> PanelWords:
    """What this person is told about the panel: what stood when they were invited."""
    kept = session.get(PriorityPanelWords, (consultation_id, participant_id))
    if kept is not None:
        return PanelWords(kept.panel_details, bool(kept.panel_paid))
    round_ = get_round(session, consultation_id)
    if round_ is None:
        return PanelWords(None, False)
    return PanelWords(round_.panel_details, bool(round_.panel_paid))


def get_invitation(
    session: Session, consultation_id: int, participant_id: str
) -> PriorityInvitation | None:
    return session.get(PriorityInvitation, (consultation_id, participant_id))


def invitation_under_way(session: Session, participant_id: str) -> PriorityInvitation | None:
    """The invitation the person is answering right now, if any."""
    return session.execute(
        select(PriorityInvitation)
        .where(
            PriorityInvitation.participant_id == participant_id,
            PriorityInvitation.status.in_(UNDER_WAY),
        )
        .order_by(PriorityInvitation.invited_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def unanswered_invitations(session: Session, participant_id: str) -> list[PriorityInvitation]:
    """Invitations the person has not started on, newest first."""
    return list(
        session.execute(
            select(PriorityInvitation)
            .where(
                PriorityInvitation.participant_id == participant_id,
                PriorityInvitation.status == INVITED,
            )
            .order_by(PriorityInvitation.invited_at.desc())
        ).scalars()
    )


def picked_labels(session: Session, consultation_id: int, participant_id: str) -> list[str]:
    """The themes this person picked, in the order they picked them."""
    return list(
        session.execute(
            select(PriorityVote.label)
            .where(
                PriorityVote.consultation_id == consultation_id,
                PriorityVote.participant_id == participant_id,
            )
            .order_by(PriorityVote.id)
        ).scalars()
    )


def add_vote(session: Session, participant_id: str, theme: Theme) -> None:
    session.add(
        PriorityVote(
            consultation_id=theme.consultation_id,
            participant_id=participant_id,
            theme_id=theme.id,
            label=theme.label,
        )
    )
    session.flush()


def clear_votes(session: Session, consultation_id: int, participant_id: str) -> None:
    session.execute(
        delete(PriorityVote).where(
            PriorityVote.consultation_id == consultation_id,
            PriorityVote.participant_id == participant_id,
        )
    )


def record_panel_answer(invitation: PriorityInvitation, joined: bool) -> None:
    invitation.panel_joined = joined
    invitation.panel_answered_at = utcnow()


def vote_counts(session: Session, consultation_id: int) -> list[VoteCount]:
    """Votes for each theme, most first; published themes nobody picked show as 0."""
    rows = session.execute(
        select(PriorityVote.label, func.count(PriorityVote.id))
        .where(PriorityVote.consultation_id == consultation_id)
        .group_by(PriorityVote.label)
    ).all()
    counts = {label: votes for label, votes in rows}
    for theme in published_themes(session, consultation_id):
        counts.setdefault(theme.label, 0)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return [VoteCount(label, votes) for label, votes in ordered]


def panel_answers(session: Session, consultation_id: int) -> list[PanelAnswer]:
    """Everyone who answered the panel question, oldest answer first."""
    rows = session.execute(
        select(PriorityInvitation, Participant.channel)
        .join(Participant, Participant.id == PriorityInvitation.participant_id)
        .where(
            PriorityInvitation.consultation_id == consultation_id,
            PriorityInvitation.panel_answered_at.is_not(None),
        )
        .order_by(PriorityInvitation.panel_answered_at)
    ).all()
    return [
        PanelAnswer(row.participant_id, channel, bool(row.panel_joined), row.panel_answered_at)
        for row, channel in rows
    ]


def count_people_who_voted(session: Session, consultation_id: int) -> int:
    return session.execute(
        select(func.count(func.distinct(PriorityVote.participant_id))).where(
            PriorityVote.consultation_id == consultation_id
        )
    ).scalar_one()

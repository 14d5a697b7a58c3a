"""Outcomes: what staff say was done about a consultation's themes, and who each one is owed to.

An outcome is a draft until it is published; publishing fixes who is owed a message (people
who gave an answer in a linked theme and agreed to updates). The messages themselves are
outbox rows keyed `outcome:{outcome_id}:{participant_id}`, so their state is counted there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from bot.store.schema import (
    Consultation,
    OutboxMessage,
    Outcome,
    OutcomeTheme,
    Participant,
    Response,
    Theme,
    ThemeMembership,
    utcnow,
)

PLANNED = "planned"
IN_PROGRESS = "in_progress"
DONE = "done"
NOT_DOING = "not_doing"
#: Status names as staff see them, in the order the form lists them.
STATUSES = {
    PLANNED: "Planned",
    IN_PROGRESS: "In progress",
    DONE: "Done",
    NOT_DOING: "Not doing",
}
TRANSLATED_FIELDS = ("what_was_done", "reason")


@dataclass(frozen=True)
class OutcomeDraft:
    """What staff typed for an outcome, before or instead of saving it."""

    theme_ids: Sequence[int]
    what_was_done: str
    status: str
    decided_on: date
    reason: str = ""
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class DeliveryCounts:
    """Where the messages an outcome owes people are now."""

    owed: int
    sent: int
    waiting: int
    failed: int
    unreachable: int


def idempotency_key(outcome_id: int, participant_id: str) -> str:
    return f"outcome:{outcome_id}:{participant_id}"


def get_outcome(session: Session, outcome_id: int) -> Outcome | None:
    return session.get(Outcome, outcome_id)


def outcomes_for(
    session: Session, consultation_id: int, published_only: bool = False
) -> list[Outcome]:
    query = select(Outcome).where(Outcome.consultation_id == consultation_id)
    if published_only:
        query = query.where(Outcome.published_at.is_not(None))
    return list(session.execute(query.order_by(Outcome.decided_on, Outcome.id)).scalars())


def save_outcome(
    session: Session,
    consultation: Consultation,
    draft: OutcomeDraft,
    outcome: Outcome | None = None,
) -> Outcome:
    """Create an outcome, or replace a draft's words and themes. Themes must be this
    consultation's."""
    themes = {
        theme.id: theme
        for theme in session.execute(
            select(Theme).where(
                Theme.consultation_id == consultation.id, Theme.id.in_(list(draft.theme_ids))
            )
        ).scalars()
    }
    if outcome is None:
        outcome = Outcome(consultation_id=consultation.id)
        session.add(outcome)
    outcome.what_was_done = draft.what_was_done.strip()
    outcome.status = draft.status
    outcome.reason = draft.reason.strip() or None
    outcome.decided_on = draft.decided_on
    outcome.translations = {
        language: {name: text.strip() for name, text in texts.items() if text.strip()}
        for language, texts in draft.translations.items()
        if any(text.strip() for text in texts.values())
    }
    outcome.theme_links = [
        OutcomeTheme(theme_id=theme_id, position=position, label=themes[theme_id].label)
        for position, theme_id in enumerate(dict.fromkeys(draft.theme_ids))
        if theme_id in themes
    ]
    session.flush()
    return outcome


def delete_draft(session: Session, outcome: Outcome) -> None:
    session.delete(outcome)
    session.flush()


def owed_participants(session: Session, outcome: Outcome) -> dict[str, list[str]]:
    """Who this outcome is owed to, with the labels of the linked themes they answered in.

    Only people who agreed to updates are owed anything.
    """
    labels = {link.theme_id: link.label for link in outcome.theme_links if link.theme_id}
    rows = session.execute(
        select(Response.participant_id, ThemeMembership.theme_id)
        .join(ThemeMembership, ThemeMembership.response_id == Response.id)
        .join(Participant, Participant.id == Response.participant_id)
        .where(ThemeMembership.theme_id.in_(list(labels)), Participant.consent_updates.is_(True))
        .order_by(Response.participant_id, ThemeMembership.theme_id)
    )
    owed: dict[str, list[str]] = {}
    for participant_id, theme_id in rows:
        answered = owed.setdefault(participant_id, [])
        if labels[theme_id] not in answered:
            answered.append(labels[theme_id])
    return owed


def languages_of(session: Session, participant_ids: Sequence[str]) -> dict[str, str]:
    """Each person's language, for writing their update in it."""
    found: dict[str, str] = {}
    for start in range(0, len(participant_ids), 500):
        chunk = participant_ids[start : start + 500]
        rows = session.execute(
            select(Participant.id, Participant.language).where(Participant.id.in_(chunk))
        )
        found.update(dict(rows.all()))
    return found


def mark_published(session: Session, outcome: Outcome, staff_email: str, owed_count: int) -> None:
    outcome.published_at = utcnow()
    outcome.published_by = staff_email
    outcome.owed_count = owed_count
    session.flush()


def delivery_counts(session: Session, outcome: Outcome) -> DeliveryCounts:
    """How many were owed at publishing, and where their messages are now.

    `waiting` is queued, being sent, or held for someone's next visit to the web chat.
    """
    rows = session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id))
        .where(OutboxMessage.idempotency_key.startswith(f"outcome:{outcome.id}:"))
        .group_by(OutboxMessage.status)
    )
    by_status = dict(rows.all())
    return DeliveryCounts(
        owed=outcome.owed_count or 0,
        sent=by_status.get("sent", 0),
        waiting=sum(by_status.get(status, 0) for status in ("queued", "sending", "held")),
        failed=by_status.get("failed", 0),
        unreachable=by_status.get("unreachable", 0),
    )


def _has_published_outcome(consultation_id: object):  # type: ignore[no-untyped-def]
    return exists().where(
        Outcome.consultation_id == consultation_id, Outcome.published_at.is_not(None)
    )


def overdue_consultations(session: Session, today: date) -> list[Consultation]:
    """Consultations whose feedback-due date has passed with no outcome published."""
    return list(
        session.execute(
            select(Consultation)
            .where(
                Consultation.feedback_due_on < today,
                ~_has_published_outcome(Consultation.id),
            )
            .order_by(Consultation.feedback_due_on)
        ).scalars()
    )


def is_overdue(session: Session, consultation: Consultation, today: date) -> bool:
    if consultation.feedback_due_on >= today:
        return False
    return not session.execute(select(_has_published_outcome(consultation.id))).scalar_one()


def themes_answered_by(session: Session, participant_id: str, outcome: Outcome) -> list[str]:
    """Labels of this outcome's themes the person gave an answer in."""
    labels = {link.theme_id: link.label for link in outcome.theme_links if link.theme_id}
    theme_ids = session.execute(
        select(ThemeMembership.theme_id)
        .join(Response, Response.id == ThemeMembership.response_id)
        .where(
            Response.participant_id == participant_id, ThemeMembership.theme_id.in_(list(labels))
        )
    ).scalars()
    return list(dict.fromkeys(labels[theme_id] for theme_id in theme_ids))

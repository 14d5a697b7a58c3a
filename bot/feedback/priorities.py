"""Dot voting, staff's side: inviting people to pick the themes that matter most.

After a consultation closes, staff invite everyone who answered and agreed to updates; each
person is owed one message with the published themes as buttons. How a person then picks, and
answers the panel question, is part of the conversation (bot/conversation/priorities.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.conversation.priorities import pick_payload
from bot.conversation.replies import Button
from bot.conversation.words import words
from bot.feedback.delivery import owe_message
from bot.languages import DEFAULT_LANGUAGE
from bot.store import priorities as priority_store
from bot.store import translations as translation_store
from bot.store.schema import Consultation, Participant


class NotReady(Exception):
    """The consultation cannot ask for priorities yet; the message says why, for staff."""


@dataclass(frozen=True)
class InvitePlan:
    """What pressing "invite" would do now, for the staff page to say before it is pressed."""

    ready: bool
    reason: str
    themes: int
    people: int


def idempotency_key(consultation_id: int, participant_id: str) -> str:
    return f"priorities:{consultation_id}:{participant_id}"


def invite_plan(session: Session, consultation: Consultation) -> InvitePlan:
    themes = len(priority_store.published_themes(session, consultation.id))
    people = len(priority_store.people_not_yet_invited(session, consultation.id))
    if consultation.status != "closed":
        reason = "Close the consultation first. People choose priorities after it closes."
        return InvitePlan(False, reason, themes, people)
    if themes == 0:
        reason = "Publish some themes first. People choose from the published themes."
        return InvitePlan(False, reason, themes, people)
    if people == 0:
        reason = "Everyone who answered and agreed to updates has been asked."
        return InvitePlan(False, reason, themes, people)
    return InvitePlan(True, "", themes, people)


def invite(
    session: Session,
    consultation: Consultation,
    panel_details: str | None = None,
    panel_paid: bool | None = None,
) -> int:
    """Owe each person not yet asked one invitation, in their language. Returns how many.

    Pressing it again later asks only people who were not asked before. Panel words left
    out (None) stay as staff last gave them; empty details mean Sayso's own words. People
    already invited keep the words they were invited with.
    """
    plan = invite_plan(session, consultation)
    if consultation.status != "closed" or plan.themes == 0:
        raise NotReady(plan.reason)
    round_ = priority_store.save_round(session, consultation.id, panel_details, panel_paid)
    themes = priority_store.published_themes(session, consultation.id)
    invited = 0
    for participant_id in priority_store.people_not_yet_invited(session, consultation.id):
        participant = session.get(Participant, participant_id)
        language = participant.language if participant else DEFAULT_LANGUAGE
        title = translation_store.words_for(session, consultation, language).title
        owed = owe_message(
            session,
            participant_id=participant_id,
            idempotency_key=idempotency_key(consultation.id, participant_id),
            text=words("utter_priorities_invite", language, title=title),
            buttons=[Button(theme.label, pick_payload(theme)) for theme in themes],
        )
        if owed:
            priority_store.add_invitation(session, round_, participant_id)
            invited += 1
    return invited

"""Participants, their consents and where they are in the conversation."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from bot.store import outbox
from bot.store.schema import (
    ConversationState,
    LanguageOffer,
    Participant,
    Response,
    SafeguardingAlert,
    utcnow,
)


def get_participant(session: Session, participant_id: str) -> Participant | None:
    return session.get(Participant, participant_id)


def get_or_create_participant(session: Session, participant_id: str, channel: str) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        participant = Participant(id=participant_id, channel=channel)
        session.add(participant)
        session.flush()
    return participant


def record_take_part_consent(session: Session, participant: Participant, version: str) -> None:
    participant.consent_take_part_at = utcnow()
    participant.consent_take_part_version = version


def record_updates_consent(
    session: Session, participant: Participant, agreed: bool, version: str
) -> None:
    participant.consent_updates = agreed
    participant.consent_updates_at = utcnow()
    participant.consent_updates_version = version


def was_offered_a_language(session: Session, participant_id: str) -> bool:
    return session.get(LanguageOffer, participant_id) is not None


def offered_language(session: Session, participant_id: str) -> str:
    offer = session.get(LanguageOffer, participant_id)
    return offer.language if offer is not None else "en"


def record_language_offer(session: Session, participant_id: str, language: str) -> None:
    session.merge(LanguageOffer(participant_id=participant_id, language=language))


def get_state(session: Session, participant_id: str) -> ConversationState | None:
    return session.get(ConversationState, participant_id)


def set_state(
    session: Session,
    participant_id: str,
    stage: str,
    consultation_id: int | None = None,
    question_id: int | None = None,
    pending_text: str | None = None,
) -> ConversationState:
    """Move the participant to a stage; the row is written in the caller's transaction."""
    state = session.get(ConversationState, participant_id)
    if state is None:
        state = ConversationState(participant_id=participant_id, stage=stage)
        session.add(state)
    state.stage = stage
    state.consultation_id = consultation_id
    state.question_id = question_id
    state.pending_text = pending_text
    session.flush()
    return state


def delete_participant(session: Session, participant_id: str) -> bool:
    """Remove the participant, their answers, where they were, and messages owed to them.

    Safeguarding alerts stay, so the service can still count them, but no longer say whose.
    """
    found = session.get(Participant, participant_id) is not None
    for table in (Response, ConversationState, LanguageOffer):
        session.execute(delete(table).where(table.participant_id == participant_id))
    session.execute(
        update(SafeguardingAlert)
        .where(SafeguardingAlert.participant_id == participant_id)
        .values(participant_id=None)
    )
    outbox.forget_recipient(session, participant_id)
    session.execute(delete(Participant).where(Participant.id == participant_id))
    return found

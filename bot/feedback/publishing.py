"""Publishing an outcome: one message owed to each person it answers, in one transaction.

Either the outcome is published and every message it owes is in the outbox, or (on any
error) neither is: the caller's transaction holds both.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.feedback.delivery import OwedMessage, owe_messages
from bot.feedback.update_message import as_text, update_replies
from bot.languages import supported
from bot.store import follow_ups
from bot.store import outcomes as outcome_store
from bot.store.schema import Consultation, Outcome, utcnow


class AlreadyPublished(Exception):
    """An outcome is published once; a later change is a new outcome."""


class NothingLinked(Exception):
    """An outcome must answer at least one theme, or nobody would hear about it."""


def publish(session: Session, outcome: Outcome, staff_email: str) -> int:
    """Publish and owe each person their update. Returns how many were owed a message."""
    if outcome.published_at is not None:
        raise AlreadyPublished(outcome.id)
    if not outcome.theme_links:
        raise NothingLinked(outcome.id)
    consultation = session.get(Consultation, outcome.consultation_id)
    assert consultation is not None
    texts: dict[tuple[str, tuple[str, ...]], str] = {}
    messages = []
    owed_people = outcome_store.owed_participants(session, outcome)
    languages = outcome_store.languages_of(session, list(owed_people))
    for participant_id, themes in owed_people.items():
        language = supported(languages.get(participant_id))
        text_key = (language, tuple(themes))
        if text_key not in texts:
            replies = update_replies(session, consultation, outcome, themes, language)
            texts[text_key] = as_text(replies)
        messages.append(
            OwedMessage(
                participant_id=participant_id,
                idempotency_key=outcome_store.idempotency_key(outcome.id, participant_id),
                text=texts[text_key],
            )
        )
    owed = owe_messages(session, messages)
    outcome_store.mark_published(session, outcome, staff_email, owed)
    # Done at publishing: "did it help?" falls due SAYSO_FOLLOW_UP_DAYS from today.
    follow_ups.note_done(session, outcome, utcnow().date())
    return owed

"""The answer to "what happened to what I said?", at any time and in any state.

For each consultation the person answered: every published outcome, in the same words as the
pushed update; or, with nothing published, an honest "nothing yet" with the date we promised,
or "your update is late" once that date has passed. Never silence.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.conversation.replies import Reply
from bot.feedback.update_message import update_replies
from bot.languages import plain_date
from bot.store import loop as loop_store
from bot.store import outcomes as outcome_store
from bot.store import responses as response_store
from bot.store import translations as translation_store
from bot.store.schema import Consultation


def what_happened(session: Session, participant_id: str, language: str, today: date) -> list[Reply]:
    answered = response_store.consultations_answered(session, participant_id)
    if not answered:
        return [Reply("utter_no_answers_yet")]
    replies: list[Reply] = []
    for consultation in answered:
        replies.extend(_for_consultation(session, consultation, participant_id, language, today))
    return replies


def _for_consultation(
    session: Session, consultation: Consultation, participant_id: str, language: str, today: date
) -> list[Reply]:
    published = outcome_store.outcomes_for(session, consultation.id, published_only=True)
    if not published:
        late = consultation.feedback_due_on < today
        name = "utter_update_late" if late else "utter_update_pending"
        if late:
            # Evidence that the loop was closed honestly, if late (bot/feedback/evidence.py).
            loop_store.record_late_notice(session, participant_id, consultation.id)
        title = translation_store.words_for(session, consultation, language).title
        due = plain_date(consultation.feedback_due_on, language)
        return [Reply(name, params={"title": title, "feedback_due": due})]
    replies: list[Reply] = []
    for outcome in published:
        themes = outcome_store.themes_answered_by(session, participant_id, outcome)
        replies.extend(update_replies(session, consultation, outcome, themes, language))
    return replies

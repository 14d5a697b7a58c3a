""" "Did it help?": the follow-up owed to each person told about an outcome that is done.

Some days after an outcome is marked done (SAYSO_FOLLOW_UP_DAYS), the worker's job queues one
message to each person who was told about it and still agrees to updates: what they told us,
what was done, and "Has this made things better for you?" with [Yes | A bit | No]. Each is an
outbox row with the key `followup:{outcome_id}:{participant_id}`, written in one transaction
with the note that the outcome is followed up, so a second run or a restart owes nothing twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.conversation.replies import Button, intent_payload, payload_option
from bot.conversation.words import words
from bot.feedback.delivery import OwedMessage, owe_messages
from bot.feedback.update_message import clause, said_about, sentence, staff_words
from bot.languages import button_title, supported
from bot.store import follow_ups
from bot.store import outcomes as outcome_store
from bot.store import translations as translation_store
from bot.store.schema import Consultation, Outcome

#: The buttons' English titles, by the answer each one gives.
BUTTON_TITLES = {follow_ups.YES: "Yes", follow_ups.A_BIT: "A bit", follow_ups.NO: "No"}


def answer_payload(outcome_id: int, answer: str) -> str:
    return intent_payload("choose", option=f"{follow_ups.KEY_PREFIX}{outcome_id}:{answer}")


def tapped_answer(option: str | None) -> tuple[int, str] | None:
    """The outcome and answer a follow-up button names, e.g. `followup:12:a_bit`."""
    if not option or not option.startswith(follow_ups.KEY_PREFIX):
        return None
    outcome_id, _, answer = option[len(follow_ups.KEY_PREFIX) :].partition(":")
    if not outcome_id.isdigit() or answer not in follow_ups.ANSWERS:
        return None
    return int(outcome_id), answer


def outcome_of_buttons(buttons: tuple[Button, ...]) -> int | None:
    """The outcome a delivered follow-up asks about, from its buttons."""
    for button in buttons:
        tapped = tapped_answer(payload_option(button.payload))
        if tapped is not None:
            return tapped[0]
    return None


def buttons_for(outcome_id: int, language: str) -> tuple[Button, ...]:
    return tuple(
        Button(button_title(title, language), answer_payload(outcome_id, answer))
        for answer, title in BUTTON_TITLES.items()
    )


def question_text(
    session: Session, consultation: Consultation, outcome: Outcome, themes: list[str], language: str
) -> str:
    """ "You told us about: Hot dinners. We now serve hot food. Has this made things better?"."""
    title = clause(translation_store.words_for(session, consultation, language).title)
    return words(
        "utter_follow_up",
        language,
        topic=said_about(themes, title),
        what=sentence(staff_words(outcome, "what_was_done", language)),
    )


def queue_follow_ups(session: Session, outcome: Outcome) -> int:
    """Owe this done outcome's follow-up to each person told about it. Returns how many."""
    consultation = session.get(Consultation, outcome.consultation_id)
    assert consultation is not None
    told = follow_ups.told_about(session, outcome)
    owed_people = {
        participant_id: themes
        for participant_id, themes in outcome_store.owed_participants(session, outcome).items()
        if participant_id in told
    }
    languages = outcome_store.languages_of(session, list(owed_people))
    messages = []
    for participant_id, themes in owed_people.items():
        language = supported(languages.get(participant_id))
        messages.append(
            OwedMessage(
                participant_id=participant_id,
                idempotency_key=follow_ups.idempotency_key(outcome.id, participant_id),
                text=question_text(session, consultation, outcome, themes, language),
                buttons=buttons_for(outcome.id, language),
            )
        )
    owed = owe_messages(session, messages)
    follow_ups.mark_followed_up(session, outcome)
    return owed


def queue_due(session: Session, today: date, days: int) -> int:
    """Note outcomes newly done, then owe every follow-up that is due by `today`."""
    follow_ups.note_newly_done(session, today)
    return sum(
        queue_follow_ups(session, outcome)
        for outcome in follow_ups.due_outcomes(session, today, days)
    )

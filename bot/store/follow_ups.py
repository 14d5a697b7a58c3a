"""'Did it help?': when outcomes were done, who is owed a follow-up, and what people answered.

An outcome's follow-ups fall due some days after it was marked done. Each is an outbox row
keyed `followup:{outcome_id}:{participant_id}`, so it is owed once, whatever runs twice. An
answer is kept against the outcome, with the person's own words if they gave any.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.outcomes import DONE
from bot.store.schema import FollowUpAnswer, OutboxMessage, Outcome, OutcomeDone, utcnow

YES = "yes"
A_BIT = "a_bit"
NO = "no"
#: Answers as staff read them, in the order they are shown.
ANSWERS = {YES: "Yes", A_BIT: "A bit", NO: "No"}
KEY_PREFIX = "followup:"
#: An outcome's update that did not reach the person: they were not told, so are not asked.
NOT_TOLD = ("failed", "unreachable")


def idempotency_key(outcome_id: int, participant_id: str) -> str:
    return f"{KEY_PREFIX}{outcome_id}:{participant_id}"


def parse_key(key: str) -> tuple[int, str] | None:
    """The outcome and person a follow-up key names."""
    if not key.startswith(KEY_PREFIX):
        return None
    outcome_id, _, participant_id = key[len(KEY_PREFIX) :].partition(":")
    return (int(outcome_id), participant_id) if outcome_id.isdigit() else None


def note_done(session: Session, outcome: Outcome, today: date) -> bool:
    """Remember the day a published outcome was first seen done. False if already known."""
    if outcome.status != DONE or outcome.published_at is None:
        return False
    if session.get(OutcomeDone, outcome.id) is not None:
        return False
    session.add(OutcomeDone(outcome_id=outcome.id, done_on=today))
    session.flush()
    return True


def note_newly_done(session: Session, today: date) -> int:
    """Published outcomes changed to done since last time, however they were changed."""
    known = select(OutcomeDone.outcome_id)
    found = session.execute(
        select(Outcome).where(
            Outcome.status == DONE,
            Outcome.published_at.is_not(None),
            Outcome.id.not_in(known),
        )
    ).scalars()
    return sum(note_done(session, outcome, today) for outcome in list(found))


def due_outcomes(session: Session, today: date, days: int) -> list[Outcome]:
    """Done outcomes whose follow-ups are due and not yet all queued."""
    last_day = today - timedelta(days=days)
    return list(
        session.execute(
            select(Outcome)
            .join(OutcomeDone, OutcomeDone.outcome_id == Outcome.id)
            .where(
                Outcome.status == DONE,
                OutcomeDone.done_on <= last_day,
                OutcomeDone.followed_up_at.is_(None),
            )
            .order_by(Outcome.id)
        ).scalars()
    )


def mark_followed_up(session: Session, outcome: Outcome) -> None:
    done = session.get(OutcomeDone, outcome.id)
    if done is not None:
        done.followed_up_at = utcnow()
        session.flush()


def told_about(session: Session, outcome: Outcome) -> set[str]:
    """People this outcome's update was owed to and not lost on the way."""
    rows = session.execute(
        select(OutboxMessage.recipient).where(
            OutboxMessage.idempotency_key.startswith(f"outcome:{outcome.id}:"),
            OutboxMessage.status.not_in(NOT_TOLD),
        )
    ).scalars()
    return set(rows)


def record_answer(
    session: Session, outcome_id: int, participant_id: str, answer: str
) -> FollowUpAnswer:
    """Keep the answer; a second tap on the same follow-up changes it rather than adding one."""
    row = session.execute(
        select(FollowUpAnswer).where(
            FollowUpAnswer.outcome_id == outcome_id,
            FollowUpAnswer.participant_id == participant_id,
        )
    ).scalar_one_or_none()
    if row is None:
        row = FollowUpAnswer(outcome_id=outcome_id, participant_id=participant_id)
        session.add(row)
    row.answer = answer
    row.answered_at = utcnow()
    row.words_asked = True
    session.flush()
    return row


def waiting_for_words(session: Session, participant_id: str) -> FollowUpAnswer | None:
    """The answer whose "do you want to tell us more?" is open for this person."""
    return session.execute(
        select(FollowUpAnswer)
        .where(FollowUpAnswer.participant_id == participant_id, FollowUpAnswer.words_asked)
        .order_by(FollowUpAnswer.answered_at.desc(), FollowUpAnswer.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def close_words(session: Session, participant_id: str, words: str | None = None) -> None:
    """Keep their words (if any) and stop waiting for more."""
    row = waiting_for_words(session, participant_id)
    if row is None:
        return
    if words:
        row.words = words
    for open_row in session.execute(
        select(FollowUpAnswer).where(
            FollowUpAnswer.participant_id == participant_id, FollowUpAnswer.words_asked
        )
    ).scalars():
        open_row.words_asked = False
    session.flush()


def is_answered(session: Session, outcome_id: int, participant_id: str) -> bool:
    return (
        session.execute(
            select(FollowUpAnswer.id).where(
                FollowUpAnswer.outcome_id == outcome_id,
                FollowUpAnswer.participant_id == participant_id,
            )
        ).first()
        is not None
    )


def answers_for(session: Session, outcome_id: int) -> list[FollowUpAnswer]:
    return list(
        session.execute(
            select(FollowUpAnswer)
            .where(FollowUpAnswer.outcome_id == outcome_id)
            .order_by(FollowUpAnswer.answered_at, FollowUpAnswer.id)
        ).scalars()
    )


def _answers_counted(session: Session, *where: Any) -> dict[str, int]:
    """How many gave each answer ("yes", "a_bit", "no") among the answers matching `where`."""
    rows = session.execute(
        select(FollowUpAnswer.answer, func.count(FollowUpAnswer.id))
        .join(Outcome, Outcome.id == FollowUpAnswer.outcome_id)
        .where(*where)
        .group_by(FollowUpAnswer.answer)
    ).all()
    return dict(rows)


def outcome_answer_counts(session: Session, outcome_id: int) -> dict[str, int]:
    """How many said Yes, A bit and No to this outcome's follow-up (every answer listed)."""
    counted = _answers_counted(session, FollowUpAnswer.outcome_id == outcome_id)
    return {label: counted.get(answer, 0) for answer, label in ANSWERS.items()}


def answer_counts(session: Session, consultation_id: int) -> dict[str, int]:
    """Answers to "did it help?" across a consultation's outcomes: {"Yes": 4, "No": 1}.

    Read by the evidence report (bot/feedback/evidence.py); answers nobody gave are left out,
    so an empty result means nobody has answered yet.
    """
    counted = _answers_counted(session, Outcome.consultation_id == consultation_id)
    return {label: counted[answer] for answer, label in ANSWERS.items() if counted.get(answer)}


def was_asked(session: Session, outcome_id: int, participant_id: str) -> bool:
    """This person was owed this follow-up (so a button naming it is really theirs)."""
    key = idempotency_key(outcome_id, participant_id)
    return (
        session.execute(
            select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)
        ).first()
        is not None
    )


def open_question(session: Session, participant_id: str) -> int | None:
    """The outcome of the newest follow-up shown to this person and not yet answered."""
    keys = session.execute(
        select(OutboxMessage.idempotency_key)
        .where(
            OutboxMessage.recipient == participant_id,
            OutboxMessage.idempotency_key.startswith(KEY_PREFIX),
            OutboxMessage.status == "sent",
        )
        .order_by(OutboxMessage.id.desc())
    ).scalars()
    for key in keys:
        parsed = parse_key(key)
        if parsed is not None and not is_answered(session, parsed[0], participant_id):
            return parsed[0]
    return None

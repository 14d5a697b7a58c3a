"""What the staff pages read: consultations with their numbers, answers by question, reach.

Counts are of pseudonymous participants; nothing here returns a channel's user id, because
the database never holds one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bot.store.schema import Consultation, Participant, Question, Response


@dataclass(frozen=True)
class ConsultationCounts:
    consultation: Consultation
    answers: int
    participants: int


@dataclass(frozen=True)
class Reach:
    """How many people a consultation reached, and how, without saying who."""

    participants: int
    by_channel: dict[str, int]
    agreed_to_updates: int
    helped_by_a_worker: int
    answers_by_question: dict[int, int]
    comments_outside_questions: int


def consultations_with_counts(session: Session) -> list[ConsultationCounts]:
    """Every consultation, open ones first, then by title, with its answers and people."""
    counts = {
        consultation_id: (answers, people)
        for consultation_id, answers, people in session.execute(
            select(
                Response.consultation_id,
                func.count(Response.id),
                func.count(distinct(Response.participant_id)),
            ).group_by(Response.consultation_id)
        )
    }
    consultations = session.execute(select(Consultation)).scalars()
    order = {"open": 0, "draft": 1, "closed": 2}
    rows = [
        ConsultationCounts(c, *counts.get(c.id, (0, 0)))
        for c in sorted(consultations, key=lambda c: (order.get(c.status, 3), c.title.lower()))
    ]
    return rows


def get_response(session: Session, response_id: int) -> Response | None:
    return session.get(Response, response_id)


def answers_to_question(session: Session, question_id: int) -> list[Response]:
    """Answers in the order they came, oldest first."""
    return list(
        session.execute(
            select(Response)
            .where(Response.question_id == question_id)
            .order_by(Response.created_at, Response.id)
        ).scalars()
    )


def comments_outside_questions(session: Session, consultation_id: int) -> list[Response]:
    """Things people said while in (or routed to) the consultation but not to a question."""
    return list(
        session.execute(
            select(Response)
            .where(Response.consultation_id == consultation_id)
            .where(Response.question_id.is_(None))
            .order_by(Response.created_at, Response.id)
        ).scalars()
    )


def general_feedback(session: Session, limit: int | None = None) -> list[Response]:
    """What people said that fits no consultation and no question, newest first."""
    query = (
        select(Response)
        .where(Response.consultation_id.is_(None))
        .where(Response.question_id.is_(None))
        .order_by(Response.created_at.desc(), Response.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def count_general_feedback(session: Session) -> int:
    return session.execute(
        select(func.count(Response.id))
        .where(Response.consultation_id.is_(None))
        .where(Response.question_id.is_(None))
    ).scalar_one()


def answers_in_consultation(session: Session, consultation_id: int) -> list[Response]:
    """Every answer and comment, question by question, for the export."""
    return list(
        session.execute(
            select(Response)
            .outerjoin(Question, Question.id == Response.question_id)
            .where(Response.consultation_id == consultation_id)
            .order_by(Question.position.is_(None), Question.position, Response.created_at)
        ).scalars()
    )


def option_counts(session: Session, question_id: int) -> Counter[str]:
    """How many people tapped (or typed their way to) each option of a question."""
    return Counter(
        {
            value: count
            for value, count in session.execute(
                select(Response.value, func.count(Response.id))
                .where(Response.question_id == question_id)
                .where(Response.value.is_not(None))
                .group_by(Response.value)
            )
        }
    )


def reach(session: Session, consultation_id: int) -> Reach:
    people = select(distinct(Response.participant_id)).where(
        Response.consultation_id == consultation_id
    )
    by_channel = dict(
        session.execute(
            select(Participant.channel, func.count(Participant.id))
            .where(Participant.id.in_(people))
            .group_by(Participant.channel)
            .order_by(Participant.channel)
        ).all()
    )
    agreed = session.execute(
        select(func.count(Participant.id))
        .where(Participant.id.in_(people))
        .where(Participant.consent_updates.is_(True))
    ).scalar_one()
    helped = session.execute(
        select(func.count(distinct(Response.participant_id)))
        .where(Response.consultation_id == consultation_id)
        .where(Response.assisted_by.is_not(None))
    ).scalar_one()
    per_question = dict(
        session.execute(
            select(Response.question_id, func.count(Response.id))
            .where(Response.consultation_id == consultation_id)
            .where(Response.question_id.is_not(None))
            .group_by(Response.question_id)
        ).all()
    )
    comments = session.execute(
        select(func.count(Response.id))
        .where(Response.consultation_id == consultation_id)
        .where(Response.question_id.is_(None))
    ).scalar_one()
    return Reach(
        participants=sum(by_channel.values()),
        by_channel=by_channel,
        agreed_to_updates=agreed,
        helped_by_a_worker=helped,
        answers_by_question=per_question,
        comments_outside_questions=comments,
    )

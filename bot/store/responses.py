"""Answers people give. Saving the same question twice replaces the answer, never duplicates it."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bot.store.schema import Consultation, Question, Response, utcnow


def save_answer(
    session: Session,
    participant_id: str,
    question: Question,
    text: str,
    value: str | None,
    channel: str,
    assisted_by: str | None = None,
) -> Response:
    """Store (or replace) this participant's answer to this question."""
    response = session.execute(
        select(Response)
        .where(Response.participant_id == participant_id)
        .where(Response.question_id == question.id)
    ).scalar_one_or_none()
    if response is None:
        response = Response(
            participant_id=participant_id,
            question_id=question.id,
            consultation_id=question.consultation_id,
        )
        session.add(response)
    response.text = text
    response.value = value
    response.channel = channel
    response.assisted_by = assisted_by
    response.created_at = utcnow()
    session.flush()
    return response


def save_free_comment(
    session: Session,
    participant_id: str,
    consultation: Consultation | None,
    text: str,
    channel: str,
    assisted_by: str | None = None,
) -> Response:
    """Keep something said outside a question, filed under a consultation or as general feedback."""
    response = Response(
        participant_id=participant_id,
        consultation_id=consultation.id if consultation else None,
        question_id=None,
        text=text,
        value=None,
        channel=channel,
        assisted_by=assisted_by,
    )
    session.add(response)
    session.flush()
    return response


def file_general_comment(session: Session, participant_id: str, consultation: Consultation) -> bool:
    """Move this person's newest general feedback under a consultation, once they agree."""
    newest = session.execute(
        select(Response)
        .where(Response.participant_id == participant_id)
        .where(Response.consultation_id.is_(None))
        .where(Response.question_id.is_(None))
        .order_by(Response.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if newest is None:
        return False
    newest.consultation_id = consultation.id
    session.flush()
    return True


def consultations_answered(session: Session, participant_id: str) -> list[Consultation]:
    """Consultations this person has said something in, for "what happened to what I said?"."""
    ids = select(distinct(Response.consultation_id)).where(
        Response.participant_id == participant_id
    )
    rows = session.execute(
        select(Consultation).where(Consultation.id.in_(ids)).order_by(Consultation.title)
    ).scalars()
    return list(rows)


def count_answers(session: Session, participant_id: str) -> int:
    return session.execute(
        select(func.count(Response.id)).where(Response.participant_id == participant_id)
    ).scalar_one()

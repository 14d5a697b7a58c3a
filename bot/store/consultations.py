"""Saving consultations from content and asking what comes next.

Questions are matched by their stable `key`, so editing a prompt keeps the answers already
given. A question dropped from the content is retired, not deleted, for the same reason.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.consultations.spec import ConsultationSpec
from bot.store.schema import Consultation, Question
from bot.store.translations import save_translations


def save_consultation(session: Session, spec: ConsultationSpec) -> Consultation:
    """Create or update the consultation with this slug so it matches the spec."""
    consultation = get_consultation_by_slug(session, spec.slug)
    if consultation is None:
        consultation = Consultation(slug=spec.slug)
        session.add(consultation)
    consultation.title = spec.title
    consultation.summary = spec.summary
    consultation.ladder_rung = spec.ladder_rung
    consultation.who_decides = spec.who_decides
    consultation.opens_on = spec.opens_on
    consultation.closes_on = spec.closes_on
    consultation.feedback_due_on = spec.feedback_due_on
    consultation.status = spec.status
    consultation.keywords = list(spec.keywords)

    existing = {question.key: question for question in consultation.questions}
    for position, question_spec in enumerate(spec.questions, start=1):
        question = existing.pop(question_spec.key, None)
        if question is None:
            question = Question(key=question_spec.key)
            consultation.questions.append(question)
        question.position = position
        question.kind = question_spec.kind
        question.prompt = question_spec.prompt
        question.easy_read = question_spec.easy_read
        question.options = [
            {"value": option.value, "label": option.label} for option in question_spec.options
        ]
        question.required = question_spec.required
        question.retired = False
    for leftover in existing.values():
        leftover.retired = True
        leftover.position = len(spec.questions) + leftover.id
    session.flush()
    save_translations(session, consultation, spec)
    return consultation


def get_consultation_by_slug(session: Session, slug: str) -> Consultation | None:
    return session.execute(
        select(Consultation).where(Consultation.slug == slug)
    ).scalar_one_or_none()


def open_consultations(session: Session, today: date) -> list[Consultation]:
    """Consultations a person can answer today, soonest closing first."""
    rows = session.execute(
        select(Consultation)
        .where(Consultation.status == "open")
        .where(Consultation.opens_on <= today)
        .where(Consultation.closes_on >= today)
        .order_by(Consultation.closes_on, Consultation.title)
    ).scalars()
    return list(rows)


def active_questions(consultation: Consultation) -> list[Question]:
    return [question for question in consultation.questions if not question.retired]


def first_question(consultation: Consultation) -> Question | None:
    questions = active_questions(consultation)
    return questions[0] if questions else None


def question_after(consultation: Consultation, question: Question) -> Question | None:
    """The next live question, or None when this was the last one."""
    for candidate in active_questions(consultation):
        if candidate.position > question.position:
            return candidate
    return None


def question_number(consultation: Consultation, question: Question) -> tuple[int, int]:
    """(number, total) for telling a person how far along they are."""
    questions = active_questions(consultation)
    return questions.index(question) + 1, len(questions)

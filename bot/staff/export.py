"""A consultation's answers, or the general feedback, as CSV, redacted unless an allowed role
asks for the originals.

People are numbered 1, 2, 3 within each export (in the order they first answered), so a reader
can see which answers came from one person without any id that links to other exports.
A cell that a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session

from bot.staff.general import describe
from bot.store import themes as theme_store
from bot.store.schema import Consultation, Question
from bot.store.schema import Response as StoredResponse
from bot.store.staff_redactions import redacted_texts
from bot.store.staff_reports import answers_in_consultation

COLUMNS = [
    "consultation",
    "question_key",
    "question",
    "question_kind",
    "person",
    "answer",
    "option_value",
    "theme",
    "theme_status",
    "channel",
    "helped_by_worker",
    "answered_at",
]
ORIGINAL_COLUMN = "original_answer"
GENERAL_COLUMNS = [
    "person",
    "feedback",
    "theme",
    "language",
    "channel",
    "helped_by_worker",
    "said_at",
]
GENERAL_ORIGINAL_COLUMN = "original_feedback"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _person_numbers(responses: list[StoredResponse]) -> dict[str, int]:
    """1, 2, 3 for each person, in the order they first said something."""
    numbers: dict[str, int] = {}
    for response in sorted(responses, key=lambda r: (r.created_at, r.id)):
        numbers.setdefault(response.participant_id, len(numbers) + 1)
    return numbers


def export_csv(
    db: Session, consultation: Consultation, originals: dict[int, str] | None = None
) -> str:
    """The CSV text; pass `originals` (from operations.show_originals) to add that column."""
    responses = answers_in_consultation(db, consultation.id)
    redacted = redacted_texts(db, responses)
    themes = theme_store.theme_of_answers(db, [r.id for r in responses])
    questions = {q.id: q for q in consultation.questions}
    person_numbers = _person_numbers(responses)
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(COLUMNS + ([ORIGINAL_COLUMN] if originals is not None else []))
    for response in responses:
        question: Question | None = questions.get(response.question_id)
        theme = themes.get(response.id)
        row = [
            consultation.slug,
            question.key if question else "",
            question.prompt if question else "(said outside a question)",
            question.kind if question else "comment",
            person_numbers[response.participant_id],
            redacted[response.id],
            response.value or "",
            theme.label if theme else "",
            theme.status if theme else "",
            response.channel,
            "yes" if response.assisted_by else "no",
            response.created_at.replace(microsecond=0).isoformat() if response.created_at else "",
        ]
        if originals is not None:
            row.append(originals.get(response.id, ""))
        writer.writerow([safe_cell(cell) for cell in row])
    return output.getvalue()


def export_general_csv(
    db: Session, responses: list[StoredResponse], originals: dict[int, str] | None = None
) -> str:
    """General feedback (from `operations.general_feedback_for_export`), newest first, with
    the theme each is in; pass `originals` (from operations.show_originals) to add them."""
    feedback = describe(db, responses, len(responses))
    theme_of = feedback.theme_of()
    person_numbers = _person_numbers(responses)
    person_of = {response.id: person_numbers[response.participant_id] for response in responses}
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(GENERAL_COLUMNS + ([GENERAL_ORIGINAL_COLUMN] if originals is not None else []))
    for item in feedback.items:
        row: list[object] = [
            person_of[item.id],
            item.text,
            theme_of.get(item.id, ""),
            item.language or "",
            item.channel,
            "yes" if item.helped_by_worker else "no",
            item.created_at,
        ]
        if originals is not None:
            row.append(originals.get(item.id, ""))
        writer.writerow([safe_cell(cell) for cell in row])
    return output.getvalue()

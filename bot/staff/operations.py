"""Changes staff make, shared by the pages and the JSON API so both follow one set of rules.

Consultations from the staff form or the API go through the same checks as YAML files
(`parse_consultation`) and are saved the same way (`save_consultation`). Reading what a person
wrote before redaction is allowed only to the roles in SAYSO_SHOW_ORIGINALS_TO, and every
answer shown that way is written to the audit table in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.consultations.loader import ConsultationError, Problem, parse_consultation
from bot.staff.summaries import consultation_data
from bot.store import themes as theme_store
from bot.store.consultations import get_consultation_by_slug, save_consultation
from bot.store.schema import Consultation, Response, StaffAccount, Theme
from bot.store.staff_audit import record_original_views
from bot.store.staff_reports import answers_in_consultation, general_feedback, get_response

FORM_SOURCE = "staff form"


class NotFound(LookupError):
    """The thing asked for does not exist (or no longer does)."""


class NotAllowed(PermissionError):
    """This account's role may not do this."""


def find_consultation(db: Session, slug: str) -> Consultation:
    consultation = get_consultation_by_slug(db, slug)
    if consultation is None:
        raise NotFound(f"There is no consultation called {slug}")
    return consultation


def find_theme(db: Session, theme_id: int) -> Theme:
    theme = theme_store.get_theme(db, theme_id)
    if theme is None:
        raise NotFound("There is no such theme. It may have been merged")
    return theme


def find_response(db: Session, response_id: int) -> Response:
    response = get_response(db, response_id)
    if response is None:
        raise NotFound("There is no such answer. The person may have deleted it")
    return response


def create_consultation(db: Session, data: Mapping[str, Any]) -> Consultation:
    """Check and save a new consultation; a slug already in use is a mistake, not an edit."""
    spec = parse_consultation(data, source=FORM_SOURCE)
    if get_consultation_by_slug(db, spec.slug) is not None:
        raise ConsultationError(
            [Problem(FORM_SOURCE, "slug", f"'{spec.slug}' is already used. Pick another slug")]
        )
    return save_consultation(db, spec)


def update_consultation(
    db: Session, consultation: Consultation, data: Mapping[str, Any]
) -> Consultation:
    """Check and save changes. The slug stays: answers and links depend on it."""
    spec = parse_consultation({**data, "slug": consultation.slug}, source=FORM_SOURCE)
    return save_consultation(db, spec)


def close_consultation(db: Session, consultation: Consultation) -> Consultation:
    return update_consultation(
        db, consultation, {**consultation_data(consultation), "status": "closed"}
    )


def may_see_originals(settings: Settings, account: StaffAccount) -> bool:
    return account.role in settings.show_originals_to


def show_originals(
    db: Session,
    settings: Settings,
    account: StaffAccount,
    responses: Sequence[Response],
    seen_through: str,
) -> dict[int, str]:
    """Response id to the words as typed, after checking the role and logging each view."""
    if not may_see_originals(settings, account):
        raise NotAllowed("Your role cannot see what people wrote before details were hidden")
    record_original_views(db, account.email, list(responses), seen_through)
    return {response.id: response.text for response in responses}


def consultation_by_id(db: Session, consultation_id: int | None) -> Consultation:
    consultation = db.get(Consultation, consultation_id) if consultation_id else None
    if consultation is None:
        raise NotFound("There is no such consultation")
    return consultation


def theme_exists(db: Session, theme_id: int) -> bool:
    return theme_store.get_theme(db, theme_id) is not None


def answers_for_export(db: Session, consultation: Consultation) -> list[Response]:
    return answers_in_consultation(db, consultation.id)


def general_feedback_for_export(db: Session) -> list[Response]:
    """Every piece of general feedback, newest first."""
    return general_feedback(db)

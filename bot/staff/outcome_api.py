"""The JSON API for "you said, we did": list, add and publish outcomes, with the same checks
and the same plain-language warnings as the pages. Described in openapi.yml."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.responses import JSONResponse

from bot.feedback.publishing import AlreadyPublished, NothingLinked, publish
from bot.staff import operations
from bot.staff import outcomes as staff_outcomes
from bot.staff.api import LARGEST_ID
from bot.staff.context import ApiError, Visit, api
from bot.store import outcomes as outcome_store
from bot.store.schema import Outcome, utcnow


def _outcome_data(visit: Visit, outcome: Outcome) -> dict[str, Any]:
    return {
        **asdict(staff_outcomes.view_of(visit.db, outcome)),
        "warnings": [asdict(item) for item in staff_outcomes.warnings_for(outcome)],
    }


def _checked_body(body: Any) -> dict[str, Any]:
    """The request as described in openapi.yml; anything else is refused, not guessed at."""
    if not isinstance(body, dict):
        raise ApiError(400, "Send a JSON object")
    theme_ids = body.get("theme_ids", [])
    if not isinstance(theme_ids, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in theme_ids
    ):
        raise ApiError(422, "theme_ids must be a list of theme ids", "theme_ids")
    for name in ("what_was_done", "status", "reason", "decided_on"):
        if name in body and not isinstance(body[name], str):
            raise ApiError(422, f"{name} must be text", name)
    translations = body.get("translations", {})
    if not isinstance(translations, dict) or not all(
        language in staff_outcomes.TRANSLATION_LANGUAGES
        and isinstance(texts, dict)
        and all(
            name in outcome_store.TRANSLATED_FIELDS and isinstance(text, str)
            for name, text in texts.items()
        )
        for language, texts in translations.items()
    ):
        raise ApiError(422, "translations must give pl or ro text for each field", "translations")
    return body


@api
def outcomes(visit: Visit) -> Any:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    if visit.request.method == "POST":
        body = _checked_body(visit.body)
        theme_ids = list(body.get("theme_ids") or [])
        try:
            draft = staff_outcomes.draft_from(body, theme_ids)
        except staff_outcomes.OutcomeProblems as problems:
            field, message = problems.problems[0]
            raise ApiError(422, message, field) from None
        saved = outcome_store.save_outcome(visit.db, consultation, draft)
        if not saved.theme_links:
            raise ApiError(422, "None of those themes belong to this consultation", "theme_ids")
        return JSONResponse({"outcome": _outcome_data(visit, saved)}, status_code=201)
    return {
        "overdue": outcome_store.is_overdue(visit.db, consultation, utcnow().date()),
        "feedback_due_on": consultation.feedback_due_on.isoformat(),
        "outcomes": [
            _outcome_data(visit, item)
            for item in outcome_store.outcomes_for(visit.db, consultation.id)
        ],
    }


@api
def outcome_publish(visit: Visit) -> dict[str, Any]:
    raw_id = visit.request.path_params["outcome_id"]
    known = raw_id.isdigit() and int(raw_id) <= LARGEST_ID
    outcome = outcome_store.get_outcome(visit.db, int(raw_id)) if known else None
    if outcome is None:
        raise operations.NotFound("There is no such outcome")
    try:
        publish(visit.db, outcome, visit.account.email)
    except AlreadyPublished:
        raise ApiError(409, "This outcome is already published") from None
    except NothingLinked:
        raise ApiError(422, "Link the outcome to at least one theme", "theme_ids") from None
    return {"outcome": _outcome_data(visit, outcome)}

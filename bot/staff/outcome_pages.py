"""Staff pages for "you said, we did": add an outcome, check its words, publish it, and see
whether each person's message got to them. Every handler runs behind `page`."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import JSONResponse, Response

from bot.feedback.publishing import AlreadyPublished, NothingLinked, publish
from bot.staff import operations
from bot.staff import outcomes as staff_outcomes
from bot.staff.context import Visit, page
from bot.store import outcomes as outcome_store
from bot.store.schema import Consultation, Outcome, utcnow

DONE_MESSAGES = {
    "saved": "The outcome was saved as a draft. Check it, then publish it.",
    "published": "The outcome is published. People who asked for updates will get a message.",
    "deleted": "The draft was deleted.",
}


def _outcome(visit: Visit) -> tuple[Outcome, Consultation]:
    try:
        outcome_id = int(visit.request.path_params["outcome_id"])
    except ValueError:
        raise operations.NotFound("There is no such outcome") from None
    outcome = outcome_store.get_outcome(visit.db, outcome_id)
    if outcome is None:
        raise operations.NotFound("There is no such outcome")
    return outcome, operations.consultation_by_id(visit.db, outcome.consultation_id)


def _values(form: FormData) -> dict[str, Any]:
    return {
        "what_was_done": form.get("what_was_done"),
        "status": form.get("status"),
        "reason": form.get("reason"),
        "decided_on": form.get("decided_on"),
        "translations": {
            language: {
                name: form.get(f"{language}_{name}") for name in outcome_store.TRANSLATED_FIELDS
            }
            for language in staff_outcomes.TRANSLATION_LANGUAGES
        },
    }


def _theme_ids(visit: Visit) -> list[int]:
    return [int(value) for value in visit.fields("theme_ids") if value.isdigit()]


def _form_values(outcome: Outcome | None) -> dict[str, Any]:
    if outcome is None:
        return {"theme_ids": [], "status": "", "decided_on": utcnow().date().isoformat()}
    values: dict[str, Any] = {
        "theme_ids": [link.theme_id for link in outcome.theme_links],
        "what_was_done": outcome.what_was_done,
        "status": outcome.status,
        "reason": outcome.reason or "",
        "decided_on": outcome.decided_on.isoformat(),
    }
    for language, texts in (outcome.translations or {}).items():
        for name, text in texts.items():
            values[f"{language}_{name}"] = text
    return values


def _form_page(
    visit: Visit,
    consultation: Consultation,
    values: dict[str, Any],
    outcome: Outcome | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> Response:
    warnings = staff_outcomes.plain_language_warnings(
        {"what_was_done": values.get("what_was_done") or "", "reason": values.get("reason") or ""}
    )
    return visit.render(
        "outcome_form.html",
        status=400 if errors else 200,
        title="Change the outcome" if outcome else "Add an outcome",
        consultation=consultation,
        outcome=outcome,
        values=values,
        themes=staff_outcomes.theme_choices(visit.db, consultation),
        statuses=list(outcome_store.STATUSES.items()),
        languages=staff_outcomes.TRANSLATION_LANGUAGES,
        errors=errors or [],
        warnings=warnings,
    )


def _save(visit: Visit, consultation: Consultation, outcome: Outcome | None) -> Response:
    assert visit.form is not None
    values = _values(visit.form)
    theme_ids = _theme_ids(visit)
    try:
        draft = staff_outcomes.draft_from(values, theme_ids)
    except staff_outcomes.OutcomeProblems as problems:
        shown = {**_form_values(None), **dict(visit.form.items()), "theme_ids": theme_ids}
        return _form_page(visit, consultation, shown, outcome, problems.problems)
    saved = outcome_store.save_outcome(visit.db, consultation, draft, outcome)
    return visit.redirect(f"/outcomes/{saved.id}", done="saved")


@page
def outcome_list(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    today = utcnow().date()
    outcomes = outcome_store.outcomes_for(visit.db, consultation.id)
    return visit.render(
        "outcomes.html",
        title=f"You said, we did: {consultation.title}",
        consultation=consultation,
        outcomes=[staff_outcomes.view_of(visit.db, outcome) for outcome in outcomes],
        overdue=outcome_store.is_overdue(visit.db, consultation, today),
    )


@page
def outcome_new(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    if visit.form is None:
        return _form_page(visit, consultation, _form_values(None))
    return _save(visit, consultation, None)


@page
def outcome_detail(visit: Visit) -> Response:
    outcome, consultation = _outcome(visit)
    return visit.render(
        "outcome.html",
        title=f"Outcome: {consultation.title}",
        consultation=consultation,
        outcome=staff_outcomes.view_of(visit.db, outcome),
        preview=staff_outcomes.preview(visit.db, consultation, outcome),
        warnings=staff_outcomes.warnings_for(outcome),
        done_message=DONE_MESSAGES.get(visit.request.query_params.get("done", ""), ""),
    )


@page
def outcome_edit(visit: Visit) -> Response:
    outcome, consultation = _outcome(visit)
    if outcome.published_at is not None:
        return visit.redirect(f"/outcomes/{outcome.id}")
    if visit.form is None:
        return _form_page(visit, consultation, _form_values(outcome), outcome)
    return _save(visit, consultation, outcome)


@page
def outcome_publish(visit: Visit) -> Response:
    outcome, _ = _outcome(visit)
    try:
        publish(visit.db, outcome, visit.account.email)
    except (AlreadyPublished, NothingLinked):
        visit.db.rollback()
        return visit.redirect(f"/outcomes/{outcome.id}")
    return visit.redirect(f"/outcomes/{outcome.id}", done="published")


@page
def outcome_delete(visit: Visit) -> Response:
    outcome, consultation = _outcome(visit)
    if outcome.published_at is None:
        outcome_store.delete_draft(visit.db, outcome)
    return visit.redirect(f"/consultations/{consultation.slug}/outcomes", done="deleted")


@page
def plain_language_check(visit: Visit) -> Response:
    """Warnings for the words as staff type them (the form's script asks as they type)."""
    texts = {name: visit.field(name) for name in ("what_was_done", "reason")}
    warnings = staff_outcomes.plain_language_warnings(texts)
    return JSONResponse(
        {"warnings": [{"field": item.field, "message": item.message} for item in warnings]}
    )


@page
def overdue_list(visit: Visit) -> Response:
    """Every consultation and whether people have heard back: the overdue ones first."""
    today = utcnow().date()
    overdue = outcome_store.overdue_consultations(visit.db, today)
    return visit.render(
        "outcomes_overdue.html",
        title="Updates owed to people",
        overdue=overdue,
        today=today.isoformat(),
    )

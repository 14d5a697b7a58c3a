"""The staff pages. Every handler here runs behind `page`: logged in, CSRF checked.

Forms post and then redirect (so reloading never repeats a change), with a short `done` code
that the next page turns into a plain confirmation. A form with mistakes is shown again with
GOV.UK's error summary, the mistakes linked to their fields.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.responses import Response

from bot.consultations.loader import ConsultationError
from bot.feedback.evidence import loop_health
from bot.staff import alerts as staff_alerts
from bot.staff import consultation_form, general, operations, summaries
from bot.staff.chart import bar_chart
from bot.staff.consultation_form import FormState
from bot.staff.context import Visit, page
from bot.staff.export import export_csv, export_general_csv
from bot.store import board as board_store
from bot.store.schema import Consultation, Theme, utcnow
from bot.store.staff_reports import count_general_feedback
from bot.themes.service import theme_consultation
from bot.themes.shaping import (
    ShapingError,
    merge_themes,
    move_answer,
    rename_theme,
    set_theme_status,
    split_theme,
)

FieldErrors = Sequence[tuple[str, str]]

DONE_MESSAGES = {
    "created": "The consultation was saved.",
    "saved": "Your changes were saved.",
    "closed": "The consultation is closed. People can no longer answer it.",
    "themed": "Themes are up to date with the answers.",
    "merged": "The themes were merged.",
    "renamed": "The theme was renamed.",
    "published": "The theme is marked as published.",
    "draft": "The theme is marked as draft.",
    "split": "The answers you chose are in a new theme.",
    "moved": "The answers you chose were moved.",
    "quoted": "The quotes for the public board were saved.",
}


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise operations.NotFound("There is no such page") from None


def _csv_response(text: str, slug: str, with_originals: bool, what: str = "answers") -> Response:
    name = f"{slug}-{what}{'-with-originals' if with_originals else ''}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# ---- consultations ----------------------------------------------------------------------------


@page
def home(visit: Visit) -> Response:
    return visit.redirect("/consultations")


@page
def consultation_list(visit: Visit) -> Response:
    health = loop_health(visit.db, utcnow().date())
    return visit.render(
        "consultations.html",
        title="Consultations",
        health=health,
        health_rate=(
            f"{round(health.loop.rate * 100)}%" if health.loop.rate is not None else "no one yet"
        ),
        consultations=summaries.consultation_list(visit.db),
        general_feedback=count_general_feedback(visit.db),
        done_message=DONE_MESSAGES.get(visit.request.query_params.get("done", ""), ""),
    )


def _form_page(
    visit: Visit, state: FormState, creating: bool, slug: str = "", status: int = 200
) -> Response:
    return visit.render(
        "consultation_form.html",
        status=status,
        title="Create a consultation" if creating else "Change the consultation",
        form=state,
        creating=creating,
        slug=slug,
        errors=state.errors,
        **consultation_form.choices(),
    )


@page
def consultation_new(visit: Visit) -> Response:
    if visit.form is None:
        blank = consultation_form.state_from_data({"status": "draft"})
        return _form_page(visit, blank, creating=True)
    data, slot_of = consultation_form.data_from_form(visit.form)
    try:
        consultation = operations.create_consultation(visit.db, data)
    except ConsultationError as error:
        errors = consultation_form.errors_for_form(error.problems, slot_of)
        state = consultation_form.state_from_form(visit.form, errors)
        return _form_page(visit, state, creating=True, status=400)
    return visit.redirect(f"/consultations/{consultation.slug}", done="created")


@page
def consultation_edit(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    if visit.form is None:
        state = consultation_form.state_from_data(summaries.consultation_data(consultation))
        return _form_page(visit, state, creating=False, slug=consultation.slug)
    data, slot_of = consultation_form.data_from_form(visit.form)
    try:
        operations.update_consultation(visit.db, consultation, data)
    except ConsultationError as error:
        errors = consultation_form.errors_for_form(error.problems, slot_of)
        state = consultation_form.state_from_form(visit.form, errors)
        return _form_page(visit, state, creating=False, slug=consultation.slug, status=400)
    return visit.redirect(f"/consultations/{consultation.slug}", done="saved")


@page
def consultation_overview(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    data = summaries.consultation_data(consultation)
    return visit.render(
        "consultation.html",
        title=consultation.title,
        consultation=data,
        reach=summaries.reach_summary(visit.db, consultation),
        kind_names=summaries.KIND_NAMES,
        done_message=DONE_MESSAGES.get(visit.request.query_params.get("done", ""), ""),
    )


@page
def consultation_close(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    operations.close_consultation(visit.db, consultation)
    return visit.redirect(f"/consultations/{consultation.slug}", done="closed")


# ---- answers ----------------------------------------------------------------------------------


@page
def responses(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    return visit.render(
        "responses.html",
        title=f"Answers: {consultation.title}",
        consultation=summaries.consultation_data(consultation),
        questions=summaries.answers_by_question(visit.db, consultation),
    )


@page
def response_original(visit: Visit) -> Response:
    """What one person wrote before redaction: allowed roles only, and every view is logged."""
    response = operations.find_response(visit.db, _int(visit.request.path_params["response_id"]))
    originals = operations.show_originals(
        visit.db, visit.settings, visit.account, [response], "page"
    )
    consultation = (
        operations.consultation_by_id(visit.db, response.consultation_id)
        if response.consultation_id
        else None
    )
    return visit.render(
        "original.html",
        title="What the person wrote",
        original=originals[response.id],
        redacted=summaries.redacted_text(visit.db, response),
        consultation=summaries.consultation_data(consultation) if consultation else None,
    )


@page
def reach(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    return visit.render(
        "reach.html",
        title=f"People reached: {consultation.title}",
        consultation=summaries.consultation_data(consultation),
        reach=summaries.reach_summary(visit.db, consultation),
    )


@page
def export(visit: Visit) -> Response:
    """Redacted CSV by GET; with the originals only by a form post from an allowed role."""
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    originals = None
    if visit.form is not None and visit.field("originals") == "yes":
        everything = operations.answers_for_export(visit.db, consultation)
        originals = operations.show_originals(
            visit.db, visit.settings, visit.account, everything, "export"
        )
    text = export_csv(visit.db, consultation, originals)
    return _csv_response(text, consultation.slug, originals is not None)


# ---- general feedback -------------------------------------------------------------------------


@page
def general_feedback(visit: Visit) -> Response:
    """What people said that is not about an open consultation, masked and in themes."""
    feedback = general.general_feedback(visit.db)
    return visit.render(
        "general.html",
        title="General feedback",
        feedback=feedback,
        themes=[(theme, feedback.answers_in(theme)) for theme in feedback.themes],
        channel_names=staff_alerts.CHANNEL_LABELS,
    )


@page
def general_export(visit: Visit) -> Response:
    """Redacted CSV by GET; with the originals only by a form post from an allowed role."""
    everything = operations.general_feedback_for_export(visit.db)
    originals = None
    if visit.form is not None and visit.field("originals") == "yes":
        originals = operations.show_originals(
            visit.db, visit.settings, visit.account, everything, "export"
        )
    text = export_general_csv(visit.db, everything, originals)
    return _csv_response(text, "general", originals is not None, what="feedback")


# ---- themes -----------------------------------------------------------------------------------


def _themes_page(
    visit: Visit, consultation: Consultation, errors: FieldErrors = (), status: int = 200
) -> Response:
    questions = summaries.themed_summary(visit.db, consultation)
    charts = {
        question.id: bar_chart(
            f"chart-{question.id}",
            f"Answers in each theme: {question.prompt}",
            [(theme.label, theme.count) for theme in question.themes],
            "answers",
        )
        for question in questions
    }
    return visit.render(
        "themes.html",
        status=status,
        title=f"Themes: {consultation.title}",
        consultation=summaries.consultation_data(consultation),
        questions=questions,
        charts=charts,
        errors=list(errors),
        done_message=DONE_MESSAGES.get(visit.request.query_params.get("done", ""), ""),
    )


@page
def themes(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    return _themes_page(visit, consultation)


@page
def themes_refresh(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    theme_consultation(visit.db, consultation, fresh=visit.field("fresh") == "yes")
    return visit.redirect(f"/consultations/{consultation.slug}/themes", done="themed")


@page
def themes_merge(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    question_id = visit.field("question_id")
    try:
        ids = [_int(value) for value in visit.fields("theme_ids")]
        merge_themes(visit.db, ids, visit.field("label").strip() or None)
    except ShapingError as error:
        visit.db.rollback()
        field = f"merge-{question_id}-{'label' if error.field == 'label' else 'themes'}"
        return _themes_page(visit, consultation, [(field, error.message)], status=400)
    return visit.redirect(f"/consultations/{consultation.slug}/themes", done="merged")


def _theme_page(
    visit: Visit, theme: Theme, errors: FieldErrors = (), status: int = 200
) -> Response:
    return visit.render(
        "theme.html",
        status=status,
        title=f"Theme: {theme.label}",
        detail=summaries.theme_detail(visit.db, theme),
        board_quotes=board_store.picked_ids(visit.db, theme.id),
        errors=list(errors),
        done_message=DONE_MESSAGES.get(visit.request.query_params.get("done", ""), ""),
    )


@page
def theme(visit: Visit) -> Response:
    found = operations.find_theme(visit.db, _int(visit.request.path_params["theme_id"]))
    return _theme_page(visit, found)


@page
def theme_rename(visit: Visit) -> Response:
    found = operations.find_theme(visit.db, _int(visit.request.path_params["theme_id"]))
    back = visit.field("back") or "themes"
    try:
        rename_theme(visit.db, found.id, visit.field("label"))
    except ShapingError as error:
        visit.db.rollback()
        found = operations.find_theme(visit.db, found.id)
        if back == "theme":
            return _theme_page(visit, found, [("rename-label", error.message)], status=400)
        consultation = operations.consultation_by_id(visit.db, found.consultation_id)
        field = f"rename-{found.id}-label"
        return _themes_page(visit, consultation, [(field, error.message)], status=400)
    return _back(visit, found, back, "renamed")


@page
def theme_status(visit: Visit) -> Response:
    found = operations.find_theme(visit.db, _int(visit.request.path_params["theme_id"]))
    status = visit.field("status")
    try:
        set_theme_status(visit.db, found.id, status)
    except ShapingError as error:
        raise operations.NotFound(error.message) from None
    return _back(visit, found, visit.field("back") or "themes", status)


@page
def theme_answers(visit: Visit) -> Response:
    """Split the chosen answers into a new theme, or move them to another theme."""
    found = operations.find_theme(visit.db, _int(visit.request.path_params["theme_id"]))
    theme_id, consultation_id = found.id, found.consultation_id
    chosen = [_int(value) for value in visit.fields("response_ids")]
    action = visit.field("action")
    try:
        if action == "split":
            split_theme(visit.db, theme_id, chosen, visit.field("label"))
            done = "split"
        else:
            if not chosen:
                raise ShapingError("Choose the answers to move", "response_ids")
            target = _int(visit.field("theme_id") or "0")
            for response_id in chosen:
                move_answer(visit.db, response_id, target)
            done = "moved"
    except ShapingError as error:
        visit.db.rollback()
        field = {
            "label": "split-label",
            "theme_id": "move-theme",
        }.get(error.field, "answers")
        found = operations.find_theme(visit.db, theme_id)
        return _theme_page(visit, found, [(field, error.message)], status=400)
    if not operations.theme_exists(visit.db, theme_id):
        consultation = operations.consultation_by_id(visit.db, consultation_id)
        return visit.redirect(f"/consultations/{consultation.slug}/themes", done=done)
    return visit.redirect(f"/themes/{theme_id}", done=done)


@page
def theme_board_quotes(visit: Visit) -> Response:
    """Choose which of the theme's answers the public board may quote (always masked)."""
    found = operations.find_theme(visit.db, _int(visit.request.path_params["theme_id"]))
    chosen = [_int(value) for value in visit.fields("board_ids")]
    try:
        board_store.set_picks(visit.db, found.id, chosen, visit.account.email)
    except board_store.NotInTheme:
        visit.db.rollback()
        found = operations.find_theme(visit.db, found.id)
        message = "Choose answers from this theme"
        return _theme_page(visit, found, [("board", message)], status=400)
    return visit.redirect(f"/themes/{found.id}", done="quoted")


def _back(visit: Visit, theme: Theme, back: str, done: str) -> Response:
    if back == "theme":
        return visit.redirect(f"/themes/{theme.id}", done=done)
    consultation = operations.consultation_by_id(visit.db, theme.consultation_id)
    return visit.redirect(f"/consultations/{consultation.slug}/themes", done=done)


# ---- safeguarding alerts ----------------------------------------------------------------------


@page
def alerts(visit: Visit) -> Response:
    return visit.render(
        "alerts.html", title="Safeguarding alerts", alerts=staff_alerts.alert_list(visit.db)
    )


@page
def alert_handled(visit: Visit) -> Response:
    alert_id = _int(visit.request.path_params["alert_id"])
    if not staff_alerts.mark_handled(visit.db, alert_id, visit.account.email):
        raise operations.NotFound("There is no such alert")
    return visit.redirect("/alerts", done="handled")

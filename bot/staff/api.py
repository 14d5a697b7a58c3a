"""The JSON API under /staff/api: everything the pages do, for a case-management system or a
script. Each handler runs behind `api` (bearer token checked). The shapes are described in
openapi.yml, served at /staff/api/openapi.json.

Consultations are sent and returned in the same shape as their YAML files, and checked by the
same rules. Answers are redacted, as on the pages; the original of one answer is a separate,
audited call, allowed only to the roles in SAYSO_SHOW_ORIGINALS_TO.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.staff import alerts as staff_alerts
from bot.staff import general, operations, summaries
from bot.staff.context import ApiError, Visit, api
from bot.staff.description import OPENAPI_FILE, openapi_document
from bot.staff.export import export_csv, export_general_csv
from bot.store import board as board_store
from bot.themes.service import theme_consultation
from bot.themes.shaping import (
    merge_themes,
    move_answer,
    rename_theme,
    set_theme_status,
    split_theme,
)

#: The biggest id the database can hold (a signed 64-bit integer); a bigger number names
#: nothing, and must not reach the database, which cannot even compare it.
LARGEST_ID = 2**63 - 1


async def openapi_json(_: Request) -> JSONResponse:
    """The API's description. Public: it holds no data, and a service reads it before it has
    a token."""
    return JSONResponse(openapi_document())


async def openapi_yaml(_: Request) -> Response:
    return Response(OPENAPI_FILE.read_text(encoding="utf-8"), media_type="application/yaml")


def _object(visit: Visit) -> dict[str, Any]:
    if not isinstance(visit.body, dict):
        raise ApiError(400, "Send a JSON object")
    return visit.body


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= LARGEST_ID


def _id_list(value: Any, field: str) -> list[int]:
    if not isinstance(value, list) or not all(_is_id(item) for item in value):
        raise ApiError(422, "Send a list of whole numbers", field)
    return value


def _path_int(visit: Visit, name: str) -> int:
    try:
        number = int(visit.request.path_params[name])
    except ValueError:
        raise operations.NotFound("There is no such thing") from None
    if not _is_id(number):
        raise operations.NotFound("There is no such thing")
    return number


def _consultation(visit: Visit):
    return operations.find_consultation(visit.db, visit.request.path_params["slug"])


def _theme_json(visit: Visit, theme_id: int) -> dict[str, Any]:
    detail = summaries.theme_detail(visit.db, operations.find_theme(visit.db, theme_id))
    return asdict(detail)


@api
def me(visit: Visit) -> dict[str, Any]:
    return {
        "email": visit.account.email,
        "role": visit.account.role,
        "may_see_originals": visit.may_see_originals,
    }


@api
def consultations(visit: Visit) -> Any:
    if visit.request.method == "POST":
        consultation = operations.create_consultation(visit.db, _object(visit))
        return JSONResponse(
            {"consultation": summaries.consultation_data(consultation)}, status_code=201
        )
    return {"consultations": summaries.consultation_list(visit.db)}


@api
def consultation(visit: Visit) -> dict[str, Any]:
    found = _consultation(visit)
    if visit.request.method == "PUT":
        found = operations.update_consultation(visit.db, found, _object(visit))
    return {
        "consultation": summaries.consultation_data(found),
        "reach": summaries.reach_summary(visit.db, found),
    }


@api
def consultation_close(visit: Visit) -> dict[str, Any]:
    found = operations.close_consultation(visit.db, _consultation(visit))
    return {"consultation": summaries.consultation_data(found)}


@api
def responses(visit: Visit) -> dict[str, Any]:
    found = _consultation(visit)
    return {"questions": summaries.as_data(summaries.answers_by_question(visit.db, found))}


@api
def response_original(visit: Visit) -> dict[str, Any]:
    response = operations.find_response(visit.db, _path_int(visit, "response_id"))
    originals = operations.show_originals(
        visit.db, visit.settings, visit.account, [response], "api"
    )
    return {
        "id": response.id,
        "original": originals[response.id],
        "redacted": summaries.redacted_text(visit.db, response),
    }


@api
def reach(visit: Visit) -> dict[str, Any]:
    return summaries.reach_summary(visit.db, _consultation(visit))


@api
def export(visit: Visit) -> Response:
    found = _consultation(visit)
    originals = None
    asked = visit.request.query_params.get("originals", "false")
    if asked not in ("true", "false"):
        raise ApiError(422, "Write originals=true or originals=false", "originals")
    if asked == "true":
        answers = operations.answers_for_export(visit.db, found)
        originals = operations.show_originals(
            visit.db, visit.settings, visit.account, answers, "export"
        )
    return Response(export_csv(visit.db, found, originals), media_type="text/csv; charset=utf-8")


@api
def general_feedback(visit: Visit) -> dict[str, Any]:
    """What people said that is not about an open consultation: masked, newest first, with
    the themes the engine finds in it."""
    feedback = general.general_feedback(visit.db)
    return {
        "total": feedback.total,
        "shown": feedback.shown,
        "items": summaries.as_data(feedback.items),
        "themes": summaries.as_data(feedback.themes),
    }


@api
def general_export(visit: Visit) -> Response:
    asked = visit.request.query_params.get("originals", "false")
    if asked not in ("true", "false"):
        raise ApiError(422, "Write originals=true or originals=false", "originals")
    everything = operations.general_feedback_for_export(visit.db)
    originals = None
    if asked == "true":
        originals = operations.show_originals(
            visit.db, visit.settings, visit.account, everything, "export"
        )
    return Response(
        export_general_csv(visit.db, everything, originals), media_type="text/csv; charset=utf-8"
    )


@api
def themes(visit: Visit) -> dict[str, Any]:
    found = _consultation(visit)
    return {"questions": summaries.as_data(summaries.themed_summary(visit.db, found))}


@api
def themes_refresh(visit: Visit) -> dict[str, Any]:
    found = _consultation(visit)
    fresh = _object(visit).get("fresh", False) if visit.body is not None else False
    if not isinstance(fresh, bool):
        raise ApiError(422, "Write fresh as true or false", "fresh")
    reports = theme_consultation(visit.db, found, fresh=fresh)
    return {
        "reports": [asdict(report) for report in reports],
        "questions": summaries.as_data(summaries.themed_summary(visit.db, found)),
    }


@api
def theme(visit: Visit) -> dict[str, Any]:
    theme_id = operations.find_theme(visit.db, _path_int(visit, "theme_id")).id
    if visit.request.method == "PATCH":
        body = _object(visit)
        if "label" not in body and "status" not in body:
            raise ApiError(422, "Send a new label, a status, or both", "label")
        if "label" in body:
            rename_theme(visit.db, theme_id, str(body["label"] or ""))
        if "status" in body:
            set_theme_status(visit.db, theme_id, str(body["status"] or ""))
    return _theme_json(visit, theme_id)


@api
def themes_merge(visit: Visit) -> dict[str, Any]:
    body = _object(visit)
    label = body.get("label")
    if label is not None and not isinstance(label, str):
        raise ApiError(422, "The label must be text", "label")
    merged = merge_themes(visit.db, _id_list(body.get("theme_ids"), "theme_ids"), label)
    return _theme_json(visit, merged.id)


@api
def theme_split(visit: Visit) -> JSONResponse:
    body = _object(visit)
    response_ids = _id_list(body.get("response_ids"), "response_ids")
    theme_id = operations.find_theme(visit.db, _path_int(visit, "theme_id")).id
    new_theme = split_theme(visit.db, theme_id, response_ids, str(body.get("label") or ""))
    return JSONResponse(_theme_json(visit, new_theme.id), status_code=201)


@api
def theme_board_quotes(visit: Visit) -> dict[str, Any]:
    """The answers of a theme the public board may quote; PUT replaces the whole choice.

    The board shows them masked, and only while the theme is published and said by enough
    people (SAYSO_PUBLIC_MIN_PEOPLE)."""
    found = operations.find_theme(visit.db, _path_int(visit, "theme_id"))
    if visit.request.method == "PUT":
        ids = _id_list(_object(visit).get("response_ids"), "response_ids")
        try:
            board_store.set_picks(visit.db, found.id, ids, visit.account.email)
        except board_store.NotInTheme:
            raise ApiError(422, "Choose answers from this theme", "response_ids") from None
    picked = sorted(board_store.picked_ids(visit.db, found.id))
    answers = {item.id: item.text for item in summaries.theme_detail(visit.db, found).answers}
    return {
        "theme_id": found.id,
        "quotes": [{"response_id": rid, "text": answers.get(rid, "")} for rid in picked],
    }


@api
def response_theme(visit: Visit) -> dict[str, Any]:
    body = _object(visit)
    theme_id = body.get("theme_id")
    if not _is_id(theme_id):
        raise ApiError(422, "Send the id of the theme to move the answer to", "theme_id")
    response = operations.find_response(visit.db, _path_int(visit, "response_id"))
    moved_to = move_answer(visit.db, response.id, theme_id)
    return _theme_json(visit, moved_to.id)


@api
def alerts(visit: Visit) -> dict[str, Any]:
    return {"alerts": staff_alerts.alert_list(visit.db)}


@api
def alert_handled(visit: Visit) -> dict[str, Any]:
    alert_id = _path_int(visit, "alert_id")
    if not staff_alerts.mark_handled(visit.db, alert_id, visit.account.email):
        raise operations.NotFound("There is no such alert")
    return {
        "alert": next(row for row in staff_alerts.alert_list(visit.db) if row["id"] == alert_id)
    }

"""Staff: invite people to choose priorities, and see the votes and the panel volunteers.

One summary feeds the page and the JSON API. Volunteers are shown by a short reference made
from their pseudonym, never the pseudonym itself, with the channel they use and the date they
said yes; staff reach them through Sayso's messages, not by any address.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response

from bot.feedback import priorities
from bot.plain_language import long_sentences
from bot.staff import operations, summaries
from bot.staff.chart import bar_chart
from bot.staff.context import ApiError, Visit, api, page
from bot.store import priorities as priority_store
from bot.store.schema import Consultation

MAX_PANEL_DETAILS = 600
DONE_MESSAGES = {
    "invited": "The invitations are owed. Each person gets one message.",
    "nobody": "Nobody new could be asked. Everyone who can be asked has been asked.",
}
LONG_SENTENCE_WARNING = (
    "Some sentences in what the panel involves are longer than 15 words. "
    "People may find them hard to read. You can change them and invite more people later."
)


def volunteer_reference(participant_id: str) -> str:
    """A short, stable name for a volunteer that does not reveal their pseudonym."""
    return "V-" + hashlib.sha256(f"panel:{participant_id}".encode()).hexdigest()[:8].upper()


def priorities_summary(db: Session, consultation: Consultation) -> dict[str, Any]:
    """Everything staff see about priorities and the panel for one consultation."""
    plan = priorities.invite_plan(db, consultation)
    round_ = priority_store.get_round(db, consultation.id)
    answers = priority_store.panel_answers(db, consultation.id)
    return {
        "invited": round_.invited_count if round_ else 0,
        "can_invite": plan.ready,
        "cannot_invite_because": plan.reason,
        "people_to_invite": plan.people if plan.ready else 0,
        "published_themes": plan.themes,
        "people_who_voted": priority_store.count_people_who_voted(db, consultation.id),
        "votes": [
            {"theme": count.label, "votes": count.votes}
            for count in priority_store.vote_counts(db, consultation.id)
        ],
        "panel": {
            "details": round_.panel_details if round_ else None,
            "paid": bool(round_.panel_paid) if round_ else False,
            "said_no": sum(1 for answer in answers if not answer.joined),
            "volunteers": [
                {
                    "reference": volunteer_reference(answer.participant_id),
                    "channel": answer.channel,
                    "joined_on": answer.answered_at.date().isoformat(),
                }
                for answer in answers
                if answer.joined
            ],
        },
    }


def _invite(
    db: Session, consultation: Consultation, details: str | None, paid: bool | None, field: str
) -> int:
    """Invite; details or paid left out (None) keep what staff said before."""
    if details is not None and len(details) > MAX_PANEL_DETAILS:
        message = f"Keep what the panel involves under {MAX_PANEL_DETAILS} characters"
        raise ApiError(422, message, field)
    try:
        return priorities.invite(db, consultation, details, paid)
    except priorities.NotReady as error:
        raise ApiError(409, str(error)) from None


# ---- the page -------------------------------------------------------------------------------


@page
def priorities_page(visit: Visit) -> Response:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    return _render(visit, consultation)


def _render(visit: Visit, consultation: Consultation, errors: list | None = None) -> Response:
    summary = priorities_summary(visit.db, consultation)
    chart = bar_chart(
        "chart-priorities",
        "Votes for each theme",
        [(row["theme"], row["votes"]) for row in summary["votes"]],
        "votes",
    )
    done = visit.request.query_params.get("done", "")
    details = summary["panel"]["details"] or ""
    return visit.render(
        "priorities.html",
        status=400 if errors else 200,
        title=f"Priorities and panel: {consultation.title}",
        consultation=summaries.consultation_data(consultation),
        summary=summary,
        chart=chart,
        errors=errors or [],
        warning=LONG_SENTENCE_WARNING if long_sentences(details) else "",
        done_message=DONE_MESSAGES.get(done, ""),
    )


@page
def priorities_invite(visit: Visit) -> Response:
    """Owe every person not yet asked one invitation; a plain warning for long panel words."""
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    details = visit.field("details").strip()
    try:
        invited = _invite(visit.db, consultation, details, visit.field("paid") == "yes", "details")
    except ApiError as error:
        visit.db.rollback()
        return _render(visit, consultation, [(error.field or "invite", error.message)])
    done = "invited" if invited else "nobody"
    return visit.redirect(f"/consultations/{consultation.slug}/priorities", done=done)


# ---- the JSON API ---------------------------------------------------------------------------


@api
def priorities_json(visit: Visit) -> dict[str, Any]:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    return priorities_summary(visit.db, consultation)


@api
def priorities_invite_json(visit: Visit) -> JSONResponse:
    consultation = operations.find_consultation(visit.db, visit.request.path_params["slug"])
    body = visit.body if visit.body is not None else {}
    if not isinstance(body, dict):
        raise ApiError(400, "Send a JSON object")
    details = body.get("panel_details")
    paid = body.get("panel_paid")
    if details is not None and not isinstance(details, str):
        raise ApiError(422, "What the panel involves must be text", "panel_details")
    if paid is not None and not isinstance(paid, bool):
        raise ApiError(422, "Say true or false", "panel_paid")
    details = details.strip() if details is not None else None
    invited = _invite(visit.db, consultation, details, paid, "panel_details")
    return JSONResponse(
        {"invited": invited, "priorities": priorities_summary(visit.db, consultation)},
        status_code=201 if invited else 200,
    )

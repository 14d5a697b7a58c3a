"""The public "You said, we did" board, with no login: /said-did/.

Mounted by bot/web.py at /said-did. It uses the staff app's GOV.UK Frontend files and look,
but has its own page frame with no staff menu, and reads only what bot/feedback/board.py lets
the public see. Pages come in English, Polish and Romanian (`?lang=pl`, `?lang=ro`).

- `/said-did/` every consultation with published outcomes;
- `/said-did/{slug}` one consultation's outcomes;
- `/said-did/{slug}/print` an A4 page for the drop-in wall, with a QR code to the web chat;
- `/said-did/feed.atom` an Atom feed of new outcomes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.config import Settings, get_settings
from bot.feedback.board import BoardConsultation, board, consultation_board
from bot.feedback.board_words import LANGUAGES, board_words, language_of
from bot.languages import LANGUAGE_NAMES
from bot.staff.app import GOVUK_DIR, HERE, SecurityHeaders, _templates, govuk_css
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import get_engine, session_scope
from bot.webchat.carry_on import qr_data_uri, telegram_link

FEED_ENTRIES = 50


def _state(request: Request) -> tuple[Settings, Engine, jinja2.Environment]:
    state = request.app.state
    return state.settings, state.engine, state.templates


def _base(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _public_root(request: Request, settings: Settings) -> str:
    """The address people's phones use: SAYSO_PUBLIC_URL, else the one this page came from."""
    if settings.public_url:
        return settings.public_url
    return f"{request.url.scheme}://{request.url.netloc}"


def _render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    _, _, templates = _state(request)
    language = language_of(request.query_params.get("lang"))
    base = _base(request)
    html = templates.get_template(template).render(
        base=base,
        assets=f"{base}/assets",
        static=f"{base}/static",
        lang=language,
        words=board_words(language),
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        query="" if language == "en" else f"?lang={language}",
        path=request.url.path,
        **values,
    )
    return HTMLResponse(html, status_code=status)


def _not_found(request: Request) -> HTMLResponse:
    words = board_words(language_of(request.query_params.get("lang")))
    return _render(
        request,
        "board_error.html",
        status=404,
        title=words["not_found_title"],
        message=words["not_found"],
    )


async def _with_session(request: Request, work: Callable[[Session], Response]) -> Response:
    _, engine, _ = _state(request)

    def run() -> Response:
        with session_scope(engine) as session:
            return work(session)

    return await run_in_threadpool(run)


async def board_page(request: Request) -> Response:
    settings, _, _ = _state(request)
    language = language_of(request.query_params.get("lang"))

    def work(session: Session) -> Response:
        consultations = board(session, language, settings.public_min_people)
        return _render(
            request,
            "board.html",
            title=board_words(language)["service"],
            consultations=consultations,
        )

    return await _with_session(request, work)


def _one(session: Session, request: Request) -> BoardConsultation | None:
    settings, _, _ = _state(request)
    language = language_of(request.query_params.get("lang"))
    consultation = get_consultation_by_slug(session, request.path_params["slug"])
    if consultation is None:
        return None
    return consultation_board(session, consultation, language, settings.public_min_people)


async def consultation_page(request: Request) -> Response:
    def work(session: Session) -> Response:
        found = _one(session, request)
        if found is None:
            return _not_found(request)
        return _render(request, "board_consultation.html", title=found.title, item=found)

    return await _with_session(request, work)


async def print_page(request: Request) -> Response:
    settings, _, _ = _state(request)

    def work(session: Session) -> Response:
        found = _one(session, request)
        if found is None:
            return _not_found(request)
        chat_url = f"{_public_root(request, settings)}/chat/"
        telegram_url = telegram_link(settings, found.slug)
        return _render(
            request,
            "board_print.html",
            title=found.title,
            item=found,
            chat_url=chat_url,
            chat_qr=qr_data_uri(chat_url),
            telegram_url=telegram_url,
            telegram_qr=qr_data_uri(telegram_url) if telegram_url else None,
        )

    return await _with_session(request, work)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def atom_feed(consultations: list[BoardConsultation], root: str, service: str) -> str:
    """An Atom document with the newest outcomes first. Only what the board shows."""
    entries = sorted(
        ((item, outcome) for item in consultations for outcome in item.outcomes),
        key=lambda pair: pair[1].published_at,
        reverse=True,
    )[:FEED_ENTRIES]
    updated = _iso(entries[0][1].published_at) if entries else "1970-01-01T00:00:00Z"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(service)}</title>",
        f"<id>{escape(root)}/said-did/</id>",
        f'<link rel="alternate" href="{escape(root)}/said-did/"/>',
        f'<link rel="self" href="{escape(root)}/said-did/feed.atom"/>',
        f"<updated>{updated}</updated>",
        "<author><name>Sayso</name></author>",
    ]
    for item, outcome in entries:
        said = "; ".join(theme.label for theme in outcome.themes)
        lines = [f"{outcome.status_name}: {outcome.what_was_done}"]
        if outcome.reason:
            lines.append(f"Why not: {outcome.reason}")
        if said:
            lines.append(f"What people said: {said}")
        lines.append(f"Who decided: {item.who_decides}")
        lines.append(f"Date: {outcome.decided_on}")
        parts += [
            "<entry>",
            f"<title>{escape(item.title)}: {escape(outcome.status_name)}</title>",
            f"<id>{escape(root)}/said-did/{escape(item.slug)}#outcome-{outcome.id}</id>",
            f'<link rel="alternate" href="{escape(root)}/said-did/{escape(item.slug)}"/>',
            f"<updated>{_iso(outcome.published_at)}</updated>",
            f"<summary>{escape(' '.join(lines))}</summary>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


async def feed(request: Request) -> Response:
    settings, _, _ = _state(request)

    def work(session: Session) -> Response:
        consultations = board(session, "en", settings.public_min_people)
        text = atom_feed(consultations, _public_root(request, settings), "You said, we did")
        return Response(text, media_type="application/atom+xml; charset=utf-8")

    return await _with_session(request, work)


async def not_found(request: Request, error: Exception) -> Response:
    return _not_found(request)


def routes() -> list[Route | Mount]:
    return [
        Route("/", board_page, methods=["GET"]),
        Route("/feed.atom", feed, methods=["GET"]),
        Route("/assets/govuk-frontend.min.css", govuk_css, methods=["GET"]),
        Mount("/assets", app=StaticFiles(directory=GOVUK_DIR / "assets", check_dir=False)),
        Mount("/static", app=StaticFiles(directory=HERE / "static")),
        Route("/{slug}", consultation_page, methods=["GET"]),
        Route("/{slug}/print", print_page, methods=["GET"]),
    ]


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Starlette:
    app = Starlette(
        routes=routes(),
        exception_handlers={HTTPException: not_found},
        middleware=[Middleware(GZipMiddleware, minimum_size=500)],
    )
    app.state.settings = settings or get_settings()
    app.state.engine = engine or get_engine()
    app.state.templates = _templates()
    app.add_middleware(SecurityHeaders)
    return app

"""The staff app: server-rendered pages with GOV.UK Frontend, and a JSON API beside them.

Mounted by bot/web.py at /staff. GOV.UK Frontend's files come from the `govuk-frontend` npm
package (installed by scripts/install.sh) and are served from here, never from a CDN.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import jinja2
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import PROJECT_ROOT
from bot.config import Settings, get_settings
from bot.staff import api, login, outcome_api, outcome_pages, pages, priorities
from bot.staff.context import FORM_COOKIE_SECONDS, SESSION_HOURS, StaffContext, context_of
from bot.staff.security import CookieSigner, new_secret
from bot.store.database import get_engine

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
GOVUK_DIR = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
MAX_BODY_BYTES = 2_000_000
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CACHED_PREFIXES = ("/assets/", "/static/")


class SecurityHeaders:
    """Headers on every staff response: no framing, no sniffing, and no caching of pages that
    hold people's answers (only the GOV.UK and app assets may be cached)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        root = str(scope.get("root_path", ""))
        path = str(scope.get("path", ""))
        relative = path[len(root) :] if path.startswith(root) else path
        cacheable = relative.startswith(CACHED_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not cacheable:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


@lru_cache(maxsize=1)
def _govuk_css() -> str | None:
    """GOV.UK Frontend's CSS with its font and image links made relative, so they resolve
    under whatever prefix the app is mounted at."""
    path = GOVUK_DIR / "govuk-frontend.min.css"
    if not path.exists():
        log.warning("GOV.UK Frontend is not installed (%s). Run scripts/install.sh.", path)
        return None
    return path.read_text(encoding="utf-8").replace("url(/assets/", "url(")


async def govuk_css(_: Request) -> Response:
    css = _govuk_css()
    if css is None:
        return Response("/* GOV.UK Frontend is not installed */", status_code=404)
    return Response(css, media_type="text/css", headers={"cache-control": "public, max-age=3600"})


async def govuk_js(_: Request) -> Response:
    path = GOVUK_DIR / "govuk-frontend.min.js"
    if not path.exists():
        return Response("", status_code=404)
    return FileResponse(path, media_type="text/javascript")


async def not_found(request: Request, error: Exception) -> Response:
    status = getattr(error, "status_code", 404)
    root = str(request.scope.get("root_path", ""))
    if request.url.path.startswith(f"{root}/api/"):
        message = "That cannot be done here" if status == 405 else "There is nothing here"
        # Starlette names the methods that would work in an Allow header on a 405.
        headers = getattr(error, "headers", None)
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    staff = context_of(request)
    if status == 405:
        return staff.error_page(request, 405, "That cannot be done here", "Go back and try again.")
    return staff.error_page(
        request, 404, "Page not found", "Check the address, or start from the consultations."
    )


def _templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


def _session_key(settings: Settings) -> str:
    if settings.staff_session_key:
        return settings.staff_session_key
    log.warning(
        "SAYSO_STAFF_SESSION_KEY is not set; using a key for this run only. "
        "Run `sayso setup` to make one, or staff are logged out at every restart."
    )
    return new_secret()


def routes() -> list[Route | Mount]:
    from bot.staff import evidence_pages  # it reads this module's paths

    P, G, GP = ["POST"], ["GET"], ["GET", "POST"]
    return [
        Route("/", pages.home, methods=G),
        Route("/login", login.login, methods=GP),
        Route("/logout", login.logout, methods=P),
        Route("/consultations", pages.consultation_list, methods=G),
        Route("/consultations/new", pages.consultation_new, methods=GP),
        Route("/consultations/{slug}", pages.consultation_overview, methods=G),
        Route("/consultations/{slug}/edit", pages.consultation_edit, methods=GP),
        Route("/consultations/{slug}/close", pages.consultation_close, methods=P),
        Route("/consultations/{slug}/responses", pages.responses, methods=G),
        Route("/consultations/{slug}/themes", pages.themes, methods=G),
        Route("/consultations/{slug}/themes/refresh", pages.themes_refresh, methods=P),
        Route("/consultations/{slug}/themes/merge", pages.themes_merge, methods=P),
        Route("/consultations/{slug}/reach", pages.reach, methods=G),
        Route("/consultations/{slug}/priorities", priorities.priorities_page, methods=G),
        Route("/consultations/{slug}/priorities/invite", priorities.priorities_invite, methods=P),
        Route("/consultations/{slug}/export.csv", pages.export, methods=GP),
        Route("/responses/{response_id}/original", pages.response_original, methods=P),
        Route("/general/", pages.general_feedback, methods=G),
        Route("/general/export.csv", pages.general_export, methods=GP),
        Route("/themes/{theme_id}", pages.theme, methods=G),
        Route("/themes/{theme_id}/rename", pages.theme_rename, methods=P),
        Route("/themes/{theme_id}/status", pages.theme_status, methods=P),
        Route("/themes/{theme_id}/answers", pages.theme_answers, methods=P),
        Route("/themes/{theme_id}/board-quotes", pages.theme_board_quotes, methods=P),
        Route("/consultations/{slug}/outcomes", outcome_pages.outcome_list, methods=G),
        Route("/consultations/{slug}/outcomes/new", outcome_pages.outcome_new, methods=GP),
        Route("/outcomes", outcome_pages.overdue_list, methods=G),
        Route("/outcomes/check", outcome_pages.plain_language_check, methods=P),
        Route("/outcomes/{outcome_id}", outcome_pages.outcome_detail, methods=G),
        Route("/outcomes/{outcome_id}/edit", outcome_pages.outcome_edit, methods=GP),
        Route("/outcomes/{outcome_id}/publish", outcome_pages.outcome_publish, methods=P),
        Route("/outcomes/{outcome_id}/delete", outcome_pages.outcome_delete, methods=P),
        Route("/evidence", evidence_pages.range_evidence, methods=G),
        Route("/evidence.pdf", evidence_pages.range_evidence_pdf, methods=G),
        Route("/consultations/{slug}/evidence", evidence_pages.consultation_evidence, methods=G),
        Route(
            "/consultations/{slug}/evidence.pdf",
            evidence_pages.consultation_evidence_pdf,
            methods=G,
        ),
        Route("/alerts", pages.alerts, methods=G),
        Route("/alerts/{alert_id}/handled", pages.alert_handled, methods=P),
        Route("/api/openapi.json", api.openapi_json, methods=G),
        Route("/api/openapi.yaml", api.openapi_yaml, methods=G),
        Route("/api/me", api.me, methods=G),
        Route("/api/consultations", api.consultations, methods=GP),
        Route("/api/consultations/{slug}", api.consultation, methods=["GET", "PUT"]),
        Route("/api/consultations/{slug}/close", api.consultation_close, methods=P),
        Route("/api/consultations/{slug}/responses", api.responses, methods=G),
        Route("/api/consultations/{slug}/themes", api.themes, methods=G),
        Route("/api/consultations/{slug}/themes/refresh", api.themes_refresh, methods=P),
        Route("/api/consultations/{slug}/reach", api.reach, methods=G),
        Route("/api/consultations/{slug}/priorities", priorities.priorities_json, methods=G),
        Route(
            "/api/consultations/{slug}/priorities/invite",
            priorities.priorities_invite_json,
            methods=P,
        ),
        Route("/api/consultations/{slug}/export.csv", api.export, methods=G),
        Route("/api/general-feedback", api.general_feedback, methods=G),
        Route("/api/general-feedback/export.csv", api.general_export, methods=G),
        Route("/api/responses/{response_id}/original", api.response_original, methods=G),
        Route("/api/responses/{response_id}/theme", api.response_theme, methods=["PUT"]),
        Route("/api/themes/merge", api.themes_merge, methods=P),
        Route("/api/themes/{theme_id}", api.theme, methods=["GET", "PATCH"]),
        Route("/api/themes/{theme_id}/split", api.theme_split, methods=P),
        Route(
            "/api/themes/{theme_id}/board-quotes", api.theme_board_quotes, methods=["GET", "PUT"]
        ),
        Route("/api/consultations/{slug}/outcomes", outcome_api.outcomes, methods=GP),
        Route("/api/outcomes/{outcome_id}/publish", outcome_api.outcome_publish, methods=P),
        Route("/api/evidence", evidence_pages.range_evidence_json, methods=G),
        Route(
            "/api/consultations/{slug}/evidence",
            evidence_pages.consultation_evidence_json,
            methods=G,
        ),
        Route("/api/alerts", api.alerts, methods=G),
        Route("/api/alerts/{alert_id}/handled", api.alert_handled, methods=P),
        Route("/assets/govuk-frontend.min.css", govuk_css, methods=G),
        Route("/assets/govuk-frontend.min.js", govuk_js, methods=G),
        Mount("/assets", app=StaticFiles(directory=GOVUK_DIR / "assets", check_dir=False)),
        Mount("/static", app=StaticFiles(directory=HERE / "static")),
    ]


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Starlette:
    settings = settings or get_settings()
    key = _session_key(settings)
    app = Starlette(
        routes=routes(),
        exception_handlers={HTTPException: not_found},
        max_body_size=MAX_BODY_BYTES,
    )
    app.state.staff = StaffContext(
        settings=settings,
        engine=engine or get_engine(),
        templates=_templates(),
        session_signer=CookieSigner(key, "session", SESSION_HOURS * 60 * 60),
        form_signer=CookieSigner(key, "form", FORM_COOKIE_SECONDS),
    )
    app.add_middleware(SecurityHeaders)
    return app

"""The web chat's routes: the chat page, kiosk mode, and the few calls the page makes.

The page talks to Rasa's REST channel directly; this app serves the page and its files, and
does the things the browser must not do alone: forgetting a conversation in Rasa's tracker
store, checking drop-in codes, making carry-on codes, and printing posters.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings, get_settings
from bot.languages import LANGUAGE_NAMES, TRANSLATED_LANGUAGES
from bot.store import dropin as dropin_store
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import session_scope
from bot.store.translations import words_for
from bot.webchat.assist import assist_token
from bot.webchat.attempts import AttemptLimiter
from bot.webchat.carry_on import (
    current_consultation,
    make_carry_on_code,
    qr_data_uri,
    sender_for_code,
    telegram_link,
)
from bot.webchat.poster import render_poster
from bot.webchat.tracker import forget_conversation
from bot.webchat.words import PAGE_WORDS

HERE = Path(__file__).resolve().parent
SENDER_PATTERN = re.compile(r"web-[0-9a-f]{32}")
#: How long the "Are you still there?" warning waits before a kiosk clears (WCAG 2.2.1: at
#: least 20 seconds, and one tap to carry on).
WARNING_SECONDS = 60


def _base(request: Request) -> str:
    """Where this app is mounted, e.g. "/chat"."""
    return request.scope.get("root_path", "").rstrip("/")


def _public_root(request: Request, settings: Settings) -> str:
    """The address people's phones use: SAYSO_PUBLIC_URL, else the one this page came from."""
    if settings.public_url:
        return settings.public_url
    return f"{request.url.scheme}://{request.url.netloc}"


def _rasa_url(request: Request, settings: Settings) -> str:
    """Rasa as the browser reaches it: SAYSO_WEBCHAT_RASA_URL, else this host on Rasa's port."""
    if settings.webchat_rasa_url:
        return settings.webchat_rasa_url
    host = request.url.hostname or "localhost"
    host = f"[{host}]" if ":" in host else host
    return f"{request.url.scheme}://{host}:{settings.rasa_port}"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _security_headers(connect_to: str = "") -> dict[str, str]:
    """Only this app's own files run, and the page may talk only to itself and to Rasa."""
    connect = f"'self' {connect_to}".strip()
    return {
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src {connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


async def _json_body(request: Request) -> dict[str, object]:
    """The JSON object a page call sent, or {} for anything else (never a crash)."""
    try:
        data = json.loads(await request.body())
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _sender(data: dict[str, object]) -> str | None:
    sender = data.get("sender")
    return sender if isinstance(sender, str) and SENDER_PATTERN.fullmatch(sender) else None


def _error(key: str, status: int) -> JSONResponse:
    """A failure the page explains in the person's language, by the word's key."""
    return JSONResponse({"error": key}, status_code=status)


class WebChat:
    """The routes, sharing one template set and the wrong-code limits."""

    def __init__(self) -> None:
        self.templates = Jinja2Templates(directory=HERE / "templates")
        self.limiter = AttemptLimiter()

    def page(self, request: Request, kiosk: bool) -> Response:
        settings = get_settings()
        base = _base(request)
        rasa_url = _rasa_url(request, settings)
        words_json = json.dumps(PAGE_WORDS, ensure_ascii=False).replace("<", "\\u003c")
        origin = urlsplit(rasa_url)
        return self.templates.TemplateResponse(
            request,
            "chat.html",
            {
                "mode": "kiosk" if kiosk else "personal",
                "kiosk": kiosk,
                "base": base,
                "static": f"{base}/static",
                "rasa_url": rasa_url,
                "idle_seconds": settings.kiosk_idle_seconds,
                "warning_seconds": WARNING_SECONDS,
                "words": PAGE_WORDS["en"],
                "page_words_json": words_json,
                "languages": list(LANGUAGE_NAMES.items()),
            },
            headers=_security_headers(f"{origin.scheme}://{origin.netloc}"),
        )

    async def chat(self, request: Request) -> Response:
        return self.page(request, kiosk=False)

    async def kiosk(self, request: Request) -> Response:
        return self.page(request, kiosk=True)

    async def clear(self, request: Request) -> Response:
        """Forget a web chat conversation in Rasa, so the tracker holds none of its words."""
        sender = _sender(await _json_body(request))
        if sender is None:
            return _error("bad_sender", 400)
        forget_conversation(get_settings().tracker_url, sender)
        return JSONResponse({"cleared": True})

    async def assist(self, request: Request) -> Response:
        """Check a drop-in code and sign a token that marks this chat's answers as assisted."""
        client = _client(request)
        if self.limiter.blocked(client):
            return _error("code_wrong", 429)
        data = await _json_body(request)
        sender = _sender(data)
        code = data.get("code")
        if sender is None or not isinstance(code, str):
            return _error("code_wrong", 400)
        with session_scope() as session:
            label = dropin_store.label_for_dropin_code(session, code)
        if label is None:
            self.limiter.failed(client)
            return _error("code_wrong", 403)
        return JSONResponse({"label": label, "token": assist_token(get_settings(), label, sender)})

    async def carry_on(self, request: Request) -> Response:
        """A code and QR codes for carrying on on the person's own phone."""
        sender = _sender(await _json_body(request))
        if sender is None:
            return _error("later_failed", 400)
        settings = get_settings()
        with session_scope() as session:
            code = make_carry_on_code(session, settings, sender)
            slug = current_consultation(session, settings, sender)
        chat_url = f"{_public_root(request, settings)}{_base(request)}/"
        telegram_url = telegram_link(settings, slug)
        return JSONResponse(
            {
                "code": dropin_store.display_code(code),
                "url": chat_url,
                "qr": qr_data_uri(f"{chat_url}?code={code}"),
                "telegram_url": telegram_url,
                "telegram_qr": qr_data_uri(telegram_url) if telegram_url else None,
            }
        )

    async def resume(self, request: Request) -> Response:
        """The web chat id for a carry-on code, so a phone continues the same conversation."""
        client = _client(request)
        if self.limiter.blocked(client):
            return _error("resume_wrong", 429)
        code = (await _json_body(request)).get("code")
        if not isinstance(code, str):
            return _error("resume_wrong", 400)
        with session_scope() as session:
            sender = sender_for_code(session, get_settings(), code)
        if sender is None:
            self.limiter.failed(client)
            return _error("resume_wrong", 404)
        return JSONResponse({"sender": sender})

    async def poster(self, request: Request) -> Response:
        settings = get_settings()
        with session_scope() as session:
            consultation = get_consultation_by_slug(session, request.path_params["slug"])
            if consultation is None:
                return HTMLResponse(
                    "<!doctype html><html lang='en'><title>Not found</title>"
                    "<main><h1>There is no consultation with that name</h1></main></html>",
                    status_code=404,
                    headers=_security_headers(),
                )
            translations = {
                code: words_for(session, consultation, code) for code in TRANSLATED_LANGUAGES
            }
            html = render_poster(
                self.templates.env,
                consultation,
                translations,
                settings,
                chat_url=f"{_public_root(request, settings)}{_base(request)}/",
                stylesheet=f"{_base(request)}/static/poster.css",
            )
        return HTMLResponse(html, headers=_security_headers())


class StaticHeaders:
    """Static files get the same safety headers, and may be cached for a day."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"cache-control", b"public, max-age=86400"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app() -> Starlette:
    chat = WebChat()
    static = StaticHeaders(StaticFiles(directory=HERE / "static"))
    return Starlette(
        routes=[
            Route("/", chat.chat),
            Route("/kiosk", chat.kiosk),
            Route("/clear", chat.clear, methods=["POST"]),
            Route("/assist", chat.assist, methods=["POST"]),
            Route("/carry-on", chat.carry_on, methods=["POST"]),
            Route("/resume", chat.resume, methods=["POST"]),
            Route("/poster/{slug}", chat.poster),
            Mount("/static", app=static),
        ],
        middleware=[Middleware(GZipMiddleware, minimum_size=500)],
    )

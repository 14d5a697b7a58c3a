"""Who is asking, and the one place every staff request is let in or turned away.

Each page handler is wrapped by `page` and each API handler by `api`. The wrapper opens the
database session, finds the logged-in account (from the signed session cookie, or from a
bearer token for the API), checks the CSRF token on every form post, and only then calls the
handler, off the event loop so the web chat in the same process stays responsive. A handler
cannot forget a check, because it never runs without them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import jinja2
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.config import Settings
from bot.consultations.loader import ConsultationError
from bot.staff.description import query_options
from bot.staff.operations import NotAllowed, NotFound, may_see_originals
from bot.staff.security import (
    CookieSigner,
    cookies_must_be_secure,
    digest,
    new_secret,
    same_secret,
)
from bot.store import staff_accounts
from bot.store.database import session_scope
from bot.store.schema import StaffAccount, StaffSession, utcnow
from bot.themes.shaping import ShapingError

log = logging.getLogger(__name__)

SESSION_COOKIE = "sayso_staff_session"
FORM_COOKIE = "sayso_staff_form"
SESSION_HOURS = 8
FORM_COOKIE_SECONDS = 2 * 60 * 60
MAX_JSON_BYTES = 1_000_000


@dataclass
class StaffContext:
    """What every request shares: settings, database, templates and cookie signers."""

    settings: Settings
    engine: Engine
    templates: jinja2.Environment
    session_signer: CookieSigner
    form_signer: CookieSigner

    def render(
        self, request: Request, template: str, status: int = 200, **values: Any
    ) -> HTMLResponse:
        base = base_path(request)
        page_values = {
            "base": base,
            "assets": f"{base}/assets",
            "static": f"{base}/static",
            "path": request.url.path,
            "account": None,
            "csrf_token": "",
            **values,
        }
        html = self.templates.get_template(template).render(**page_values)
        return HTMLResponse(html, status_code=status)

    def error_page(self, request: Request, status: int, title: str, message: str) -> HTMLResponse:
        """An error page that shows nothing but the message: safe to show anyone."""
        return self.render(request, "error.html", status=status, title=title, message=message)

    def secure_cookies(self, request: Request) -> bool:
        return cookies_must_be_secure(
            self.settings.staff_secure_cookies, request.headers.get("host", "")
        )

    def set_cookie(
        self, request: Request, response: Response, name: str, value: str, age: int
    ) -> None:
        response.set_cookie(
            name,
            value,
            max_age=age,
            path=f"{base_path(request)}/",
            httponly=True,
            samesite="lax",
            secure=self.secure_cookies(request),
        )

    def forget_cookie(self, request: Request, response: Response, name: str) -> None:
        response.delete_cookie(
            name,
            path=f"{base_path(request)}/",
            httponly=True,
            samesite="lax",
            secure=self.secure_cookies(request),
        )


@dataclass
class Visit:
    """One logged-in request: the account, its CSRF token and the open database session."""

    staff: StaffContext
    request: Request
    db: Session
    account: StaffAccount
    csrf_token: str
    form: FormData | None = None
    body: Any = None
    query: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return base_path(self.request)

    @property
    def settings(self) -> Settings:
        return self.staff.settings

    @property
    def may_see_originals(self) -> bool:
        return may_see_originals(self.settings, self.account)

    def field(self, name: str) -> str:
        return str(self.form.get(name) or "") if self.form is not None else ""

    def fields(self, name: str) -> list[str]:
        return [str(v) for v in self.form.getlist(name)] if self.form is not None else []

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        values.setdefault("may_see_originals", self.may_see_originals)
        values.setdefault("done", self.request.query_params.get("done", ""))
        return self.staff.render(
            self.request,
            template,
            status=status,
            **{**values, "account": self.account, "csrf_token": self.csrf_token},
        )

    def redirect(self, path: str, done: str = "") -> RedirectResponse:
        suffix = f"?done={quote(done)}" if done else ""
        return RedirectResponse(f"{self.base}{path}{suffix}", status_code=303)


def base_path(request: Request) -> str:
    """Where the staff app is mounted ("/staff"), so links work under any prefix."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def context_of(request: Request) -> StaffContext:
    return request.app.state.staff


# ---- pages ------------------------------------------------------------------------------------

PageHandler = Callable[[Visit], Response]


def page(handler: PageHandler) -> Callable[[Request], Any]:
    """A page only a logged-in account sees; form posts must carry the session's CSRF token."""

    async def endpoint(request: Request) -> Response:
        staff = context_of(request)
        form = await request.form() if request.method == "POST" else None
        try:
            return await run_in_threadpool(_serve_page, staff, request, form, handler)
        finally:
            if form is not None:
                await form.close()

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


def current_login(
    staff: StaffContext, db: Session, request: Request
) -> tuple[StaffSession, StaffAccount] | None:
    session_id = staff.session_signer.unsign(request.cookies.get(SESSION_COOKIE))
    if session_id is None:
        return None
    return staff_accounts.live_session(db, digest(session_id))


def start_login(staff: StaffContext, db: Session, account: StaffAccount) -> tuple[str, str]:
    """A new session for the account: (signed cookie value, CSRF token)."""
    session_id, csrf_token = new_secret(), new_secret()
    expires_at = utcnow() + timedelta(hours=SESSION_HOURS)
    staff_accounts.start_session(db, account, digest(session_id), csrf_token, expires_at)
    return staff.session_signer.sign(session_id), csrf_token


def _serve_page(
    staff: StaffContext, request: Request, form: FormData | None, handler: PageHandler
) -> Response:
    with session_scope(staff.engine) as db:
        login = current_login(staff, db, request)
        if login is None:
            return _to_login(request)
        staff_session, account = login
        if form is not None and not same_secret(staff_session.csrf_token, form.get("csrf_token")):
            return staff.error_page(
                request,
                403,
                "This form has run out of time",
                "Nothing was changed. Go back, reload the page and try again.",
            )
        visit = Visit(staff, request, db, account, staff_session.csrf_token, form=form)
        try:
            return handler(visit)
        except NotFound as error:
            return staff.error_page(request, 404, "Page not found", str(error))
        except NotAllowed as error:
            return staff.error_page(request, 403, "You cannot see this", str(error))


def _to_login(request: Request) -> RedirectResponse:
    target = request.url.path
    query = f"?next={quote(target)}" if request.method == "GET" else ""
    return RedirectResponse(f"{base_path(request)}/login{query}", status_code=303)


# ---- JSON API ---------------------------------------------------------------------------------

ApiHandler = Callable[[Visit], Any]


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def api(handler: ApiHandler) -> Callable[[Request], Any]:
    """An API call made with `Authorization: Bearer <token>`; JSON in, JSON out.

    The token is checked before the body is read as JSON, so a caller without one learns
    nothing from the API but that it needs a token."""

    async def endpoint(request: Request) -> Response:
        staff = context_of(request)
        raw = b""
        if request.method in ("POST", "PUT", "PATCH"):
            raw = await request.body()
            if len(raw) > MAX_JSON_BYTES:
                return _api_error(413, "The request is too big")
        return await run_in_threadpool(_serve_api, staff, request, raw, handler)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


def _api_error(
    status: int, message: str, problems: list[dict[str, str]] | None = None
) -> JSONResponse:
    content: dict[str, Any] = {"error": message}
    if problems:
        content["problems"] = problems
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(content, status_code=status, headers=headers)


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _json_body(raw: bytes) -> Any:
    """The body as JSON, None when empty; ValueError when it is not JSON (or nested so deep
    that reading it would exhaust Python's stack)."""
    try:
        return json.loads(raw) if raw.strip() else None
    except RecursionError:
        raise ValueError("nested too deep") from None


def _unknown_options(request: Request) -> str | None:
    """The first query option a call that takes options does not know, so a misspelt
    `orignals=true` is refused rather than quietly giving the default. A call with no options
    ignores any, as web caches and link checkers add their own."""
    route = request.scope.get("route")
    if route is None:
        return None
    known = query_options(route.path, request.method)
    if not known:
        return None
    return next((name for name in request.query_params if name not in known), None)


def _serve_api(staff: StaffContext, request: Request, raw: bytes, handler: ApiHandler) -> Response:
    token = _bearer_token(request)
    if token is None:
        return _api_error(401, "Send a token: Authorization: Bearer <token>")
    with session_scope(staff.engine) as db:
        account = staff_accounts.account_for_token(db, digest(token))
        if account is None:
            return _api_error(401, "That token is not known. Make one with `sayso staff token`")
        unknown = _unknown_options(request)
        if unknown is not None:
            reason = f"This call has no option called {unknown!r}"
            return _api_error(422, reason, [{"field": unknown, "reason": reason}])
        try:
            body = _json_body(raw)
        except ValueError:
            return _api_error(400, "The request body is not valid JSON")
        visit = Visit(staff, request, db, account, "", body=body)
        try:
            result = handler(visit)
        except NotFound as error:
            return _api_error(404, str(error))
        except NotAllowed as error:
            return _api_error(403, str(error))
        except ShapingError as error:
            db.rollback()
            return _api_error(422, error.message, [{"field": error.field, "reason": error.message}])
        except ConsultationError as error:
            db.rollback()
            problems = [{"field": p.field, "reason": p.reason} for p in error.problems]
            return _api_error(422, "The consultation has mistakes", problems)
        except ApiError as error:
            db.rollback()
            problems = [{"field": error.field, "reason": error.message}] if error.field else None
            return _api_error(error.status, error.message, problems)
        if isinstance(result, Response):
            return result
        return JSONResponse(result)

"""Logging in and out, with a rate limit on tries that survives a restart.

The login form is protected against cross-site posts before anyone is logged in: a signed
random value in a short-lived cookie, and a token derived from it in the form. Too many wrong
tries for one email, or from one address, and further tries are refused for a while, without
checking the password, so a locked account gives nothing away. Whether an email has an account
is never said: a wrong email and a wrong password get the same words, after the same work.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.staff.context import (
    FORM_COOKIE,
    FORM_COOKIE_SECONDS,
    SESSION_COOKIE,
    SESSION_HOURS,
    StaffContext,
    base_path,
    context_of,
    current_login,
    start_login,
)
from bot.staff.security import hash_password, needs_rehash, new_secret, same_secret, verify_password
from bot.store import staff_accounts
from bot.store.database import session_scope
from bot.store.schema import utcnow

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
KEEP_ATTEMPTS_FOR = timedelta(days=1)
MAX_EMAIL_CHARS = 254
MAX_PASSWORD_CHARS = 1024

WRONG_DETAILS = "Enter the email address and password of a staff account. One of them is not right."
TOO_MANY_TRIES = "There have been too many wrong tries. Wait 15 minutes, then try again."


async def login(request: Request) -> Response:
    staff = context_of(request)
    if request.method == "POST":
        form = await request.form()
        try:
            fields = {
                name: str(form.get(name) or "") for name in ("email", "password", "csrf_token")
            }
        finally:
            await form.close()
        return await run_in_threadpool(_try_login, staff, request, fields)
    return await run_in_threadpool(_show_login, staff, request)


def _show_login(staff: StaffContext, request: Request) -> Response:
    with session_scope(staff.engine) as db:
        if current_login(staff, db, request) is not None:
            return RedirectResponse(_safe_next(request), status_code=303)
    logged_out = request.query_params.get("done") == "logged-out"
    return _login_form(staff, request, message="You have logged out." if logged_out else "")


def _login_form(
    staff: StaffContext,
    request: Request,
    status: int = 200,
    error: str = "",
    email: str = "",
    message: str = "",
) -> Response:
    nonce = staff.form_signer.unsign(request.cookies.get(FORM_COOKIE)) or new_secret()
    response = staff.render(
        request,
        "login.html",
        status=status,
        title="Log in",
        error=error,
        email=email,
        message=message,
        next=_safe_next(request),
        form_token=staff.form_signer.token_for(nonce),
    )
    staff.set_cookie(
        request, response, FORM_COOKIE, staff.form_signer.sign(nonce), FORM_COOKIE_SECONDS
    )
    return response


def _safe_next(request: Request) -> str:
    """Where to go after logging in: only a page of this app, never another site."""
    base = base_path(request)
    wanted = request.query_params.get("next", "")
    own_page = wanted.startswith(f"{base}/") and not wanted.startswith("//")
    tricks = "\\" in wanted or ".." in wanted or wanted.startswith(f"{base}/log")
    if own_page and not tricks:
        return wanted
    return f"{base}/consultations"


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _try_login(staff: StaffContext, request: Request, fields: dict[str, str]) -> Response:
    nonce = staff.form_signer.unsign(request.cookies.get(FORM_COOKIE))
    if nonce is None or not same_secret(staff.form_signer.token_for(nonce), fields["csrf_token"]):
        return _login_form(
            staff, request, status=403, error="The form ran out of time. Log in again."
        )
    email = fields["email"].strip()[:MAX_EMAIL_CHARS]
    password = fields["password"][:MAX_PASSWORD_CHARS]
    if not email or not password:
        return _login_form(staff, request, status=400, error=WRONG_DETAILS, email=email)
    address = _client_address(request)
    with session_scope(staff.engine) as db:
        since = utcnow() - WINDOW
        if (
            staff_accounts.failures_for_email_since(db, email, since) >= MAX_FAILURES_PER_EMAIL
            or staff_accounts.failures_from_address_since(db, address, since)
            >= MAX_FAILURES_PER_ADDRESS
        ):
            return _login_form(staff, request, status=429, error=TOO_MANY_TRIES, email=email)
        account = staff_accounts.get_account_by_email(db, email)
        ok = verify_password(account.password_hash if account else None, password)
        staff_accounts.forget_login_attempts_before(db, utcnow() - KEEP_ATTEMPTS_FOR)
        staff_accounts.record_login_attempt(db, email, address, succeeded=ok)
        if ok and account is not None:
            if needs_rehash(account.password_hash):
                staff_accounts.set_password_hash(db, account, hash_password(password))
            cookie, _ = start_login(staff, db, account)
    if not ok or account is None:
        return _login_form(staff, request, status=401, error=WRONG_DETAILS, email=email)
    response = RedirectResponse(_safe_next(request), status_code=303)
    staff.set_cookie(request, response, SESSION_COOKIE, cookie, SESSION_HOURS * 60 * 60)
    staff.forget_cookie(request, response, FORM_COOKIE)
    return response


async def logout(request: Request) -> Response:
    staff = context_of(request)
    form = await request.form()
    try:
        token = str(form.get("csrf_token") or "")
    finally:
        await form.close()
    return await run_in_threadpool(_logout, staff, request, token)


def _logout(staff: StaffContext, request: Request, token: str) -> Response:
    with session_scope(staff.engine) as db:
        login = current_login(staff, db, request)
        if login is not None:
            staff_session, _ = login
            if not same_secret(staff_session.csrf_token, token):
                return staff.error_page(
                    request,
                    403,
                    "This form has run out of time",
                    "You are still logged in. Go back, reload the page and try again.",
                )
            staff_accounts.end_session(db, staff_session.id_hash)
    response = RedirectResponse(f"{base_path(request)}/login?done=logged-out", status_code=303)
    staff.forget_cookie(request, response, SESSION_COOKIE)
    return response

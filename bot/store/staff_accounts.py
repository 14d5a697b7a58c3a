"""Staff accounts, their browser sessions and API tokens, and the record of login attempts.

Secrets never reach this module in the clear: it stores the hashes the staff app gives it.
Expiry and rate-limit windows are compared inside SQL, so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.store.schema import (
    StaffAccount,
    StaffApiToken,
    StaffLoginAttempt,
    StaffSession,
    utcnow,
)

ROLES = ("staff", "admin")


def normalise_email(email: str) -> str:
    """One spelling per person: "Sam@Example.org " logs in as "sam@example.org"."""
    return email.strip().lower()


def get_account_by_email(session: Session, email: str) -> StaffAccount | None:
    return session.execute(
        select(StaffAccount).where(StaffAccount.email == normalise_email(email))
    ).scalar_one_or_none()


def get_account(session: Session, account_id: int) -> StaffAccount | None:
    return session.get(StaffAccount, account_id)


def save_account(session: Session, email: str, password_hash: str, role: str) -> StaffAccount:
    """Create the account, or give an existing one this password and role."""
    if role not in ROLES:
        raise ValueError(f"role must be one of: {', '.join(ROLES)}")
    account = get_account_by_email(session, email)
    if account is None:
        account = StaffAccount(email=normalise_email(email))
        session.add(account)
    account.password_hash = password_hash
    account.role = role
    session.flush()
    return account


def set_password_hash(session: Session, account: StaffAccount, password_hash: str) -> None:
    """Replace a hash made with older argon2 settings, after a successful login."""
    account.password_hash = password_hash


# ---- browser sessions -------------------------------------------------------------------------


def start_session(
    session: Session, account: StaffAccount, id_hash: str, csrf_token: str, expires_at: datetime
) -> StaffSession:
    row = StaffSession(
        id_hash=id_hash, account_id=account.id, csrf_token=csrf_token, expires_at=expires_at
    )
    session.add(row)
    session.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
    session.flush()
    return row


def live_session(session: Session, id_hash: str) -> tuple[StaffSession, StaffAccount] | None:
    """The session with this id hash and its account, unless it has expired."""
    row = session.execute(
        select(StaffSession, StaffAccount)
        .join(StaffAccount, StaffAccount.id == StaffSession.account_id)
        .where(StaffSession.id_hash == id_hash)
        .where(StaffSession.expires_at > utcnow())
    ).one_or_none()
    return (row[0], row[1]) if row else None


def end_session(session: Session, id_hash: str) -> None:
    session.execute(delete(StaffSession).where(StaffSession.id_hash == id_hash))


# ---- API tokens -------------------------------------------------------------------------------


def add_api_token(session: Session, account: StaffAccount, token_hash: str) -> StaffApiToken:
    token = StaffApiToken(account_id=account.id, token_hash=token_hash)
    session.add(token)
    session.flush()
    return token


def account_for_token(session: Session, token_hash: str) -> StaffAccount | None:
    """The account a token belongs to, noting when it was last used."""
    row = session.execute(
        select(StaffApiToken, StaffAccount)
        .join(StaffAccount, StaffAccount.id == StaffApiToken.account_id)
        .where(StaffApiToken.token_hash == token_hash)
    ).one_or_none()
    if row is None:
        return None
    token, account = row
    token.last_used_at = utcnow()
    return account


# ---- login attempts ---------------------------------------------------------------------------


def record_login_attempt(session: Session, email: str, ip_address: str, succeeded: bool) -> None:
    session.add(
        StaffLoginAttempt(
            email=normalise_email(email)[:254], ip_address=ip_address[:64], succeeded=succeeded
        )
    )


def forget_login_attempts_before(session: Session, moment: datetime) -> None:
    session.execute(delete(StaffLoginAttempt).where(StaffLoginAttempt.attempted_at < moment))


def failures_for_email_since(session: Session, email: str, since: datetime) -> int:
    """Failed tries for this email since `since`, not counting any before its last success."""
    email = normalise_email(email)
    last_success = session.execute(
        select(func.max(StaffLoginAttempt.attempted_at))
        .where(StaffLoginAttempt.email == email)
        .where(StaffLoginAttempt.succeeded.is_(True))
    ).scalar_one()
    query = (
        select(func.count(StaffLoginAttempt.id))
        .where(StaffLoginAttempt.email == email)
        .where(StaffLoginAttempt.succeeded.is_(False))
        .where(StaffLoginAttempt.attempted_at >= since)
    )
    if last_success is not None:
        query = query.where(StaffLoginAttempt.attempted_at > last_success)
    return session.execute(query).scalar_one()


def failures_from_address_since(session: Session, ip_address: str, since: datetime) -> int:
    return session.execute(
        select(func.count(StaffLoginAttempt.id))
        .where(StaffLoginAttempt.ip_address == ip_address[:64])
        .where(StaffLoginAttempt.succeeded.is_(False))
        .where(StaffLoginAttempt.attempted_at >= since)
    ).scalar_one()

"""Codes for drop-in sessions: a worker's code that marks assisted answers, and carry-on codes.

Both kinds are short enough to type on a tablet and are never stored as typed. Drop-in codes
are argon2 hashes (a worker's code lasts for months); carry-on codes are keyed hashes, kept
for a few days at most.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.schema import CarryOnCode, DropInCode, utcnow

#: No 0/O, 1/I/L: letters and digits people do not mix up when they read a code aloud.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
LABEL_PREFIX = "drop-in worker"
CARRY_ON_LIFETIME = timedelta(days=7)

_hasher = PasswordHasher()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as stored: "abcd-2345 " and "ABCD2345" are the same code."""
    return "".join(char for char in typed.upper() if char.isalnum())


def display_code(code: str) -> str:
    """Split in two halves, easier to read out: ABCD-2345."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


# ---- drop-in codes ------------------------------------------------------------------------------


def _next_label(session: Session) -> str:
    """drop-in worker A, B, ... Z, then AA, AB: letters, so a label never points at a person."""
    used = set(session.execute(select(DropInCode.label)).scalars())
    letters = list(string.ascii_uppercase)
    candidates = letters + [first + second for first in letters for second in letters]
    return next(
        f"{LABEL_PREFIX} {name}" for name in candidates if f"{LABEL_PREFIX} {name}" not in used
    )


def create_dropin_code(session: Session, label: str | None = None) -> tuple[str, str]:
    """Make a new code; returns (label, code). The code is shown once and only its hash kept."""
    code = new_code()
    chosen = label.strip() if label and label.strip() else _next_label(session)
    existing = session.execute(
        select(DropInCode).where(DropInCode.label == chosen)
    ).scalar_one_or_none()
    if existing is None:
        existing = DropInCode(label=chosen)
        session.add(existing)
    existing.code_hash = _hasher.hash(code)
    existing.created_at = utcnow()
    existing.revoked_at = None
    session.flush()
    return chosen, code


def revoke_dropin_code(session: Session, label: str) -> bool:
    code = session.execute(select(DropInCode).where(DropInCode.label == label)).scalar_one_or_none()
    if code is None or code.revoked_at is not None:
        return False
    code.revoked_at = utcnow()
    return True


def active_dropin_labels(session: Session) -> list[str]:
    return list(
        session.execute(
            select(DropInCode.label).where(DropInCode.revoked_at.is_(None)).order_by(DropInCode.id)
        ).scalars()
    )


def label_for_dropin_code(session: Session, typed: str) -> str | None:
    """The label of the live code that matches what was typed, or None."""
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH:
        return None
    rows = session.execute(select(DropInCode).where(DropInCode.revoked_at.is_(None))).scalars()
    for row in rows:
        try:
            if _hasher.verify(row.code_hash, code):
                return row.label
        except (VerificationError, InvalidHashError):
            continue
    return None


# ---- carry-on codes -----------------------------------------------------------------------------


def _carry_on_hash(code: str, key: bytes) -> str:
    return hmac.new(key, normalise_code(code).encode("utf-8"), hashlib.sha256).hexdigest()


def create_carry_on_code(
    session: Session, sender_secret: str, key: bytes, now: datetime | None = None
) -> str:
    """A new code for this (encrypted) web chat id; expired codes are cleared out."""
    moment = now or utcnow()
    session.execute(delete(CarryOnCode).where(CarryOnCode.expires_at < moment))
    code = new_code()
    session.add(
        CarryOnCode(
            code_hash=_carry_on_hash(code, key),
            sender_secret=sender_secret,
            expires_at=moment + CARRY_ON_LIFETIME,
        )
    )
    session.flush()
    return code


def sender_for_carry_on_code(
    session: Session, typed: str, key: bytes, now: datetime | None = None
) -> str | None:
    """The encrypted web chat id for a live code, or None.

    A code works until it expires, not just once: a phone's link preview or a second scan must
    not use it up before the person gets there.
    """
    row = session.get(CarryOnCode, _carry_on_hash(typed, key))
    if row is None:
        return None
    moment = now or utcnow()
    expires_at = row.expires_at
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=moment.tzinfo)
    if expires_at < moment:
        return None
    return row.sender_secret

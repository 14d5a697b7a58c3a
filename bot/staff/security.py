"""Passwords, secrets, signed cookies and CSRF tokens for the staff app.

Passwords are hashed with argon2 (argon2-cffi's recommended settings). Session ids and API
tokens are long random strings, so a fast SHA-256 hash is enough to keep them useless if the
database leaks. Cookies are signed with the installation's session key, so a cookie that was
tampered with or made up is simply not recognised.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

MIN_PASSWORD_CHARS = 12
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A real hash to check against when no account matches, so a wrong email takes as long
    to refuse as a wrong password and the timing does not say which emails exist."""
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _stand_in_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why a new password will not do, or None when it is fine."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"Use at least {MIN_PASSWORD_CHARS} characters"
    if not password.strip():
        return "Use letters, numbers or symbols, not just spaces"
    return None


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The hash under which a session id or API token is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


class CookieSigner:
    """Signs and checks cookie values; a value older than `max_age_seconds` is refused."""

    def __init__(self, key: str, purpose: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt=f"sayso-staff-{purpose}")
        self._key = key.encode("utf-8")
        self.max_age_seconds = max_age_seconds

    def sign(self, value: str) -> str:
        return self._serializer.dumps(value)

    def unsign(self, signed: str | None) -> str | None:
        if not signed:
            return None
        try:
            value = self._serializer.loads(signed, max_age=self.max_age_seconds)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def token_for(self, value: str) -> str:
        """A CSRF token bound to a signed value, for forms shown before anyone logs in."""
        return hmac.new(self._key, f"form:{value}".encode(), hashlib.sha256).hexdigest()


def cookies_must_be_secure(setting: str, host: str) -> bool:
    """`auto` sends cookies over HTTPS only, except to this machine over plain http."""
    if setting in ("true", "yes", "1", "on"):
        return True
    if setting in ("false", "no", "0", "off"):
        return False
    hostname = host[1:].split("]")[0] if host.startswith("[") else host.split(":")[0]
    return hostname.lower() not in LOCAL_HOSTS

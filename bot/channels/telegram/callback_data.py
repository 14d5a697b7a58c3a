"""Button payloads as Telegram callback data, which may be at most 64 bytes.

A short payload (`/affirm`, most `/choose{...}`) is sent as it is. A longer one is sent as
`#` and a 20-character hash of it, and the payload is kept in the database under that hash.
The hash of a payload never changes, so the same button always gets the same data.
"""

from __future__ import annotations

import base64
import hashlib

LIMIT_BYTES = 64
TOKEN_PREFIX = "#"


def token_for(payload: str) -> str:
    digest = hashlib.sha256(payload.encode("utf-8")).digest()[:15]
    return TOKEN_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")


def encode(payload: str) -> tuple[str, bool]:
    """Callback data for a payload, and whether the payload must be stored under it."""
    if payload.startswith("/") and len(payload.encode("utf-8")) <= LIMIT_BYTES:
        return payload, False
    return token_for(payload), True


def is_token(data: str) -> bool:
    return data.startswith(TOKEN_PREFIX)

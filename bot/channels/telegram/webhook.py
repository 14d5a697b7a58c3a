"""Checks on what arrives at the webhook, before anything is recorded.

Telegram sends the secret token given to setWebhook in a header with every update; anything
without it is refused, so nobody else can post updates in a person's name.
"""

from __future__ import annotations

import hmac
import json
from typing import Any, TypeGuard

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's ids fit in a signed 64-bit integer, as does every integer the database holds.
_LARGEST_ID = 2**63 - 1


def is_telegram_id(value: object) -> TypeGuard[int]:
    """A whole number the database can keep: anything else cannot be a real update or chat."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and -_LARGEST_ID - 1 <= value <= _LARGEST_ID
    )


def secret_matches(given: str | None, expected: str) -> bool:
    """Compare in constant time; with no secret configured, nothing matches."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def parse_update_json(body: bytes) -> dict[str, Any] | None:
    """The update as a dict, or None if the body is not a JSON object with an update id.

    JSON nested too deep for Python's parser is refused like any other body that is not JSON.
    """
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or not is_telegram_id(data.get("update_id")):
        return None
    return data

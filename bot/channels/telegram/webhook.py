"""Checks on what arrives at the webhook, before anything is recorded.

Telegram sends the secret token given to setWebhook in a header with every update; anything
without it is refused, so nobody else can post updates in a person's name.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def secret_matches(given: str | None, expected: str) -> bool:
    """Compare in constant time; with no secret configured, nothing matches."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def parse_update_json(body: bytes) -> dict[str, Any] | None:
    """The update as a dict, or None if the body is not a JSON object with an update id."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return None
    return data

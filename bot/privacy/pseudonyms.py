"""Pseudonymous participant ids: a keyed hash of channel and channel user id.

A plain hash of a Telegram id could be reversed by trying every id; with a secret key it cannot.
"""

from __future__ import annotations

import hashlib
import hmac


class MissingKeyError(RuntimeError):
    """Raised when setup has not written the participant id key."""


def participant_id(channel: str, channel_user_id: str, key: bytes) -> str:
    """A stable pseudonym for this person on this channel."""
    if not key:
        raise MissingKeyError(
            "SAYSO_PARTICIPANT_ID_KEY is not set. "
            "Run `make run` or `make setup` to create var/secrets.env."
        )
    message = f"{channel}:{channel_user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()

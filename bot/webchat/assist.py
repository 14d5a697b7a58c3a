"""Proof that a drop-in worker is helping, carried with each web chat message to Rasa.

When a worker types a valid drop-in code, the web app signs a short-lived token naming the
code's label and the web chat id. The browser sends it as Rasa message `metadata`; the action
checks the signature before marking answers as assisted. A token cannot be made up in the
browser, and one tablet's token does not work for another conversation.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from itsdangerous import BadData, URLSafeTimedSerializer

from bot.config import Settings

METADATA_KEY = "assist"
#: A drop-in conversation takes minutes; a forgotten hand-back stops counting after two hours.
MAX_AGE_SECONDS = 2 * 60 * 60
_SALT = "sayso-assisted-answers"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    """Signed with a key derived from the installation key, used for nothing else."""
    secret = hmac.new(
        settings.participant_id_key, b"drop-in assistance", hashlib.sha256
    ).hexdigest()
    return URLSafeTimedSerializer(secret, salt=_SALT)


def assist_token(settings: Settings, label: str, sender_id: str) -> str:
    return _serializer(settings).dumps({"label": label, "sender": sender_id})


def assisted_by(settings: Settings, metadata: object, sender_id: str) -> str | None:
    """The worker label in the metadata, if its token is genuine, fresh and for this chat id."""
    if not isinstance(metadata, Mapping) or not settings.participant_id_key:
        return None
    token = metadata.get(METADATA_KEY)
    if not isinstance(token, str):
        return None
    try:
        data = _serializer(settings).loads(token, max_age=MAX_AGE_SECONDS)
    except BadData:
        return None
    if not isinstance(data, Mapping) or data.get("sender") != sender_id:
        return None
    label = data.get("label")
    return label if isinstance(label, str) and label else None

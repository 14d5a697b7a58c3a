"""Rasa's REST channel with every request checked before Rasa reads it.

The stock channel answers an empty or non-object body with a server error, and trusts the
client to name its own channel. Here a bad body gets a 400 with plain words, and the channel
name is fixed: a REST client cannot pass itself off as a Telegram user.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

#: Rasa's tracker keeps sender ids in a 255-character column.
MAX_SENDER_LENGTH = 255
#: Far beyond anything typed on a phone, small enough that one request cannot hog the server.
MAX_MESSAGE_LENGTH = 20_000
#: Channel names a REST client may give; anything else is recorded as plain "rest".
REST_CHANNEL_NAMES = frozenset({"rest", "webchat"})


def request_problem(body: Any) -> str | None:
    """What is wrong with a REST request body, in plain words, or None if it is fine."""
    if not isinstance(body, dict):
        return "Send a JSON object with a sender and a message."
    sender = body.get("sender")
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_LENGTH:
        return f"The sender must be text of 1 to {MAX_SENDER_LENGTH} characters."
    message = body.get("message")
    if not isinstance(message, str):
        return "The message must be text."
    if len(message) > MAX_MESSAGE_LENGTH:
        return f"The message is too long. Please keep it under {MAX_MESSAGE_LENGTH} characters."
    if not isinstance(body.get("metadata", {}), dict | None):
        return "The metadata must be a JSON object."
    return None


class SaysoRestInput(RestInput):
    """The REST channel at /webhooks/rest/webhook, with requests checked first."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_input_channel(self, req: Request) -> str:
        claimed = req.json.get("input_channel")
        return claimed if claimed in REST_CHANNEL_NAMES else self.name()

    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def check_body(request: Request) -> response.HTTPResponse | None:
            if request.method != "POST":
                return None
            problem = request_problem(request.json)
            if problem is not None:
                return response.json({"error": problem}, status=400)
            return None

        return blueprint

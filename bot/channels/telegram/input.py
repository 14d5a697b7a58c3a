"""The Rasa input channel: Telegram's webhook at /webhooks/telegram/webhook.

Registered in credentials.yml with no values: everything comes from settings (TELEGRAM_TOKEN,
TELEGRAM_SECRET_TOKEN...). Without a token the channel is off and the webhook answers 404,
so `make run` works with no Telegram at all.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.telegram.handling import TelegramHandler
from bot.channels.telegram.identity import CHANNEL
from bot.channels.telegram.webhook import SECRET_HEADER, parse_update_json, secret_matches
from bot.config import Settings, get_settings

logger = logging.getLogger(__name__)


class TelegramInput(InputChannel):
    """Sayso's Telegram channel (python-telegram-bot), in place of Rasa's built-in one."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        return cls(get_settings())

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        if not settings.telegram_token:
            logger.info("Telegram is off: TELEGRAM_TOKEN is not set.")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def converse(
            sender_id: str, text: str, metadata: dict[str, Any] | None
        ) -> list[dict[str, Any]]:
            collector = CollectingOutputChannel()
            await on_new_message(
                UserMessage(text, collector, sender_id, input_channel=CHANNEL, metadata=metadata)
            )
            return collector.messages

        handler = TelegramHandler(self.settings, converse) if self.settings.telegram_token else None
        webhook = Blueprint("sayso_telegram", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if handler else "off"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if handler is None:
                return response.json({"error": "Telegram is not set up here."}, status=404)
            given = request.headers.get(SECRET_HEADER)
            if not secret_matches(given, self.settings.telegram_secret_token):
                return response.json({"error": "Wrong or missing secret token."}, status=403)
            data = parse_update_json(request.body)
            if data is None:
                return response.json({"error": "Expected a Telegram update."}, status=400)
            await handler.accept(data)
            return response.json({"ok": True})

        @webhook.listener("after_server_start")
        async def resume(*_: Any) -> None:
            if handler is not None:
                resumed = await handler.recover()
                if resumed:
                    logger.info("Handling %d Telegram updates left from before a restart.", resumed)

        return webhook

"""Polling, for a small service with no public HTTPS address: fetch updates with getUpdates.

Each update is posted to Sayso's own webhook with the secret token, as Telegram would post it,
so polling and webhooks share one path. The offset moves past an update only after the
webhook took it, so no update is lost while the Rasa server starts or restarts.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from typing import Any

import httpx
from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from bot.channels.telegram.bot_api import LONG_POLL_SECONDS
from bot.channels.telegram.updates import seconds
from bot.channels.telegram.webhook import SECRET_HEADER

logger = logging.getLogger(__name__)

#: The kinds of update Sayso handles; Telegram sends no others.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
LONGEST_WAIT_SECONDS = 30.0


class Poller:
    def __init__(
        self,
        bot: Bot,
        webhook_url: str,
        secret: str,
        long_poll_seconds: int = LONG_POLL_SECONDS,
    ) -> None:
        self.bot = bot
        self.webhook_url = webhook_url
        self.secret = secret
        self.long_poll_seconds = long_poll_seconds

    async def run(self, stop: asyncio.Event) -> None:
        offset: int | None = None
        async with httpx.AsyncClient(timeout=30) as client:
            while not stop.is_set():
                for update in await self._fetch(offset):
                    if not await self._deliver(client, update, stop):
                        return
                    offset = int(update["update_id"]) + 1

    async def _fetch(self, offset: int | None) -> list[dict[str, Any]]:
        """Updates exactly as Telegram sent them.

        Raw JSON, so even a kind this library cannot read yet reaches the webhook (which
        answers it kindly) instead of stopping the polling.
        """
        arguments: dict[str, Any] = {
            "timeout": self.long_poll_seconds,
            "allowed_updates": ALLOWED_UPDATES,
        }
        if offset is not None:
            arguments["offset"] = offset
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PTBUserWarning)
                result = await self.bot.do_api_request(
                    "getUpdates", api_kwargs=arguments, read_timeout=self.long_poll_seconds + 10
                )
        except RetryAfter as error:
            await asyncio.sleep(seconds(error, "retry_after") or 1.0)
        except Conflict:
            logger.warning("Telegram has a webhook set, or another process polls; waiting.")
            await asyncio.sleep(5)
        except InvalidToken:
            logger.error("The Bot API refused TELEGRAM_TOKEN; trying again in a minute.")
            await asyncio.sleep(60)
        except TelegramError as error:
            logger.warning("getUpdates failed (%s); trying again.", error)
            await asyncio.sleep(2)
        else:
            return [
                item
                for item in result or []
                if isinstance(item, dict) and isinstance(item.get("update_id"), int)
            ]
        return []

    async def _deliver(
        self, client: httpx.AsyncClient, update: dict[str, Any], stop: asyncio.Event
    ) -> bool:
        """Post the update until the webhook takes it. False if told to stop first."""
        wait = 0.5
        while not stop.is_set():
            try:
                answer = await client.post(
                    self.webhook_url, json=update, headers={SECRET_HEADER: self.secret}
                )
            except httpx.HTTPError:
                answer = None
            if answer is not None and (answer.is_success or answer.status_code == 400):
                if answer.status_code == 400:
                    logger.warning(
                        "The webhook refused update %s as malformed.", update.get("update_id")
                    )
                return True
            if answer is not None and answer.status_code == 403:
                logger.error("The webhook refused the secret. Check TELEGRAM_SECRET_TOKEN.")
            await asyncio.sleep(wait)
            wait = min(wait * 2, LONGEST_WAIT_SECONDS)
        return False

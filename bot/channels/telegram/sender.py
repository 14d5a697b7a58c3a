"""The one Telegram sender: works through the outbox within Telegram's limits.

Each chat's messages go out in the order they were queued, one at a time; different chats are
served side by side, all within the limits in `rate_limits`. What Telegram answers decides
what happens next:

* 429 with `retry_after`: pause all sending that long, then try again (not counted as a try).
* 403 (the person blocked the bot): mark them unreachable and drop what is queued for them.
* 5xx, timeouts, network faults: try again later, waiting twice as long each time.
* 400 (e.g. buttons already gone): record the failure; trying again would not help.

A restart loses nothing: queued rows stay queued, and a row being sent when the process
stopped is queued again (so it may, rarely, arrive twice; it is never lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyKeyboardRemove
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.channels.telegram.identity import CHANNEL
from bot.channels.telegram.outgoing import take_buttons_away
from bot.channels.telegram.rate_limits import TELEGRAM_LIMITS, Limits, SendingLimits
from bot.channels.telegram.updates import seconds
from bot.privacy.cipher import Cipher
from bot.store import outbox, telegram_addresses, telegram_buttons
from bot.store.database import session_scope
from bot.store.schema import utcnow

logger = logging.getLogger(__name__)

Result = TypeVar("Result")


@dataclass(frozen=True)
class RetryPolicy:
    """Waits between tries after a fault: 2 s, 4 s, 8 s... up to 10 minutes, 12 tries in all."""

    first_wait_seconds: float = 2.0
    longest_wait_seconds: float = 600.0
    max_attempts: int = 12

    def wait_after(self, attempts: int) -> float:
        wait = self.first_wait_seconds * 2 ** max(attempts - 1, 0)
        return min(wait, self.longest_wait_seconds) * random.uniform(0.8, 1.2)


class NoAddressError(Exception):
    """There is nowhere to send: no address kept, or the person blocked the bot."""


def reply_markup(body: dict[str, Any]) -> InlineKeyboardMarkup | ReplyKeyboardRemove | None:
    """One button a row, so each is big enough to tap; or take away a reply keyboard."""
    if body.get("buttons"):
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(title, callback_data=data)] for title, data in body["buttons"]]
        )
    if body.get("remove_keyboard"):
        return ReplyKeyboardRemove()
    return None


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        engine: Engine,
        cipher: Cipher,
        limits: Limits = TELEGRAM_LIMITS,
        retry: RetryPolicy | None = None,
        poll_seconds: float = 0.1,
        chats_at_once: int = 64,
    ) -> None:
        self.bot = bot
        self.engine = engine
        self.cipher = cipher
        self.limits = SendingLimits(limits)
        self.retry = retry or RetryPolicy()
        self.poll_seconds = poll_seconds
        self.chats_at_once = chats_at_once
        self._serving: dict[str, asyncio.Task[None]] = {}

    # ---- the loop ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Send until `stop` is set, picking up rows that other processes queue too."""
        released = await self._db(outbox.release_interrupted, CHANNEL)
        if released:
            logger.info("Sending %d Telegram messages interrupted by a restart.", released)
        try:
            while not stop.is_set():
                await self.serve_due_chats()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.poll_seconds)
        finally:
            await self._stop_serving()

    async def run_until_done(self, timeout: float) -> None:
        """Send until nothing is left to send (used by tests and the benchmark)."""
        stop = asyncio.Event()
        runner = asyncio.create_task(self.run(stop))
        try:
            async with asyncio.timeout(timeout):
                while await self._db(outbox.count_unfinished, CHANNEL):
                    await asyncio.sleep(self.poll_seconds)
        finally:
            stop.set()
            await runner

    async def serve_due_chats(self) -> None:
        room = self.chats_at_once - len(self._serving)
        if room <= 0:
            return
        due = await self._db(outbox.due_recipients, CHANNEL, utcnow(), room, list(self._serving))
        for recipient in due:
            task = asyncio.create_task(self._serve(recipient))
            self._serving[recipient] = task
            task.add_done_callback(lambda _, chat=recipient: self._serving.pop(chat, None))

    async def _stop_serving(self) -> None:
        tasks = list(self._serving.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _serve(self, recipient: str) -> None:
        """Send one chat's due messages in order, until none is due."""
        row = None
        try:
            while True:
                row = await self._db(outbox.claim_next, CHANNEL, recipient, utcnow())
                if row is None:
                    return
                await self.send(row)
                row = None
        except Exception:
            logger.exception("The Telegram sender stopped serving a chat; it will try again.")
            if row is not None:
                with contextlib.suppress(Exception):
                    await self._retry(row, self.retry.first_wait_seconds, "sender fault")

    # ---- one message ------------------------------------------------------------------------

    async def send(self, row: outbox.Claimed) -> None:
        try:
            chat_id = await self._address(row)
        except NoAddressError:
            await self._db(outbox.mark_recipient_unreachable, CHANNEL, row.recipient, "no address")
            return
        await self.limits.wait_turn(row.recipient, row.method)
        try:
            result = await self._call(row, chat_id)
        except RetryAfter as error:
            wait = seconds(error, "retry_after") or 1.0
            self.limits.pause(wait)
            await self._retry(row, wait, f"429: {error}", count_attempt=False)
        except Forbidden as error:
            await self._db(self._unreachable, row.recipient, f"403: {error}")
        except (BadRequest, ChatMigrated) as error:
            await self._db(outbox.mark_failed, row.id, f"400: {error}")
        except InvalidToken as error:
            logger.error("The Bot API refused the token. Check TELEGRAM_TOKEN.")
            await self._retry(row, self.retry.longest_wait_seconds, str(error), count_attempt=False)
        except (NetworkError, TelegramError) as error:
            await self._after_fault(row, str(error))
        else:
            await self._db(self._sent, row, result)

    async def _address(self, row: outbox.Claimed) -> int:
        if row.address:
            return self.cipher.open_chat(row.address)
        chat_id = await self._db(telegram_addresses.address_of, row.recipient, self.cipher)
        if chat_id is None:
            raise NoAddressError(row.recipient)
        return chat_id

    async def _call(self, row: outbox.Claimed, chat_id: int) -> Message | bool:
        body = row.body
        if row.method == "sendMessage":
            return await self.bot.send_message(
                chat_id=chat_id, text=body["text"], reply_markup=reply_markup(body)
            )
        if row.method == "editMessageReplyMarkup":
            return await self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=body["message_id"]
            )
        if row.method == "answerCallbackQuery":
            return await self.bot.answer_callback_query(body["callback_query_id"])
        raise BadRequest(f"Sayso cannot send {row.method!r} to Telegram.")

    async def _retry(
        self, row: outbox.Claimed, wait: float, error: str, count_attempt: bool = True
    ) -> None:
        at = utcnow() + timedelta(seconds=wait)
        await self._db(outbox.retry_later, row.id, at, error, count_attempt)

    async def _after_fault(self, row: outbox.Claimed, error: str) -> None:
        if row.attempts >= self.retry.max_attempts:
            logger.warning("A Telegram message failed %d times; giving up.", row.attempts)
            await self._db(outbox.mark_failed, row.id, error)
            return
        await self._retry(row, self.retry.wait_after(row.attempts), error)

    def _sent(self, session: Session, row: outbox.Claimed, result: Message | bool) -> None:
        """Record the send; a new set of buttons makes the chat's older buttons go away."""
        outbox.mark_sent(session, row.id)
        if row.method != "sendMessage" or not row.body.get("buttons"):
            return
        if not isinstance(result, Message):
            return
        older = telegram_buttons.set_live_keyboard(session, row.recipient, result.message_id)
        if older is not None and older != result.message_id:
            outbox.enqueue(
                session,
                CHANNEL,
                row.recipient,
                [take_buttons_away(row.recipient, older)],
                row.address,
            )

    @staticmethod
    def _unreachable(session: Session, recipient: str, error: str) -> None:
        outbox.mark_recipient_unreachable(session, CHANNEL, recipient, error)
        telegram_addresses.mark_unreachable(session, recipient)

    # ---- database ---------------------------------------------------------------------------

    async def _db(self, work: Callable[..., Result], *arguments: Any) -> Result:
        return await asyncio.to_thread(self._in_session, work, *arguments)

    def _in_session(self, work: Callable[..., Result], *arguments: Any) -> Result:
        with session_scope(self.engine) as session:
            return work(session, *arguments)

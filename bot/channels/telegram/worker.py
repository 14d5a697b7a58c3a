"""The Telegram worker process: sends the outbox, and polls when there is no public address.

`sayso run` starts it when TELEGRAM_TOKEN is set:
`uvicorn bot.channels.telegram.worker:create_app --factory`. At start it registers the
commands menu with setMyCommands, then either sets the webhook (TELEGRAM_WEBHOOK_URL, with the
secret token) or removes it and polls getUpdates. It answers /healthz at once, and keeps
trying in the background if the Bot API cannot be reached yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from telegram import Bot, BotCommand
from telegram.error import InvalidToken, TelegramError

from bot.channels.telegram.bot_api import make_bot
from bot.channels.telegram.commands import MENU
from bot.channels.telegram.poller import ALLOWED_UPDATES, Poller
from bot.channels.telegram.sender import OutboxSender
from bot.config import Settings, get_settings
from bot.privacy.cipher import Cipher
from bot.store import outbox, telegram_buttons, telegram_updates, voice_notes
from bot.store.database import get_engine, session_scope
from bot.store.schema import utcnow

logger = logging.getLogger(__name__)

WEBHOOK = "webhook"
POLLING = "polling"
HOUSEKEEPING_SECONDS = 3600
#: How long finished things are kept: long enough to look into a problem, no longer.
KEEP_SENT = timedelta(days=30)
KEEP_UPDATE_IDS = timedelta(days=2)
KEEP_BUTTON_PAYLOADS = timedelta(days=30)
KEEP_UNCLAIMED_VOICE = timedelta(hours=1)


def local_webhook_url(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.rasa_port}/webhooks/telegram/webhook"


def delivery_mode(settings: Settings) -> str:
    return WEBHOOK if settings.telegram_webhook_url else POLLING


async def configure_bot(bot: Bot, settings: Settings) -> str:
    """Register the commands menu and say where updates go. Returns the mode."""
    await bot.set_my_commands([BotCommand(name, description) for name, description in MENU])
    if delivery_mode(settings) == WEBHOOK:
        await bot.set_webhook(
            url=settings.telegram_webhook_url,
            secret_token=settings.telegram_secret_token,
            allowed_updates=ALLOWED_UPDATES,
        )
        return WEBHOOK
    await bot.delete_webhook(drop_pending_updates=False)
    return POLLING


def tidy_up(engine: Engine, retention_days: int) -> None:
    """Forget what is no longer needed; nothing still owed to anyone is touched.

    Voice notes are a person's own words, so they go after `SAYSO_RETENTION_DAYS`, as the
    original words of typed answers do.
    """
    now = utcnow()
    with session_scope(engine) as session:
        outbox.purge_finished(session, now - KEEP_SENT)
        telegram_updates.purge_handled(session, now - KEEP_UPDATE_IDS)
        telegram_buttons.purge_payloads(session, now - KEEP_BUTTON_PAYLOADS)
        voice_notes.purge_unclaimed(session, now - KEEP_UNCLAIMED_VOICE)
        voice_notes.purge_older_than(session, now - timedelta(days=retention_days))


async def keep_running(
    job: Callable[[asyncio.Event], Awaitable[None]], stop: asyncio.Event
) -> None:
    """Run a job until `stop`; if it fails, log why and start it again a little later."""
    while not stop.is_set():
        try:
            await job(stop)
        except Exception:
            logger.exception("A Telegram job failed; starting it again in 5 seconds.")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 5)


class TelegramWorker:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or get_engine()
        self.mode: str | None = None

    async def run(self, stop: asyncio.Event) -> None:
        bot = make_bot(self.settings)
        try:
            await self._connect(bot, stop)
            if stop.is_set():
                return
            sender = OutboxSender(bot, self.engine, Cipher(self.settings.address_key))
            jobs = [sender.run, self._tidy_regularly]
            if self.mode == POLLING:
                poller = Poller(
                    bot, local_webhook_url(self.settings), self.settings.telegram_secret_token
                )
                jobs.append(poller.run)
            await asyncio.gather(*(keep_running(job, stop) for job in jobs))
        finally:
            with contextlib.suppress(TelegramError, RuntimeError):
                await bot.shutdown()

    async def _connect(self, bot: Bot, stop: asyncio.Event) -> None:
        """Reach the Bot API and configure the bot, trying again until it works."""
        while not stop.is_set():
            try:
                await bot.initialize()
                self.mode = await configure_bot(bot, self.settings)
                logger.info("Telegram is on (%s).", self.mode)
                return
            except InvalidToken:
                logger.error("The Bot API refused TELEGRAM_TOKEN. Trying again in a minute.")
                wait = 60.0
            except TelegramError as error:
                logger.warning("Cannot reach the Bot API yet (%s). Trying again.", error)
                wait = 5.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)

    async def _tidy_regularly(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(tidy_up, self.engine, self.settings.retention_days)
            except Exception:
                logger.exception("Tidying Telegram data failed; it will run again later.")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), HOUSEKEEPING_SECONDS)


def create_app() -> Starlette:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    worker = TelegramWorker(get_settings())

    async def health(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "telegram": worker.mode or "connecting"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        yield
        stop.set()
        try:
            await asyncio.wait_for(task, 10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()

    return Starlette(routes=[Route("/healthz", health)], lifespan=lifespan)

"""python-telegram-bot's `Bot`, pointed at Telegram or at a local Bot API server.

`TELEGRAM_API_BASE_URL` is python-telegram-bot's `base_url`, e.g. http://localhost:8081/bot
for a local `telegram-bot-api` server; file downloads use the matching /file/bot address.
"""

from __future__ import annotations

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import Settings

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
#: Concurrent requests to the Bot API from one process (sends, file downloads).
CONNECTIONS = 64
#: How long getUpdates waits for news before it answers with none.
LONG_POLL_SECONDS = 25


def method_base_url(configured: str) -> str:
    """The base URL python-telegram-bot appends the token to, always ending in /bot."""
    base = (configured or TELEGRAM_BASE_URL).rstrip("/")
    return base if base.endswith("/bot") else f"{base}/bot"


def file_base_url(configured: str) -> str:
    """Where files are downloaded from: .../bot becomes .../file/bot."""
    return method_base_url(configured)[: -len("bot")] + "file/bot"


def make_bot(settings: Settings) -> Bot:
    """A Bot for this installation; call `await bot.initialize()` before using it."""
    return Bot(
        token=settings.telegram_token,
        base_url=method_base_url(settings.telegram_api_base_url),
        base_file_url=file_base_url(settings.telegram_api_base_url),
        request=HTTPXRequest(
            connection_pool_size=CONNECTIONS,
            connect_timeout=10,
            read_timeout=20,
            write_timeout=20,
            pool_timeout=20,
        ),
        get_updates_request=HTTPXRequest(
            connection_pool_size=1, connect_timeout=10, read_timeout=LONG_POLL_SECONDS + 10
        ),
    )

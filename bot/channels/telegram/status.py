"""One plain line for `sayso run` to say whether and how Telegram is on."""

from __future__ import annotations

from bot.config import Settings


def telegram_status(settings: Settings) -> str:
    if not settings.telegram_token:
        return "Telegram is off. To turn it on, set TELEGRAM_TOKEN (see README.md)."
    if settings.telegram_webhook_url:
        return f"Telegram is on. Telegram sends messages to {settings.telegram_webhook_url}"
    return "Telegram is on. Sayso fetches new messages from Telegram itself."

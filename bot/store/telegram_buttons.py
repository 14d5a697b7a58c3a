"""Telegram buttons: long payloads kept under short tokens, and which buttons still work.

Telegram allows 64 bytes of callback data, and a Sayso payload such as
`/choose{"option":"snacks-late-at-night","question":12}` can be longer. Such payloads are
sent as a short hash and looked up here when the button is tapped. Only the latest message
with buttons in each chat keeps them; the channel takes older ones away.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.schema import TelegramCallback, TelegramKeyboard, utcnow


def remember_payload(session: Session, token: str, payload: str) -> None:
    if session.get(TelegramCallback, token) is None:
        session.add(TelegramCallback(token=token, payload=payload))
        session.flush()


def payload_for(session: Session, token: str) -> str | None:
    found = session.get(TelegramCallback, token)
    return found.payload if found else None


def set_live_keyboard(session: Session, recipient: str, message_id: int) -> int | None:
    """Record the message whose buttons are now the current ones in this chat.

    Returns the message that had them before, whose buttons should be taken away.
    """
    keyboard = session.get(TelegramKeyboard, recipient)
    if keyboard is None:
        session.add(TelegramKeyboard(recipient=recipient, message_id=message_id))
        session.flush()
        return None
    older = int(keyboard.message_id)
    keyboard.message_id = message_id
    keyboard.updated_at = utcnow()
    session.flush()
    return older


def take_live_keyboard(session: Session, recipient: str) -> int | None:
    """The message whose buttons should now be taken away, forgetting it."""
    keyboard = session.get(TelegramKeyboard, recipient)
    if keyboard is None:
        return None
    message_id = int(keyboard.message_id)
    session.delete(keyboard)
    session.flush()
    return message_id


def purge_payloads(session: Session, before: datetime) -> int:
    """Forget long payloads made before `before`; their buttons are long gone."""
    result = session.execute(
        delete(TelegramCallback)
        .where(TelegramCallback.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount

"""Where to reach a person on Telegram later: their chat id, encrypted, keyed by participant.

Only people who asked to hear what happens have an address kept, and it can be deleted on its
own. Deleting the participant deletes it too (the foreign key cascades).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.privacy.cipher import Cipher
from bot.store.schema import TelegramAddress, utcnow


def save_address(session: Session, participant_id: str, chat_id: int, cipher: Cipher) -> None:
    """Keep (or refresh) the address. A person who writes to us again is reachable again."""
    address = session.get(TelegramAddress, participant_id)
    if address is None:
        address = TelegramAddress(participant_id=participant_id)
        session.add(address)
    address.chat = cipher.seal_chat(chat_id)
    address.unreachable_at = None
    address.updated_at = utcnow()
    session.flush()


def address_of(session: Session, participant_id: str, cipher: Cipher) -> int | None:
    """The chat id to send to, or None if there is none or the person blocked us."""
    address = session.get(TelegramAddress, participant_id)
    if address is None or address.unreachable_at is not None:
        return None
    return cipher.open_chat(address.chat)


def has_address(session: Session, participant_id: str) -> bool:
    found = session.execute(
        select(TelegramAddress.participant_id).where(
            TelegramAddress.participant_id == participant_id
        )
    ).scalar_one_or_none()
    return found is not None


def is_reachable(session: Session, participant_id: str) -> bool:
    address = session.get(TelegramAddress, participant_id)
    return address is not None and address.unreachable_at is None


def mark_unreachable(session: Session, participant_id: str) -> None:
    """Telegram said the person blocked the bot: stop trying until they write again."""
    address = session.get(TelegramAddress, participant_id)
    if address is not None and address.unreachable_at is None:
        address.unreachable_at = utcnow()
        session.flush()


def delete_address(session: Session, participant_id: str) -> bool:
    """Forget where to reach this person. Returns whether there was an address."""
    result = session.execute(
        delete(TelegramAddress).where(TelegramAddress.participant_id == participant_id)
    )
    return result.rowcount > 0

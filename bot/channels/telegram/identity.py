"""Who a Telegram chat is to Sayso: keyed hashes, never the chat id itself.

Rasa keeps a tracker per sender id, so the sender id handed to Rasa is a keyed hash of the
chat id. The participant id is then made from it exactly as for every other channel.
"""

from __future__ import annotations

from bot.privacy.pseudonyms import participant_id

CHANNEL = "telegram"


def chat_sender_id(chat_id: int, key: bytes) -> str:
    """The sender id Rasa sees for this chat."""
    return participant_id("telegram-chat", str(chat_id), key)


def chat_participant_id(chat_id: int, key: bytes) -> str:
    """The participant id the conversation uses for this chat (the action computes the same)."""
    return participant_id(CHANNEL, chat_sender_id(chat_id, key), key)

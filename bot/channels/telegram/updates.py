"""What a Telegram update asks of Sayso, read with python-telegram-bot's own types.

Sayso talks with one person at a time, in a private chat. Anything else gets a kind reply
that stores nothing, or no reply where one would do harm: messages from other bots (no reply
loops) and channel posts (not addressed to Sayso). Typed text is never read as a button
payload, so a person's words always reach the safeguarding check.
"""

from __future__ import annotations

import datetime as dtm
import warnings
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from telegram import CallbackQuery, ChatMemberUpdated, Message, MessageEntity, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.commands import PAYLOADS, command_payload
from bot.channels.telegram.webhook import is_telegram_id


class Kind(StrEnum):
    IGNORE = "ignore"
    #: A reply from domain.yml and nothing for Rasa (unless `text` is set too).
    NOTICE = "notice"
    #: Text, or a command's payload, for Rasa.
    MESSAGE = "message"
    #: A tapped button: `text` is its callback data.
    BUTTON = "button"
    #: A voice note to fetch and hand to the conversation.
    VOICE = "voice"
    #: The person blocked the bot.
    BLOCKED = "blocked"


@dataclass(frozen=True)
class VoiceFile:
    file_id: str
    mime_type: str
    duration_seconds: int | None
    size_bytes: int | None


@dataclass(frozen=True)
class Incoming:
    kind: Kind
    chat_id: int | None = None
    text: str = ""
    notice: str | None = None
    callback_query_id: str | None = None
    #: The message whose button was tapped; its buttons are taken away.
    keyboard_message_id: int | None = None
    #: The title of the tapped button, shown back to the person.
    picked: str | None = None
    voice: VoiceFile | None = None


def seconds(owner: object, attribute: str) -> float | None:
    """A duration python-telegram-bot gives as a number or a timedelta, in seconds."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = getattr(owner, attribute)
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return None if value is None else float(value)


def chat_id_in(data: dict[str, Any]) -> int | None:
    """The chat of an update's JSON, found without parsing all of it."""
    for key in ("message", "edited_message", "my_chat_member", "callback_query"):
        item = data.get(key)
        if key == "callback_query" and isinstance(item, dict):
            item = item.get("message")
        chat = item.get("chat") if isinstance(item, dict) else None
        if isinstance(chat, dict) and is_telegram_id(chat.get("id")):
            return int(chat["id"])
    return None


def read_unparsed(data: dict[str, Any]) -> Incoming:
    """An update python-telegram-bot cannot read, such as a kind newer than it knows.

    A person who sent it in a private chat still gets a kind reply.
    """
    message = data.get("message")
    if not isinstance(message, dict):
        return Incoming(Kind.IGNORE)
    chat = message.get("chat")
    sender = message.get("from")
    if not isinstance(chat, dict) or not isinstance(sender, dict):
        return Incoming(Kind.IGNORE)
    if chat.get("type") != ChatType.PRIVATE or sender.get("is_bot", True) is not False:
        return Incoming(Kind.IGNORE)
    return Incoming(Kind.NOTICE, chat_id_in(data), notice="utter_cannot_read_this")


def read_update(update: Update) -> Incoming:
    if update.callback_query is not None:
        return _read_button(update.callback_query)
    if update.message is not None:
        return _read_message(update.message)
    if update.edited_message is not None:
        return _read_edit(update.edited_message)
    if update.my_chat_member is not None:
        return _read_membership(update.my_chat_member)
    return Incoming(Kind.IGNORE)


def _read_button(query: CallbackQuery) -> Incoming:
    message = query.message
    if query.from_user.is_bot or message is None:
        return Incoming(Kind.IGNORE)
    chat = message.chat
    if chat.type != ChatType.PRIVATE:
        return Incoming(
            Kind.NOTICE, chat.id, notice="utter_private_chat_only", callback_query_id=query.id
        )
    return Incoming(
        Kind.BUTTON,
        chat.id,
        text=query.data or "",
        callback_query_id=query.id,
        keyboard_message_id=message.message_id,
        picked=_button_title(message, query.data),
    )


def _button_title(message: object, data: str | None) -> str | None:
    markup = getattr(message, "reply_markup", None)
    if markup is None or data is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def _read_message(message: Message) -> Incoming:
    sender = message.from_user
    if sender is None or sender.is_bot:
        return Incoming(Kind.IGNORE)
    chat = message.chat
    if chat.type != ChatType.PRIVATE:
        return Incoming(Kind.NOTICE, chat.id, notice="utter_private_chat_only")
    if message.text is not None:
        return Incoming(Kind.MESSAGE, chat.id, text=_text_for_rasa(message))
    if message.voice is not None:
        voice = message.voice
        duration = seconds(voice, "duration")
        return Incoming(
            Kind.VOICE,
            chat.id,
            voice=VoiceFile(
                file_id=voice.file_id,
                mime_type=voice.mime_type or "audio/ogg",
                duration_seconds=None if duration is None else round(duration),
                size_bytes=voice.file_size,
            ),
        )
    notice = _notice_for(message)
    if notice is None:
        return Incoming(Kind.IGNORE, chat.id)
    if message.caption:
        return Incoming(Kind.MESSAGE, chat.id, text=message.caption, notice=notice)
    return Incoming(Kind.NOTICE, chat.id, notice=notice)


def _text_for_rasa(message: Message) -> str:
    """A known command becomes its payload; any other leading slash is dropped."""
    text = message.text or ""
    commands = message.parse_entities([MessageEntity.BOT_COMMAND])
    for entity, command in commands.items():
        name = command.lstrip("/").split("@", 1)[0].lower()
        if entity.offset == 0 and name in PAYLOADS:
            return command_payload(command, text[len(command) :])
    words = text.lstrip("/").strip()
    return words if words else PAYLOADS["help"]


def _notice_for(message: Message) -> str | None:
    if message.sticker or message.photo or message.animation:
        return "utter_cannot_see_pictures"
    if message.document or message.video or message.video_note or message.audio:
        return "utter_cannot_open_files"
    if message.location or message.venue:
        return "utter_location_not_kept"
    if message.contact:
        return "utter_contact_not_kept"
    if message.effective_attachment is not None:
        return "utter_cannot_read_this"
    return None


def _read_edit(message: Message) -> Incoming:
    sender = message.from_user
    if sender is None or sender.is_bot or message.chat.type != ChatType.PRIVATE:
        return Incoming(Kind.IGNORE)
    return Incoming(Kind.NOTICE, message.chat.id, notice="utter_edited_message")


def _read_membership(change: ChatMemberUpdated) -> Incoming:
    chat = change.chat
    status = change.new_chat_member.status
    if chat.type == ChatType.PRIVATE:
        kind = Kind.BLOCKED if status == ChatMemberStatus.BANNED else Kind.IGNORE
        return Incoming(kind, chat.id)
    joined = status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
    was_out = change.old_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP) and joined and was_out:
        return Incoming(Kind.NOTICE, chat.id, notice="utter_private_chat_only")
    return Incoming(Kind.IGNORE, chat.id)

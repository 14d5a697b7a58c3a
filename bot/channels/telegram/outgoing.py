"""Rasa's replies as Telegram messages: one message per turn where possible, split at 4096.

Telegram allows about one message a second in a chat, and one turn can give five replies (a
summary, who decides, a question number, the question...). Joining a turn's replies into one
message, up to each reply with buttons, keeps the conversation quick and within that limit.
Text goes out with no parse mode, so nothing in a consultation can be read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.store.outbox import Outgoing

#: Telegram's limit on a message, counted in UTF-16 code units as Telegram counts.
TEXT_LIMIT = 4096
PARAGRAPH = "\n\n"


@dataclass(frozen=True)
class TelegramMessage:
    text: str
    #: (title, Rasa payload) for each button, one button to a row.
    buttons: tuple[tuple[str, str], ...] = ()


def from_rasa(messages: Sequence[Mapping[str, Any]], empty_text: str) -> list[TelegramMessage]:
    """Join a turn's replies into messages; a reply with buttons ends a message.

    Buttons need some text above them: `empty_text` stands in if a reply has none.
    """
    joined: list[TelegramMessage] = []
    texts: list[str] = []
    for message in messages:
        if message.get("text"):
            texts.append(str(message["text"]))
        buttons = tuple(
            (str(button["title"]), str(button["payload"]))
            for button in message.get("buttons") or ()
            if button.get("title") and button.get("payload")
        )
        if buttons:
            joined.append(TelegramMessage(PARAGRAPH.join(texts) or empty_text, buttons))
            texts = []
    if texts:
        joined.append(TelegramMessage(PARAGRAPH.join(texts)))
    return joined


def with_preface(messages: list[TelegramMessage], preface: str) -> list[TelegramMessage]:
    """Put a line (such as "You picked: Breakfast") at the top of the first message."""
    if not messages:
        return [TelegramMessage(preface)]
    first = messages[0]
    return [replace(first, text=f"{preface}{PARAGRAPH}{first.text}"), *messages[1:]]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split at paragraph, line or word breaks so each part fits Telegram's limit."""
    parts: list[str] = []
    rest = text
    while utf16_length(rest) > limit:
        fits = _longest_prefix(rest, limit)
        cut = fits
        for separator in (PARAGRAPH, "\n", " "):
            found = rest.rfind(separator, 0, fits)
            if found > fits // 2:
                cut = found
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [part for part in parts if part]


def message_bodies(
    messages: Sequence[TelegramMessage], callback_data: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Outbox bodies for sendMessage, in order.

    Buttons go on the last part of a split message. If the turn ends without buttons, free
    text is expected, so its last message also takes away any reply keyboard.
    """
    bodies: list[dict[str, Any]] = []
    for message in messages:
        parts = split_text(message.text) or [message.text]
        for part in parts[:-1]:
            bodies.append({"text": part})
        last: dict[str, Any] = {"text": parts[-1]}
        if message.buttons:
            last["buttons"] = [
                [title, callback_data(payload)] for title, payload in message.buttons
            ]
        bodies.append(last)
    if bodies and "buttons" not in bodies[-1]:
        bodies[-1]["remove_keyboard"] = True
    return bodies


def take_buttons_away(recipient: str, message_id: int) -> Outgoing:
    """Remove a message's buttons. The key is the same whoever asks, so it is queued once."""
    return Outgoing(
        "editMessageReplyMarkup",
        {"message_id": message_id},
        f"telegram-keyboard:{recipient}:{message_id}",
    )

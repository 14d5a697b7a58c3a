"""Telegram commands and the Rasa payloads they stand for.

`/start <slug>` comes from a link such as t.me/<bot>?start=day-centre-hours, for example on a
drop-in poster; it asks to open that consultation. The conversation still greets and asks
for consent first when the person is new.
"""

from __future__ import annotations

import re

from bot.conversation.replies import intent_payload

#: What Telegram's menu shows, registered with setMyCommands.
MENU = (
    ("start", "Start, or carry on"),
    ("help", "What you can say"),
    ("stop", "Stop for now"),
    ("delete", "Delete what you told me"),
)

PAYLOADS = {
    "start": intent_payload("greet"),
    "help": intent_payload("help"),
    "stop": intent_payload("stop"),
    "delete": intent_payload("delete_data"),
}

#: Consultation slugs, within what Telegram allows in a start link (64 of A-Z a-z 0-9 _ -).
LINK_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def command_payload(command: str, argument: str = "") -> str:
    """The Rasa payload for `/command argument`; an unknown command gets help."""
    name = command.lstrip("/").split("@", 1)[0].lower()
    slug = argument.strip()
    if name == "start" and LINK_SLUG.fullmatch(slug):
        return intent_payload("choose", option=slug)
    return PAYLOADS.get(name, PAYLOADS["help"])

"""Reading Sayso's replies over the REST channel, as a person tapping buttons would."""

from __future__ import annotations

from typing import Any


def button(messages: list[dict[str, Any]], title: str) -> str:
    """The payload of the button with this title, as tapping it sends."""
    for message in messages:
        for item in message.get("buttons", []):
            if item["title"] == title:
                return item["payload"]
    raise AssertionError(f"No button {title!r} in {messages}")

"""What the conversation asks a channel to show: named responses from domain.yml, or content text.

Keeping replies as data lets the Rasa action, the Telegram sender and tests render the same
thing, and keeps all of Sayso's own words in `domain.yml` where the plain-language test reads them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message: either a `response` named in domain.yml (with `params`) or content `text`."""

    response: str | None = None
    text: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    buttons: tuple[Button, ...] = ()
    #: The language the person reads, for choosing the response's variant in domain.yml.
    language: str = "en"


def intent_payload(intent: str, **entities: object) -> str:
    """A Rasa payload that picks an intent without NLU, e.g. `/choose{"option": "early"}`."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, separators=(',', ':'))}"


def payload_option(payload: str) -> str | None:
    """The `option` a payload made by `intent_payload` carries, if any."""
    _, brace, entities = payload.partition("{")
    if not brace:
        return None
    try:
        option = json.loads(brace + entities).get("option")
    except (ValueError, AttributeError):
        return None
    return str(option) if option is not None else None


def yes_no_buttons(step: str, yes: str = "Yes", no: str = "No") -> tuple[Button, Button]:
    """Yes and No for one step; the payload names the step, so a Yes kept on screen from an
    earlier step (say, "Can I message you?") can never answer "Delete everything?"."""
    return Button(yes, intent_payload("affirm", option=step)), Button(
        no, intent_payload("deny", option=step)
    )

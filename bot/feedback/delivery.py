"""One way to owe a participant a message, whatever channel they used.

Every owed message is written in the caller's transaction, before anything is sent, so a
crash never loses one and the idempotency key means it is owed once. Telegram people get an
outbox row with no address: the Telegram sender looks the address up, and finds none once a
person has stopped updates or deleted their data, so nothing is sent. People with no push
channel (web chat, REST) have the row held and see it at the start of their next turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.channels.telegram import callback_data
from bot.channels.telegram.identity import CHANNEL as TELEGRAM
from bot.conversation.replies import Button, Reply
from bot.store import held_messages, outbox, telegram_buttons
from bot.store import participants as participant_store

#: The kinds of owed message a person stops getting when they say "no more updates"
#: ("followup:" is "did it help?", bot/feedback/follow_up.py).
UPDATE_KEY_PREFIXES = ("outcome:", "priorities:", "followup:")


def owe_message(
    session: Session,
    *,
    participant_id: str,
    idempotency_key: str,
    text: str,
    buttons: Sequence[Button] = (),
) -> bool:
    """Queue one message owed to a participant, in the same transaction as the caller.

    Returns False when it was already owed (same key) or when the participant has no
    updates consent / has been deleted (then nothing is queued).
    """
    participant = participant_store.get_participant(session, participant_id)
    if participant is None or not participant.consent_updates:
        return False
    if participant.channel == TELEGRAM:
        body = _telegram_body(session, text, buttons)
        added = outbox.enqueue(
            session,
            TELEGRAM,
            participant_id,
            [outbox.Outgoing("sendMessage", body, idempotency_key)],
        )
        return added == 1
    body = _held_body(text, buttons)
    return held_messages.hold(session, participant.channel, participant_id, idempotency_key, body)


@dataclass(frozen=True)
class OwedMessage:
    participant_id: str
    idempotency_key: str
    text: str
    buttons: Sequence[Button] = ()


def owe_messages(session: Session, messages: Sequence[OwedMessage]) -> int:
    """Many owed messages at once, with the same rules as `owe_message`. Returns how many
    were queued.

    Publishing to thousands of people reads everything first and then writes all rows in one
    statement, so others writing to the database wait for a moment, not for the whole job.
    """
    channels = held_messages.channels_of_people_wanting_updates(
        session, [message.participant_id for message in messages]
    )
    owed_before = held_messages.keys_already_owed(
        session, [message.idempotency_key for message in messages]
    )
    rows = []
    for message in messages:
        channel = channels.get(message.participant_id)
        if channel is None or message.idempotency_key in owed_before:
            continue
        owed_before.add(message.idempotency_key)
        if channel == TELEGRAM:
            body = _telegram_body(session, message.text, message.buttons)
        else:
            body = _held_body(message.text, message.buttons)
        rows.append(
            held_messages.OwedRow(
                channel, message.participant_id, message.idempotency_key, body, channel != TELEGRAM
            )
        )
    held_messages.write_owed(session, rows)
    return len(rows)


def _held_body(text: str, buttons: Sequence[Button]) -> dict[str, Any]:
    return {"text": text, "buttons": [[button.title, button.payload] for button in buttons]}


def _telegram_body(session: Session, text: str, buttons: Sequence[Button]) -> dict[str, Any]:
    """A sendMessage body whose buttons carry callback data the Telegram channel reads back."""
    body: dict[str, Any] = {"text": text}
    if buttons:
        body["buttons"] = [[button.title, _callback(session, button.payload)] for button in buttons]
    return body


def _callback(session: Session, payload: str) -> str:
    data, must_store = callback_data.encode(payload)
    if must_store:
        telegram_buttons.remember_payload(session, data, payload)
    return data


def collect_held(session: Session, participant_id: str, may_ask: bool = True) -> list[Reply]:
    """Messages held for someone with no push channel, to show in their turn.

    They are marked sent in the caller's transaction, so each is shown once. At most one
    that asks something (has buttons) is taken, and none unless `may_ask`; the others wait.
    Nothing is shown to someone who has stopped updates or deleted their data: what was held
    for them was dropped when they did (`stop_updates`, `outbox.forget_recipient`).
    """
    participant = participant_store.get_participant(session, participant_id)
    if participant is None or not participant.consent_updates:
        return []
    return [
        Reply(
            text=str(body["text"]),
            buttons=tuple(Button(str(title), str(payload)) for title, payload in body["buttons"]),
        )
        for body in held_messages.take_held(session, participant, questions=int(may_ask))
    ]


def stop_updates(session: Session, participant_id: str) -> int:
    """Drop update messages not yet sent to someone who no longer wants them."""
    return held_messages.drop_owed(session, participant_id, UPDATE_KEY_PREFIXES)

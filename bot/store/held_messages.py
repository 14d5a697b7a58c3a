"""Owed messages in the outbox, and those held for people with no push channel.

Messages for web chat and REST people live in the outbox table like every owed message, with
the status `held`, so one idempotency key covers every channel. They are shown at the
person's next turn; someone who deleted their data or stopped updates never sees them. The
Telegram sender never sees them: it only takes `queued` rows of its own channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from bot.store import outbox
from bot.store.schema import OutboxMessage, Participant, utcnow

HELD = "held"
#: Ids to look up in one query: well under SQLite's limit on query parameters.
CHUNK = 500


@dataclass(frozen=True)
class OwedRow:
    """One message to write: queued for a push channel, or held for the person's next turn."""

    channel: str
    recipient: str
    idempotency_key: str
    body: dict[str, Any]
    held: bool


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def channels_of_people_wanting_updates(session: Session, ids: Sequence[str]) -> dict[str, str]:
    """The channel of each of these people who still agrees to updates."""
    found: dict[str, str] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        rows = session.execute(
            select(Participant.id, Participant.channel).where(
                Participant.id.in_(chunk), Participant.consent_updates.is_(True)
            )
        )
        found.update(dict(rows.all()))
    return found


def keys_already_owed(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(list(keys)):
        found.update(
            session.execute(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.in_(chunk)
                )
            ).scalars()
        )
    return found


def write_owed(session: Session, rows: Sequence[OwedRow]) -> None:
    """Write many owed messages in one statement, so the database is locked only briefly."""
    if not rows:
        return
    now = utcnow()
    session.execute(
        insert(OutboxMessage),
        [
            {
                "channel": row.channel,
                "recipient": row.recipient,
                "address": None,
                "method": "sendMessage",
                "body": row.body,
                "idempotency_key": row.idempotency_key,
                "status": HELD if row.held else outbox.QUEUED,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for row in rows
        ],
    )


def hold(
    session: Session, channel: str, recipient: str, idempotency_key: str, body: dict[str, Any]
) -> bool:
    """Keep a message until the person's next turn. False when the key is already owed."""
    added = outbox.enqueue(
        session, channel, recipient, [outbox.Outgoing("sendMessage", body, idempotency_key)]
    )
    if not added:
        return False
    row = session.execute(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
    ).scalar_one()
    row.status = HELD
    session.flush()
    return True


def take_held(
    session: Session, participant: Participant, questions: int = 1
) -> list[dict[str, Any]]:
    """The bodies held for this person, oldest first, now marked sent.

    At most `questions` of them may ask something (have buttons); the rest stay held for a
    later turn, so one reply never asks two things. Rows written before the participant
    record was (re)made belong to someone who deleted their data; they are dropped, never
    shown.
    """
    rows = list(
        session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == participant.id, OutboxMessage.status == HELD)
            .order_by(OutboxMessage.id)
        ).scalars()
    )
    bodies = []
    for row in rows:
        if _written_before(row, participant):
            session.delete(row)
            continue
        if row.body.get("buttons"):
            if questions <= 0:
                continue
            questions -= 1
        bodies.append(dict(row.body))
        row.status = outbox.SENT
        row.sent_at = utcnow()
        row.body = {}
    session.flush()
    return bodies


def _written_before(row: OutboxMessage, participant: Participant) -> bool:
    created = row.created_at
    joined = participant.created_at
    if created.tzinfo is None or joined.tzinfo is None:
        created, joined = created.replace(tzinfo=None), joined.replace(tzinfo=None)
    return created < joined


def drop_owed(session: Session, recipient: str, key_prefixes: tuple[str, ...]) -> int:
    """Forget unsent owed messages of these kinds, when a person stops updates."""
    result = session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.recipient == recipient,
            OutboxMessage.status.in_((outbox.QUEUED, HELD)),
            or_(*[OutboxMessage.idempotency_key.startswith(prefix) for prefix in key_prefixes]),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount

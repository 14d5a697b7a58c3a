"""The outbox: every message owed to someone, kept in the database until it is sent.

A row is written in the same transaction as whatever made the message owed, so a crash or a
restart never loses one, and a unique idempotency key means writing it twice queues it once.
Each channel's sender claims a recipient's oldest queued row, sends it, and records what
happened; a recipient's rows go out in the order they were written. Once a message is sent,
its address and words are dropped. "You said, we did" updates use the same table: queue a row
with no address and the sender looks the address up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.store.schema import OutboxMessage, utcnow

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
UNREACHABLE = "unreachable"
FINISHED = (SENT, FAILED, UNREACHABLE)
ERROR_LENGTH = 300


@dataclass(frozen=True)
class Outgoing:
    """One thing to send: a channel method, its arguments, and a key that makes it unique."""

    method: str
    body: dict[str, Any]
    idempotency_key: str


@dataclass(frozen=True)
class Claimed:
    """A row a sender has claimed: it is `sending` until the sender records the outcome."""

    id: int
    recipient: str
    address: str | None
    method: str
    body: dict[str, Any]
    attempts: int


def enqueue(
    session: Session,
    channel: str,
    recipient: str,
    items: Sequence[Outgoing],
    address: str | None = None,
) -> int:
    """Queue messages for one recipient, skipping any whose key is already queued or sent.

    Returns how many rows were added.
    """
    keys = [item.idempotency_key for item in items]
    if not keys:
        return 0
    existing = set(
        session.execute(
            select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.in_(keys))
        ).scalars()
    )
    added = 0
    for item in items:
        if item.idempotency_key in existing:
            continue
        existing.add(item.idempotency_key)
        session.add(
            OutboxMessage(
                channel=channel,
                recipient=recipient,
                address=address,
                method=item.method,
                body=item.body,
                idempotency_key=item.idempotency_key,
                status=QUEUED,
                attempts=0,
                next_attempt_at=utcnow(),
            )
        )
        added += 1
    session.flush()
    return added


def _heads(channel: str) -> Select:
    """Each recipient's oldest unfinished row: only that one may go, and only if queued."""
    return (
        select(func.min(OutboxMessage.id))
        .where(OutboxMessage.channel == channel, OutboxMessage.status.in_((QUEUED, SENDING)))
        .group_by(OutboxMessage.recipient)
    )


def due_recipients(
    session: Session, channel: str, now: datetime, limit: int, busy: Sequence[str] = ()
) -> list[str]:
    """Recipients whose next message is due, oldest first, leaving out those being served."""
    rows = session.execute(
        select(OutboxMessage.recipient)
        .where(
            OutboxMessage.id.in_(_heads(channel)),
            OutboxMessage.status == QUEUED,
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.id)
        .limit(limit + len(busy))
    ).scalars()
    skip = set(busy)
    return [recipient for recipient in rows if recipient not in skip][:limit]


def claim_next(session: Session, channel: str, recipient: str, now: datetime) -> Claimed | None:
    """Claim this recipient's oldest message if it is queued and due; None otherwise."""
    head = session.execute(
        select(func.min(OutboxMessage.id)).where(
            OutboxMessage.channel == channel,
            OutboxMessage.recipient == recipient,
            OutboxMessage.status.in_((QUEUED, SENDING)),
        )
    ).scalar_one_or_none()
    if head is None:
        return None
    claimed = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == head,
            OutboxMessage.status == QUEUED,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(status=SENDING, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    row = session.get(OutboxMessage, head, populate_existing=True)
    assert row is not None
    return Claimed(row.id, row.recipient, row.address, row.method, dict(row.body), row.attempts)


def _set(session: Session, row_id: int, **values: Any) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def mark_sent(session: Session, row_id: int) -> None:
    """Sent: the address and the words are no longer needed, so only the fact is kept."""
    _set(session, row_id, status=SENT, sent_at=utcnow(), address=None, body={}, last_error=None)


def retry_later(
    session: Session, row_id: int, at: datetime, error: str, count_attempt: bool = True
) -> None:
    """Put the message back in the queue until `at`. A flood wait does not count as a try."""
    values: dict[str, Any] = {
        "status": QUEUED,
        "next_attempt_at": at,
        "last_error": error[:ERROR_LENGTH],
    }
    if not count_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    _set(session, row_id, **values)


def mark_failed(session: Session, row_id: int, error: str) -> None:
    _set(session, row_id, status=FAILED, address=None, last_error=error[:ERROR_LENGTH])


def mark_recipient_unreachable(session: Session, channel: str, recipient: str, error: str) -> int:
    """The person blocked us: give up on everything queued for them. Returns rows changed."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.recipient == recipient,
            OutboxMessage.status.in_((QUEUED, SENDING)),
        )
        .values(status=UNREACHABLE, address=None, last_error=error[:ERROR_LENGTH])
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def release_interrupted(session: Session, channel: str) -> int:
    """Rows a stopped sender was sending go back in the queue, so a restart sends them."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.channel == channel, OutboxMessage.status == SENDING)
        .values(status=QUEUED)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def count_unfinished(session: Session, channel: str | None = None) -> int:
    """Messages still queued or being sent."""
    query = select(func.count(OutboxMessage.id)).where(OutboxMessage.status.in_((QUEUED, SENDING)))
    if channel is not None:
        query = query.where(OutboxMessage.channel == channel)
    return session.execute(query).scalar_one()


def status_of(session: Session, idempotency_key: str) -> str | None:
    """Where a message is now: queued, sending, sent, failed or unreachable."""
    return session.execute(
        select(OutboxMessage.status).where(OutboxMessage.idempotency_key == idempotency_key)
    ).scalar_one_or_none()


def purge_finished(session: Session, before: datetime) -> int:
    """Forget finished messages written before `before`; queued ones are never purged."""
    result = session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.status.in_(FINISHED), OutboxMessage.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def forget_recipient(session: Session, recipient: str) -> int:
    """Drop what is owed to a person who deleted their data, and the record of what was sent.

    Rows still carrying an address are replies already on their way (the last one confirms
    the deletion), so they stay until sent; sending clears their address and words.
    """
    result = session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.recipient == recipient,
            OutboxMessage.status != SENDING,
            OutboxMessage.address.is_(None),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount

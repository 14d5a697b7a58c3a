"""Updates Telegram delivered: each handled once, even when Telegram sends it again.

Telegram redelivers an update after an error or a slow answer. Sayso records the update id
before it answers Telegram, handles the update afterwards, and marks it handled in the same
transaction as the replies it queued. The update's contents are kept, encrypted, only until
then, so a restart can finish what was interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.schema import TelegramUpdate, utcnow

RECEIVED = "received"
HANDLING = "handling"
HANDLED = "handled"


@dataclass(frozen=True)
class Unfinished:
    update_id: int
    status: str
    payload: str


def record(session: Session, update_id: int, payload: str) -> bool:
    """Record a newly delivered update; False if this update id was seen before.

    The insert is flushed at once so a concurrent duplicate fails here, not at commit.
    """
    if session.get(TelegramUpdate, update_id) is not None:
        return False
    session.add(TelegramUpdate(update_id=update_id, status=RECEIVED, payload=payload))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def mark_handling(session: Session, update_id: int) -> None:
    session.execute(
        update(TelegramUpdate)
        .where(TelegramUpdate.update_id == update_id)
        .values(status=HANDLING)
        .execution_options(synchronize_session=False)
    )


def mark_handled(session: Session, update_id: int) -> None:
    """Handled: the update's contents are no longer needed and are dropped."""
    session.execute(
        update(TelegramUpdate)
        .where(TelegramUpdate.update_id == update_id)
        .values(status=HANDLED, payload=None, handled_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def unfinished(session: Session) -> list[Unfinished]:
    """Updates not yet handled, in the order Telegram numbered them."""
    rows = session.execute(
        select(TelegramUpdate)
        .where(TelegramUpdate.status != HANDLED, TelegramUpdate.payload.is_not(None))
        .order_by(TelegramUpdate.update_id)
    ).scalars()
    return [Unfinished(row.update_id, row.status, row.payload) for row in rows]


def purge_handled(session: Session, before: datetime) -> int:
    """Forget handled update ids received before `before` (Telegram keeps updates a day)."""
    result = session.execute(
        delete(TelegramUpdate)
        .where(TelegramUpdate.status == HANDLED, TelegramUpdate.received_at < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount

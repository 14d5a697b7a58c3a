"""Erasing a sender's conversation from Rasa's SQL tracker store (SQLite or PostgreSQL).

Rasa keeps every message in its `events` table. When a person deletes their data, those rows
go too, not only Sayso's own tables.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, delete, event, inspect
from sqlalchemy.engine import Engine

from bot.store.database import tune_sqlite_connection

RASA_EVENTS_TABLE = "events"


@lru_cache(maxsize=4)
def tracker_engine(tracker_url: str) -> Engine:
    """An engine for Rasa's tracker store; on SQLite with Sayso's pragmas, so that what it
    deletes is overwritten in the file (secure_delete), not only unlinked from the table."""
    engine = create_engine(tracker_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    tune_sqlite_connection(dbapi_connection)


def _events_table(engine: Engine) -> Table | None:
    if not inspect(engine).has_table(RASA_EVENTS_TABLE):
        return None
    return Table(RASA_EVENTS_TABLE, MetaData(), autoload_with=engine)


def erase_sender(tracker_url: str, sender_id: str) -> int:
    """Delete every event of this sender; return how many rows went."""
    engine = tracker_engine(tracker_url)
    events = _events_table(engine)
    if events is None:
        return 0
    with engine.begin() as connection:
        return connection.execute(delete(events).where(events.c.sender_id == sender_id)).rowcount


def erase_events_before(tracker_url: str, cutoff_timestamp: float) -> int:
    """Delete every event older than the cutoff (seconds since the epoch), for retention."""
    engine = tracker_engine(tracker_url)
    events = _events_table(engine)
    if events is None:
        return 0
    with engine.begin() as connection:
        return connection.execute(
            delete(events).where(events.c.timestamp < cutoff_timestamp)
        ).rowcount

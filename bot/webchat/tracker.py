"""Forgetting a web chat conversation in Rasa's tracker store, for a shared tablet.

Rasa keeps every message of a conversation as rows of its `events` table, keyed by the sender
id. Deleting those rows removes the person's words from Rasa. Their answers stay in Sayso's
own database, which is separate and which they can delete by asking.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError

#: Rasa's SQLTrackerStore table (the same name on SQLite and PostgreSQL).
EVENTS_TABLE = "events"


@lru_cache(maxsize=2)
def _engine(tracker_url: str) -> Engine:
    if tracker_url.startswith("sqlite"):
        return create_engine(tracker_url, connect_args={"timeout": 10})
    return create_engine(tracker_url, pool_pre_ping=True)


def forget_conversation(tracker_url: str, sender_id: str) -> int:
    """Delete every tracker event of this sender; returns how many rows went."""
    try:
        with _engine(tracker_url).begin() as connection:
            result = connection.execute(
                text(f"DELETE FROM {EVENTS_TABLE} WHERE sender_id = :sender"), {"sender": sender_id}
            )
            return result.rowcount or 0
    except (OperationalError, ProgrammingError) as error:
        if "no such table" in str(error) or "does not exist" in str(error):
            return 0
        raise

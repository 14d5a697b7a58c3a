"""Rasa's SQL tracker store, made quicker: endpoints.yml names it as the tracker store.

Rasa's own `SQLTrackerStore` opened an SQLite connection for every read and save, and each
save waited for the disk twice (about 12 ms). This store gets Sayso's pool and pragmas
(`bot.store.database`); on PostgreSQL each pooled connection is checked before use, as
Sayso's own are, so a database restart does not fail the next messages.

On SQLite and PostgreSQL alike, each save of Rasa's counted the conversation's stored events
to find the new ones, and reads and writes went through SQLAlchemy's object layer: over a
third of Rasa's time for a message once parsing was quick. This store remembers how many
events it read (the lock store keeps any other Rasa process from adding to the conversation
meanwhile), reads only the events' data column and writes the new rows in one statement: the
same rows, in the same order. When someone's events are erased during their turn, only that
turn's events are written back, where Rasa would have written the erased ones again.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from typing import Any

import sqlalchemy as sa
from rasa.core import tracker_store
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event, insert

from bot.store.database import (
    server_engine_options,
    sqlite_file_engine_options,
    tune_sqlite_connection,
)

#: Set on a tracker read from (or written to) this store: how many of its events are stored.
STORED_EVENTS = "_sayso_stored_events"
#: What this store relies on in Rasa's own: checked at start with Sayso's other changes to
#: Rasa (bot.ops.rasa_tuning), so a Rasa that renamed one stops plainly.
RELIES_ON = ("_retrieve", "save", "_event_query", "_additional_events", "stream_events")


def tune_sqlite_tracker_connection(dbapi_connection: Any, _record: Any) -> None:
    """Sayso's SQLite pragmas on each connection to an SQLite tracker database."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        tune_sqlite_connection(dbapi_connection)


def engine_options(url: Any) -> dict[str, Any]:
    """Rasa's own engine options, plus Sayso's: a pool of open connections for an SQLite
    file, and for PostgreSQL a check of each connection before use."""
    database_url = str(url)
    return (
        tracker_store.create_engine_kwargs(url)
        | sqlite_file_engine_options(database_url)
        | server_engine_options(database_url)
    )


def event_row(sender_id: str, stored: Event) -> dict[str, Any]:
    """One row of Rasa's `events` table, with the columns `SQLTrackerStore.save` fills."""
    data = stored.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": stored.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class SaysoTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store with Sayso's connection pool, and saves that add only the
    new events."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(domain=domain, host=host, event_broker=event_broker, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, **engine_options(url))
        event.listen(self.engine, "connect", tune_sqlite_tracker_connection)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's read, of the data column only, noting how many events are stored."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.data).all()
        events = [json.loads(data) for (data,) in rows]
        if not self.domain or not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            tracker.__dict__[STORED_EVENTS] = len(events)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """The events not yet stored, added in one statement."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = tracker.__dict__.get(STORED_EVENTS)
            if stored is None:
                new_events = list(self._additional_events(session, tracker))
            else:
                new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            if new_events:
                rows = [event_row(tracker.sender_id, new) for new in new_events]
                session.execute(insert(self.SQLEvent.__table__), rows)
            session.commit()
        tracker.__dict__[STORED_EVENTS] = len(tracker.events)

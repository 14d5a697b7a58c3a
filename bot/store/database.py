"""Engine and sessions for one database URL: SQLite embedded, PostgreSQL when scaled.

Each unit of work runs in `session_scope()`, which commits on success. Callers reply to a
person only after the scope has closed, so no answer is acknowledged before it is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.config import get_settings
from bot.store import migrate

#: WAL lets the staff app read while actions write; foreign keys make deletes cascade.
#: synchronous=NORMAL: in WAL mode a commit is still written before the reply is sent and
#: survives the process crashing, but it no longer waits for the disk to flush (an fsync cost
#: 6 to 12 ms of every message). Only a power cut or an OS crash could lose the last commits.
#: secure_delete=ON: a deleted or changed row's bytes are overwritten with zeros, not left in
#: the page's free space, so "delete my data" and retention also reach the file itself.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA secure_delete=ON",
)


def tune_sqlite_connection(dbapi_connection: Any) -> None:
    """Set Sayso's SQLite pragmas on a new connection (used for Rasa's tracker store too)."""
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        tune_sqlite_connection(dbapi_connection)


def sqlite_file_engine_options(database_url: str) -> dict[str, Any]:
    """Keep connections to an SQLite file open between units of work.

    SQLAlchemy 1.4 opens and closes an SQLite file connection for every session by default.
    In WAL mode closing the last connection checkpoints the log and syncs it to disk, and
    each new connection sets the pragmas again: together several milliseconds a message.
    A pool of open connections (SQLAlchemy 2.0's default) avoids both. In-memory databases
    keep SQLAlchemy's default, where every connection must be the same one.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return {}
    return {"poolclass": QueuePool, "connect_args": {"check_same_thread": False}}


def server_engine_options(database_url: str) -> dict[str, Any]:
    """Test a pooled connection to a database server before each use.

    After PostgreSQL restarts, every pooled connection is dead; without the test each one
    fails a person's message before the pool notices.
    """
    if make_url(database_url).get_backend_name() == "sqlite":
        return {}
    return {"pool_pre_ping": True}


def connect(database_url: str) -> Engine:
    """An engine for the URL, tuned, with the schema left as it is (for backup and restore)."""
    if database_url.startswith("sqlite"):
        options = {"connect_args": {"check_same_thread": False}}
        engine = create_engine(database_url, **(options | sqlite_file_engine_options(database_url)))
        _tune_sqlite(engine)
    else:
        options = server_engine_options(database_url)
        engine = create_engine(database_url, pool_size=5, max_overflow=10, **options)
    return engine


def make_engine(database_url: str) -> Engine:
    """An engine for the URL, with the database upgraded to this code's schema first.

    `sayso setup` and `sayso run` upgrade before any process starts, so for the processes
    this finds the schema current and only checks it.
    """
    engine = connect(database_url)
    migrate.upgrade(engine)
    return engine


@lru_cache(maxsize=4)
def engine_for(database_url: str) -> Engine:
    return make_engine(database_url)


def get_engine() -> Engine:
    """The engine for this process's configured database."""
    return engine_for(get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises."""
    factory = sessionmaker(bind=engine or get_engine(), expire_on_commit=False, future=True)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

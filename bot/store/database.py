"""Engine and sessions for one database URL: SQLite embedded, PostgreSQL when scaled.

Each unit of work runs in `session_scope()`, which commits on success. Callers reply to a
person only after the scope has closed, so no answer is acknowledged before it is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import get_settings
from bot.store.schema import Base


def _tune_sqlite(engine: Engine) -> None:
    """WAL lets the staff app read while actions write; foreign keys make deletes cascade."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def make_engine(database_url: str) -> Engine:
    """An engine for the URL, with the tables created if they are missing."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url, connect_args={"check_same_thread": False})
        _tune_sqlite(engine)
    else:
        engine = create_engine(database_url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    Base.metadata.create_all(engine)
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

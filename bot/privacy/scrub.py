"""Making an erasure reach the database's files, not only its tables.

A deleted row is gone from every query at once, but its bytes can stay on disk:

- SQLite keeps each changed page in the write-ahead log (`-wal`) until a checkpoint copies it
  back, and a log that was checkpointed but not truncated still holds old pages. Freed space
  inside a page keeps the old bytes unless `secure_delete` is on; it is on for every Sayso
  connection (`bot.store.database.SQLITE_PRAGMAS`), the tracker's included. So after an
  erasure the log is checkpointed and truncated to nothing.
- PostgreSQL keeps a deleted row in the table's file as a dead row until VACUUM marks its
  space free, to be overwritten by later rows. So the tables that hold a person's words are
  vacuumed after an erasure.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Engine

#: Columns that say whose a row is: a participant, or where a message to one goes.
PERSON_COLUMNS = frozenset({"participant_id", "recipient"})


def personal_tables(metadata: MetaData) -> list[str]:
    """Tables that can hold something of a person: whose rows say whose they are, or hang
    off such a row by a foreign key (an answer's themes, redactions, quotes, voice notes)."""
    found = {
        table.name
        for table in metadata.sorted_tables
        if table.name == "participants" or PERSON_COLUMNS & set(table.columns.keys())
    }
    for table in metadata.sorted_tables:
        if any(key.column.table.name in found for key in table.foreign_keys):
            found.add(table.name)
    return sorted(found)


def scrub(engine: Engine, tables: Iterable[str]) -> bool:
    """Push deleted rows out of the database's files; False when SQLite's log was busy.

    A checkpoint that truncates the log waits (up to the busy timeout) for other
    connections to finish reading; when one is still reading, try again later.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
        return busy == 0
    if engine.dialect.name == "postgresql":
        present = set(inspect(engine).get_table_names())
        quote = engine.dialect.identifier_preparer.quote
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in tables:
                if table in present:
                    connection.exec_driver_sql(f"VACUUM {quote(table)}")
    return True

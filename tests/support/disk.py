"""What a SQLite database holds on disk: the raw bytes of its file, log and shared memory.

Reading the tables shows only live rows; someone with the files could read more. Erasure
tests look here for a person's words.
"""

from __future__ import annotations

from pathlib import Path

#: The files SQLite keeps for a database in WAL mode, beside the database file itself.
SQLITE_FILE_SUFFIXES = ("", "-wal", "-shm")


def raw_bytes(database: Path) -> bytes:
    """Every byte of the database's files that exist now."""
    files = (database.with_name(database.name + suffix) for suffix in SQLITE_FILE_SUFFIXES)
    return b"".join(path.read_bytes() for path in files if path.exists())

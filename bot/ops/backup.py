"""`sayso backup FILE` and `sayso restore FILE`: Sayso's own database, in one checked file.

A backup is a zip holding the database and `manifest.json`, which records the schema revision
and a SHA-256 checksum of the database. SQLite is copied with its online backup API, so
Sayso keeps answering while it runs; PostgreSQL (the scaled mode) with `pg_dump`. Restore
checks the file before it touches anything: a damaged file, or one made by a newer Sayso, is
refused and the database is left as it was. An older backup is upgraded after restoring.

The keys in `var/secrets.env` are not in the backup, on purpose: kept apart, someone who gets
one file cannot read people's encrypted addresses. Rasa's tracker store is not in it either
(see the README): everything Sayso needs to carry on a conversation is in its own database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from bot.store.database import connect
from bot.store.migrate import SchemaChange, SchemaError, check_known, current_revision, upgrade

FORMAT = "sayso-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: The database's name inside the zip, for each kind of database.
MEMBERS = {"sqlite": "sayso.db", "postgresql": "sayso.pgdump"}
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, written beside the database in the zip."""

    format: str
    format_version: int
    made_at: str
    database: str
    schema_revision: str
    member: str
    sha256: str
    size: int


def database_kind(database_url: str) -> str:
    kind = make_url(database_url).get_backend_name()
    if kind not in MEMBERS:
        raise BackupError(f"Sayso can back up SQLite and PostgreSQL, not {kind}.")
    return kind


def backup(database_url: str, destination: Path) -> Manifest:
    """Write a backup of the database to `destination`, replacing it only once complete."""
    kind = database_kind(database_url)
    destination = destination.resolve()
    if not destination.parent.is_dir():
        raise BackupError(f"There is no folder {destination.parent} to write the backup to.")
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".sayso-backup-") as work:
        copy = Path(work) / MEMBERS[kind]
        if kind == "sqlite":
            revision = _copy_sqlite(_sqlite_path(database_url), copy)
        else:
            revision = _dump_postgres(database_url, copy)
        manifest = Manifest(
            format=FORMAT,
            format_version=FORMAT_VERSION,
            made_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database=kind,
            schema_revision=revision,
            member=copy.name,
            sha256=_sha256(copy),
            size=copy.stat().st_size,
        )
        unfinished = Path(work) / "backup.zip"
        with zipfile.ZipFile(unfinished, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(asdict(manifest), indent=2))
            archive.write(copy, manifest.member)
        unfinished.chmod(0o600)
        os.replace(unfinished, destination)
    return manifest


def restore(source: Path, database_url: str) -> tuple[Manifest, SchemaChange]:
    """Replace the database with the backup's, then upgrade it to this code's schema."""
    kind = database_kind(database_url)
    with _checked_backup(source) as (manifest, copy):
        if manifest.database != kind:
            raise BackupError(
                f"{source} is a backup of a {NAMES[manifest.database]} database, but Sayso "
                f"here uses {NAMES[kind]}. Nothing was restored."
            )
        if kind == "sqlite":
            _restore_sqlite(copy, _sqlite_path(database_url))
        else:
            _restore_postgres(copy, database_url)
    engine = connect(database_url)
    try:
        change = upgrade(engine)
    finally:
        engine.dispose()
    return manifest, change


@contextmanager
def _checked_backup(source: Path) -> Iterator[tuple[Manifest, Path]]:
    """The backup's manifest and its database, unpacked, once every check has passed."""
    damaged = f"{source} is damaged or is not a Sayso backup, so nothing was restored"
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    with tempfile.TemporaryDirectory(prefix="sayso-restore-") as work:
        try:
            with zipfile.ZipFile(source) as archive:
                manifest = Manifest(**json.loads(archive.read(MANIFEST)))
                if manifest.format != FORMAT or MEMBERS.get(manifest.database) != manifest.member:
                    raise BackupError(f"{damaged}.")
                if manifest.format_version > FORMAT_VERSION:
                    raise BackupError(
                        f"{source} was made by a newer version of Sayso. Nothing was "
                        "restored. Restore it with that version."
                    )
                copy = Path(archive.extract(manifest.member, work))
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, TypeError, ValueError,
                OSError) as error:  # fmt: skip
            raise BackupError(f"{damaged} ({error}).") from error
        if copy.stat().st_size != manifest.size or _sha256(copy) != manifest.sha256:
            raise BackupError(
                f"{damaged}: its database does not match the checksum recorded when it was made."
            )
        try:
            check_known(manifest.schema_revision)
        except SchemaError as error:
            raise BackupError(
                f"{source} was made by a newer version of Sayso (schema revision "
                f"{manifest.schema_revision}), which this version cannot read. Nothing was "
                "restored. Restore it with that version, or with a newer one."
            ) from error
        yield manifest, copy


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_path(database_url: str) -> Path:
    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise BackupError("Sayso's database is in memory only: there is nothing to back up.")
    return Path(name).resolve()


def _copy_sqlite(database: Path, copy: Path) -> str:
    """Copy a live SQLite database in one consistent step; return its schema revision.

    The online backup API reads one snapshot while Sayso goes on writing (WAL mode), and the
    copy is a single file, without the write-ahead log beside it.
    """
    if not database.is_file():
        raise BackupError(f"There is no database at {database} to back up.")
    source = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        revision = _revision_in(target, database)
    finally:
        target.close()
        source.close()
    return revision


def _revision_in(connection: sqlite3.Connection, database: Path) -> str:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise BackupError(
            f"{database} has no schema revision. Run `sayso setup` once to upgrade it, then "
            "back it up."
        )
    return str(row[0])


def _restore_sqlite(copy: Path, database: Path) -> None:
    """Write the backup's pages into the database through SQLite itself.

    Copying the file over would leave an old write-ahead log beside it, which SQLite would
    then apply to the restored pages. The backup API replaces the whole database safely.
    """
    checked = sqlite3.connect(copy)
    try:
        problems = checked.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database in the backup cannot be read ({error}).") from error
    finally:
        checked.close()
    if problems != [("ok",)]:
        raise BackupError("The database in the backup is damaged. Nothing was restored.")
    database.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    target = sqlite3.connect(database, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _postgres_program(name: str) -> str:
    """pg_dump, pg_restore or psql of the newest installed PostgreSQL (Debian keeps each
    version's programs apart; a newer pg_dump reads an older server, never the reverse)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    program = str(found[-1]) if found else shutil.which(name)
    if program is None:
        raise BackupError(
            f"Backing up PostgreSQL needs {name}. Install the postgresql-client package, or "
            "run `scripts/install.sh scaled`, then try again."
        )
    return program


def _postgres_environment(url: URL) -> dict[str, str]:
    """Where and how to log in, passed in the environment so the password is never on a
    command line that other users can see."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PGHOST": url.host or "localhost",
        "PGPORT": str(url.port or 5432),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
    }


def _run(command: list[str], url: URL, what: str) -> None:
    finished = subprocess.run(
        command, env=_postgres_environment(url), capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        raise BackupError(f"{what} failed: {finished.stderr.strip()[-500:]}")


def _reachable_revision(database_url: str) -> tuple[str | None, list[str]]:
    """The database's schema revision and tables; a plain error if PostgreSQL is not up."""
    engine = connect(database_url)
    try:
        with engine.connect() as connection:
            return current_revision(connection), inspect(connection).get_table_names()
    except OperationalError as error:
        url = make_url(database_url)
        raise BackupError(
            f"Cannot reach PostgreSQL at {url.host}:{url.port}. Start Sayso scaled "
            "(`make run-scaled`) so that its PostgreSQL is running, then try again."
        ) from error
    finally:
        engine.dispose()


def _dump_postgres(database_url: str, copy: Path) -> str:
    revision, _tables = _reachable_revision(database_url)
    if revision is None:
        raise BackupError(
            "Sayso's PostgreSQL database has no schema revision. Run `sayso setup` once to "
            "upgrade it, then back it up."
        )
    url = make_url(database_url)
    _run(
        [_postgres_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
         f"--file={copy}"],
        url, "pg_dump",
    )  # fmt: skip
    return revision


def _restore_postgres(copy: Path, database_url: str) -> None:
    """Replace every table in one transaction: if anything fails, the database is as it was.

    pg_restore turns the dump into SQL; psql runs it after dropping the tables there now,
    all between one BEGIN and COMMIT.
    """
    _revision, tables = _reachable_revision(database_url)
    url = make_url(database_url)
    with tempfile.TemporaryDirectory(prefix="sayso-restore-") as work:
        script = Path(work) / "restore.sql"
        _run(
            [_postgres_program("pg_restore"), "--no-owner", "--no-privileges",
             f"--file={script}", str(copy)],
            url, "Reading the PostgreSQL dump",
        )  # fmt: skip
        drops = Path(work) / "drop.sql"
        quoted = ", ".join(f'public."{name}"' for name in tables)
        drops.write_text(f"DROP TABLE IF EXISTS {quoted} CASCADE;\n" if tables else "")
        _run(
            [_postgres_program("psql"), "--quiet", "--no-psqlrc", "--single-transaction",
             "--set=ON_ERROR_STOP=1", f"--file={drops}", f"--file={script}"],
            url, "Restoring into PostgreSQL",
        )  # fmt: skip


def copy_secrets_hint(secrets_file: Path) -> str:
    """What to tell the person after a backup: the keys are not in it."""
    return (
        f"The keys in {secrets_file} are not in this backup. Without them, people's encrypted "
        "addresses cannot be read, and nobody can carry on as the same participant. Keep a "
        "copy of that file too, somewhere apart from the backup."
    )

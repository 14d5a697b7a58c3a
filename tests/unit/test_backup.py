"""`sayso backup` and `sayso restore`, run as a person would, on real SQLite files and the
scaled mode's PostgreSQL: every table comes back as it was, and a damaged backup or one from
a newer Sayso is refused with the database left alone.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.ops.scaled import SAYSO_DATABASE
from bot.store.database import make_engine
from bot.store.migrate import head_revision
from tests.support.command import run_sayso
from tests.support.postgres import Postgres
from tests.support.sample_rows import fill_every_table
from tests.support.tables import every_row


def filled_database(url: str) -> dict[str, list[dict[str, object]]]:
    engine = make_engine(url)
    fill_every_table(engine)
    rows = every_row(engine)
    engine.dispose()
    return rows


def rows_in(url: str) -> dict[str, list[dict[str, object]]]:
    engine = make_engine(url)
    rows = every_row(engine)
    engine.dispose()
    return rows


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture()
def backup_file(tmp_path: Path) -> Path:
    """A backup, by `sayso backup`, of a SQLite database with a row in every table."""
    original = sqlite_url(tmp_path / "sayso.db")
    filled_database(original)
    made = run_sayso("backup", str(tmp_path / "sayso-backup.zip"), SAYSO_DATABASE_URL=original)
    assert made.returncode == 0, made.stderr
    return tmp_path / "sayso-backup.zip"


def test_a_sqlite_backup_restores_every_table_as_it_was(tmp_path: Path) -> None:
    original = sqlite_url(tmp_path / "sayso.db")
    rows = filled_database(original)
    file = tmp_path / "saved.zip"

    made = run_sayso("backup", str(file), SAYSO_DATABASE_URL=original)
    assert made.returncode == 0, made.stderr
    assert f"schema revision {head_revision()}" in made.stdout
    assert "secrets.env are not in this backup" in made.stdout
    assert "Keep a copy of that file too, somewhere apart from the backup." in made.stdout
    assert oct(file.stat().st_mode & 0o777) == "0o600"

    restored = sqlite_url(tmp_path / "new-disk" / "sayso.db")
    back = run_sayso("restore", str(file), SAYSO_DATABASE_URL=restored)
    assert back.returncode == 0, back.stderr
    assert back.stdout.startswith(f"Restored Sayso's database from {file}, made ")
    assert rows_in(restored) == rows


def test_restore_replaces_what_the_database_holds_now(tmp_path: Path, backup_file: Path) -> None:
    database = sqlite_url(tmp_path / "sayso.db")
    rows = rows_in(database)
    engine = make_engine(database)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM participants"))
        connection.execute(text("UPDATE consultations SET title = 'Changed since'"))
    engine.dispose()

    back = run_sayso("restore", str(backup_file), SAYSO_DATABASE_URL=database)
    assert back.returncode == 0, back.stderr
    assert rows_in(database) == rows


def test_a_backup_taken_while_sayso_writes_is_whole_and_does_not_stop_the_writing(
    tmp_path: Path,
) -> None:
    database = tmp_path / "sayso.db"
    filled_database(sqlite_url(database))
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        connection = sqlite3.connect(database, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            with connection:
                connection.execute(
                    "INSERT INTO staff_login_attempts (email, ip_address, succeeded, "
                    "attempted_at) VALUES ('x@example.org', '127.0.0.1', 0, '2026-12-01')"
                )
            written.append(1)
        connection.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        made = run_sayso(
            "backup", str(tmp_path / "live.zip"), SAYSO_DATABASE_URL=sqlite_url(database)
        )
        during = len(written)
    finally:
        stop.set()
        writer.join()
    assert made.returncode == 0, made.stderr
    assert during > 0

    restored = tmp_path / "restored.db"
    back = run_sayso("restore", str(tmp_path / "live.zip"), SAYSO_DATABASE_URL=sqlite_url(restored))
    assert back.returncode == 0, back.stderr
    with sqlite3.connect(restored) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        attempts = connection.execute("SELECT count(*) FROM staff_login_attempts").fetchone()[0]
    assert 1 <= attempts <= 1 + len(written)


def flip_a_byte_of_the_database(file: Path) -> None:
    with zipfile.ZipFile(file) as archive:
        member = archive.getinfo("sayso.db")
    data = bytearray(file.read_bytes())
    data[member.header_offset + 200] ^= 0xFF
    file.write_bytes(bytes(data))


def swap_the_database_keeping_the_manifest(file: Path, tmp_path: Path) -> None:
    """What a careless copy or a bad disk might leave: a valid zip with other contents."""
    with zipfile.ZipFile(file) as archive:
        manifest = archive.read("manifest.json")
        database = tmp_path / "inside.db"
        database.write_bytes(archive.read("sayso.db"))
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE responses SET text = 'not what they said'")
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr("manifest.json", manifest)
        archive.write(database, "sayso.db")


@pytest.mark.parametrize(
    "damage",
    [
        "truncated",
        "flipped byte",
        "database swapped",
        "not a backup",
    ],
)
def test_a_damaged_backup_is_refused_and_the_database_left_alone(
    damage: str, tmp_path: Path, backup_file: Path
) -> None:
    if damage == "truncated":
        backup_file.write_bytes(backup_file.read_bytes()[:5000])
    elif damage == "flipped byte":
        flip_a_byte_of_the_database(backup_file)
    elif damage == "database swapped":
        swap_the_database_keeping_the_manifest(backup_file, tmp_path)
    else:
        backup_file.write_text("a shopping list")
    target = sqlite_url(tmp_path / "live.db")
    rows = filled_database(target)

    back = run_sayso("restore", str(backup_file), SAYSO_DATABASE_URL=target)
    assert back.returncode == 1
    assert back.stderr.startswith(
        f"{backup_file} is damaged or is not a Sayso backup, so nothing was restored"
    )
    assert rows_in(target) == rows


def test_a_backup_from_a_newer_sayso_is_refused_with_a_plain_message(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    filled_database(sqlite_url(newer))
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    made = run_sayso("backup", str(tmp_path / "newer.zip"), SAYSO_DATABASE_URL=sqlite_url(newer))
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(tmp_path / "newer.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["schema_revision"] == "9999"

    target = sqlite_url(tmp_path / "sayso.db")
    rows = filled_database(target)
    back = run_sayso("restore", str(tmp_path / "newer.zip"), SAYSO_DATABASE_URL=target)
    assert back.returncode == 1
    assert back.stderr.strip() == (
        f"{tmp_path / 'newer.zip'} was made by a newer version of Sayso (schema revision 9999), "
        "which this version cannot read. Nothing was restored. Restore it with that version, "
        "or with a newer one."
    )
    assert rows_in(target) == rows


def test_a_sqlite_backup_is_not_poured_into_postgresql(backup_file: Path) -> None:
    back = run_sayso(
        "restore", str(backup_file), SAYSO_DATABASE_URL="postgresql://sayso@127.0.0.1:1/sayso"
    )
    assert back.returncode == 1
    assert back.stderr.strip() == (
        f"{backup_file} is a backup of a SQLite database, but Sayso here uses PostgreSQL. "
        "Nothing was restored."
    )


def test_a_postgresql_backup_restores_every_table_into_the_scaled_modes_database(
    postgres: Postgres, tmp_path: Path
) -> None:
    """Backed up from one PostgreSQL database, then restored by `sayso restore --scaled` over
    the scaled mode's own `sayso` database, which held other rows."""
    original = postgres.new_database()
    rows = filled_database(original)
    file = tmp_path / "scaled.zip"
    made = run_sayso("backup", str(file), SAYSO_DATABASE_URL=original)
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(file) as archive:
        assert json.loads(archive.read("manifest.json"))["database"] == "postgresql"

    scaled_url = postgres.layout.database_url(SAYSO_DATABASE)
    postgres.create_database(SAYSO_DATABASE)
    engine = make_engine(scaled_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE left_behind (id integer)"))
    engine.dispose()
    scaled = {
        "SAYSO_PROFILE": "scaled",
        "SAYSO_SCALED_DATA_DIR": str(postgres.layout.data_dir),
        "SAYSO_SCALED_POSTGRES_PORT": str(postgres.layout.settings.scaled_postgres_port),
    }
    back = run_sayso("restore", str(file), **scaled)
    assert back.returncode == 0, back.stderr
    assert rows_in(scaled_url) == rows


def test_a_restore_that_fails_half_way_leaves_the_postgresql_database_as_it_was(
    postgres: Postgres, tmp_path: Path
) -> None:
    """A dump cut in half, with a checksum to match, gets past the checks; pg_restore then
    fails part of the way through, and nothing of the database may have changed."""
    original = postgres.new_database()
    rows = filled_database(original)
    file = tmp_path / "scaled.zip"
    assert run_sayso("backup", str(file), SAYSO_DATABASE_URL=original).returncode == 0
    with zipfile.ZipFile(file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        dump = archive.read("sayso.pgdump")
    cut = dump[: len(dump) // 2]
    manifest |= {"size": len(cut), "sha256": hashlib.sha256(cut).hexdigest()}
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("sayso.pgdump", cut)

    back = run_sayso("restore", str(file), SAYSO_DATABASE_URL=original)
    assert back.returncode == 1
    assert rows_in(original) == rows

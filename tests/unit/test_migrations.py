"""Schema migrations: an installation made before them is upgraded with every row kept, the
revisions make exactly the models, and a database newer than the code is refused.

The fixtures in tests/data/upgrade/ were made by main as it was before migrations (commit
c46b5d2): `create_all` of its models, and the rows of tests/support/sample_rows.py.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from bot import PROJECT_ROOT
from bot.ops.scaled import postgres_binaries
from bot.store.database import connect, make_engine
from bot.store.migrate import MODELS, SchemaError, head_revision, upgrade
from tests.support.command import run_sayso
from tests.support.postgres import Postgres
from tests.support.tables import columns_of, every_row

FIXTURES = PROJECT_ROOT / "tests" / "data" / "upgrade"
OLD_SQLITE = FIXTURES / "main-2026-12-07.db"
OLD_POSTGRES_DUMP = FIXTURES / "main-2026-12-07.postgresql.sql"


def revision_in(database: Path) -> list[tuple[str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchall()


def old_sqlite_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "sayso.db"
    shutil.copyfile(OLD_SQLITE, copy)
    return copy


def load_old_postgres(postgres: Postgres) -> str:
    """A new PostgreSQL database holding the dump of main before migrations, loaded by psql."""
    url = make_url(postgres.new_database())
    loaded = subprocess.run(
        [str(postgres_binaries() / "psql"), "-v", "ON_ERROR_STOP=1", "-q",
         "-h", str(url.host), "-p", str(url.port), "-U", str(url.username),
         "-f", str(OLD_POSTGRES_DUMP), str(url.database)],
        env={"PGPASSWORD": str(url.password), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    return url.render_as_string(hide_password=False)


def assert_upgrade_keeps_every_row(url: str) -> None:
    before_engine = connect(url)
    old_columns = columns_of(before_engine)
    before = every_row(before_engine)
    before_engine.dispose()
    assert all(before.values()), "the fixture should hold a row in every table"

    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (head_revision(),)
        ]
    assert every_row(engine, old_columns) == before
    engine.dispose()


def test_a_sqlite_database_from_before_migrations_is_upgraded_with_every_row_kept(
    tmp_path: Path,
) -> None:
    assert_upgrade_keeps_every_row(f"sqlite:///{old_sqlite_copy(tmp_path)}")


def test_a_postgresql_database_from_before_migrations_is_upgraded_with_every_row_kept(
    postgres: Postgres,
) -> None:
    assert_upgrade_keeps_every_row(load_old_postgres(postgres))


def test_an_older_installation_lacking_newer_tables_gets_them_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    """Before migrations, each start made whatever tables a version added, as these are."""
    database = old_sqlite_copy(tmp_path)
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TABLE follow_up_answers")
        connection.execute("DROP TABLE outcome_done")
    engine = connect(f"sqlite:///{database}")
    before = every_row(engine)
    change = upgrade(engine)
    after = every_row(engine)
    engine.dispose()
    assert change.made_before_migrations
    assert after["follow_up_answers"] == after["outcome_done"] == []
    assert {name: rows for name, rows in after.items() if name in before} == before


def test_the_upgrade_says_it_recognised_the_old_database_and_where_it_ended(
    tmp_path: Path,
) -> None:
    engine = connect(f"sqlite:///{old_sqlite_copy(tmp_path)}")
    change = upgrade(engine)
    engine.dispose()
    assert change.before is None and change.made_before_migrations
    assert change.describe() == (
        "Sayso's database was made before schema revisions; it matches revision 0001, "
        f"and is now at revision {head_revision()}."
    )


def test_a_new_database_is_made_by_the_revisions_and_says_so(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'new.db'}")
    made = upgrade(engine)
    again = upgrade(engine)
    engine.dispose()
    head = head_revision()
    assert made.describe() == f"Made Sayso's database tables (schema revision {head})."
    assert again.describe() == f"Sayso's database is up to date (schema revision {head})."


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_revisions_make_exactly_the_models(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """If this fails, a model changed without a revision: add one (see the README)."""
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'compare.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), MODELS)
    engine.dispose()
    assert differences == []


def test_processes_starting_together_on_one_postgresql_upgrade_it_once(
    postgres: Postgres,
) -> None:
    url = postgres.new_database()
    engines = [connect(url) for _ in range(4)]
    with ThreadPoolExecutor(len(engines)) as pool:
        changes = list(pool.map(upgrade, engines))
    for engine in engines:
        engine.dispose()
    assert sorted(change.before is None for change in changes) == [False, False, False, True]
    assert {change.after for change in changes} == {head_revision()}


def test_a_database_with_tables_sayso_did_not_make_is_refused_and_left_alone(
    tmp_path: Path,
) -> None:
    database = old_sqlite_copy(tmp_path)
    with sqlite3.connect(database) as connection:
        connection.execute("ALTER TABLE outcomes ADD COLUMN budget INTEGER")
    engine = connect(f"sqlite:///{database}")
    before = every_row(engine)
    with pytest.raises(SchemaError, match="these tables are not as Sayso made them: outcomes"):
        upgrade(engine)
    assert every_row(engine) == before
    assert "alembic_version" not in inspect(engine).get_table_names()
    engine.dispose()


def test_a_database_newer_than_the_code_stops_setup_with_a_plain_message(
    tmp_path: Path,
) -> None:
    database = tmp_path / "sayso.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = database.read_bytes()

    finished = run_sayso("setup", SAYSO_DATABASE_URL=f"sqlite:///{database}")
    assert finished.returncode == 1
    assert finished.stderr.strip() == (
        "Sayso stopped: Sayso's database is at schema revision 9999, which this version of "
        f"Sayso does not know (it knows up to {head_revision()}). A newer version of Sayso "
        "made it. Nothing was changed. Run that newer version, or restore a backup made by "
        "this one."
    )
    assert database.read_bytes() == before
    assert revision_in(database) == [("9999",)]


def test_sayso_setup_upgrades_an_old_installation_first_and_says_so(tmp_path: Path) -> None:
    database = old_sqlite_copy(tmp_path)
    answers = sqlite3.connect(database).execute("SELECT id, text FROM responses").fetchall()
    finished = run_sayso("setup", SAYSO_DATABASE_URL=f"sqlite:///{database}")
    assert finished.returncode == 0, finished.stderr
    first_line = finished.stdout.splitlines()[0]
    assert first_line == (
        "Sayso's database was made before schema revisions; it matches revision 0001, "
        f"and is now at revision {head_revision()}."
    )
    assert revision_in(database) == [(head_revision(),)]
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT id, text FROM responses").fetchall() == answers

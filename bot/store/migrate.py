"""Bring Sayso's database to the schema this code expects, with Alembic's revisions.

Every engine goes through `upgrade`, so there is one way a schema is made: by the revisions in
`bot/store/migrations/versions/`. A database made before migrations (by `create_all`, with no
`alembic_version` table) is recognised as the first revision once its tables are checked, so
an existing installation is upgraded, never emptied. A database newer than this code is left
alone, and start-up stops with a plain message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

from bot.store import board as _board  # noqa: F401  (their tables are Sayso's models too)
from bot.store import loop as _loop  # noqa: F401
from bot.store.schema import Base

logger = logging.getLogger(__name__)

#: Every table the code expects; the revisions must make exactly these.
MODELS: MetaData = Base.metadata
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
FIRST_REVISION = "0001"
#: Any fixed number: PostgreSQL's lock that lets one process at a time upgrade the schema.
UPGRADE_LOCK = 0x5A7_5011


class SchemaError(RuntimeError):
    """The database cannot be brought to this code's schema; nothing was changed."""


@dataclass(frozen=True)
class SchemaChange:
    """Where an upgrade started and ended. `before` is None for a database with no tables."""

    before: str | None
    after: str
    made_before_migrations: bool = False

    def describe(self) -> str:
        """One line for the person starting Sayso, and for the logs."""
        if self.made_before_migrations:
            return (
                f"Sayso's database was made before schema revisions; it matches revision "
                f"{FIRST_REVISION}, and is now at revision {self.after}."
            )
        if self.before is None:
            return f"Made Sayso's database tables (schema revision {self.after})."
        if self.before == self.after:
            return f"Sayso's database is up to date (schema revision {self.after})."
        return f"Upgraded Sayso's database from schema revision {self.before} to {self.after}."


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's settings in code, so no file or working folder is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = scripts().get_current_head()
    assert head is not None, "bot/store/migrations/versions has no revisions"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def check_known(revision: str | None) -> None:
    """Refuse a schema revision this code does not have: a newer Sayso made it."""
    if revision is None:
        return
    known = {script.revision for script in scripts().walk_revisions()}
    if revision not in known:
        raise SchemaError(
            f"Sayso's database is at schema revision {revision}, which this version of Sayso "
            f"does not know (it knows up to {head_revision()}). A newer version of Sayso made "
            "it. Nothing was changed. Run that newer version, or restore a backup made by "
            "this one."
        )


def upgrade(engine: Engine) -> SchemaChange:
    """Apply every revision the database lacks, in one transaction where the database can.

    Processes that start together on one PostgreSQL (replicas in a cluster) take turns: the
    first upgrades, the others then find the schema current.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
        before = current_revision(connection)
        head = head_revision()
        if before == head:
            return SchemaChange(before, head)
        check_known(before)
        made_before_migrations = before is None and _matches_first_revision(connection)
        _run_to_head(connection)
        change = SchemaChange(before, head, made_before_migrations)
    logger.info(change.describe())
    return change


def _run_to_head(connection: Connection) -> None:
    """What `alembic.command.upgrade` does, with the revisions read once per process.

    `command.upgrade` reads every revision file again on each call, which doubled the time
    to make a new database; the test suite makes about a thousand.
    """
    script = scripts()
    with EnvironmentContext(
        alembic_config(connection),
        script,
        fn=lambda revision, _context: script._upgrade_revs("head", revision),
        destination_rev="head",
    ):
        script.run_env()


def _matches_first_revision(connection: Connection) -> bool:
    """True if Sayso's tables are here without a revision; raise if they are not as expected.

    Tables of the first revision that are missing are made by it (`create_all` did the same
    on each start). A table with other columns than expected means the database is not one
    Sayso made, or was changed by hand: it is refused rather than guessed at.
    """
    expected: MetaData = scripts().get_revision(FIRST_REVISION).module.metadata
    inspector = inspect(connection)
    present = set(inspector.get_table_names()) & set(expected.tables)
    if not present:
        return False
    differing = sorted(
        name
        for name in present
        if {column["name"] for column in inspector.get_columns(name)}
        != {column.name for column in expected.tables[name].columns}
    )
    if differing:
        raise SchemaError(
            "Sayso's database has no schema revision, and these tables are not as Sayso made "
            f"them: {', '.join(differing)}. Nothing was changed. Restore a backup, or ask "
            "whoever changed the database."
        )
    return True

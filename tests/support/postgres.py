"""A throwaway PostgreSQL for tests, started by the scaled mode's own code.

It is the server `sayso run --scaled` runs, on a free port, in a temporary folder; each
`new_database` is an empty database on it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg2

from bot.config import get_settings
from bot.ops.processes import start_all
from bot.ops.scaled import PostgresServer, ScaledLayout, initialise_postgres
from tests.integration.conftest import free_port


@dataclass
class Postgres:
    layout: ScaledLayout

    def new_database(self) -> str:
        """The URL of a new, empty database on this server."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        self.create_database(name)
        return self.layout.database_url(name)

    def create_database(self, name: str) -> None:
        connection = psycopg2.connect(self.layout.database_url("postgres"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()


@contextmanager
def running_postgres() -> Iterator[Postgres]:
    # Not pytest's tmp_path: its folders are private to root, and PostgreSQL runs as `nobody`
    # when the tests run as root.
    folder = Path(tempfile.mkdtemp(prefix="sayso-postgres-"))
    settings = replace(
        get_settings(),
        scaled_data_dir=folder,
        scaled_postgres_port=free_port(),
        log_dir=folder / "logs",
    )
    layout = ScaledLayout(settings)
    initialise_postgres(layout)
    server = PostgresServer(layout)
    try:
        start_all([server], dict(os.environ))
        yield Postgres(layout)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

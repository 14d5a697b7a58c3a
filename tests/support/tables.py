"""Every row of every table, read the same way from SQLite and PostgreSQL, for comparing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

#: Alembic's own bookkeeping, not Sayso's data.
VERSION_TABLE = "alembic_version"

Rows = dict[str, list[dict[str, Any]]]


def columns_of(engine: Engine) -> dict[str, list[str]]:
    """Each of Sayso's tables and its columns, as the database has them."""
    tables = MetaData()
    tables.reflect(engine)
    return {
        name: [column.name for column in table.columns]
        for name, table in sorted(tables.tables.items())
        if name != VERSION_TABLE
    }


def every_row(engine: Engine, columns: dict[str, list[str]] | None = None) -> Rows:
    """Each table's rows in a stable order, as plain dictionaries.

    `columns` limits the reading to those tables and columns: what an older schema had, when
    comparing a database before and after an upgrade.
    """
    tables = MetaData()
    tables.reflect(engine)
    wanted = columns if columns is not None else columns_of(engine)
    with engine.connect() as connection:
        return {
            name: sorted(
                (
                    dict(row._mapping)
                    for row in connection.execute(
                        select(*(tables.tables[name].c[column] for column in names))
                    )
                ),
                key=repr,
            )
            for name, names in wanted.items()
        }

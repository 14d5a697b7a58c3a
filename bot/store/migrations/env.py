"""How Alembic reaches Sayso's database.

At run time `bot.store.migrate` hands over its own connection, so the upgrade runs inside the
caller's transaction. From the `alembic` command (e.g. `alembic revision --autogenerate`), it
connects to the configured database instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.config import get_settings
from bot.store.migrate import MODELS


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=MODELS,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run_migrations(given)
else:
    engine = create_engine(get_settings().database_url)
    with engine.begin() as connection:
        run_migrations(connection)
    engine.dispose()

"""Alembic's revisions of Sayso's own database; `bot.store.migrate` applies them."""

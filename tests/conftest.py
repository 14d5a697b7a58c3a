"""Fixtures shared by the whole suite: a fresh database with the shipped consultations, the
stand-in Telegram Bot API server, and a throwaway PostgreSQL for the tests that need one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot import PROJECT_ROOT
from bot.consultations.sync import sync_consultations
from bot.store.database import make_engine, session_scope
from tests.support.postgres import Postgres, running_postgres
from tests.telegram_api import FakeTelegram


@pytest.fixture()
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sayso.db'}"


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    """A new SQLite database holding the three example consultations."""
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        report = sync_consultations(session, PROJECT_ROOT / "consultations")
    assert not report.problems, report.problems
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def telegram_server() -> Iterator[FakeTelegram]:
    """A local server that speaks the Bot API and records what it was sent."""
    with FakeTelegram.running() as fake:
        yield fake


@pytest.fixture()
def telegram(telegram_server: FakeTelegram) -> FakeTelegram:
    """The stand-in Bot API, with nothing recorded and no failures set up by earlier tests."""
    telegram_server.clear()
    return telegram_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The scaled mode's PostgreSQL on a free port, started once for the tests that ask."""
    with running_postgres() as server:
        yield server

"""Start the real Sayso once per test run: `sayso run` with its own ports and databases.

The servers are the ones a newcomer gets from `make run`: the action server and the Rasa
server on loopback, talking over HTTP, with SQLite for answers and for Rasa's tracker.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import PROJECT_ROOT
from bot.config import SECRETS_FILE, read_env_file
from tests.telegram_api import FakeTelegram

STARTUP_SECONDS = 300
#: The secret token Telegram would send with each update to this test run's webhook.
TELEGRAM_SECRET = "telegram-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningSayso:
    rest_url: str
    rasa_url: str
    web_url: str
    worker_url: str
    action_port: int
    database: Path
    tracker_database: Path
    auth_token: str = field(repr=False)
    #: What `sayso run` printed, and the folder of its logs.
    output: Path = field(repr=False)
    log_dir: Path = field(repr=False)

    def send(self, sender: str, message: str, timeout: float = 30) -> list[dict[str, Any]]:
        """What the person sees after sending one message over the REST channel."""
        response = httpx.post(
            self.rest_url, json={"sender": sender, "message": message}, timeout=timeout
        )
        assert response.status_code == 200, response.text
        return response.json()

    def rows(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, parameters).fetchall()

    def tracker_rows(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.tracker_database) as connection:
            return connection.execute(sql, parameters).fetchall()


@pytest.fixture(scope="session")
def telegram_api() -> Iterator[FakeTelegram]:
    """A stand-in Bot API on loopback; Sayso's Telegram channel talks to it."""
    with FakeTelegram.running() as fake:
        yield fake


@pytest.fixture(scope="session")
def sayso(
    tmp_path_factory: pytest.TempPathFactory, telegram_api: FakeTelegram
) -> Iterator[RunningSayso]:
    workdir = tmp_path_factory.mktemp("sayso-run")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    worker_port = free_port()
    environment = {
        **os.environ,
        "SAYSO_DATABASE_URL": f"sqlite:///{workdir / 'sayso.db'}",
        "SAYSO_TRACKER_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "SAYSO_RASA_PORT": str(rasa_port),
        "SAYSO_ACTION_PORT": str(action_port),
        "SAYSO_WEB_PORT": str(web_port),
        "SAYSO_WORKER_PORT": str(worker_port),
        "SAYSO_LOG_DIR": str(workdir / "logs"),
        "SAYSO_TELEGRAM_WORKER_PORT": str(free_port()),
        **telegram_api.environment(TELEGRAM_SECRET),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=(workdir / "run.out").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    token = read_env_file(SECRETS_FILE)["SAYSO_RASA_AUTH_TOKEN"]
    rasa_url = f"http://127.0.0.1:{rasa_port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while b"Sayso is running" not in (workdir / "run.out").read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            output = (workdir / "run.out").read_text(errors="replace")
            pytest.fail(f"sayso run did not start:\n{output[-3000:]}")
        time.sleep(1)
    try:
        yield RunningSayso(
            rest_url=f"{rasa_url}/webhooks/rest/webhook",
            rasa_url=rasa_url,
            web_url=f"http://127.0.0.1:{web_port}",
            worker_url=f"http://127.0.0.1:{worker_port}",
            action_port=action_port,
            database=workdir / "sayso.db",
            tracker_database=workdir / "tracker.db",
            auth_token=token,
            output=workdir / "run.out",
            log_dir=workdir / "logs",
        )
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)

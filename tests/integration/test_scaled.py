"""The scaled mode: `sayso run --scaled` with PostgreSQL, Redis and two Rasa servers.

One conversation has its turns sent to the two Rasa servers in turn, as a load balancer
might; it must read as one conversation, with each answer stored once. Deleting one's data
must also empty PostgreSQL's copy of the conversation in Rasa's tracker store.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest

from bot import PROJECT_ROOT
from tests.integration.conftest import free_port
from tests.integration.test_rest_conversation import button, texts

pytestmark = pytest.mark.integration

STARTUP_SECONDS = 300
ERASURE_WAIT_SECONDS = 30


@dataclass
class ScaledRun:
    balancer_url: str
    rasa_urls: list[str]
    postgres_port: int
    data_dir: Path

    def send_to(self, server: int, sender: str, message: str) -> list[dict[str, Any]]:
        """What the person sees, with the message sent straight to one Rasa server."""
        response = httpx.post(
            f"{self.rasa_urls[server]}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def rows(self, database: str, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        password = (self.data_dir / "postgres-password").read_text().strip()
        connection = psycopg2.connect(
            host="127.0.0.1",
            port=self.postgres_port,
            user="sayso",
            password=password,
            dbname=database,
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, parameters)
                return cursor.fetchall()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def scaled() -> Iterator[ScaledRun]:
    # Not pytest's tmp_path: its folders are private to root, and PostgreSQL runs as `nobody`
    # when the tests run as root.
    data_dir = Path(tempfile.mkdtemp(prefix="sayso-scaled-"))
    rasa_ports, action_ports = [free_port(), free_port()], [free_port(), free_port()]
    balancer_port, postgres_port = free_port(), free_port()
    environment = {
        **os.environ,
        "SAYSO_PROFILE": "scaled",
        "SAYSO_SCALED_DATA_DIR": str(data_dir),
        "SAYSO_SCALED_POSTGRES_PORT": str(postgres_port),
        "SAYSO_SCALED_REDIS_PORT": str(free_port()),
        "SAYSO_SCALED_RASA_PORTS": ",".join(map(str, rasa_ports)),
        "SAYSO_SCALED_ACTION_PORTS": ",".join(map(str, action_ports)),
        "SAYSO_RASA_PORT": str(balancer_port),
        "SAYSO_ACTION_PORT": str(free_port()),
        "SAYSO_WEB_PORT": str(free_port()),
        "SAYSO_WORKER_PORT": str(free_port()),
        "SAYSO_LOG_DIR": str(data_dir / "logs"),
        "TELEGRAM_TOKEN": "",
    }
    output = data_dir / "run.out"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while b"Sayso is running" not in output.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=60)
            pytest.fail(f"sayso run --scaled did not start:\n{output.read_text()[-3000:]}")
        time.sleep(1)
    try:
        yield ScaledRun(
            balancer_url=f"http://127.0.0.1:{balancer_port}",
            rasa_urls=[f"http://127.0.0.1:{port}" for port in rasa_ports],
            postgres_port=postgres_port,
            data_dir=data_dir,
        )
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(data_dir, ignore_errors=True)


def test_turns_alternating_between_two_rasa_servers_make_one_conversation_stored_once(
    scaled: ScaledRun,
) -> None:
    sender = f"person-{uuid.uuid4().hex[:8]}"
    turns = iter(range(100))

    def send(message: str) -> list[dict[str, Any]]:
        return scaled.send_to(next(turns) % 2, sender, message)

    greeting = send("hiya")
    topics = send(button(greeting, "Yes, that's OK"))
    intro = send(button(topics, "Day centre opening hours"))
    assert texts(intro)[-1] == "When would you most like the day centre to be open?"
    step = send(button(intro, "Early morning"))
    assert texts(step)[-1] == "How well do the opening times work for you now?"
    send("2")
    send("yes")
    send("it was shut on christmas day and i had to wait in the rain")
    done = send("open at 7 please")
    assert "That was the last question" in " ".join(texts(done))

    rows = scaled.rows(
        "sayso",
        "SELECT q.key, r.text FROM responses r JOIN questions q ON q.id = r.question_id "
        "WHERE r.participant_id = (SELECT participant_id FROM responses "
        "WHERE text = 'open at 7 please' ORDER BY id DESC LIMIT 1) ORDER BY q.position",
    )
    assert [key for key, _ in rows] == [
        "best-time",
        "hours-now",
        "weekends",
        "shut-when-needed",
        "anything-else",
    ]
    user_turns = scaled.rows(
        "rasa_tracker",
        "SELECT count(*) FROM events WHERE sender_id = %s AND type_name = 'user'",
        sender,
    )
    assert user_turns == [(8,)]


def test_the_balancer_address_answers_like_one_assistant(scaled: ScaledRun) -> None:
    sender = f"person-{uuid.uuid4().hex[:8]}"
    url = f"{scaled.balancer_url}/webhooks/rest/webhook"
    greeting = httpx.post(url, json={"sender": sender, "message": "hi"}, timeout=60).json()
    topics = httpx.post(
        url, json={"sender": sender, "message": button(greeting, "Yes, that's OK")}, timeout=60
    ).json()
    assert "What would you like to talk about?" in texts(topics)[-1]


def test_delete_my_data_empties_the_postgresql_tracker_store_and_vacuums_it(
    scaled: ScaledRun,
) -> None:
    sender = f"erase-{uuid.uuid4().hex[:8]}"
    marker = f"zebracake{uuid.uuid4().hex[:6]}"
    greeting = scaled.send_to(0, sender, "hi")
    topics = scaled.send_to(1, sender, button(greeting, "Yes, that's OK"))
    question = scaled.send_to(0, sender, button(topics, "Food at the hostel"))
    scaled.send_to(1, sender, button(question, "Bad"))
    scaled.send_to(0, sender, f"i would love {marker} for pudding")
    assert scaled.rows("sayso", "SELECT count(*) FROM responses WHERE text LIKE %s", f"%{marker}%")
    assert scaled.rows(
        "rasa_tracker", "SELECT count(*) FROM events WHERE sender_id = %s", sender
    ) != [(0,)]

    confirm = scaled.send_to(1, sender, "delete my data")
    done = scaled.send_to(0, sender, button(confirm, "Yes, delete it all"))
    assert "I have deleted everything you told me" in done[0]["text"]

    deadline = time.monotonic() + ERASURE_WAIT_SECONDS
    while scaled.rows("rasa_tracker", "SELECT count(*) FROM events WHERE sender_id = %s", sender)[
        0
    ][0]:
        assert time.monotonic() < deadline, "Rasa's copy in PostgreSQL was not erased"
        time.sleep(1)
    assert scaled.rows(
        "sayso", "SELECT count(*) FROM responses WHERE text LIKE %s", f"%{marker}%"
    ) == [(0,)]

    while scaled.rows("sayso", "SELECT count(*) FROM tracker_erasures")[0][0]:
        assert time.monotonic() < deadline, "the erasure was not finished on disk"
        time.sleep(1)
    assert vacuumed(scaled, "rasa_tracker", "events")
    assert vacuumed(scaled, "sayso", "responses")


def vacuumed(scaled: ScaledRun, database: str, table: str) -> bool:
    """Whether a VACUUM has freed the table's dead rows, so their space is written over."""
    [(last,)] = scaled.rows(
        database, "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s", table
    )
    return last is not None

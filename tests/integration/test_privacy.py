"""Privacy and security against the running servers: erasure, secrets, loopback only."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

import pytest

from bot.config import SECRETS_FILE, read_env_file
from tests.integration.conftest import RunningSayso
from tests.integration.test_rest_conversation import agree, button
from tests.support.disk import raw_bytes

pytestmark = pytest.mark.integration

ERASURE_WAIT_SECONDS = 30


def every_text_value(database: Path) -> list[str]:
    """Every text value in every table of a SQLite database."""
    values = []
    with sqlite3.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                values.extend(str(value) for value in row if value is not None)
    return values


def erasure_unfinished(sayso: RunningSayso, sender: str) -> bool:
    """Rasa still holds the conversation, or the worker has not yet scrubbed the files."""
    events = sayso.tracker_rows("SELECT count(*) FROM events WHERE sender_id = ?", sender)
    pending = sayso.rows("SELECT count(*) FROM tracker_erasures")
    return bool(events[0][0] or pending[0][0])


def test_delete_my_data_leaves_no_trace_in_any_table_or_file_of_either_database(
    sayso: RunningSayso,
) -> None:
    sender = f"erase-{uuid.uuid4().hex[:8]}"
    marker = f"zebracake{uuid.uuid4().hex[:6]}"
    topics = agree(sayso, sender)
    question = sayso.send(sender, button(topics, "Food at the hostel"))
    sayso.send(sender, button(question, "Bad"))
    sayso.send(sender, f"i would love {marker} for pudding")
    [(participant_id,)] = sayso.rows(
        "SELECT participant_id FROM responses WHERE text LIKE ?", f"%{marker}%"
    )

    confirm = sayso.send(sender, "delete my data")
    done = sayso.send(sender, button(confirm, "Yes, delete it all"))
    assert "I have deleted everything you told me" in done[0]["text"]

    deadline = time.monotonic() + ERASURE_WAIT_SECONDS
    while erasure_unfinished(sayso, sender):
        assert time.monotonic() < deadline, "Rasa's copy of the conversation was not erased"
        time.sleep(1)

    for database in (sayso.database, sayso.tracker_database):
        values = " ".join(every_text_value(database))
        assert marker not in values
        assert participant_id not in values
        assert sender not in values
        assert marker.encode() not in raw_bytes(database), f"the words are still in {database}"


def test_private_keys_never_appear_in_logs_or_the_process_list(sayso: RunningSayso) -> None:
    agree(sayso, f"logs-{uuid.uuid4().hex[:6]}")
    secrets = [value for value in read_env_file(SECRETS_FILE).values() if len(value) > 8]
    logs = sayso.database.parent / "logs"
    written = " ".join(path.read_text(errors="replace") for path in logs.glob("*.log"))
    command_lines = " ".join(
        path.read_bytes().decode(errors="replace")
        for path in Path("/proc").glob("[0-9]*/cmdline")
        if path.exists()
    )
    for secret in secrets:
        assert secret not in written
        assert secret not in command_lines


def listening_addresses() -> dict[int, str]:
    """Port -> local address for every listening IPv4 TCP socket on this machine."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A":
            address, port = local.split(":")
            octets = [str(int(address[i : i + 2], 16)) for i in range(6, -1, -2)]
            found[int(port, 16)] = ".".join(octets)
    return found


def test_every_sayso_server_listens_on_loopback_only(sayso: RunningSayso) -> None:
    listening = listening_addresses()
    ports = [int(url.rsplit(":", 1)[1]) for url in (sayso.rasa_url, sayso.web_url)]
    ports.append(sayso.action_port)
    for port in ports:
        assert listening.get(port) == "127.0.0.1", f"port {port} listens on {listening.get(port)}"

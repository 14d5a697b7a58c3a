"""Safeguarding alerts, erasing Rasa's copy of a conversation, and retention."""

from __future__ import annotations

import http.server
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.config import load_settings
from bot.ops import worker
from bot.privacy.retention import apply_retention
from bot.store.database import session_scope
from bot.store.schema import Response, SafeguardingAlert, TrackerErasure
from tests.support.disk import raw_bytes
from tests.unit.chat import Chat


@pytest.fixture()
def settings(engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings pointing at the test database and a tracker database like Rasa's."""
    tracker = tmp_path / "tracker.db"
    with sqlite3.connect(tracker) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT,"
            " timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
    monkeypatch.setenv("SAYSO_DATABASE_URL", database_url)
    from bot.config import get_settings

    get_settings.cache_clear()
    yield replace(
        load_settings(),
        address_key=Fernet.generate_key().decode(),
        tracker_url=f"sqlite:///{tracker}",
    )
    get_settings.cache_clear()


def add_events(settings, sender: str, *timestamps: float) -> None:
    with sqlite3.connect(settings.tracker_url.removeprefix("sqlite:///")) as connection:
        for stamp in timestamps:
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data)"
                " VALUES (?, 'user', ?, ?)",
                (sender, stamp, json.dumps({"text": "my words"})),
            )


def tracker_senders(settings) -> list[str]:
    with sqlite3.connect(settings.tracker_url.removeprefix("sqlite:///")) as connection:
        return [row[0] for row in connection.execute("SELECT sender_id FROM events")]


def test_a_crisis_message_raises_an_alert_that_holds_none_of_the_words(engine, settings) -> None:
    chat = Chat(engine, settings=settings)
    chat.start("Food at the hostel")
    chat.say("my partner hits me when hes drunk", "share_view")

    with session_scope(engine) as session:
        [alert] = session.execute(select(SafeguardingAlert)).scalars()
        fields = [str(value) for value in vars(alert).values()]
    assert alert.category == "abuse"
    assert alert.consultation_id is not None
    assert not any("hits" in field or "drunk" in field for field in fields)


def test_delete_my_data_erases_the_rasa_conversation_once_the_turn_is_saved(
    engine, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(engine, settings=settings, sender_id="telegram-555")
    chat.start("Food at the hostel")
    chat.say("delete my data", "delete_data")
    chat.tap("Yes, delete it all")
    add_events(settings, "telegram-555", 1.0, 2.0)
    add_events(settings, "someone-else", 1.0)

    assert worker.erase_due_trackers(settings) == 0, "waits for Rasa to save the last turn"
    monkeypatch.setattr(worker, "ERASURE_DELAY", timedelta(0))
    assert worker.erase_due_trackers(settings) == 1

    assert tracker_senders(settings) == ["someone-else"]
    with session_scope(engine) as session:
        assert list(session.execute(select(TrackerErasure)).scalars()) == []


def test_erased_words_leave_the_files_of_both_databases(
    engine, settings, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(engine, settings=settings, sender_id="telegram-556")
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.say("the porridge tastes of marmalade-rhubarb", "share_view")
    add_events(settings, "telegram-556", 1.0)
    add_events(settings, "someone-else", 1.0)
    sayso_file = Path(database_url.removeprefix("sqlite:///"))
    tracker_file = Path(settings.tracker_url.removeprefix("sqlite:///"))
    assert b"marmalade-rhubarb" in raw_bytes(sayso_file)

    chat.say("delete my data", "delete_data")
    chat.tap("Yes, delete it all")
    monkeypatch.setattr(worker, "ERASURE_DELAY", timedelta(0))
    assert worker.erase_due_trackers(settings) == 1

    assert b"marmalade-rhubarb" not in raw_bytes(sayso_file)
    assert b"telegram-556" not in raw_bytes(tracker_file)
    assert tracker_senders(settings) == ["someone-else"]


@pytest.fixture()
def webhook() -> Iterator[tuple[str, list[dict]]]:
    """A duty worker's webhook on loopback that records what it is sent."""
    received: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/alerts", received
    server.shutdown()


def test_the_duty_worker_is_told_once_with_no_more_than_they_need(
    engine, settings, webhook
) -> None:
    url, received = webhook
    settings = replace(settings, alert_webhook_url=url)
    chat = Chat(engine, settings=settings)
    chat.agree()
    chat.say("im sleeping rough tonight and its minus 4 out", "share_view")

    assert worker.notify_alerts(settings) == 1
    assert worker.notify_alerts(settings) == 0
    [payload] = received
    assert payload["category"] == "cold"
    assert set(payload) == {"alert_id", "category", "channel", "consultation", "raised_at"}
    assert "minus" not in json.dumps(payload)


def test_retention_keeps_only_redacted_words_after_the_limit(engine, settings) -> None:
    chat = Chat(engine, settings=settings)
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.say("call me on 07700 900123 about breakfast", "share_view")
    now = datetime.now(UTC)
    add_events(settings, "recent-sender", now.timestamp())

    with session_scope(engine) as session:
        too_soon = apply_retention(session, settings.tracker_url, 30, True, now)
        later = apply_retention(session, settings.tracker_url, 30, True, now + timedelta(days=31))

    assert (too_soon.redacted, too_soon.tracker_events_deleted) == (0, 0)
    assert later.redacted == 2 and later.tracker_events_deleted == 1
    with session_scope(engine) as session:
        texts = list(session.execute(select(Response.text).order_by(Response.id)).scalars())
    assert texts == ["OK", "call me on [phone] about breakfast"]
    assert tracker_senders(settings) == []


def test_the_retention_job_leaves_no_original_words_in_the_files(
    engine, settings, database_url: str
) -> None:
    chat = Chat(engine, settings=settings)
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.say("ring me on 07700 900123 about breakfast", "share_view")
    add_events(settings, "old-sender", 1.0)
    sayso_file = Path(database_url.removeprefix("sqlite:///"))
    tracker_file = Path(settings.tracker_url.removeprefix("sqlite:///"))

    assert worker.enforce_retention(replace(settings, retention_days=0)) == 3

    assert b"07700 900123" not in raw_bytes(sayso_file)
    assert b"old-sender" not in raw_bytes(tracker_file)


def test_retention_can_delete_old_answers_outright(engine, settings) -> None:
    chat = Chat(engine, settings=settings)
    chat.start("Food at the hostel")
    chat.tap("OK")
    later = datetime.now(UTC) + timedelta(days=400)

    with session_scope(engine) as session:
        report = apply_retention(session, settings.tracker_url, 365, False, later)
    assert report.deleted == 1
    with session_scope(engine) as session:
        assert list(session.execute(select(Response)).scalars()) == []


def test_deleting_my_data_keeps_the_alert_count_but_not_whose_it_was(engine, settings) -> None:
    chat = Chat(engine, settings=settings)
    chat.start("Food at the hostel")
    chat.say("i want to kill myself", "crisis")
    chat.say("delete my data", "delete_data")
    chat.tap("Yes, delete it all")

    with session_scope(engine) as session:
        [alert] = session.execute(select(SafeguardingAlert)).scalars()
    assert alert.category == "self_harm"
    assert alert.participant_id is None

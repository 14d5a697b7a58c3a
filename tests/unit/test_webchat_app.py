"""The web chat app: the page and its files, forgetting a conversation, codes, and posters."""

from __future__ import annotations

import gzip
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot.cli import main as sayso
from bot.config import get_settings
from bot.store import dropin as dropin_store
from bot.store.database import session_scope
from bot.store.schema import utcnow
from bot.webchat.app import create_app
from bot.webchat.assist import assisted_by

SENDER = "web-" + "0123456789abcdef" * 2
OTHER_SENDER = "web-" + "f" * 32
#: A phone on a slow connection: the page, its styles and its script, as sent (gzip).
PAGE_BUDGET_BYTES = 20_000


@pytest.fixture()
def tracker_path(tmp_path: Path) -> Path:
    """A tracker database shaped like Rasa's SQLTrackerStore, holding two conversations."""
    path = tmp_path / "tracker.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
            "action_name VARCHAR(255), data TEXT)"
        )
        for sender, text in [(SENDER, "my son is ill"), (OTHER_SENDER, "the food is cold")]:
            connection.execute(
                "INSERT INTO events (sender_id, type_name, data) VALUES (?, 'user', ?)",
                (sender, f'{{"text": "{text}"}}'),
            )
    return path


@pytest.fixture()
def client(engine, database_url: str, tracker_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SAYSO_DATABASE_URL", database_url)
    monkeypatch.setenv("SAYSO_TRACKER_URL", f"sqlite:///{tracker_path}")
    monkeypatch.setenv("SAYSO_PARTICIPANT_ID_KEY", "test-key")
    monkeypatch.setenv("SAYSO_ADDRESS_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("SAYSO_RASA_PORT", "5999")
    monkeypatch.delenv("SAYSO_TELEGRAM_BOT_USERNAME", raising=False)
    monkeypatch.delenv("SAYSO_PUBLIC_URL", raising=False)
    get_settings.cache_clear()
    mounted = Starlette(routes=[Mount("/chat", app=create_app())])
    with TestClient(mounted, base_url="http://tablet.local") as test_client:
        yield test_client
    get_settings.cache_clear()


def test_the_page_says_it_is_a_bot_and_announces_new_messages(client: TestClient) -> None:
    page = client.get("/chat/").text
    assert "This is a bot, not a person." in page
    assert re.search(r'id="transcript"[^>]*role="log"[^>]*aria-live="polite"', page)
    assert 'data-rasa-url="http://tablet.local:5999"' in page


def test_only_the_app_and_rasa_are_allowed_and_nothing_comes_from_a_cdn(client: TestClient) -> None:
    response = client.get("/chat/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self' http://tablet.local:5999" in policy
    for path in ("/chat/", "/chat/kiosk", "/chat/static/chat.css", "/chat/static/chat.js"):
        text = client.get(path).text
        assert not re.search(r"(?:src|href)=\"https?://", text), path
        assert "@import" not in text


def test_the_page_is_small_enough_for_a_slow_connection(client: TestClient) -> None:
    sizes = {
        path: len(gzip.compress(client.get(path).content))
        for path in ("/chat/kiosk", "/chat/static/chat.css", "/chat/static/chat.js")
    }
    assert sum(sizes.values()) < PAGE_BUDGET_BYTES, sizes
    assert (
        client.get("/chat/static/chat.js", headers={"Accept-Encoding": "gzip"}).headers[
            "content-encoding"
        ]
        == "gzip"
    )


def test_kiosk_mode_has_a_finish_button_and_a_worker_code_box(client: TestClient) -> None:
    page = client.get("/chat/kiosk").text
    assert 'data-mode="kiosk"' in page
    assert 'id="finish"' in page and "Finish and clear" in page
    assert 'id="dropin-code"' in page
    assert 'id="finish"' not in client.get("/chat/").text


def tracker_texts(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT sender_id, data FROM events").fetchall()


def test_clearing_forgets_only_that_conversation_in_the_tracker(
    client: TestClient, tracker_path: Path
) -> None:
    response = client.post("/chat/clear", json={"sender": SENDER})

    assert response.status_code == 200
    assert tracker_texts(tracker_path) == [(OTHER_SENDER, '{"text": "the food is cold"}')]


@pytest.mark.parametrize("sender", ["12345", "web-XYZ", "", None, "web-" + "0" * 31 + "' OR 1=1"])
def test_clearing_refuses_anything_that_is_not_a_web_chat_id(
    client: TestClient, tracker_path: Path, sender: object
) -> None:
    assert client.post("/chat/clear", json={"sender": sender}).status_code == 400
    assert len(tracker_texts(tracker_path)) == 2


def test_a_worker_code_gives_a_token_that_marks_only_this_chat(client: TestClient) -> None:
    with session_scope() as session:
        label, code = dropin_store.create_dropin_code(session)
    response = client.post("/chat/assist", json={"sender": SENDER, "code": code.lower()})

    assert response.status_code == 200
    token = response.json()["token"]
    settings = get_settings()
    assert assisted_by(settings, {"assist": token}, SENDER) == label == "drop-in worker A"
    assert assisted_by(settings, {"assist": token}, OTHER_SENDER) is None


def test_wrong_worker_codes_are_refused_and_then_blocked(client: TestClient) -> None:
    with session_scope() as session:
        _, code = dropin_store.create_dropin_code(session)
    for _ in range(10):
        response = client.post("/chat/assist", json={"sender": SENDER, "code": "ABCD-2345"})
        assert response.json() == {"error": "code_wrong"}
    assert client.post("/chat/assist", json={"sender": SENDER, "code": code}).status_code == 429


def test_a_revoked_worker_code_no_longer_works(client: TestClient) -> None:
    with session_scope() as session:
        label, code = dropin_store.create_dropin_code(session, "outreach van")
        assert dropin_store.revoke_dropin_code(session, label)
    assert client.post("/chat/assist", json={"sender": SENDER, "code": code}).status_code == 403


def test_a_carry_on_code_opens_the_same_chat_on_a_phone(client: TestClient) -> None:
    made = client.post("/chat/carry-on", json={"sender": SENDER}).json()

    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", made["code"])
    assert made["url"] == "http://tablet.local/chat/"
    assert made["qr"].startswith("data:image/svg+xml")
    assert made["telegram_url"] is None
    resumed = client.post("/chat/resume", json={"code": made["code"].lower().replace("-", " ")})
    assert resumed.json() == {"sender": SENDER}
    assert client.post("/chat/resume", json={"code": "ABCD-2345"}).status_code == 404


def test_a_carry_on_code_stops_working_after_a_week(engine) -> None:
    with session_scope(engine) as session:
        code = dropin_store.create_carry_on_code(session, "secret", b"key")
        later = utcnow() + dropin_store.CARRY_ON_LIFETIME + timedelta(minutes=1)
        assert dropin_store.sender_for_carry_on_code(session, code, b"key") == "secret"
        assert dropin_store.sender_for_carry_on_code(session, code, b"key", now=later) is None


def test_the_telegram_link_opens_the_consultation_the_person_was_in(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAYSO_TELEGRAM_BOT_USERNAME", "@SaysoDropInBot")
    get_settings.cache_clear()
    made = client.post("/chat/carry-on", json={"sender": SENDER}).json()
    assert made["telegram_url"] == "https://t.me/SaysoDropInBot"
    assert made["telegram_qr"].startswith("data:image/svg+xml")


def test_a_poster_shows_the_consultation_and_its_qr_codes(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAYSO_PUBLIC_URL", "https://sayso.example.org/")
    get_settings.cache_clear()
    page = client.get("/chat/poster/hostel-food").text

    assert "<h1>Food at the hostel</h1>" in page
    assert "You will hear back by 19 February 2027." in page
    assert "https://sayso.example.org/chat/" in page
    assert page.count('src="data:image/svg+xml') == 1
    assert '<li lang="pl"><strong>Polski:</strong> Możesz odpowiadać po polsku.' in page
    assert "@page { size: A4" in client.get("/chat/static/poster.css").text

    monkeypatch.setenv("SAYSO_TELEGRAM_BOT_USERNAME", "SaysoDropInBot")
    get_settings.cache_clear()
    page = client.get("/chat/poster/hostel-food").text
    assert page.count('src="data:image/svg+xml') == 2
    assert "https://t.me/SaysoDropInBot?start=hostel-food" in page
    assert client.get("/chat/poster/no-such-thing").status_code == 404


def test_the_dropin_code_command_makes_lists_and_revokes_codes(
    engine, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("SAYSO_DATABASE_URL", database_url)
    get_settings.cache_clear()

    assert sayso(["dropin-code"]) == 0
    code = re.search(r"([A-Z2-9]{4}-[A-Z2-9]{4})", capsys.readouterr().out).group(1)
    assert sayso(["dropin-code", "--label", "outreach van"]) == 0
    capsys.readouterr()
    assert sayso(["dropin-code", "--list"]) == 0
    assert capsys.readouterr().out.split("\n")[:2] == ["drop-in worker A", "outreach van"]
    with session_scope() as session:
        assert dropin_store.label_for_dropin_code(session, code) == "drop-in worker A"
    assert sayso(["dropin-code", "--revoke", "drop-in worker A"]) == 0
    with session_scope() as session:
        assert dropin_store.label_for_dropin_code(session, code) is None
    get_settings.cache_clear()

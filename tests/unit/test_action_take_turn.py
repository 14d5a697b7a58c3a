"""The Rasa custom action, driven as the action server drives it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.take_turn import ActionTakeTurn
from bot.config import get_settings
from bot.conversation.words import words
from bot.privacy.pseudonyms import participant_id
from bot.store.database import session_scope
from bot.store.schema import Participant, Response


@pytest.fixture()
def configured(engine, database_url: str, monkeypatch: pytest.MonkeyPatch):
    """Point the action at the test database with a test key."""
    monkeypatch.setenv("SAYSO_DATABASE_URL", database_url)
    monkeypatch.setenv("SAYSO_PARTICIPANT_ID_KEY", "test-key")
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def tracker(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "12345",
            "slots": {},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.97},
                "entities": entities or [],
            },
            "events": [{"event": "user", "text": text, "input_channel": "rest"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run_action(text: str, intent: str, entities: list[dict[str, Any]] | None = None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionTakeTurn().run(dispatcher, tracker(text, intent, entities), {}))
    return dispatcher.messages, events


def test_greeting_is_sent_in_sayso_own_words_with_buttons(configured) -> None:
    messages, events = run_action("hi", "greet")

    assert messages[0]["text"] == words("utter_greet", service=get_settings().service_name)
    assert messages[1]["text"] == words("utter_consent")
    assert [button["payload"] for button in messages[1]["buttons"]] == [
        '/affirm{"option":"consent"}',
        '/deny{"option":"consent"}',
    ]
    assert events == [{"event": "slot", "timestamp": None, "name": "language", "value": "en"}]


def test_the_participant_is_stored_under_a_keyed_hash_never_the_sender_id(configured) -> None:
    run_action("hi", "greet")

    with session_scope(configured) as session:
        ids = list(session.execute(select(Participant.id)).scalars())
    assert ids == [participant_id("rest", "12345", b"test-key")]
    assert "12345" not in ids[0]


def test_a_button_payload_answers_with_the_option_and_question_entities(configured) -> None:
    run_action("hi", "greet")
    run_action("/affirm", "affirm")
    messages, _ = run_action(
        '/choose{"option":"hostel-food"}', "choose", [{"entity": "option", "value": "hostel-food"}]
    )
    question_button = messages[-1]["buttons"][0]
    assert messages[-1]["text"] == "How good is the food at the hostel now?"

    entities = [
        {"entity": "option", "value": "1"},
        {
            "entity": "question",
            "value": int(question_button["payload"].split('"question":')[1][:-1]),
        },
    ]
    messages, _ = run_action(question_button["payload"], "choose", entities)

    with session_scope(configured) as session:
        [answer] = session.execute(select(Response)).scalars()
    assert (answer.text, answer.value) == ("Very bad", "1")
    assert messages[-1]["text"] == "Which meal matters most to you?"


def test_a_fault_in_the_database_gets_a_plain_apology_not_silence(
    configured, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("SAYSO_DATABASE_URL", f"sqlite:///{tmp_path}/missing-dir/x.db")
    get_settings.cache_clear()

    messages, _ = run_action("hi", "greet")

    assert [message["text"] for message in messages] == [words("utter_something_went_wrong")]

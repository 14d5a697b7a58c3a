"""The actions as Rasa drives them: the language slot, the page language mark, assisted answers."""

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
from bot.store.database import session_scope
from bot.store.schema import Response
from bot.webchat.assist import assist_token

SENDER = "web-0123456789abcdef0123456789abcdef"


@pytest.fixture()
def configured(engine, database_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SAYSO_DATABASE_URL", database_url)
    monkeypatch.setenv("SAYSO_PARTICIPANT_ID_KEY", "test-key")
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def tracker(
    text: str,
    intent: str,
    channel: str = "webchat",
    language: str | None = None,
    metadata: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": SENDER,
            "slots": {"language": language},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.97},
                "entities": entities or [],
                "metadata": metadata or {},
            },
            "events": [{"event": "user", "text": text, "input_channel": channel}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def run(action, the_tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, the_tracker, {}))
    return dispatcher.messages, events


def test_asking_for_polish_is_answered_in_polish_in_the_same_turn(configured) -> None:
    messages, events = run(ActionTakeTurn(), tracker("polski", "nlu_fallback"))

    assert messages[0]["text"] == words("utter_language_changed", "pl")
    assert events == [{"event": "slot", "timestamp": None, "name": "language", "value": "pl"}]


def test_later_messages_follow_the_stored_language(configured) -> None:
    run(ActionTakeTurn(), tracker("română", "nlu_fallback"))

    messages, events = run(ActionTakeTurn(), tracker("hi", "greet", language="ro"))
    assert words("utter_greet", "ro", service=get_settings().service_name) in [
        message["text"] for message in messages
    ]
    assert events == []


def test_a_new_person_is_spoken_to_in_english(configured) -> None:
    messages, _ = run(ActionTakeTurn(), tracker("hi", "greet", channel="rest"))
    assert messages[0]["text"].startswith("Hi, I am Sayso.")


def test_the_web_chat_is_told_which_language_the_replies_are_in(configured) -> None:
    web, _ = run(ActionTakeTurn(), tracker("polski", "nlu_fallback", language="pl"))
    rest, _ = run(ActionTakeTurn(), tracker("hi", "greet", channel="rest", language="en"))

    assert web[-1]["custom"] == {"language": "pl"}
    assert all(not message.get("custom") for message in rest)


def answer_first_question(metadata: dict[str, Any] | None) -> Response:
    run(ActionTakeTurn(), tracker("hi", "greet"))
    run(ActionTakeTurn(), tracker("/affirm", "affirm"))
    messages, _ = run(
        ActionTakeTurn(),
        tracker("/choose", "choose", entities=[{"entity": "option", "value": "hostel-food"}]),
    )
    payload = [message for message in messages if message.get("buttons")][-1]["buttons"][0][
        "payload"
    ]
    question = int(payload.split('"question":')[1][:-1])
    run(
        ActionTakeTurn(),
        tracker(
            payload,
            "choose",
            metadata=metadata,
            entities=[
                {"entity": "option", "value": "1"},
                {"entity": "question", "value": question},
            ],
        ),
    )
    with session_scope() as session:
        return session.execute(select(Response)).scalar_one()


def test_a_signed_drop_in_token_marks_the_answer_as_assisted(configured) -> None:
    token = assist_token(get_settings(), "drop-in worker A", SENDER)
    assert answer_first_question({"assist": token}).assisted_by == "drop-in worker A"


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        {"assist": "drop-in worker A"},
        {"assist": "not.a.token"},
        {"assisted_by": "drop-in worker A"},
    ],
)
def test_without_a_genuine_token_an_answer_is_not_marked(configured, metadata) -> None:
    assert answer_first_question(metadata).assisted_by is None


def test_a_token_for_another_tablet_conversation_does_not_count(configured) -> None:
    token = assist_token(get_settings(), "drop-in worker A", "web-" + "f" * 32)
    assert answer_first_question({"assist": token}).assisted_by is None

"""Whole conversations over Rasa's REST channel, against the real servers and databases."""

from __future__ import annotations

import concurrent.futures
import json
import sqlite3
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.conftest import RunningSayso
from tests.support.rest_chat import button

pytestmark = pytest.mark.integration


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [message.get("text", "") for message in messages]


def new_sender() -> str:
    return f"person-{uuid.uuid4().hex[:8]}"


def agree(sayso: RunningSayso, sender: str) -> list[dict[str, Any]]:
    greeting = sayso.send(sender, "hi")
    return sayso.send(sender, button(greeting, "Yes, that's OK"))


def answers(sayso: RunningSayso) -> list[tuple[str, str | None]]:
    return sayso.rows("SELECT text, value FROM responses ORDER BY id")


def answers_of_question(sayso: RunningSayso, key: str) -> list[tuple[str, str | None]]:
    return sayso.rows(
        "SELECT r.text, r.value FROM responses r JOIN questions q ON q.id = r.question_id "
        "WHERE q.key = ? ORDER BY r.id",
        key,
    )


def test_a_person_completes_a_consultation_by_tapping_and_typing(sayso: RunningSayso) -> None:
    sender = new_sender()
    greeting = sayso.send(sender, "hiya")
    assert "I am a bot, not a person" in texts(greeting)[0]

    topics = sayso.send(sender, button(greeting, "Yes, that's OK"))
    assert "What would you like to talk about?" in texts(topics)[-1]

    intro = sayso.send(sender, button(topics, "Day centre opening hours"))
    shown = " ".join(texts(intro))
    assert "Staff make the final choice" in shown
    assert "You will hear back by 5 February 2027" in shown
    assert texts(intro)[-1] == "When would you most like the day centre to be open?"

    step = sayso.send(sender, button(intro, "Early morning"))
    assert texts(step)[-1] == "How well do the opening times work for you now?"
    step = sayso.send(sender, "2")
    step = sayso.send(sender, "yes")
    step = sayso.send(sender, "it was shut on christmas day and i had to wait in the rain")
    done = sayso.send(sender, "open at 7 please")
    assert "That was the last question" in " ".join(texts(done))

    sayso.send(sender, button(done, "Yes"))
    [(participant_id, agreed)] = sayso.rows(
        "SELECT p.id, p.consent_updates FROM participants p JOIN responses r "
        "ON r.participant_id = p.id WHERE r.text = 'open at 7 please'"
    )
    assert agreed == 1
    rows = sayso.rows(
        "SELECT q.key, r.text, r.value, r.channel FROM responses r "
        "JOIN questions q ON q.id = r.question_id WHERE r.participant_id = ? ORDER BY q.position",
        participant_id,
    )
    keys = [row[0] for row in rows]
    assert keys == ["best-time", "hours-now", "weekends", "shut-when-needed", "anything-else"]
    assert rows[0][1:] == ("Early morning", "early-morning", "rest")
    assert rows[1][2] == "2"
    assert rows[2][2] == "yes"
    assert rows[4][1] == "open at 7 please"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("help", "You can tap a button or type your answer."),
        ("wat do i do", "You can tap a button or type your answer."),
        ("can u say that again", "How good is the food at the hostel now?"),
        ("simpler words pls", "Is the food good?"),
        ("skip", "OK, we can skip that one."),
        ("i want to stop", "OK, we have stopped."),
        ("start again", "OK, let's start again."),
        ("can i talk to a real person", "You can talk to a person."),
        ("what happened to what i said", "You have not answered any questions yet."),
        ("delete my data", "Do you want me to delete everything you told me?"),
        ("are you a bot", "I am a bot, not a person."),
    ],
)
def test_each_request_works_in_the_middle_of_a_consultation(
    sayso: RunningSayso, typed: str, expected: str
) -> None:
    sender = new_sender()
    topics = agree(sayso, sender)
    sayso.send(sender, button(topics, "Food at the hostel"))

    replies = sayso.send(sender, typed)

    assert any(expected in text for text in texts(replies)), texts(replies)


def test_coming_back_later_offers_to_carry_on(sayso: RunningSayso) -> None:
    sender = new_sender()
    topics = agree(sayso, sender)
    question = sayso.send(sender, button(topics, "Moving on to your own home"))
    sayso.send(sender, button(question, "Quite ready"))
    sayso.send(sender, "stop")

    back = sayso.send(sender, "hello")
    assert "Welcome back" in texts(back)[0]
    carry_on = sayso.send(sender, button(back, "Yes"))
    assert texts(carry_on)[-1] == "What worries you most about moving on?"


def filed_under(sayso: RunningSayso, text: str) -> list[tuple[str | None]]:
    return sayso.rows(
        "SELECT c.slug FROM responses r LEFT JOIN consultations c ON c.id = r.consultation_id "
        "WHERE r.text = ?",
        text,
    )


def test_free_text_that_fits_a_consultation_is_filed_there_only_after_a_yes(
    sayso: RunningSayso,
) -> None:
    sender = new_sender()
    agree(sayso, sender)
    said = "the breakfast at the hostel is tiny and always cold"
    replies = sayso.send(sender, said)

    assert texts(replies)[-1] == "Thank you. Is this about Food at the hostel?"
    assert filed_under(sayso, said) == [(None,)], "kept as general feedback until a yes"
    replies = sayso.send(sender, button(replies, "Yes"))
    assert "I have added what you said to Food at the hostel" in texts(replies)[0]
    assert filed_under(sayso, said) == [("hostel-food",)]


def test_an_off_topic_message_becomes_general_feedback_after_no_something_else(
    sayso: RunningSayso,
) -> None:
    sender = new_sender()
    agree(sayso, sender)
    said = "the dinner queue is so long that the food is gone by the time i get there"
    replies = sayso.send(sender, said)
    assert "Is this about Food at the hostel?" in texts(replies)[-1]

    replies = sayso.send(sender, button(replies, "No, something else"))

    assert "kept what you said as general feedback" in texts(replies)[0]
    assert "What would you like to talk about?" in " ".join(texts(replies))
    assert filed_under(sayso, said) == [(None,)]


def test_words_about_no_open_consultation_are_kept_as_general_feedback_at_once(
    sayso: RunningSayso,
) -> None:
    sender = new_sender()
    agree(sayso, sender)
    said = "the showers have been cold for a week and nobody fixes them"
    replies = sayso.send(sender, said)

    assert "kept what you said as general feedback" in texts(replies)[0]
    assert filed_under(sayso, said) == [(None,)]


def test_a_polish_crisis_mid_consultation_gets_help_in_polish_and_alerts_staff(
    sayso: RunningSayso,
) -> None:
    sender = new_sender()
    topics = agree(sayso, sender)
    question = sayso.send(sender, button(topics, "Food at the hostel"))
    sayso.send(sender, button(question, "OK"))

    replies = sayso.send(sender, "chcę się zabić, nie dam rady dłużej")

    shown = " ".join(texts(replies))
    assert "999" in shown and "116 123" in shown
    assert "Martwię się tym, co piszesz" in shown, "the help is in Polish"
    assert sayso.rows("SELECT count(*) FROM safeguarding_alerts") >= [(1,)]


def test_a_crisis_message_mid_consultation_gets_help_at_once(sayso: RunningSayso) -> None:
    sender = new_sender()
    topics = agree(sayso, sender)
    question = sayso.send(sender, button(topics, "Food at the hostel"))
    sayso.send(sender, button(question, "OK"))

    replies = sayso.send(sender, "i dont want to be here anymore")

    shown = " ".join(texts(replies))
    assert "call 999" in shown and "116 123" in shown
    assert "Do you want to carry on with the questions?" in texts(replies)[-1]
    assert answers_of_question(sayso, "most-important-meal")[-1][0] == (
        "i dont want to be here anymore"
    )


# ---- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", "I did not get any words."),
        ("   ", "I did not get any words."),
        ("🙂🙂🙂", "Can you tell me a bit more in words?"),
        ('/choose{"option":"free-pizza"}', "that choice is not for this question"),
    ],
)
def test_odd_input_mid_question_gets_a_kind_reply_and_stores_nothing(
    sayso: RunningSayso, message: str, expected: str
) -> None:
    sender = new_sender()
    topics = agree(sayso, sender)
    sayso.send(sender, button(topics, "Food at the hostel"))
    before = len(answers(sayso))

    replies = sayso.send(sender, message)

    assert any(expected in text for text in texts(replies)), texts(replies)
    assert texts(replies)[-1] == "How good is the food at the hostel now?"
    assert len(answers(sayso)) == before


@pytest.mark.parametrize(
    "message",
    [
        "x" * 5000,
        "<script>alert('hi')</script> the food is <b>cold</b>",
        "Jedzenie jest zimne i nie ma warzyw każdego dnia",
    ],
    ids=["5000-characters", "html-and-script", "polish"],
)
def test_long_html_and_foreign_answers_are_stored_exactly(
    sayso: RunningSayso, message: str
) -> None:
    sender = new_sender()
    topics = agree(sayso, sender)
    question = sayso.send(sender, button(topics, "Food at the hostel"))
    sayso.send(sender, button(question, "Bad"))

    replies = sayso.send(sender, message)

    if "Piszesz po polsku?" in texts(replies)[-1]:
        replies = sayso.send(sender, button(replies, "English"))
    assert texts(replies)[-1] == "Do you need a special kind of food?"
    assert not any("<script>" in text for text in texts(replies))
    assert (message, None) in answers_of_question(sayso, "most-important-meal")


def test_an_unknown_intent_payload_gets_a_reply_not_silence(sayso: RunningSayso) -> None:
    sender = new_sender()
    agree(sayso, sender)
    replies = sayso.send(sender, "/launch_rockets")

    assert texts(replies), "Sayso must never be silent"


def test_malformed_json_is_refused_without_a_server_error(sayso: RunningSayso) -> None:
    response = httpx.post(
        sayso.rest_url,
        content=b'{"sender": "x", "message": ',
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert 400 <= response.status_code < 500


def test_a_second_message_while_the_first_is_handled_loses_and_duplicates_nothing(
    sayso: RunningSayso,
) -> None:
    sender = new_sender()
    topics = agree(sayso, sender)
    question = sayso.send(sender, button(topics, "Food at the hostel"))
    sayso.send(sender, button(question, "Good"))
    sayso.send(sender, "Dinner")
    sayso.send(sender, "No, I do not")
    sayso.send(sender, "yes")

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(sayso.send, sender, "more curry and rice")
        second = pool.submit(sayso.send, sender, "no")
        replies = [first.result(), second.result()]

    assert all(texts(reply) for reply in replies)
    participant = sayso.rows(
        "SELECT participant_id FROM responses WHERE text = 'more curry and rice'"
    )
    [(participant_id,)] = participant
    rows = sayso.rows(
        "SELECT q.key FROM responses r JOIN questions q ON q.id = r.question_id "
        "WHERE r.participant_id = ? ORDER BY q.position",
        participant_id,
    )
    assert [key for (key,) in rows] == [
        "food-now",
        "most-important-meal",
        "food-needs",
        "cook-for-yourself",
        "food-ideas",
        "join-menu-group",
    ]


def test_the_rasa_http_api_refuses_requests_without_the_token(sayso: RunningSayso) -> None:
    assert httpx.get(f"{sayso.rasa_url}/status", timeout=10).status_code == 401
    authorised = httpx.get(
        f"{sayso.rasa_url}/status", params={"token": sayso.auth_token}, timeout=10
    )
    assert authorised.status_code == 200


def understood(sayso: RunningSayso, sender: str, text: str) -> list[dict[str, Any]]:
    """How Rasa read each time this person sent `text`, from its tracker store."""
    rows = sayso.tracker_rows(
        "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", sender
    )
    events = [json.loads(data) for (data,) in rows]
    return [
        {key: event["parse_data"][key] for key in ("intent", "entities", "intent_ranking")}
        for event in events
        if event["text"] == text
    ]


def test_the_same_words_are_understood_the_same_every_time_they_are_sent(
    sayso: RunningSayso,
) -> None:
    first, second = new_sender(), new_sender()
    for sender in (first, second):
        agree(sayso, sender)
        sayso.send(sender, "what do i do")
        sayso.send(sender, "what do i do")
    parsed = httpx.post(
        f"{sayso.rasa_url}/model/parse",
        params={"token": sayso.auth_token},
        json={"text": "what do i do"},
        timeout=30,
    ).json()

    readings = understood(sayso, first, "what do i do") + understood(sayso, second, "what do i do")
    assert len(readings) == 4
    assert readings[0]["intent"]["name"] == "help"
    assert all(reading == readings[0] for reading in readings)
    assert {key: parsed[key] for key in readings[0]} == readings[0]


def test_a_turn_waiting_for_the_database_does_not_hold_other_people_up(
    sayso: RunningSayso,
) -> None:
    """While one person's turn waits for a busy database, the action server still answers:
    its health check now, and the waiting person as soon as the database is free."""
    sender = new_sender()
    agree(sayso, sender)
    with sqlite3.connect(sayso.database, isolation_level=None) as other_writer:
        other_writer.execute("BEGIN IMMEDIATE")  # as a long staff job writing would
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(sayso.send, sender, "the food is cold", 60)
            time.sleep(3)  # Rasa reads the message and calls the action, which waits
            health = httpx.get(f"http://127.0.0.1:{sayso.action_port}/health", timeout=8)
            still_waiting = not waiting.done()
            other_writer.execute("ROLLBACK")
            replies = waiting.result(timeout=60)
    assert health.status_code == 200
    assert still_waiting
    assert replies and "Sorry" not in " ".join(texts(replies))

"""Talking to Sayso in Polish or Romanian: switching any time, translated content, answers kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.consultations.sync import sync_consultations
from bot.conversation.turn import Turn
from bot.store.database import make_engine, session_scope
from bot.store.schema import Participant, Question, Response
from tests.unit.chat import Chat, names

TRANSLATED_CONSULTATION = """
slug: laundry
title: Using the laundry
summary: We want to make the laundry easier to use.
ladder_rung: consultation
who_decides: The hostel manager decides.
opens_on: 2026-11-01
closes_on: 2027-01-31
feedback_due_on: 2027-02-19
questions:
  - key: laundry-now
    kind: scale
    prompt: How easy is it to wash your clothes here?
    easy_read: Is it easy to wash clothes?
    options: [Very hard, Hard, OK, Easy, Very easy]
  - key: best-day
    kind: choice
    prompt: Which day do you most need the laundry?
    options: [Weekdays, Weekends]
  - key: ideas
    kind: free_text
    prompt: What would make the laundry better?
translations:
  pl:
    title: Pralnia
    summary: Chcemy, żeby pralnia była łatwiejsza.
    questions:
      laundry-now:
        prompt: Czy łatwo tu wyprać ubrania?
        options: [Bardzo trudno, Trudno, Może być, Łatwo, Bardzo łatwo]
      best-day:
        prompt: Kiedy najbardziej potrzebujesz pralni?
        options: [Dni robocze, Weekendy]
"""


@pytest.fixture()
def laundry_engine(tmp_path: Path) -> Iterator[Engine]:
    folder = tmp_path / "consultations"
    folder.mkdir()
    (folder / "laundry.yml").write_text(TRANSLATED_CONSULTATION, encoding="utf-8")
    engine = make_engine(f"sqlite:///{tmp_path / 'sayso.db'}")
    with session_scope(engine) as session:
        assert not sync_consultations(session, folder).problems
    yield engine
    engine.dispose()


def texts(replies) -> list[str]:
    return [reply.text for reply in replies if reply.text]


def stored(engine: Engine) -> list[Response]:
    with session_scope(engine) as session:
        return list(session.execute(select(Response).order_by(Response.id)).scalars())


def language_of(chat: Chat) -> str:
    with session_scope(chat.engine) as session:
        return session.get(Participant, chat.participant_id).language


def test_asking_for_polish_first_greets_and_asks_consent_with_polish_buttons(engine) -> None:
    chat = Chat(engine)
    replies = chat.say("polski")

    assert names(replies) == ["utter_language_changed", "utter_greet", "utter_consent"]
    assert [(b.title, b.payload) for b in replies[-1].buttons] == [
        ("Tak, zgadzam się", '/affirm{"option":"consent"}'),
        ("Nie, dziękuję", '/deny{"option":"consent"}'),
    ]
    assert language_of(chat) == "pl"


def test_switching_language_mid_consultation_keeps_answers_and_the_place(engine) -> None:
    chat = Chat(engine)
    chat.start("Food at the hostel")
    chat.tap("OK")
    before = [(row.question_id, row.text) for row in stored(engine)]

    replies = chat.say("română")

    assert names(replies)[:2] == ["utter_language_changed", "utter_question_number"]
    assert texts(replies) == ["Care masă contează cel mai mult pentru tine?"]
    assert [(row.question_id, row.text) for row in stored(engine)] == before
    assert language_of(chat) == "ro"

    chat.tap(chat.button_titles()[1])
    assert [row.value for row in stored(engine)][-1] == "lunch"


def test_switching_back_to_english_turns_the_buttons_back(engine) -> None:
    chat = Chat(engine)
    chat.say("polski")
    chat.say("english")

    assert chat.button_titles() == ["Yes, that's OK", "No thanks"]
    assert language_of(chat) == "en"


def test_a_translated_consultation_is_asked_in_polish_and_stored_by_stable_values(
    laundry_engine: Engine,
) -> None:
    chat = Chat(laundry_engine)
    chat.say("po polsku")
    chat.tap("Tak, zgadzam się")
    assert chat.button_titles() == ["Pralnia"]

    intro = chat.tap("Pralnia")
    assert texts(intro)[0] == "Pralnia. Chcemy, żeby pralnia była łatwiejsza."
    assert texts(intro)[-1] == "Czy łatwo tu wyprać ubrania?"
    assert chat.button_titles() == ["Bardzo trudno", "Trudno", "Może być", "Łatwo", "Bardzo łatwo"]

    chat.tap("Łatwo")
    typed = chat.say("weekendy")
    last = chat.say("suszarka jest zepsuta")

    rows = stored(laundry_engine)
    assert [(row.text, row.value) for row in rows] == [
        ("Easy", "4"),
        ("weekendy", "weekends"),
        ("suszarka jest zepsuta", None),
    ]
    assert texts(typed) == ["What would make the laundry better?"]
    assert "utter_other_language" not in names(last)
    assert names(last)[0] == "utter_all_done"
    assert last[0].params["feedback_due"] == "19 lutego 2027"


def test_payloads_are_the_same_in_every_language(laundry_engine: Engine) -> None:
    payloads = {}
    for language in ("english", "polski", "română"):
        chat = Chat(laundry_engine, participant_id=f"p-{language}")
        chat.say(language)
        chat.tap(chat.button_titles()[0])
        chat.tap(chat.button_titles()[0])
        payloads[language] = [button.payload for reply in chat.last for button in reply.buttons]
    assert payloads["english"] == payloads["polski"] == payloads["română"]


def test_simpler_words_stay_in_the_person_language_when_there_are_some(
    laundry_engine: Engine,
) -> None:
    chat = Chat(laundry_engine)
    chat.say("polski")
    chat.tap("Tak, zgadzam się")
    chat.tap("Pralnia")

    assert texts(chat.say("prościej", "simpler")) == ["Czy łatwo tu wyprać ubrania?"]


def test_answers_given_with_a_worker_are_marked_and_a_later_own_answer_is_not(
    engine,
) -> None:
    chat = Chat(engine)
    chat.start("Food at the hostel")

    with session_scope(engine) as session:
        first = session.execute(select(Question).where(Question.key == "food-now")).scalar_one()
        first_id = first.id
    chat._turn(
        Turn(
            chat.participant_id,
            "webchat",
            "/choose",
            "choose",
            1.0,
            option="3",
            question_id=first_id,
            from_button=True,
            assisted_by="drop-in worker A",
        )
    )
    chat.tap("Lunch")

    assert [(row.text, row.assisted_by) for row in stored(engine)] == [
        ("OK", "drop-in worker A"),
        ("Lunch", None),
    ]

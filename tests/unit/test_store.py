"""The store keeps answers safe when content changes, and never duplicates an answer."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bot import PROJECT_ROOT
from bot.consultations.loader import load_consultation_file
from bot.consultations.sync import sync_consultations
from bot.store import consultations as consultation_store
from bot.store import participants as participant_store
from bot.store import responses as response_store
from bot.store.database import session_scope
from bot.store.schema import Consultation, Question, Response

FOOD = PROJECT_ROOT / "consultations" / "hostel-food.yml"


def answer_first_question(engine, text: str = "Bad") -> None:
    with session_scope(engine) as session:
        consultation = consultation_store.get_consultation_by_slug(session, "hostel-food")
        question = consultation_store.first_question(consultation)
        participant_store.get_or_create_participant(session, "p-1", "rest")
        response_store.save_answer(session, "p-1", question, text, "2", "rest")


def test_editing_a_prompt_keeps_the_answers_already_given(engine) -> None:
    answer_first_question(engine)
    spec = load_consultation_file(FOOD)
    first = replace(spec.questions[0], prompt="What do you think of the food now?")
    with session_scope(engine) as session:
        consultation_store.save_consultation(
            session, replace(spec, questions=(first, *spec.questions[1:]))
        )

    with session_scope(engine) as session:
        [(prompt, answer)] = session.execute(
            select(Question.prompt, Response.text).join(
                Response, Response.question_id == Question.id
            )
        ).all()
    assert (prompt, answer) == ("What do you think of the food now?", "Bad")


def test_a_question_dropped_from_the_file_is_retired_not_deleted(engine) -> None:
    answer_first_question(engine)
    spec = load_consultation_file(FOOD)
    with session_scope(engine) as session:
        consultation_store.save_consultation(session, replace(spec, questions=spec.questions[1:]))

    with session_scope(engine) as session:
        consultation = consultation_store.get_consultation_by_slug(session, "hostel-food")
        live = [question.key for question in consultation_store.active_questions(consultation)]
        assert "food-now" not in live and len(live) == 5
        assert session.execute(select(func.count(Response.id))).scalar_one() == 1


def test_answering_twice_replaces_the_answer(engine) -> None:
    answer_first_question(engine, "Bad")
    answer_first_question(engine, "Good")

    with session_scope(engine) as session:
        assert list(session.execute(select(Response.text)).scalars()) == ["Good"]


def test_an_unchanged_file_does_not_undo_a_change_made_by_staff(engine, tmp_path: Path) -> None:
    folder = tmp_path / "consultations"
    shutil.copytree(PROJECT_ROOT / "consultations", folder)
    with session_scope(engine) as session:
        consultation_store.get_consultation_by_slug(session, "hostel-food").status = "closed"

    with session_scope(engine) as session:
        report = sync_consultations(session, folder)
    assert "hostel-food" in report.unchanged

    with session_scope(engine) as session:
        assert (
            consultation_store.get_consultation_by_slug(session, "hostel-food").status == "closed"
        )


def test_a_new_file_is_offered_without_retraining(engine, tmp_path: Path) -> None:
    folder = tmp_path / "consultations"
    shutil.copytree(PROJECT_ROOT / "consultations", folder)
    text = (
        FOOD.read_text()
        .replace("slug: hostel-food", "slug: laundry")
        .replace("title: Food at the hostel", "title: Laundry at the hostel")
    )
    (folder / "laundry.yml").write_text(text)

    with session_scope(engine) as session:
        report = sync_consultations(session, folder)
        titles = [
            item.title for item in consultation_store.open_consultations(session, date(2026, 12, 1))
        ]
    assert report.loaded == ("laundry",)
    assert "Laundry at the hostel" in titles


def test_only_open_consultations_within_their_dates_are_offered(engine) -> None:
    with session_scope(engine) as session:
        before = consultation_store.open_consultations(session, date(2026, 10, 1))
        during = consultation_store.open_consultations(session, date(2026, 12, 1))
        session.execute(select(Consultation)).scalars().first().status = "closed"
    with session_scope(engine) as session:
        after_close = consultation_store.open_consultations(session, date(2026, 12, 1))
    assert before == []
    assert len(during) == 3
    assert len(after_close) == 2

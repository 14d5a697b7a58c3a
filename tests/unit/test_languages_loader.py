"""Consultation files can carry Polish and Romanian words, checked against the English ones."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.consultations.loader import ConsultationError, Problem, parse_consultation
from bot.consultations.spec import QuestionTranslation
from bot.store.consultations import save_consultation
from bot.store.database import make_engine, session_scope
from bot.store.translations import words_for


def form(translations: object = None) -> dict:
    data = {
        "slug": "laundry",
        "title": "Using the laundry",
        "summary": "We want to make the laundry easier to use.",
        "ladder_rung": "consultation",
        "who_decides": "The hostel manager decides.",
        "opens_on": "2026-12-01",
        "closes_on": "2027-01-31",
        "feedback_due_on": "2027-02-28",
        "questions": [
            {"key": "day", "kind": "choice", "prompt": "Which day?", "options": ["Mon", "Tue"]},
            {"key": "ideas", "kind": "free_text", "prompt": "What would help?"},
        ],
    }
    if translations is not None:
        data["translations"] = translations
    return data


def problems_of(data: dict) -> list[Problem]:
    with pytest.raises(ConsultationError) as caught:
        parse_consultation(data, "staff form")
    return list(caught.value.problems)


def test_a_consultation_without_translations_is_unchanged() -> None:
    assert parse_consultation(form(), "staff form").translations == ()


def test_translations_are_read_per_language_and_question() -> None:
    spec = parse_consultation(
        form(
            {
                "pl": {
                    "title": "Pralnia",
                    "questions": {
                        "day": {"prompt": "Który dzień?", "options": ["Pon", "Wt"]},
                    },
                },
                "ro": {"summary": "Vrem o spălătorie mai ușor de folosit."},
            }
        ),
        "staff form",
    )
    polish, romanian = spec.translations
    assert (polish.language, polish.title, polish.summary) == ("pl", "Pralnia", None)
    assert polish.questions == (
        QuestionTranslation(
            key="day", prompt="Który dzień?", easy_read=None, option_labels=("Pon", "Wt")
        ),
    )
    assert (romanian.language, romanian.questions) == ("ro", ())


@pytest.mark.parametrize(
    ("translations", "field", "reason_part"),
    [
        ({"de": {"title": "Wäsche"}}, "translations.de", "not a language Sayso offers"),
        ("pl", "translations", "must list languages"),
        ({"pl": {"titel": "Pralnia"}}, "translations.pl.titel", "Did you mean 'title'?"),
        ({"pl": {"questions": {"dya": {"prompt": "?"}}}}, "translations.pl.questions.dya",
         "Did you mean 'day'?"),
        ({"pl": {"questions": {"day": {"options": ["Pon"]}}}},
         "translations.pl.questions.day.options", "the English has 2"),
        ({"pl": {"questions": {"ideas": {"options": ["A", "B"]}}}},
         "translations.pl.questions.ideas.options", "no buttons"),
        ({"pl": {"questions": {"day": {"options": ["Pon", "x" * 41]}}}},
         "translations.pl.questions.day.options[1]", "40 or fewer"),
        ({"pl": {"title": ""}}, "translations.pl.title", "is empty"),
    ],
)  # fmt: skip
def test_a_translation_mistake_names_its_field_and_what_to_do(
    translations: object, field: str, reason_part: str
) -> None:
    problems = problems_of(form(translations))
    matching = [problem for problem in problems if problem.field == field]
    assert len(matching) == 1, problems
    assert reason_part in matching[0].reason


def test_translations_are_saved_and_read_back_with_english_where_missing(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sayso.db'}")
    spec = parse_consultation(
        form({"pl": {"title": "Pralnia", "questions": {"day": {"options": ["Pon", "Wt"]}}}}),
        "staff form",
    )
    with session_scope(engine) as session:
        consultation = save_consultation(session, spec)
        day = consultation.questions[0]
        polish = words_for(session, consultation, "pl")
        assert (polish.title, polish.summary) == (
            "Pralnia",
            "We want to make the laundry easier to use.",
        )
        assert polish.question(day) == "Which day?"
        assert [polish.option_label(day, option) for option in day.options] == ["Pon", "Wt"]
        assert words_for(session, consultation, "ro").title == "Using the laundry"

        save_consultation(session, parse_consultation(form(), "staff form"))
        assert words_for(session, consultation, "pl").title == "Using the laundry"
    engine.dispose()


ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["pl", "ro", "de", "title", "questions", "day", "prompt",
                                       "options", "easy_read"]) | st.text(max_size=5),
                      children, max_size=4),
    max_leaves=15,
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ANY_VALUE)
def test_any_translations_value_gives_a_consultation_or_problems_never_a_crash(value) -> None:
    data = copy.deepcopy(form())
    data["translations"] = value
    try:
        parse_consultation(data, "staff form")
    except ConsultationError as error:
        assert all(problem.reason for problem in error.problems)

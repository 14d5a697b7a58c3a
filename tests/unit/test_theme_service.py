"""Stored answers become themes staff can shape, and re-theming never undoes their work."""

from __future__ import annotations

import pytest

from bot.nlp import get_nlp
from bot.staff.summaries import theme_detail, themed_summary
from bot.store import participants as participant_store
from bot.store import themes as theme_store
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import session_scope
from bot.store.responses import save_answer
from bot.themes.service import theme_question
from bot.themes.shaping import (
    ShapingError,
    merge_themes,
    move_answer,
    rename_theme,
    set_theme_status,
    split_theme,
)
from tests.support.answers import FOOD, SHOWERS


@pytest.fixture(scope="module", autouse=True)
def _load_model_once() -> None:
    get_nlp()


def answer(engine, person: str, text: str) -> int:
    """Store one person's answer to the hostel-food free-text question; return its id."""
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        question = next(q for q in consultation.questions if q.key == "food-ideas")
        participant_store.get_or_create_participant(session, person, "web")
        return save_answer(session, person, question, text, None, "web").id


def run_theming(engine, fresh: bool = False):
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        question = next(q for q in consultation.questions if q.key == "food-ideas")
        return theme_question(session, question, fresh=fresh)


def themes_now(engine) -> dict[str, set[int]]:
    """Label to the answer ids in it, as staff would see them now."""
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        return {
            theme.label: {m.response_id for m in theme.memberships}
            for theme in theme_store.themes_for_consultation(session, consultation.id)
        }


def theme_id(engine, label: str) -> int:
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        return next(
            t.id
            for t in theme_store.themes_for_consultation(session, consultation.id)
            if t.label == label
        )


@pytest.fixture()
def themed(engine) -> dict[str, list[int]]:
    """Twelve answers about food and showers, themed once."""
    ids = {
        "food": [answer(engine, f"food-{n}", text) for n, text in enumerate(FOOD)],
        "showers": [answer(engine, f"shower-{n}", text) for n, text in enumerate(SHOWERS)],
    }
    run_theming(engine)
    return ids


def label_holding(themes: dict[str, set[int]], answer_id: int) -> str:
    return next(label for label, members in themes.items() if answer_id in members)


def test_stored_answers_are_grouped_into_food_and_shower_themes(engine, themed) -> None:
    themes = themes_now(engine)
    assert {frozenset(m) for m in themes.values()} == {
        frozenset(themed["food"]),
        frozenset(themed["showers"]),
    }
    assert "food" in label_holding(themes, themed["food"][0]).lower()
    assert "shower" in label_holding(themes, themed["showers"][0]).lower()


def test_labels_and_quotes_never_carry_personal_details(engine) -> None:
    for n in range(4):
        answer(engine, f"dave-{n}", f"dave smith says the food is cold, ring 07700 900{n}12")
    answer(engine, "other-1", "the food is cold")
    answer(engine, "other-2", "food is always cold at night")
    run_theming(engine)
    labels = " ".join(themes_now(engine)).lower()
    assert "dave" not in labels and "smith" not in labels and "07700" not in labels


def test_new_answers_join_the_theme_staff_renamed_and_nothing_moves(engine, themed) -> None:
    food_label = label_holding(themes_now(engine), themed["food"][0])
    with session_scope(engine) as session:
        rename_theme(session, theme_id(engine, food_label), "Meals")
    before = themes_now(engine)
    late = answer(engine, "late-1", "the food is cold and the portions are small")
    report = run_theming(engine)
    after = themes_now(engine)
    assert report.placed_in_existing == 1 and report.new_themes == 0
    assert after["Meals"] == before["Meals"] | {late}
    for label, members in before.items():
        assert members <= after[label]


def test_answers_on_a_new_topic_become_a_new_draft_theme(engine, themed) -> None:
    before = themes_now(engine)
    laundry = [
        answer(engine, f"laundry-{n}", text)
        for n, text in enumerate(
            (
                "the washing machine is broken again",
                "washing machine eats my clothes",
                "we need a second washing machine",
                "the washing machine takes ages",
            )
        )
    ]
    report = run_theming(engine)
    after = themes_now(engine)
    assert report.new_themes >= 1
    assert {label: after[label] for label in before} == before
    new_labels = {label_holding(after, answer_id) for answer_id in laundry}
    assert not new_labels & set(before)


def test_a_fresh_start_regroups_only_what_nobody_touched(engine, themed) -> None:
    themes = themes_now(engine)
    shower_label = label_holding(themes, themed["showers"][0])
    washing = theme_id(engine, shower_label)
    with session_scope(engine) as session:
        rename_theme(session, washing, "Washing")
        move_answer(session, themed["food"][0], washing)
    report = run_theming(engine, fresh=True)
    after = themes_now(engine)
    assert after["Washing"] == set(themed["showers"]) | {themed["food"][0]}
    assert report.kept_in_place == len(after["Washing"])
    assert set(themed["food"][1:]) <= set().union(
        *(m for name, m in after.items() if name != "Washing")
    )


def test_merge_keeps_every_answer_and_can_take_a_new_name(engine, themed) -> None:
    themes = themes_now(engine)
    ids = [theme_id(engine, label) for label in themes]
    with session_scope(engine) as session:
        merged = merge_themes(session, ids, "Daily life")
    after = themes_now(engine)
    assert list(after) == ["Daily life"]
    assert after["Daily life"] == set(themed["food"]) | set(themed["showers"])
    with session_scope(engine) as session:
        assert theme_store.get_theme(session, merged.id).staff_named


def test_split_moves_the_chosen_answers_to_a_new_named_theme(engine, themed) -> None:
    food_label = label_holding(themes_now(engine), themed["food"][0])
    portions = [themed["food"][1], themed["food"][2]]
    with session_scope(engine) as session:
        split_theme(session, theme_id(engine, food_label), portions, "Portion sizes")
    after = themes_now(engine)
    assert after["Portion sizes"] == set(portions)
    assert after[food_label] == set(themed["food"]) - set(portions)
    answer(engine, "late-2", "portions are small")
    run_theming(engine)
    assert set(portions) <= themes_now(engine)["Portion sizes"]


def test_moving_the_last_answer_out_removes_the_empty_theme(engine, themed) -> None:
    themes = themes_now(engine)
    shower_label = label_holding(themes, themed["showers"][0])
    food_id = theme_id(engine, label_holding(themes, themed["food"][0]))
    with session_scope(engine) as session:
        for answer_id in themed["showers"]:
            move_answer(session, answer_id, food_id)
    assert shower_label not in themes_now(engine)


def test_shaping_mistakes_are_explained(engine, themed) -> None:
    themes = themes_now(engine)
    food_id = theme_id(engine, label_holding(themes, themed["food"][0]))
    shower_label = label_holding(themes, themed["showers"][0])
    with session_scope(engine) as session:
        with pytest.raises(ShapingError, match="already called"):
            rename_theme(session, food_id, shower_label.upper())
        with pytest.raises(ShapingError, match="at least 2"):
            merge_themes(session, [food_id])
        with pytest.raises(ShapingError, match="Leave at least 1"):
            split_theme(session, food_id, themed["food"], "All of it")
        with pytest.raises(ShapingError, match="only answers that are in this theme"):
            split_theme(session, food_id, [themed["showers"][0]], "Wrong")
        with pytest.raises(ShapingError, match="draft or published"):
            set_theme_status(session, food_id, "secret")
        with pytest.raises(ShapingError, match="Enter a name"):
            rename_theme(session, food_id, "   ")


def test_publishing_survives_re_theming(engine, themed) -> None:
    themes = themes_now(engine)
    food_id = theme_id(engine, label_holding(themes, themed["food"][0]))
    with session_scope(engine) as session:
        set_theme_status(session, food_id, "published")
    answer(engine, "late-3", "more hot food")
    run_theming(engine, fresh=True)
    with session_scope(engine) as session:
        assert theme_store.get_theme(session, food_id).status == "published"


def test_a_person_deleting_their_data_takes_their_answer_out_of_its_theme(engine, themed) -> None:
    with session_scope(engine) as session:
        participant_store.delete_participant(session, "food-0")
    themes = themes_now(engine)
    assert themed["food"][0] not in set().union(*themes.values())
    assert set(themed["food"][1:]) <= set().union(*themes.values())


def test_only_free_text_questions_are_themed(engine) -> None:
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        scale = next(q for q in consultation.questions if q.kind == "scale")
        with pytest.raises(ValueError, match="free-text"):
            theme_question(session, scale)


def test_staff_see_a_polish_answer_as_written_with_a_note_of_its_language(engine, themed) -> None:
    polish = answer(engine, "pl-1", "proszę o większe porcje jedzenia")
    run_theming(engine)
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        shown = [
            quote
            for question in themed_summary(session, consultation)
            for theme in question.themes
            for quote in theme.quotes
        ]
        detail = theme_detail(session, theme_store.theme_of_answers(session, [polish])[polish])
    assert label_holding(themes_now(engine), polish) == label_holding(
        themes_now(engine), themed["food"][0]
    )
    in_detail = next(a for a in detail.answers if a.id == polish)
    assert (in_detail.text, in_detail.language) == (
        "proszę o większe porcje jedzenia",
        "Polish",
    )
    assert all(q.language is None for q in shown if q.id != polish)

"""The theming engine groups answers the way staff would expect, and copes with odd input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlp import get_nlp
from bot.themes import Answer, ExistingTheme, ProposedTheme, assign_to_existing, propose_themes
from tests.support.answers import FOOD, SHOWERS

EVAL_SET = Path(__file__).resolve().parent.parent / "data" / "theming_eval.yml"


@pytest.fixture(scope="module", autouse=True)
def _load_model_once() -> None:
    get_nlp()


def as_answers(texts: list[str] | tuple[str, ...], first_id: int = 1) -> list[Answer]:
    return [Answer(id=first_id + n, text=text) for n, text in enumerate(texts)]


def theme_of(themes: list[ProposedTheme], answer_id: int) -> ProposedTheme:
    return next(t for t in themes if answer_id in t.answer_ids)


def assert_every_answer_once(themes: list[ProposedTheme], answers: list[Answer]) -> None:
    placed = [i for t in themes for i in t.answer_ids]
    assert sorted(placed) == sorted(a.id for a in answers)


@pytest.fixture(scope="module")
def food_and_showers() -> tuple[list[Answer], list[ProposedTheme]]:
    answers = as_answers(FOOD + SHOWERS)
    return answers, propose_themes(answers)


def test_food_and_shower_answers_form_two_themes(food_and_showers) -> None:
    answers, themes = food_and_showers
    food_ids = {a.id for a in answers if a.text in FOOD}
    shower_ids = {a.id for a in answers if a.text in SHOWERS}
    assert {frozenset(t.answer_ids) for t in themes} == {frozenset(food_ids), frozenset(shower_ids)}


def test_labels_use_the_words_people_wrote(food_and_showers) -> None:
    answers, themes = food_and_showers
    food_theme = theme_of(themes, answers[0].id)
    shower_theme = theme_of(themes, answers[-1].id)
    assert "food" in food_theme.label.lower()
    assert "shower" in shower_theme.label.lower()
    assert any("food" in phrase for phrase in food_theme.key_phrases)


def test_quotes_are_two_or_three_members_of_their_theme(food_and_showers) -> None:
    _, themes = food_and_showers
    for theme in themes:
        assert 2 <= len(theme.quote_ids) <= 3
        assert set(theme.quote_ids) <= set(theme.answer_ids)


@pytest.fixture(scope="module")
def labelled_set() -> tuple[list[Answer], list[ProposedTheme]]:
    rows = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))["responses"]
    answers = as_answers([row["text"] for row in rows])
    return answers, propose_themes(answers)


def test_every_labelled_answer_lands_in_exactly_one_theme(labelled_set) -> None:
    answers, themes = labelled_set
    assert_every_answer_once(themes, answers)


def test_themes_come_largest_first_with_other_last(labelled_set) -> None:
    _, themes = labelled_set
    named = [t for t in themes if t.label != "Other"]
    sizes = [len(t.answer_ids) for t in named]
    assert sizes == sorted(sizes, reverse=True)
    assert len(named) <= 8
    assert [t.label for t in themes[len(named) :]] in ([], ["Other"])


def test_labels_are_short_plain_and_distinct(labelled_set) -> None:
    _, themes = labelled_set
    stop_words = get_nlp().Defaults.stop_words
    labels = [t.label for t in themes]
    assert len(set(labels)) == len(labels)
    for label in (label for label in labels if label != "Other"):
        assert 1 <= len(label.split()) <= 5
        assert label[0].isupper()
        assert label.lower() not in stop_words
        assert label.split()[0].lower() not in stop_words


def test_max_themes_caps_the_named_themes(labelled_set) -> None:
    answers, _ = labelled_set
    themes = propose_themes(answers[:120], max_themes=3)
    assert len([t for t in themes if t.label != "Other"]) <= 3
    assert_every_answer_once(themes, answers[:120])


def test_no_answers_gives_no_themes() -> None:
    assert propose_themes([]) == []


def test_one_answer_becomes_one_theme_named_from_it() -> None:
    themes = propose_themes([Answer(id=9, text="the food is always cold")])
    assert len(themes) == 1
    assert themes[0].answer_ids == (9,)
    assert themes[0].quote_ids == (9,)
    assert "food" in themes[0].label.lower() or "cold" in themes[0].label.lower()


def test_two_unrelated_answers_are_not_forced_into_a_named_theme() -> None:
    answers = as_answers(["the food is cold", "fix the broken shower"])
    themes = propose_themes(answers)
    assert_every_answer_once(themes, answers)
    assert [t.label for t in themes] == ["Other"]


def test_duplicate_answers_stay_together_and_are_quoted_once() -> None:
    answers = as_answers(["food"] * 4 + ["showers"] * 4)
    themes = propose_themes(answers)
    assert_every_answer_once(themes, answers)
    food_theme = theme_of(themes, answers[0].id)
    assert set(food_theme.answer_ids) == {a.id for a in answers[:4]}
    assert len(food_theme.quote_ids) == 1


def test_emoji_only_answers_go_to_other() -> None:
    answers = as_answers([*FOOD, "😀😀👍", "🙏"])
    themes = propose_themes(answers)
    assert_every_answer_once(themes, answers)
    other = theme_of(themes, answers[-1].id)
    assert other.label == "Other"
    assert answers[-2].id in other.answer_ids


def test_html_is_read_as_text_and_never_shown_as_a_label() -> None:
    answers = as_answers(["<p>The <b>food</b> is cold &amp; late</p>", "<div>more food</div>"])
    themes = propose_themes(answers)
    assert [t.label for t in themes] == ["Food"]
    assert not any("<" in phrase or "&" in phrase for phrase in themes[0].key_phrases)


def test_a_5000_character_answer_is_themed_with_the_rest() -> None:
    rambling = ("the food here is cold and the portions are small " * 100)[:5000]
    answers = as_answers([*FOOD, *SHOWERS, rambling])
    themes = propose_themes(answers)
    assert_every_answer_once(themes, answers)
    assert "food" in theme_of(themes, answers[-1].id).label.lower()


def test_answers_in_other_languages_each_land_somewhere() -> None:
    answers = as_answers([*FOOD, "la comida es muy mala", "personel jest niemiły"])
    themes = propose_themes(answers)
    assert_every_answer_once(themes, answers)
    assert theme_of(themes, answers[-1].id).label == "Other"


def test_same_answers_give_the_same_themes_twice() -> None:
    rows = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))["responses"]
    answers = as_answers([row["text"] for row in rows[::3]])
    assert propose_themes(answers) == propose_themes(answers)


def test_invalid_max_themes_is_refused() -> None:
    with pytest.raises(ValueError):
        propose_themes(as_answers(FOOD), max_themes=0)


STAFF_THEMES = [
    ExistingTheme(id=10, label="Food", answer_texts=FOOD),
    ExistingTheme(id=20, label="Showers and washing", answer_texts=SHOWERS),
]


def test_an_obvious_food_answer_joins_the_food_theme() -> None:
    new = [Answer(id=1, text="the dinners are cold and there isnt enough food")]
    assert assign_to_existing(new, STAFF_THEMES) == {1: 10}


def test_a_misspelt_shower_answer_joins_the_shower_theme() -> None:
    new = [Answer(id=2, text="the showr was freezing again")]
    assert assign_to_existing(new, STAFF_THEMES) == {2: 20}


def test_nonsense_and_emoji_fit_no_theme() -> None:
    new = [Answer(id=3, text="purple elephant trumpet"), Answer(id=4, text="🙏🙏")]
    assert assign_to_existing(new, STAFF_THEMES) == {3: None, 4: None}


def test_staff_label_alone_attracts_matching_answers() -> None:
    renamed = [*STAFF_THEMES, ExistingTheme(id=30, label="Opening hours", answer_texts=())]
    new = [Answer(id=5, text="longer opening hours at the weekend")]
    assert assign_to_existing(new, renamed) == {5: 30}


def test_new_answers_are_never_put_in_other() -> None:
    themes = [*STAFF_THEMES, ExistingTheme(id=99, label="Other", answer_texts=("rent is high",))]
    new = [Answer(id=6, text="my rent is too high")]
    assert assign_to_existing(new, themes) == {6: None}


def test_assigning_leaves_existing_themes_as_they_were() -> None:
    before = list(STAFF_THEMES)
    assign_to_existing(as_answers(["more food", "hot showers"]), STAFF_THEMES)
    assert before == STAFF_THEMES


def test_nothing_new_means_nothing_assigned() -> None:
    assert assign_to_existing([], STAFF_THEMES) == {}
    assert assign_to_existing(as_answers(["more food"]), []) == {1: None}

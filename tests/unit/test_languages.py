"""Sayso speaks English, Polish and Romanian: asking for a language, and every word it says."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.languages import (
    BUTTON_TITLES,
    LANGUAGES,
    TRANSLATED_LANGUAGES,
    button_title,
    plain_date,
    requested_language,
)
from bot.plain_language import long_sentences
from bot.webchat.words import PAGE_WORDS

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def variants_by_language(name: str) -> dict[str, str]:
    """A response's text per language; the variant without a condition is English."""
    texts: dict[str, str] = {}
    for variant in DOMAIN["responses"][name]:
        conditions = variant.get("condition") or []
        language = next(
            (item["value"] for item in conditions if item.get("name") == "language"), "en"
        )
        texts[language] = variant["text"]
    return texts


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("polski", "pl"),
        ("Polski", "pl"),
        ("po polsku", "pl"),
        ("polish please", "pl"),
        ("română", "ro"),
        ("Romana!", "ro"),
        ("limba română vă rog", "ro"),
        ("in romana", "ro"),
        ("english", "en"),
        ("ENGLISH PLEASE", "en"),
        ("angielski", "en"),
        ("engleză", "en"),
    ],
)
def test_typing_a_language_name_asks_for_that_language(typed: str, language: str) -> None:
    assert requested_language(typed) == language


@pytest.mark.parametrize(
    "typed",
    [
        "I am Polish and the food is bad",
        "polski jedzenie jest zimne",
        "the english lessons were good",
        "yes",
        "/affirm",
        "",
    ],
)
def test_an_answer_that_mentions_a_language_is_not_a_request(typed: str) -> None:
    assert requested_language(typed) is None


def test_dates_read_naturally_in_each_language() -> None:
    day = date(2027, 2, 19)
    assert plain_date(day) == "19 February 2027"
    assert plain_date(day, "pl") == "19 lutego 2027"
    assert plain_date(day, "ro") == "19 februarie 2027"


def test_sayso_own_buttons_have_words_in_every_language() -> None:
    for title, translations in BUTTON_TITLES.items():
        assert set(translations) == set(TRANSLATED_LANGUAGES), title
        assert all(long_sentences(text) == [] for text in translations.values())
    assert button_title("Yes", "pl") == "Tak"
    assert button_title("Breakfast", "pl") == "Breakfast"
    assert button_title("Yes", "en") == "Yes"


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_every_response_has_polish_and_romanian_with_the_same_placeholders(name: str) -> None:
    texts = variants_by_language(name)
    assert set(texts) == set(LANGUAGES), f"{name} needs a variant for each of {LANGUAGES}"
    english_placeholders = sorted(PLACEHOLDER.findall(texts["en"]))
    for language, text in texts.items():
        assert sorted(PLACEHOLDER.findall(text)) == english_placeholders, (name, language)


def test_the_language_slot_is_set_by_the_one_action_and_never_steers_the_dialogue() -> None:
    slot = DOMAIN["slots"]["language"]
    assert slot["type"] == "categorical"
    assert sorted(slot["values"]) == sorted(LANGUAGES)
    assert slot["influence_conversation"] is False
    assert slot["mappings"] == [{"type": "custom"}]
    assert DOMAIN["actions"] == ["action_take_turn"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_web_page_has_all_its_words_in_each_language(language: str) -> None:
    english = PAGE_WORDS["en"]
    words = PAGE_WORDS[language]
    assert set(words) == set(english)
    for key, text in words.items():
        assert text.strip(), key
        assert long_sentences(text) == [], key
        assert PLACEHOLDER.findall(text) == PLACEHOLDER.findall(english[key]), key

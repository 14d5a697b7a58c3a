"""The safeguarding detector: what a person in crisis types gets help, ordinary answers do not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safeguarding import CATEGORIES, Concern, detect

EVAL_SET = Path(__file__).resolve().parents[1] / "data" / "safeguarding_eval.yml"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i want to kill myself", "self_harm"),
        ("i've been cutting my arms again", "self_harm"),
        ("i dont want to be here anymore", "self_harm"),
        ("honestly whats the point anymore", "self_harm"),
        ("i wont be around much longer", "self_harm"),
        ("gave my stuff away today", "self_harm"),
        ("food is ok but honestly i want to end it", "self_harm"),
        ("he hits me when he's drunk", "abuse"),
        ("my stepdad touched me", "abuse"),
        ("my partner won't let me leave the flat", "abuse"),
        ("they make me sell drugs from my flat", "abuse"),
        ("he's outside my door with a knife", "danger"),
        ("my ex said he's going to kill me", "danger"),
        ("someone is trying to break in", "danger"),
        ("i've taken an overdose", "medical"),
        ("my mate isn't breathing", "medical"),
        ("i cant breathe", "medical"),
        ("sleeping outside tonight and its freezing", "cold"),
        ("i'm in a doorway and it's snowing", "cold"),
        ("got nowhere to sleep tonight", "cold"),
    ],
)
def test_clear_crisis_messages_get_the_right_category(text: str, category: str) -> None:
    concern = detect(text)
    assert concern is not None
    assert concern.category == category


@pytest.mark.parametrize(
    "text",
    [
        "im gonna kms",
        "i might kys tbh",
        "gonna unalive myself",
        "i dont wanna live",
        "cant go on",
        "im sooo done wiv life",
        "i want 2 die",
        "i want to diiiie",
        "thinkin bout killin myself",
        "im suicdal",
        "su1cide",
    ],
)
def test_text_speak_and_typos_are_still_caught(text: str) -> None:
    assert detect(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "they kill the wifi at 11",
        "the food is to die for",
        "I was homeless for 2 years but I'm ok now",
        "the staff are killing it",
        "dying for a cuppa",
        "the heating is freezing in the lounge",
        "hit the shops after",
        "my phone died",
        "i used to self harm but i'm doing much better now",
        "the suicide prevention training for staff is a good idea",
        "whats the point of filling this in if nothing changes",
        "my back is killing me",
    ],
)
def test_ordinary_answers_about_hard_topics_raise_nothing(text: str) -> None:
    assert detect(text) is None


def test_the_most_urgent_concern_wins() -> None:
    concern = detect("he hits me and tonight i took all my pills")
    assert concern is not None
    assert concern.category == "medical"


def test_the_cue_is_a_short_phrase_not_the_message() -> None:
    message = "the food is ok and the staff are kind " * 20 + "but i want to kill myself"
    concern = detect(message)
    assert concern is not None
    assert concern.cue in {"kill myself", "want to kill myself"}
    assert len(concern.cue.split()) <= 8


def test_a_crisis_at_the_end_of_a_long_answer_is_found() -> None:
    concern = detect("the day centre is great. " * 400 + "i'm going to end my life tonight")
    assert concern == Concern("self_harm", "end my life")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀😀🙏",
        "a" * 5000,
        "word " * 1000,
        "<script>alert('x')</script><b>hello</b> &amp; thanks",
        "<p>the food is fine</p>",
        "1234 5678 !!!",
    ],
)
def test_empty_emoji_long_and_markup_input_returns_none(text: str) -> None:
    assert detect(text) is None


def test_markup_does_not_hide_a_crisis() -> None:
    assert detect("<p>i want to <b>kill myself</b></p>") is not None


def test_categories_are_the_five_named() -> None:
    assert CATEGORIES == ("self_harm", "abuse", "danger", "medical", "cold")


def test_labelled_eval_set_meets_recall_and_false_positive_targets() -> None:
    """The English rounds the patterns were tuned on; later rounds and other languages are the
    meaning layer's (tests/unit/test_safeguarding_meaning.py)."""
    items = [
        item
        for item in yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))["items"]
        if item.get("round", 1) <= 3
    ]
    crises = [item for item in items if item["label"] != "none"]
    ordinary = [item for item in items if item["label"] == "none"]
    assert len(crises) >= 330 and len(ordinary) >= 330
    assert {item["label"] for item in crises} == set(CATEGORIES)
    caught = sum(detect(item["text"]) is not None for item in crises)
    flagged = sum(detect(item["text"]) is not None for item in ordinary)
    assert caught / len(crises) >= 0.95
    assert flagged / len(ordinary) <= 0.05

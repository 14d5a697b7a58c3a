"""The meaning layer itself: the real encoder, loaded from the installed wheel."""

from __future__ import annotations

import numpy as np
import pytest

from bot.meaning import DIMENSIONS, encode, encode_one, similarity
from bot.meaning.centring import centred
from bot.meaning.language import guess_language


def test_texts_that_mean_the_same_are_closer_than_texts_that_do_not() -> None:
    cold_food, hot_meals, benefits = encode(
        ["the dinners are always cold", "we need hot meals", "my universal credit stopped"]
    )
    assert similarity(cold_food, hot_meals)[0, 0] > similarity(cold_food, benefits)[0, 0]


def test_polish_and_english_about_food_meet_once_the_language_is_taken_out() -> None:
    texts = [
        "jedzenie w hostelu jest okropne",
        "the food at the hostel is awful",
        "the showers are broken",
    ]
    polish, english, showers = centred(encode(texts), ["pl", "en", "en"])
    assert polish @ english > polish @ showers


def test_one_batch_gives_the_same_vectors_as_one_at_a_time() -> None:
    texts = ["more veg please", "the doors shut at 3", "chcę ciepłe śniadanie"]
    batched = encode(texts)
    for row, text in zip(batched, texts, strict=True):
        assert np.allclose(row, encode_one(text), atol=1e-5)


@pytest.mark.parametrize(
    "text", ["", "   ", "👍👍👍", "x" * 5000, "hi Привет 你好 cześć", "<b>a</b>"]
)
def test_odd_input_gives_a_finite_unit_vector(text: str) -> None:
    vector = encode_one(text)
    assert vector.shape == (DIMENSIONS,)
    assert np.isfinite(vector).all()
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_a_kept_short_text_cannot_be_changed_by_a_caller() -> None:
    first = encode_one("yes")
    first[:] = 0
    assert np.linalg.norm(encode_one("yes")) > 0.9


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Jedzenie w hostelu jest okropne", "pl"),
        ("jedzenie w hostelu jest okropne i nie ma warzyw", "pl"),
        ("mancarea e foarte rea aici si nu e destula", "ro"),
        ("Mâncarea e rece în fiecare zi", "ro"),
        ("the food is cold every day and there is no veg", "en"),
        ("yes", None),
        ("ok", None),
        ("👍", None),
    ],
)
def test_the_language_is_guessed_only_when_it_is_clear(text: str, language: str | None) -> None:
    assert guess_language(text) == language

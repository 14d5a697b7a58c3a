"""How Sayso tells odd input apart: blank, emoji only, another language."""

from __future__ import annotations

import pytest

from bot.conversation.input_checks import is_blank, is_emoji_only, looks_like_another_language


@pytest.mark.parametrize(
    "text",
    [
        "Jedzenie jest zimne i nie ma warzyw każdego dnia",
        "Jedzenie jest zimne i nie ma warzyw",
        "Mâncarea de la cămin este foarte rece",
        "Еда холодная каждый день",
        "الطعام بارد",
    ],
)
def test_other_languages_are_recognised(text: str) -> None:
    assert looks_like_another_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "the food is cold and there is never any veg",
        "more hot food at weekends pls",
        "the café on the corner is better than the hostel",
        "ok",
        "dinner",
        "i dont know tbh",
    ],
)
def test_english_as_people_type_it_is_not_taken_for_another_language(text: str) -> None:
    assert not looks_like_another_language(text)


def test_blank_and_emoji_only() -> None:
    assert is_blank(" \n\t") and not is_blank(" a ")
    assert is_emoji_only("👍🙂") and is_emoji_only("??")
    assert not is_emoji_only("👍 yes") and not is_emoji_only("")

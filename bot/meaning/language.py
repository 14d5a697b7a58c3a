"""Which of Sayso's languages a piece of free text is written in.

People type Polish and Romanian on English phone keyboards, often without ą, ł, ș or ț, so
letters alone do not tell. Function words do: spaCy's stop-word lists for each language, also
with the accents taken off, count for that language, and letters only one language uses add
weight. A guess needs a clear lead, so a short or mixed message gives None rather than a wrong
guess; Sayso only ever *offers* a switch on it, and never switches by itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.pl.stop_words import STOP_WORDS as POLISH_STOP_WORDS
from spacy.lang.ro.stop_words import STOP_WORDS as ROMANIAN_STOP_WORDS

from bot.languages import without_accents

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LETTERS_ONLY_IN = {"pl": set("ąćęłńśźż"), "ro": set("ășțşţ")}
#: Common words of each language that spaCy's lists lack, or that people type on phones.
_EXTRA_WORDS = {
    "en": {"u", "ur", "im", "dont", "cant", "wont", "pls", "plz", "ok", "ya", "yeah", "gonna",
           "wanna", "its", "thats", "isnt"},
    "pl": {"jest", "nie", "sie", "się", "mam", "chce", "chcę", "juz", "już", "bo", "ze", "że",
           "jak", "tu", "mnie", "mi", "nic", "czy", "dla", "tylko", "bardzo", "prosze", "proszę"},
    "ro": {"nu", "si", "și", "sa", "să", "am", "vreau", "este", "e", "mai", "pe", "ca", "că",
           "la", "cu", "mi", "ma", "mă", "foarte", "aici", "nimic", "va", "vă", "rog"},
}  # fmt: skip
#: Words that are function words in more than one of the three languages say nothing.
_SHARED = {"a", "i", "o", "to", "na", "no", "in", "do", "by", "be", "nu", "mi", "am", "ce"}
#: A language needs at least this many points, and this share of all points, to be named.
MIN_POINTS = 2
MIN_SHARE = 0.6
LETTER_POINTS = 2


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, frozenset[str]]:
    lists = {"en": ENGLISH_STOP_WORDS, "pl": POLISH_STOP_WORDS, "ro": ROMANIAN_STOP_WORDS}
    result = {}
    for language, words in lists.items():
        every = {word.lower() for word in words} | _EXTRA_WORDS[language]
        result[language] = frozenset((every | {without_accents(word) for word in every}) - _SHARED)
    return result


def language_points(text: str) -> dict[str, int]:
    """Evidence for each language: function words, and letters only it uses."""
    lowered = text.casefold()
    points = dict.fromkeys(("en", "pl", "ro"), 0)
    lists = _word_lists()
    for word in _WORD.findall(lowered):
        for language, words in lists.items():
            if word in words:
                points[language] += 1
    for language, letters in _LETTERS_ONLY_IN.items():
        if any(char in letters for char in lowered):
            points[language] += LETTER_POINTS
    return points


def guess_language(text: str) -> str | None:
    """'en', 'pl' or 'ro' when the text clearly is that language, otherwise None."""
    points = language_points(text)
    total = sum(points.values())
    language, best = max(points.items(), key=lambda item: item[1])
    if best < MIN_POINTS or best / total < MIN_SHARE:
        return None
    return language

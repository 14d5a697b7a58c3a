"""Plain-language checks shared by tests (bot text) and the staff app (outcomes as staff type).

Easy Read guidance: one idea a sentence, at most 15 words. Reading age is the Flesch-Kincaid
grade plus five (UK reading age from US school grade); it means more over a whole message set
than over one short chat line, so it is measured over many texts at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import textstat

MAX_WORDS_PER_SENTENCE = 15
MAX_READING_AGE = 9
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: Typical values for response placeholders, so templates are measured as people read them.
SAMPLE_VALUES = {
    "title": "Food at the hostel",
    "feedback_due": "19 February 2027",
    "service": "the day centre",
    "contact": "Ask a worker at the day centre, or call 0300 123 4567.",
    "number": "2",
    "total": "5",
}


def fill_placeholders(template: str) -> str:
    return _PLACEHOLDER.sub(lambda match: SAMPLE_VALUES.get(match.group(1), "it"), template)


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def word_count(sentence: str) -> int:
    return len(re.findall(r"[\w'’£-]+", sentence))


def long_sentences(text: str, limit: int = MAX_WORDS_PER_SENTENCE) -> list[str]:
    """The sentences in the text that have more words than the limit."""
    return [sentence for sentence in sentences(text) if word_count(sentence) > limit]


def reading_age(texts: Iterable[str]) -> float:
    """UK reading age of the texts taken together."""
    joined = " ".join(text.strip() for text in texts if text.strip())
    return textstat.flesch_kincaid_grade(joined) + 5

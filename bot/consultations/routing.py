"""Sending something a person says, unprompted, to the open consultation it is most about.

A first version on spaCy lemmas: the words of a consultation's title, summary, keywords and
questions are its vocabulary; the consultation sharing the most content words wins. Keywords
count double because staff chose them for routing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.nlp import get_nlp

_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
_TOO_GENERAL = {
    "be", "have", "do", "get", "go", "make", "think", "want", "need", "like", "good",
    "bad", "thing", "lot", "people", "time", "say", "tell", "know", "feel", "way",
}  # fmt: skip


@dataclass(frozen=True)
class RoutingCandidate:
    slug: str
    title: str
    summary: str
    keywords: Sequence[str]
    prompts: Sequence[str]


def content_lemmas(text: str) -> set[str]:
    """Lower-cased lemmas of the words that carry meaning."""
    doc = get_nlp()(text[:2000])
    return {
        token.lemma_.lower()
        for token in doc
        if token.pos_ in _CONTENT_POS and not token.is_stop and token.is_alpha
    } - _TOO_GENERAL


def _vocabulary(candidate: RoutingCandidate) -> tuple[set[str], set[str]]:
    words = content_lemmas(" ".join([candidate.title, candidate.summary, *candidate.prompts]))
    keywords = {word.lower() for word in candidate.keywords} | content_lemmas(
        " ".join(candidate.keywords)
    )
    return words, keywords


def best_consultation(text: str, candidates: Iterable[RoutingCandidate]) -> str | None:
    """The slug of the best-matching consultation, or None when nothing shares a word."""
    said = content_lemmas(text) | {word.lower() for word in text.split()}
    best_slug, best_score = None, 0.0
    for candidate in candidates:
        words, keywords = _vocabulary(candidate)
        score = len(said & words) + 2 * len(said & keywords)
        if score > best_score:
            best_slug, best_score = candidate.slug, score
    return best_slug

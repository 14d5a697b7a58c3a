"""Theme labels staff would write: short plain phrases such as "Closes too early".

A label is picked from phrases people actually wrote, so it is never a model's jargon: the
noun phrases ("bigger portions"), verb phrases ("closes too early", "food runs out") and short
whole answers of the answers nearest the theme's centre, English ones first. Each phrase is
scored by how close its meaning is to the theme's centre, less how close it is to other
themes' centres (so a label sets its theme apart), plus a little for each extra answer that
used it (so one person's wording or typo does not name a theme). A label has 2 to 5 words,
no text-speak, no numbers and no "and": "Food and showers" would describe two themes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np
from spacy.tokens import Doc, Token

from bot.meaning import similarity
from bot.meaning.language import guess_language
from bot.nlp import get_nlp
from bot.themes.vectors import apart_from, meaning_vectors

OTHER_LABEL = "Other"
MIN_LABEL_WORDS = 2
MAX_LABEL_WORDS = 5
KEY_PHRASE_LIMIT = 5
# The answers nearest a theme's centre say what it is about; further out they drift.
LABEL_SOURCES = 30
# How much being close to another theme counts against a phrase.
RIVAL_WEIGHT = 0.25
# What each extra answer using a phrase adds, up to SHARED_CAP extra answers.
SHARED_BONUS = 0.1
SHARED_CAP = 3
# Languages whose answers are quoted but never parsed for labels (the parser is English).
NOT_ENGLISH = frozenset({"pl", "ro"})
# Text-speak and filler that a staff label would never use.
_TEXT_SPEAK = frozenset(
    {
        "u", "ur", "r", "n", "nd", "pls", "plz", "im", "cos", "coz", "cuz", "tbh", "lol", "thx",
        "ta", "ya", "yeah", "yes", "ok", "okay", "wanna", "gonna", "innit", "shud", "cud", "wud",
        "wen", "wat", "sum", "dunno", "idk", "ppl", "2day", "thing", "stuff", "lot", "lots",
        "honestly", "actually", "literally", "basically", "just", "really", "like", "think",
        "also", "well", "m", "s", "ve", "ll", "d", "nt", "thanks", "thank", "please", "cheers",
    }
)  # fmt: skip
# Clauses hanging off a verb that make a phrase too long to be a label.
_CLAUSE_DEPS = frozenset({"cc", "conj", "punct", "advcl", "relcl", "ccomp", "parataxis", "mark"})
_LEADING_NOISE = frozenset({"DET", "PRON", "CCONJ", "SCONJ", "PART", "INTJ", "PUNCT", "AUX"})
_TRAILING_NOISE = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "AUX", "PART", "PRON"})


@dataclass(frozen=True)
class ThemeWording:
    """How a theme is shown to staff: a short label and the phrases behind it."""

    label: str
    key_phrases: tuple[str, ...]


def word_themes(
    nearest_texts: Sequence[Sequence[str]], centres: Sequence[np.ndarray], shared: np.ndarray
) -> list[ThemeWording]:
    """Label and key phrases for each theme, given its answers nearest its centre first, its
    centre, and the part all answers share (phrases are compared as the answers were).

    Themes come most important first: each gets first pick over the ones after it, so no two
    themes share a label.
    """
    candidates = [_phrases_of(_label_sources(texts)) for texts in nearest_texts]
    every = sorted({phrase for counts in candidates for phrase in counts})
    vectors = apart_from(meaning_vectors(every), shared)
    row_of = {phrase: row for row, phrase in enumerate(every)}
    taken = {OTHER_LABEL.casefold()}
    wordings = []
    for theme, (texts, counts) in enumerate(zip(nearest_texts, candidates, strict=True)):
        ranked = _rank(counts, vectors, row_of, centres, theme)
        label = next((p for p in ranked if p.casefold() not in taken), None)
        label = _sentence_case(label or _fallback_label(texts, taken))
        taken.add(label.casefold())
        wordings.append(ThemeWording(label, tuple(ranked[:KEY_PHRASE_LIMIT])))
    return wordings


def _label_sources(texts: Sequence[str]) -> list[str]:
    """Up to LABEL_SOURCES of the nearest answers that are not Polish or Romanian."""
    english = (text for text in texts if guess_language(text) not in NOT_ENGLISH)
    return list(islice(english, LABEL_SOURCES))


def _phrases_of(texts: Sequence[str]) -> Counter[str]:
    """Each candidate phrase and how many of the answers used it."""
    counts: Counter[str] = Counter()
    for doc in get_nlp().pipe(texts):
        counts.update({_surface(span) for span in _candidate_spans(doc) if _fits_a_label(span)})
    return counts


def _candidate_spans(doc: Doc) -> Iterator[list[Token]]:
    """Noun phrases with and without what follows them ("lock on room door"), verb phrases
    with and without their subject ("food runs out"), and the answer itself."""
    yield _plain(doc)
    for chunk in doc.noun_chunks:
        noun = _without_leading_noise(_plain(chunk))
        yield noun
        for attached in (c for c in chunk.root.rights if c.dep_ == "prep"):
            yield [*noun, *_plain(attached.subtree)]
    for token in doc:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        subject = [c for c in token.lefts if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")]
        for predicate in _predicates(token):
            yield predicate
            if subject:
                yield [*_without_leading_noise(_plain(subject[0].subtree)), *predicate]


def _predicates(verb: Token) -> Iterator[list[Token]]:
    """The verb (with a "not" or "never" just before it) and its first one, two... objects or
    adverbs, stopping at a clause: "are cold", "are cold by the time"."""
    before = [c for c in verb.lefts if c.dep_ in ("neg", "advmod") and c.i == verb.i - 1]
    after: list[Token] = []
    for child in verb.rights:
        if child.dep_ in _CLAUSE_DEPS:
            break
        after.extend(_plain(child.subtree))
        yield [*before, verb, *after]


def _plain(tokens: Iterable[Token]) -> list[Token]:
    """The tokens without "my", "your" and the like: a label speaks about the answers, not
    in one person's voice ("help with claim", not "help with my claim")."""
    return [t for t in tokens if t.dep_ != "poss"]


def _without_leading_noise(tokens: list[Token]) -> list[Token]:
    """Drop "the", "my", "i" and the like from the front of a phrase."""
    words = list(tokens)
    while words and (words[0].pos_ in _LEADING_NOISE or words[0].lower_ in _TEXT_SPEAK):
        words.pop(0)
    return words


def _fits_a_label(tokens: Sequence[Token]) -> bool:
    """2 to 5 plain words with no text-speak, number, "and", emoji or "me"."""
    words = [t for t in tokens if not t.is_punct]
    if not MIN_LABEL_WORDS <= len(words) <= MAX_LABEL_WORDS:
        return False
    if words[0].pos_ in _LEADING_NOISE or words[-1].pos_ in _TRAILING_NOISE:
        return False
    return all(
        t.lower_ not in _TEXT_SPEAK
        and t.pos_ not in ("CCONJ", "PRON")
        and t.text.replace("'", "").isalpha()
        and (len(t.text) > 1 or t.lower_ == "a")
        for t in words
    )


def _surface(tokens: Sequence[Token]) -> str:
    return " ".join(t.lower_ for t in tokens if not t.is_punct)


def _rank(
    counts: Counter[str],
    vectors: np.ndarray,
    row_of: dict[str, int],
    centres: Sequence[np.ndarray],
    theme: int,
) -> list[str]:
    """The theme's phrases, best label first (see the module docstring)."""
    if not counts:
        return []
    phrases = sorted(counts)
    fits = similarity(vectors[[row_of[p] for p in phrases]], np.vstack(centres))
    own = fits[:, theme]
    rival = np.delete(fits, theme, axis=1).max(axis=1) if len(centres) > 1 else 0.0
    shared = np.array([min(counts[p] - 1, SHARED_CAP) for p in phrases])
    scores = own - RIVAL_WEIGHT * np.maximum(rival, 0.0) + SHARED_BONUS * shared
    return [phrases[i] for i in np.argsort(-scores, kind="stable")]


def _fallback_label(texts: Sequence[str], taken: set[str]) -> str:
    """With no phrase to pick (no English answers, or none that fit), the nearest answer's
    own first words; a single word is said as "About food" rather than left bare."""
    for text in texts:
        words = [w for w in text.split() if any(c.isalpha() for c in w)][:MAX_LABEL_WORDS]
        label = " ".join(words) if len(words) >= MIN_LABEL_WORDS else f"about {' '.join(words)}"
        if words and label.casefold() not in taken:
            return label
    return f"theme {len(taken)}"


def _sentence_case(label: str) -> str:
    return label[:1].upper() + label[1:]

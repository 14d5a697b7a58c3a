"""Fold a message into plain lower-case words before the safeguarding patterns read it.

People in crisis type fast on phones: "cant", "im gonna kms", "want 2 diiie", "sleepin rough".
Folding these into one plain form lets a small set of patterns catch them all. Every rule is a
row in `patterns.py`; this module only applies them in a fixed order.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from bot.safeguarding import patterns

_TAGS = re.compile(r"<[^>]*>")
_APOSTROPHES = re.compile(r"[’‘`´']")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_WORD = re.compile(r"[a-z]+")
_LONG_RUN = re.compile(r"([a-z])\1{2,}")
_DOUBLE = re.compile(r"([a-z])\1")
_SPACES = re.compile(r"\s+")
_SENTENCE_END = ".!?"
_MAX_DOUBLES_TRIED = 4


def _compile(rules: Iterable[tuple[str, str]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), replacement) for pattern, replacement in rules)


_CONTRACTIONS = _compile(patterns.CONTRACTIONS)
_LOOKALIKES = _compile(patterns.LOOKALIKE_LETTERS)
_TEXT_SPEAK = _compile(patterns.TEXT_SPEAK)


def pattern_vocabulary() -> frozenset[str]:
    """Every word the patterns and folding rules know, so repairs only aim at words that matter.

    A stretched or clipped word ("diiie", "sleepin") is only rewritten when the result is a word
    the detector looks for; everything else is left as typed.
    """
    texts: list[str] = []
    for phrases in patterns.PHRASES.values():
        texts.extend(phrases)
    for token_patterns in patterns.TOKEN_PATTERNS.values():
        texts.extend(token_patterns)
    for words in patterns.WORD_SETS.values():
        texts.extend(words)
    texts.extend(patterns.FUZZY_TARGETS)
    for source, replacement in (*patterns.TEXT_SPEAK, *patterns.CONTRACTIONS):
        texts.append(re.sub(r"\\[a-zA-Z]", " ", source))
        texts.append(replacement)
    return frozenset(_WORD.findall(" ".join(texts).lower()))


_VOCABULARY = pattern_vocabulary()


def _is_known(word: str) -> bool:
    """True when the word, or its stem under a regular ending, is in the pattern vocabulary."""
    if word in _VOCABULARY:
        return True
    for ending in ("ing", "ed", "es", "s", "d"):
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: -len(ending)]
            candidates = (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else stem)
            if any(candidate in _VOCABULARY for candidate in candidates):
                return True
    return False


def _unstretch(word: str) -> str:
    """Undo letters held down for feeling ("diiie", "pleeease", "freeeezing")."""
    doubled = _LONG_RUN.sub(r"\1\1", word)
    if _is_known(doubled):
        return doubled
    positions = [match.start() for match in _DOUBLE.finditer(doubled)][:_MAX_DOUBLES_TRIED]
    for mask in range(1, 2 ** len(positions)):
        chars = list(doubled)
        for bit, position in enumerate(positions):
            if mask & (1 << bit):
                chars[position] = ""
        candidate = "".join(chars)
        if _is_known(candidate):
            return candidate
    return _LONG_RUN.sub(r"\1", word)


def _damerau_distance_at_most_one(word: str, target: str) -> bool:
    """True when one insertion, deletion, substitution or neighbour swap makes word the target."""
    if word == target:
        return True
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


@lru_cache(maxsize=20_000)
def _repair(word: str) -> str:
    """One word's repair: stretched letters, a dropped g or e, or a one-slip misspelling."""
    if _LONG_RUN.search(word):
        word = _unstretch(word)
    if word in _VOCABULARY:
        return word
    if len(word) >= 4 and word.endswith("in") and word + "g" in _VOCABULARY:
        return word + "g"
    if len(word) >= 4 and word.endswith("d") and word[:-1] + "ed" in _VOCABULARY:
        return word[:-1] + "ed"
    if _is_known(word):
        return word
    if len(word) >= 5 and word not in patterns.FUZZY_EXCEPTIONS:
        for target in patterns.FUZZY_TARGETS:
            if (word[0] == target[0] or word[-1] == target[-1]) and _damerau_distance_at_most_one(
                word, target
            ):
                return target
    return word


def normalise(text: str) -> str:
    """The message as plain lower-case words, ending with a sentence mark.

    Markup is dropped, line breaks end sentences, and text-speak, slang, lookalike letters and
    common typos are folded to the words the patterns are written in.
    """
    text = _TAGS.sub(" ", html.unescape(text)).lower()
    text = _LINE_BREAKS.sub(" . ", text)
    text = _APOSTROPHES.sub("'", text)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = text.replace("'", "")
    for pattern, replacement in _LOOKALIKES:
        text = pattern.sub(replacement, text)
    text = _WORD.sub(lambda match: _repair(match.group()), text)
    for pattern, replacement in _TEXT_SPEAK:
        text = pattern.sub(replacement, text)
    text = _SPACES.sub(" ", text).strip()
    if text and text[-1] not in _SENTENCE_END:
        text += " ."
    return text

"""Plain theme labels and key phrases, picked from the words people used.

Staff read a label before anything else, so it must be the answers' own words, not a model's
jargon: the phrase that is common inside a theme and rare outside it, shown the way people wrote
it ("food portions", not the lemma "food portion"), noun phrases first because "Hot showers"
says more than "Fix".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

OTHER_LABEL = "Other"
MAX_LABEL_WORDS = 5
KEY_PHRASE_LIMIT = 5

# A word that is not part of a noun phrase ("fix", "cold") still counts, but less: it names what
# people want or feel rather than the thing the theme is about.
NON_NOUN_WEIGHT = 0.6
# One-off phrases are an answer's own detail, not what the theme shares.
MIN_SHARED_ANSWERS = 2
# A label phrase used by fewer of the theme's answers than this gets a second phrase beside it.
LABEL_COVERAGE = 0.5


@dataclass(frozen=True)
class Phrase:
    """A candidate key phrase in one answer: its lemma form (to count) and how it was written."""

    key: str
    surface: str
    is_noun_phrase: bool


@dataclass(frozen=True)
class ThemeWording:
    """How a theme is shown to staff: a short label and the phrases behind it."""

    label: str
    key_phrases: tuple[str, ...]


def word_themes(
    themes: Sequence[Sequence[Sequence[Phrase]]],
    unthemed: Sequence[Sequence[Phrase]] = (),
    limit: int = KEY_PHRASE_LIMIT,
) -> list[ThemeWording]:
    """Label and key phrases for each theme, given the phrases of each of its answers.

    `themes[t][a]` holds the phrases of answer `a` in theme `t`, most important theme first:
    it gets first pick when two themes would share a label. `unthemed` answers (those bound
    for "Other") only make common words count as common.
    """
    answers_using = [_answers_using(theme) for theme in themes]
    uses_everywhere = _answers_using(unthemed)
    for counts in answers_using:
        uses_everywhere.update(counts)
    taken = {OTHER_LABEL.lower()}
    wordings = []
    for theme, counts in zip(themes, answers_using, strict=True):
        ranked = _rank(theme, counts, uses_everywhere)
        surfaces = _surface_forms(theme)
        label = _label([(surfaces[key], counts[key] / len(theme)) for key in ranked], taken)
        taken.add(label.lower())
        wordings.append(ThemeWording(label, tuple(surfaces[key] for key in ranked[:limit])))
    return wordings


def _rank(
    theme: Sequence[Sequence[Phrase]], counts: Counter[str], uses_everywhere: Counter[str]
) -> list[str]:
    """Phrase keys, best first: used by many of the theme's answers, and mostly by them.

    Score is answers using it here, times the share of all its uses that fall here, so words
    every theme shares ("people", "time") sink below the ones that set a theme apart. Answers
    that share no phrase at all get none: they have nothing in common that could be named.
    """
    noun_keys = {p.key for answer in theme for p in answer if p.is_noun_phrase}
    min_uses = 1 if len(theme) == 1 else MIN_SHARED_ANSWERS
    scored = []
    for key, uses in counts.items():
        if uses < min_uses:
            continue
        weight = 1.0 if key in noun_keys else NON_NOUN_WEIGHT
        score = uses * (uses / uses_everywhere[key]) * weight
        scored.append((-score, -len(key.split()), key))
    scored.sort()
    return _drop_contained([key for _, _, key in scored])


def _label(phrases: Sequence[tuple[str, float]], taken: set[str]) -> str:
    """Sentence case, at most five words, from the first phrase no other theme has used.

    When that phrase covers under half the theme, the next phrase is added ("Day and clothes"),
    so a loose theme does not look tighter than it is. With no phrase left, the label is
    "Other": a label is never invented.
    """
    free = [(text, share) for text, share in phrases if text.lower() not in taken]
    if not free:
        return OTHER_LABEL
    text, share = free[0]
    if share < LABEL_COVERAGE and len(free) > 1:
        joined = f"{text} and {free[1][0]}"
        if len(joined.split()) <= MAX_LABEL_WORDS:
            text = joined
    words = text.split()[:MAX_LABEL_WORDS]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def _answers_using(theme: Sequence[Sequence[Phrase]]) -> Counter[str]:
    """How many answers in the theme use each phrase (once per answer, however often said)."""
    counts: Counter[str] = Counter()
    for answer in theme:
        counts.update({p.key for p in answer})
    return counts


def _surface_forms(theme: Sequence[Sequence[Phrase]]) -> dict[str, str]:
    """The most common way each phrase was written in this theme (ties: shortest, then A-Z)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for answer in theme:
        for phrase in answer:
            seen[phrase.key][phrase.surface] += 1
    return {
        key: min(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
        for key, forms in seen.items()
    }


def _drop_contained(keys: list[str]) -> list[str]:
    """Keep a phrase only if it adds a word that better-scored phrases have not shown."""
    kept: list[str] = []
    shown: set[str] = set()
    for key in keys:
        words = set(key.split())
        if words <= shown:
            continue
        kept.append(key)
        shown |= words
    return kept

"""Group free-text answers to one question into themes staff can then shape.

Answers are grouped by what they mean, not the words they share, so "closes too early" and
"shuts at 3" meet, and a Polish answer about food joins the English ones. (The encoder was not
trained on Romanian, so Romanian answers often miss their theme; see the xfail tests.) Each
distinct answer becomes a vector from the shared sentence encoder, compared apart from part of
what all the question's answers share (`bot.themes.vectors`).

Themes are found in three steps, tuned on bench/theming_eval.py:
1. a tight average-linkage tree over cosine distance, which splits the answers into many small,
   clean groups (one idea often lands in two or three of them);
2. groups whose centres are near-duplicates are merged, most similar first, which joins those
   pieces back into one idea without chaining unrelated ideas together;
3. the groups big enough to be a theme keep their centres, and every answer is then placed at
   the nearest centre, or in "Other" when it is close to none. That is the same rule
   `assign_to_existing` uses when new answers arrive, so a theme means the same thing to both.

Beyond `MAX_LINKED_ANSWERS` distinct answers the tree is built on a fixed sample: the ideas
show in a sample, and step 3 still places every answer.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from bot.meaning import similarity
from bot.themes.labels import OTHER_LABEL, word_themes
from bot.themes.vectors import apart_from, meaning_vectors, shared_part

RANDOM_STATE = 0
# What an answer is about shows long before this many characters.
MAX_THEMING_CHARS = 2000
# Step 1: answers closer than this (1 - cosine, averaged over two groups) start as one group.
LINK_DISTANCE = 0.85
# Step 2: groups whose centres are at least this similar are one idea.
MERGE_SIMILARITY = 0.4
# Step 3, and new answers: an answer this similar to a theme's centre belongs to it.
MIN_FIT = 0.1
MIN_THEME_SIZE = 2
# The tree costs n² in time and memory; this many answers show the ideas well enough.
MAX_LINKED_ANSWERS = 1500
QUOTES_PER_THEME = 3
# A staff theme's centre is read from at most this many of its answers (evenly spread).
MAX_CENTRE_ANSWERS = 200

_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Answer:
    """One free-text answer to the question being themed."""

    id: int
    text: str


@dataclass(frozen=True)
class ProposedTheme:
    """A theme for staff to review: they may rename, merge, split or move answers."""

    label: str  # a short phrase staff would write, e.g. "Closes too early", 2 to 5 words
    answer_ids: tuple[int, ...]
    quote_ids: tuple[int, ...]  # up to 3 distinct answers nearest the theme's centre
    key_phrases: tuple[str, ...]


@dataclass(frozen=True)
class ExistingTheme:
    """A theme as staff have it now, after any renaming, merging or moving."""

    id: int
    label: str
    answer_texts: tuple[str, ...]  # the answers staff have in it now


@dataclass(frozen=True)
class Distinct:
    """The distinct answer texts worth theming, how often each was given, and their vectors
    (apart from what all the answers share, `shared`)."""

    texts: list[str]
    counts: np.ndarray
    vectors: np.ndarray
    shared: np.ndarray
    row_of: dict[str, int]


def propose_themes(answers: list[Answer], max_themes: int = 8) -> list[ProposedTheme]:
    """Group answers into themes, largest first. Every answer lands in exactly one theme;
    answers that fit nowhere go to a theme labelled "Other", which always comes last and does
    not count towards `max_themes`."""
    if max_themes < 1:
        raise ValueError("max_themes must be at least 1")
    if not answers:
        return []
    cleaned = [clean_text(a.text) for a in answers]
    distinct = _distinct(cleaned)
    centres = find_centres(distinct.vectors, distinct.counts, max_themes)
    rows = np.array([distinct.row_of.get(text, -1) for text in cleaned])
    themes = np.full(len(answers), -1)
    if len(centres):
        placed = _nearest(distinct.vectors, centres)
        themes[rows >= 0] = placed[rows[rows >= 0]]
    return _build_themes(answers, cleaned, distinct, themes)


def assign_to_existing(
    new_answers: list[Answer],
    themes: list[ExistingTheme],
    min_similarity: float = MIN_FIT,
) -> dict[int, int | None]:
    """For each new answer id, the id of the existing theme it fits best, or None when it fits none
    (the caller then proposes new themes from the leftovers). Existing themes are never changed.

    A theme is represented by the centre of its answers and its staff label, so a theme staff
    renamed or filled by hand still attracts answers like the ones they put there. Themes
    labelled "Other" are never offered: an answer that fits nothing should come back as a
    leftover, not vanish into a catch-all.
    """
    result: dict[int, int | None] = {answer.id: None for answer in new_answers}
    candidates = [t for t in themes if t.label.strip().casefold() != OTHER_LABEL.casefold()]
    new_texts = [clean_text(a.text) for a in new_answers]
    theme_texts = [_theme_texts(theme) for theme in candidates]
    every = [t for t in dict.fromkeys(chain(new_texts, *theme_texts)) if _has_letters(t)]
    if not candidates or not any(_has_letters(t) for t in new_texts):
        return result
    raw = meaning_vectors(every)
    vectors = apart_from(raw, shared_part(raw, np.ones(len(every))))
    row_of = {text: row for row, text in enumerate(every)}
    centres = np.vstack(
        [_centre(vectors, np.ones(len(every)), [row_of[t] for t in texts]) for texts in theme_texts]
    )
    for answer, text in zip(new_answers, new_texts, strict=True):
        if text not in row_of:
            continue
        fits = similarity(vectors[row_of[text]], centres)[0]
        best = int(np.argmax(fits))
        if fits[best] >= min_similarity:
            result[answer.id] = candidates[best].id
    return result


def clean_text(text: str) -> str:
    """Plain text from what was typed or pasted: HTML tags and links out, spaces tidied."""
    text = html.unescape(_TAG.sub(" ", text or ""))
    text = _SPACE.sub(" ", _URL.sub(" ", text)).strip()
    if len(text) > MAX_THEMING_CHARS:
        text = text[:MAX_THEMING_CHARS].rsplit(" ", 1)[0]
    return text


def find_centres(vectors: np.ndarray, counts: np.ndarray, max_themes: int) -> np.ndarray:
    """Unit centres of the themes in these answers, largest theme first (steps 1 and 2 of the
    module docstring); none when no idea is shared by `MIN_THEME_SIZE` answers."""
    if len(vectors) == 0:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32)
    sample = _sample_rows(len(vectors))
    groups = _link(vectors[sample])
    groups = _merge_near_duplicates(vectors[sample], counts[sample], groups)
    sizes = np.bincount(groups, weights=counts[sample])
    biggest = [g for g in np.argsort(-sizes, kind="stable") if sizes[g] >= MIN_THEME_SIZE]
    return np.vstack(
        [_centre(vectors[sample], counts[sample], groups == g) for g in biggest[:max_themes]]
        or [np.zeros((0, vectors.shape[1]), dtype=np.float32)]
    )


def _distinct(cleaned: list[str]) -> Distinct:
    """Each distinct text with a letter in it, once: repeats are counted, not encoded again."""
    counted = Counter(text for text in cleaned if _has_letters(text))
    texts = sorted(counted)
    counts = np.array([counted[t] for t in texts], dtype=float)
    vectors = meaning_vectors(texts)
    shared = shared_part(vectors, counts)
    return Distinct(
        texts=texts,
        counts=counts,
        vectors=apart_from(vectors, shared),
        shared=shared,
        row_of={text: row for row, text in enumerate(texts)},
    )


def _has_letters(text: str) -> bool:
    """Emoji, numbers and punctuation alone say nothing a theme could be about."""
    return any(c.isalpha() for c in text)


def _sample_rows(count: int) -> np.ndarray:
    """All rows, or a fixed random sample of `MAX_LINKED_ANSWERS` of them, in order."""
    if count <= MAX_LINKED_ANSWERS:
        return np.arange(count)
    rows = np.random.RandomState(RANDOM_STATE).choice(count, MAX_LINKED_ANSWERS, replace=False)
    return np.sort(rows)


def _link(vectors: np.ndarray) -> np.ndarray:
    """Step 1: small tight groups from an average-linkage tree cut at `LINK_DISTANCE`."""
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    tree = AgglomerativeClustering(
        n_clusters=None, distance_threshold=LINK_DISTANCE, linkage="average", affinity="cosine"
    )
    return tree.fit(vectors).labels_


def _merge_near_duplicates(
    vectors: np.ndarray, counts: np.ndarray, groups: np.ndarray
) -> np.ndarray:
    """Step 2: join the two groups with the most similar centres until none reach
    `MERGE_SIMILARITY`; returns group numbers 0..k-1."""
    groups = np.unique(groups, return_inverse=True)[1]
    centres = np.vstack([_centre(vectors, counts, groups == g) for g in range(groups.max() + 1)])
    while len(centres) > 1:
        near = similarity(centres, centres)
        np.fill_diagonal(near, -1.0)
        keep, gone = np.unravel_index(int(np.argmax(near)), near.shape)
        if near[keep, gone] < MERGE_SIMILARITY:
            break
        groups[groups == gone] = keep
        groups[groups > gone] -= 1
        keep -= int(gone < keep)
        centres = np.delete(centres, gone, axis=0)
        centres[keep] = _centre(vectors, counts, groups == keep)
    return groups


def _centre(vectors: np.ndarray, counts: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Unit mean of the members (a mask or row numbers), each counted as often as it was given."""
    total = (vectors[members] * counts[members, None]).sum(axis=0)
    norm = np.linalg.norm(total)
    return total / norm if norm else total


def _nearest(vectors: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Step 3: the nearest centre of each row, or -1 (Other) when none reaches `MIN_FIT`."""
    fits = similarity(vectors, centres)
    nearest = fits.argmax(axis=1)
    nearest[fits.max(axis=1) < MIN_FIT] = -1
    return nearest


def _theme_texts(theme: ExistingTheme) -> list[str]:
    """A staff theme's label and an even spread of its answers, which give its centre."""
    texts = [clean_text(t) for t in theme.answer_texts]
    step = max(1, len(texts) // MAX_CENTRE_ANSWERS)
    return [t for t in [theme.label, *texts[::step]] if _has_letters(t)]


def _nearest_first(distinct: Distinct, rows: np.ndarray, centre: np.ndarray) -> list[int]:
    """The theme's distinct rows, nearest its centre first: its quotes and label sources."""
    fits = similarity(distinct.vectors[rows], centre[None, :])[:, 0]
    return [int(rows[i]) for i in np.argsort(-fits, kind="stable")]


def _build_themes(
    answers: list[Answer], cleaned: list[str], distinct: Distinct, themes: np.ndarray
) -> list[ProposedTheme]:
    """Named themes, largest first, then Other; quotes and labels from the nearest answers."""
    found = sorted(
        np.unique(themes[themes >= 0]),
        key=lambda t: (-np.count_nonzero(themes == t), int(np.flatnonzero(themes == t)[0])),
    )
    members_of = [np.flatnonzero(themes == t) for t in found]
    rows_of = [np.unique([distinct.row_of[cleaned[i]] for i in members]) for members in members_of]
    centres = [_centre(distinct.vectors, distinct.counts, rows) for rows in rows_of]
    nearest = [
        _nearest_first(distinct, rows, centre)
        for rows, centre in zip(rows_of, centres, strict=True)
    ]
    wordings = word_themes(
        [[distinct.texts[r] for r in rows] for rows in nearest], centres, distinct.shared
    )
    first_id = {}
    for answer, text in zip(answers, cleaned, strict=True):
        first_id.setdefault(text, answer.id)
    result = [
        ProposedTheme(
            label=wording.label,
            answer_ids=tuple(answers[i].id for i in members),
            quote_ids=tuple(first_id[distinct.texts[r]] for r in rows[:QUOTES_PER_THEME]),
            key_phrases=wording.key_phrases,
        )
        for members, rows, wording in zip(members_of, nearest, wordings, strict=True)
    ]
    other = np.flatnonzero(themes < 0)
    if len(other):
        result.append(_other_theme(answers, other))
    return result


def _other_theme(answers: list[Answer], members: np.ndarray) -> ProposedTheme:
    """Other has no centre, so its quotes are simply its first distinct answers."""
    quotes = list(dict.fromkeys(answers[i].text for i in members))[:QUOTES_PER_THEME]
    first_of = {answers[i].text: answers[i].id for i in members[::-1]}
    return ProposedTheme(
        label=OTHER_LABEL,
        answer_ids=tuple(answers[i].id for i in members),
        quote_ids=tuple(first_of[text] for text in quotes),
        key_phrases=(),
    )

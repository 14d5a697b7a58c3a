"""Group free-text answers to one question into themes staff can then shape.

Answers typed on phones are short, misspelt and varied, and there are no word vectors in the
small spaCy model, so answers are compared by the words they share: spaCy lemmas (stop words and
punctuation out), with noun phrases and entity types as extra features, plus character n-grams
so "showr" still meets "shower". Non-negative matrix factorisation over that TF-IDF matrix gave
the best agreement with human labels among KMeans, agglomerative and NMF (see
bench/theming_eval.py); silhouette picks the number of themes. Answers that share too little
with the rest of their theme go to "Other" rather than padding a theme they do not belong to.

Re-theming never reshuffles staff work: `assign_to_existing` only places new answers into the
themes staff already shaped, and leaves the rest for a fresh `propose_themes` call.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from spacy.tokens import Doc, Token

from bot.nlp import get_nlp
from bot.themes.labels import OTHER_LABEL, Phrase, word_themes

RANDOM_STATE = 0
# Parsing cost grows with length; what an answer is about shows long before 2,000 characters.
MAX_PARSE_CHARS = 2000
PARSE_BATCH_SIZE = 256
# Share of each answer vector given to whole words; the rest goes to character n-grams.
WORD_WEIGHT = 0.6
# Character n-grams catch typos ("forod", "showr") that whole-word features miss.
CHAR_NGRAM_SIZES = (3, 5)
# Fewer answers than this cannot be split into themes in any meaningful way.
MIN_ANSWERS_TO_SPLIT = 4
# Picking the number of themes on a sample keeps 10,000 answers affordable.
SILHOUETTE_SAMPLE = 2000
# An answer stays in its theme only if it is this similar to the theme's other answers.
MIN_FIT_TO_THEME = 0.06
MIN_THEME_SIZE = 2
QUOTES_PER_THEME = 3
DEFAULT_MIN_SIMILARITY = 0.15

_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"https?://\S+|www\.\S+")
_SPACE = re.compile(r"\s+")
_FUNCTION_POS = frozenset(
    {"PRON", "DET", "ADP", "AUX", "CCONJ", "SCONJ", "PART", "PUNCT", "SYM", "NUM", "SPACE", "X"}
)
# spaCy's stop list holds some words that name real things in an answer ("move on", "front door").
_MEANINGFUL_STOP_WORDS = frozenset(
    {"move", "call", "name", "show", "empty", "full", "front", "back", "bottom", "top", "side"}
)
# Text-speak and filler that carry no topic, whatever the question.
_FILLER = frozenset(
    {
        "u", "ur", "r", "n", "nd", "pls", "plz", "im", "m", "s", "ve", "ll", "d", "nt", "cos",
        "coz", "cuz", "tbh", "lol", "thx", "ta", "ya", "yeah", "yes", "ok", "okay", "wanna",
        "gonna", "innit", "shud", "cud", "wud", "wen", "wat", "sum", "dunno", "lot", "lots",
        "thing", "stuff", "bit", "idk", "honestly", "actually", "literally", "basically",
        "think", "know", "mean", "guess", "need", "want", "help", "thanks", "thank", "cheers",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Answer:
    """One free-text answer to the question being themed."""

    id: int
    text: str


@dataclass(frozen=True)
class ProposedTheme:
    """A theme for staff to review: they may rename, merge, split or move answers."""

    label: str  # short plain label from key phrases, e.g. "Food portions", max 5 words
    answer_ids: tuple[int, ...]
    quote_ids: tuple[int, ...]  # 2-3 representative answers (closest to the centre), for quotes
    key_phrases: tuple[str, ...]


@dataclass(frozen=True)
class ExistingTheme:
    """A theme as staff have it now, after any renaming, merging or moving."""

    id: int
    label: str
    answer_texts: tuple[str, ...]  # the answers staff have in it now


@dataclass(frozen=True)
class ParsedAnswer:
    """What the engine keeps of one answer: content lemmas, key phrase candidates, entity types."""

    terms: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    entity_labels: tuple[str, ...]

    @property
    def has_content(self) -> bool:
        return bool(self.terms)


EMPTY_ANSWER = ParsedAnswer(terms=(), phrases=(), entity_labels=())


def propose_themes(answers: list[Answer], max_themes: int = 8) -> list[ProposedTheme]:
    """Group answers into themes, largest first. Every answer lands in exactly one theme;
    answers that fit nowhere go to a theme labelled "Other", which always comes last and does
    not count towards `max_themes`."""
    if max_themes < 1:
        raise ValueError("max_themes must be at least 1")
    if not answers:
        return []
    parsed = parse_texts([a.text for a in answers])
    vectors = vectorise(parsed)
    with_content = np.flatnonzero([p.has_content for p in parsed])
    groups = np.full(len(answers), -1)
    if len(with_content) == 1:
        groups[with_content] = 0
    elif len(with_content) > 1:
        found = _find_groups(vectors[with_content], max_themes)
        groups[with_content] = _drop_misfits(vectors[with_content], found)
    return _build_themes(answers, parsed, vectors, groups)


def assign_to_existing(
    new_answers: list[Answer],
    themes: list[ExistingTheme],
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> dict[int, int | None]:
    """For each new answer id, the id of the existing theme it fits best, or None when it fits none
    (the caller then proposes new themes from the leftovers). Existing themes are never changed.

    A theme is represented by the centre of its answers and its staff label, so a theme staff
    renamed or filled by hand still attracts answers like the ones they put there. Themes
    labelled "Other" are never offered: an answer that fits nothing should come back as a
    leftover, not vanish into a catch-all.
    """
    if not new_answers:
        return {}
    candidates = [t for t in themes if t.label.strip().lower() != OTHER_LABEL.lower()]
    theme_texts = [[t.label, *t.answer_texts] for t in candidates]
    flat_theme_texts = [text for texts in theme_texts for text in texts]
    parsed = parse_texts([a.text for a in new_answers] + flat_theme_texts)
    vectors = vectorise(parsed)
    new_vectors = vectors[: len(new_answers)]
    centres = []
    start = len(new_answers)
    for texts in theme_texts:
        centres.append(_centre(vectors[start : start + len(texts)]))
        start += len(texts)
    result: dict[int, int | None] = {answer.id: None for answer in new_answers}
    if not centres:
        return result
    similarity = np.asarray((new_vectors @ sparse.csr_matrix(np.vstack(centres)).T).todense())
    for row, answer in enumerate(new_answers):
        best = int(np.argmax(similarity[row]))
        if similarity[row, best] >= min_similarity and parsed[row].has_content:
            result[answer.id] = candidates[best].id
    return result


def clean_text(text: str) -> str:
    """Plain text from what was typed or pasted: HTML tags and links out, spaces tidied."""
    text = html.unescape(_TAG.sub(" ", text or ""))
    text = _SPACE.sub(" ", _URL.sub(" ", text)).strip()
    if len(text) > MAX_PARSE_CHARS:
        text = text[:MAX_PARSE_CHARS].rsplit(" ", 1)[0]
    return text


def parse_texts(texts: Sequence[str]) -> list[ParsedAnswer]:
    """Parse each distinct text once; answers without a single letter skip spaCy entirely."""
    cleaned = [clean_text(t) for t in texts]
    distinct = sorted({t for t in cleaned if any(c.isalpha() for c in t)})
    nlp = get_nlp()
    parsed = {
        text: _parse_doc(doc)
        for text, doc in zip(distinct, nlp.pipe(distinct, batch_size=PARSE_BATCH_SIZE), strict=True)
    }
    return [parsed.get(t, EMPTY_ANSWER) for t in cleaned]


def vectorise(parsed: Sequence[ParsedAnswer]) -> sparse.csr_matrix:
    """Unit-length TF-IDF rows: word features and character n-grams, weighted and joined.

    Answers with no content get an all-zero row, which matches nothing.
    """
    word_docs = [_word_features(p) for p in parsed]
    char_docs = [" ".join(p.terms) for p in parsed]
    blocks = []
    if any(word_docs):
        words = TfidfVectorizer(analyzer=_as_given, sublinear_tf=True).fit_transform(word_docs)
        blocks.append(words * np.sqrt(WORD_WEIGHT))
    if len(parsed) > 1 and any(char_docs):
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=CHAR_NGRAM_SIZES, sublinear_tf=True, min_df=2
        )
        with suppress(ValueError):  # raised when no character n-gram appears twice
            blocks.append(chars.fit_transform(char_docs) * np.sqrt(1 - WORD_WEIGHT))
    if not blocks:
        return sparse.csr_matrix((len(parsed), 1))
    return normalize(sparse.hstack(blocks).tocsr())


def _parse_doc(doc: Doc) -> ParsedAnswer:
    content = [t for t in doc if _is_content(t)]
    phrases = [Phrase(_lemma(t), t.lower_, t.pos_ in ("NOUN", "PROPN")) for t in content]
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if _is_content(t)]
        if len(words) > 1:
            key = " ".join(_lemma(t) for t in words)
            phrases.append(Phrase(key, " ".join(t.lower_ for t in words), True))
    return ParsedAnswer(
        terms=tuple(_lemma(t) for t in content),
        phrases=tuple(phrases),
        entity_labels=tuple(e.label_ for e in doc.ents),
    )


def _is_content(token: Token) -> bool:
    """A word that says what the answer is about: no stop words, punctuation, numbers or filler."""
    lower = token.lower_
    if token.is_stop and lower not in _MEANINGFUL_STOP_WORDS:
        return False
    if token.pos_ in _FUNCTION_POS or lower in _FILLER:
        return False
    lemma = _lemma(token)
    return lemma not in _FILLER and sum(c.isalpha() for c in lemma) >= 2


def _lemma(token: Token) -> str:
    """Lemmas for nouns and verbs only: the small model turns "shower" the adjective into "show"."""
    if token.pos_ in ("NOUN", "VERB"):
        return token.lemma_.lower()
    return token.lower_


def _word_features(parsed: ParsedAnswer) -> list[str]:
    terms = list(parsed.terms)
    bigrams = [f"{a} {b}" for a, b in pairwise(terms)]
    noun_phrases = [f"np:{p.key}" for p in parsed.phrases if " " in p.key]
    entities = [f"ent:{label}" for label in parsed.entity_labels] if terms else []
    return terms + bigrams + noun_phrases + entities


def _as_given(features: list[str]) -> list[str]:
    return features


def _find_groups(vectors: sparse.csr_matrix, max_themes: int) -> np.ndarray:
    """Theme index per answer, with the number of themes picked by cosine silhouette.

    For many answers the number is picked on a fixed sample, then one fit covers them all:
    the choice needs the shape of the answers, not every one of them.
    """
    count = vectors.shape[0]
    if count < MIN_ANSWERS_TO_SPLIT or max_themes == 1:
        return np.zeros(count, dtype=int)
    sample = vectors
    if count > SILHOUETTE_SAMPLE:
        rows = np.random.RandomState(RANDOM_STATE).choice(count, SILHOUETTE_SAMPLE, replace=False)
        sample = vectors[np.sort(rows)]
    most_themes = min(max_themes, sample.shape[0] - 1, _distinct_rows(sample))
    best_score, best_themes, best_groups = -np.inf, 1, np.zeros(sample.shape[0], dtype=int)
    for themes in range(2, most_themes + 1):
        groups = _nmf_groups(sample, themes)
        if len(np.unique(groups)) < 2:
            continue
        score = silhouette_score(sample, groups, metric="cosine")
        if score > best_score:
            best_score, best_themes, best_groups = score, themes, groups
    if sample is vectors:
        return best_groups
    if best_themes == 1:
        return np.zeros(count, dtype=int)
    return _nmf_groups(vectors, best_themes)


def _distinct_rows(vectors: sparse.csr_matrix) -> int:
    """How many different answers there are once repeats are set aside; no more themes than that."""
    rows = {
        (vectors.indices[start:end].tobytes(), vectors.data[start:end].round(9).tobytes())
        for start, end in pairwise(vectors.indptr)
    }
    return len(rows)


def _nmf_groups(vectors: sparse.csr_matrix, themes: int) -> np.ndarray:
    model = NMF(n_components=themes, init="nndsvda", max_iter=400, random_state=RANDOM_STATE)
    # A perfect fit (few distinct answers) leaves a rounding-error negative under sklearn's
    # square root for the reported error; the weights are sound, so that warning is noise.
    with np.errstate(invalid="ignore"):
        weights = model.fit_transform(vectors)
    return weights.argmax(axis=1)


def _drop_misfits(vectors: sparse.csr_matrix, groups: np.ndarray) -> np.ndarray:
    """Move to Other (-1) answers that share too little with the rest of their theme.

    Each answer is compared with its theme's centre *without itself*, so a theme of one answer,
    or a stray answer in a small theme, cannot vouch for itself. Themes left smaller than
    MIN_THEME_SIZE go to Other too.
    """
    result = groups.copy()
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        member_vectors = vectors[members]
        total = np.asarray(member_vectors.sum(axis=0)).ravel()
        own_norm_sq = np.asarray(member_vectors.multiply(member_vectors).sum(axis=1)).ravel()
        own_dot_total = np.asarray(member_vectors @ total).ravel()
        own_dot_rest = own_dot_total - own_norm_sq
        rest_norm = np.sqrt(np.maximum(total @ total - 2 * own_dot_total + own_norm_sq, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            fit = np.where(rest_norm > 0, own_dot_rest / rest_norm, 0.0)
        result[members[fit < MIN_FIT_TO_THEME]] = -1
    for group in np.unique(result[result >= 0]):
        if np.count_nonzero(result == group) < MIN_THEME_SIZE:
            result[result == group] = -1
    return result


def _centre(vectors: sparse.csr_matrix) -> np.ndarray:
    total = np.asarray(vectors.sum(axis=0)).ravel()
    norm = np.linalg.norm(total)
    return total / norm if norm else total


def _quotes(vectors: sparse.csr_matrix, members: np.ndarray, answers: list[Answer]) -> list[int]:
    """Ids of the answers nearest the theme's centre, skipping repeats of the same words."""
    centre = _centre(vectors[members])
    closeness = np.asarray(vectors[members] @ centre).ravel()
    order = sorted(range(len(members)), key=lambda i: (-round(float(closeness[i]), 9), i))
    chosen: list[int] = []
    seen: set[str] = set()
    for i in order:
        answer = answers[members[i]]
        key = clean_text(answer.text).lower()
        if key in seen:
            continue
        seen.add(key)
        chosen.append(answer.id)
        if len(chosen) == QUOTES_PER_THEME:
            break
    return chosen


def _build_themes(
    answers: list[Answer],
    parsed: list[ParsedAnswer],
    vectors: sparse.csr_matrix,
    groups: np.ndarray,
) -> list[ProposedTheme]:
    """Named themes, largest first, then Other; labels are unique and come from the answers.

    The larger theme gets first pick of a label. A group that finds no phrase of its own
    joins Other rather than getting an invented name.
    """
    real = sorted(
        np.unique(groups[groups >= 0]),
        key=lambda g: (-np.count_nonzero(groups == g), int(np.flatnonzero(groups == g)[0])),
    )
    members_of = [np.flatnonzero(groups == g) for g in real]
    other = np.flatnonzero(groups < 0)
    wordings = word_themes(
        [[parsed[i].phrases for i in members] for members in members_of],
        unthemed=[parsed[i].phrases for i in other],
    )
    themes: list[ProposedTheme] = []
    for members, wording in zip(members_of, wordings, strict=True):
        if wording.label == OTHER_LABEL:
            other = np.union1d(other, members)
            continue
        themes.append(_theme(wording.label, members, answers, vectors, wording.key_phrases))
    if len(other):
        themes.append(_theme(OTHER_LABEL, other, answers, vectors, ()))
    return themes


def _theme(
    label: str,
    members: np.ndarray,
    answers: list[Answer],
    vectors: sparse.csr_matrix,
    key_phrases: Iterable[str],
) -> ProposedTheme:
    return ProposedTheme(
        label=label,
        answer_ids=tuple(answers[i].id for i in members),
        quote_ids=tuple(_quotes(vectors, members, answers)),
        key_phrases=tuple(key_phrases),
    )

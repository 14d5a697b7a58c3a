"""Send what a person says, unprompted, to the open consultation it is about, or to no one.

By meaning, in any of Sayso's languages: the message and each consultation's own words (title,
summary, keywords, questions, and their translations) become vectors from the multilingual
encoder, with each language's average taken out (`bot.meaning.centring`). A consultation's
score is the mean of its `TOP_REFERENCES` closest texts.

People raise many things no consultation is about (cold showers, stopped benefits, noise at
night), and those share words with the ones that are open. So the message is also compared
with the general topics in data/meaning/general_topics.yml: it goes to a consultation only
when that consultation fits at least `MIN_FIT` and no general topic fits clearly better
(`MIN_LEAD`). Even then the conversation asks before filing it. Figures:
bench/routing_eval.py on tests/data/routing_eval.yml.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import yaml
from sqlalchemy.orm import Session

from bot import PROJECT_ROOT
from bot.languages import DEFAULT_LANGUAGE
from bot.meaning import encode
from bot.meaning.centring import centred
from bot.meaning.language import guess_language
from bot.store import consultations as consultation_store
from bot.store import translations as translation_store
from bot.store.schema import Consultation

GENERAL_TOPICS_FILE = PROJECT_ROOT / "data" / "meaning" / "general_topics.yml"
#: Chosen on the dev half of tests/data/routing_eval.yml.
TOP_REFERENCES = 2
MIN_FIT = 0.08
MIN_LEAD = -0.025
#: A general topic this close to a consultation's title or summary is that consultation's topic.
TOPIC_OVERLAP = 0.4


@dataclass(frozen=True)
class RoutingCandidate:
    """An open consultation and its words, each with the language it is written in.

    `main` is what it is about in a few words (its title and summary), to tell which general
    topics it covers; `references` is everything that says what it is about.
    """

    slug: str
    references: tuple[tuple[str, str], ...]
    main: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Routing:
    """Where the words fit best, if anywhere, and by how much."""

    slug: str | None
    fit: float
    lead: float


def candidate_for(session: Session, consultation: Consultation) -> RoutingCandidate:
    """A stored consultation's words that say what it is about, in every language it has."""
    questions = consultation_store.active_questions(consultation)
    english = [
        consultation.title,
        consultation.summary,
        *(consultation.keywords or []),
        *(question.prompt for question in questions),
        *(question.easy_read for question in questions if question.easy_read),
    ]
    translated = translation_store.topic_texts(session, consultation)
    return RoutingCandidate(
        slug=consultation.slug,
        references=(*((text, DEFAULT_LANGUAGE) for text in english), *translated),
        main=(
            (consultation.title, DEFAULT_LANGUAGE),
            (consultation.summary, DEFAULT_LANGUAGE),
            *translation_store.topic_texts(session, consultation, fields=("title", "summary")),
        ),
    )


@lru_cache(maxsize=64)
def _reference_vectors(references: tuple[tuple[str, str], ...]) -> np.ndarray:
    """Consultations change rarely, so their vectors are worked out once per wording."""
    texts = [text for text, _ in references]
    return centred(encode(texts), [language for _, language in references])


@lru_cache(maxsize=1)
def _general_topics() -> tuple[np.ndarray, tuple[str, ...]]:
    """The general topics' vectors, and the language each is written in."""
    topics = yaml.safe_load(GENERAL_TOPICS_FILE.read_text(encoding="utf-8"))["topics"]
    languages = tuple(guess_language(topic) or DEFAULT_LANGUAGE for topic in topics)
    return centred(encode(topics), languages), languages


def _topics_not_covered(candidates: list[RoutingCandidate]) -> np.ndarray:
    """General topics no open consultation is mainly about.

    Each topic is compared with the consultations' titles and summaries in its own language
    (English where there is no translation): texts in one language sit a little closer to each
    other whatever they say, most of all in Romanian, which the encoder barely knows.
    """
    vectors, languages = _general_topics()
    mains = [main for candidate in candidates for main in candidate.main or candidate.references]
    main_vectors = _reference_vectors(tuple(mains))
    main_languages = np.array([language for _, language in mains])
    covered = np.zeros(len(vectors), dtype=bool)
    for language in set(languages):
        same = main_languages == language
        if not same.any():
            same = main_languages == DEFAULT_LANGUAGE
        rows = np.array(languages) == language
        covered[rows] = (vectors[rows] @ main_vectors[same].T).max(axis=1) >= TOPIC_OVERLAP
    return vectors[~covered]


def prepare_routing() -> None:
    """Work out the general topics' vectors now, so the first routed message waits for none."""
    _general_topics()


def _fit(message: np.ndarray, references: np.ndarray) -> float:
    closest = np.sort(references @ message)[-TOP_REFERENCES:]
    return float(closest.mean())


def route(text: str, candidates: Iterable[RoutingCandidate]) -> Routing:
    """The consultation the words are about, or a routing to none."""
    candidates = list(candidates)
    if not candidates or not text.strip():
        return Routing(None, 0.0, 0.0)
    message = centred(encode([text]), [guess_language(text)])[0]
    references = [_reference_vectors(candidate.references) for candidate in candidates]
    fits = [_fit(message, vectors) for vectors in references]
    best = int(np.argmax(fits))
    others = _topics_not_covered(candidates)
    general = float((others @ message).max()) if len(others) else -1.0
    lead = fits[best] - general
    if fits[best] >= MIN_FIT and lead >= MIN_LEAD:
        return Routing(candidates[best].slug, fits[best], lead)
    return Routing(None, fits[best], lead)


def best_consultation(text: str, candidates: Sequence[RoutingCandidate]) -> str | None:
    """The slug of the consultation the words are about, or None."""
    return route(text, candidates).slug

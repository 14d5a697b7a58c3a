"""Every word Sayso says is plain: at most 15 words a sentence, reading age 9 or below."""

from __future__ import annotations

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.consultations.loader import load_consultation_directory
from bot.plain_language import (
    MAX_READING_AGE,
    fill_placeholders,
    long_sentences,
    reading_age,
)


def domain_texts(english_only: bool = False) -> dict[str, str]:
    """Every response variant; `english_only` keeps the variants without a language condition."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {
        f"{name}[{index}]": fill_placeholders(variant["text"])
        for name, variants in domain["responses"].items()
        for index, variant in enumerate(variants)
        if not (english_only and variant.get("condition"))
    }


def consultation_texts() -> dict[str, str]:
    specs, problems = load_consultation_directory(PROJECT_ROOT / "consultations")
    assert not problems
    texts: dict[str, str] = {}
    for spec in specs:
        texts[f"{spec.slug}.title"] = spec.title
        texts[f"{spec.slug}.summary"] = spec.summary
        texts[f"{spec.slug}.who_decides"] = spec.who_decides
        for question in spec.questions:
            texts[f"{spec.slug}.{question.key}.prompt"] = question.prompt
            if question.easy_read:
                texts[f"{spec.slug}.{question.key}.easy_read"] = question.easy_read
            for option in question.options:
                texts[f"{spec.slug}.{question.key}.{option.value}"] = option.label
    return texts


def translated_consultation_texts() -> dict[str, str]:
    """Consultation words in other languages: the 15-word rule applies to them too."""
    specs, _ = load_consultation_directory(PROJECT_ROOT / "consultations")
    texts: dict[str, str] = {}
    for spec in specs:
        for translation in spec.translations:
            prefix = f"{spec.slug}.{translation.language}"
            for name in ("title", "summary", "who_decides"):
                if getattr(translation, name):
                    texts[f"{prefix}.{name}"] = getattr(translation, name)
            for question in translation.questions:
                for name in ("prompt", "easy_read"):
                    if getattr(question, name):
                        texts[f"{prefix}.{question.key}.{name}"] = getattr(question, name)
    return texts


ALL_TEXTS = {**domain_texts(), **consultation_texts(), **translated_consultation_texts()}


@pytest.mark.parametrize("name", sorted(ALL_TEXTS))
def test_no_sentence_is_longer_than_fifteen_words(name: str) -> None:
    assert long_sentences(ALL_TEXTS[name]) == []


def test_bot_messages_as_a_whole_read_at_age_nine_or_below() -> None:
    """The reading-age formula is for English, so it reads only the English variants."""
    assert reading_age(domain_texts(english_only=True).values()) <= MAX_READING_AGE


def test_consultation_content_as_a_whole_reads_at_age_nine_or_below() -> None:
    assert reading_age(consultation_texts().values()) <= MAX_READING_AGE


def test_the_checks_catch_jargon_and_long_sentences() -> None:
    jargon = (
        "The commissioning strategy will operationalise stakeholder engagement methodologies "
        "across the integrated provision framework to facilitate transformational outcomes."
    )
    assert long_sentences(jargon) == [jargon]
    assert reading_age([jargon]) > MAX_READING_AGE

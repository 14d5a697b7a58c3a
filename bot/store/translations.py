"""Consultation words in other languages, with English wherever a translation is missing.

A translation is stored per piece of text and keyed by question key and option value, so it
follows its question through edits. Reading falls back to English piece by piece: a question
with no Polish prompt is asked in English, and the rest of the consultation stays in Polish.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.consultations.spec import ConsultationSpec
from bot.languages import DEFAULT_LANGUAGE
from bot.store.schema import Consultation, ContentTranslation, Question


def prompt_field(key: str) -> str:
    return f"questions.{key}.prompt"


def easy_read_field(key: str) -> str:
    return f"questions.{key}.easy_read"


def option_field(key: str, value: str) -> str:
    return f"questions.{key}.options.{value}"


def keyword_field(index: int) -> str:
    return f"keywords.{index}"


def _texts_of(spec: ConsultationSpec) -> list[tuple[str, str, str]]:
    """(language, field, text) for every translated piece of the spec."""
    options_of = {question.key: question.options for question in spec.questions}
    texts: list[tuple[str, str, str]] = []
    for translation in spec.translations:
        language = translation.language
        for name in ("title", "summary", "who_decides"):
            text = getattr(translation, name)
            if text:
                texts.append((language, name, text))
        for index, keyword in enumerate(translation.keywords):
            texts.append((language, keyword_field(index), keyword))
        for question in translation.questions:
            if question.prompt:
                texts.append((language, prompt_field(question.key), question.prompt))
            if question.easy_read:
                texts.append((language, easy_read_field(question.key), question.easy_read))
            if question.option_labels and question.key in options_of:
                pairs = zip(options_of[question.key], question.option_labels, strict=True)
                for option, label in pairs:
                    texts.append((language, option_field(question.key, option.value), label))
    return texts


def save_translations(session: Session, consultation: Consultation, spec: ConsultationSpec) -> None:
    """Make the stored translations exactly the spec's: none left over from an older version."""
    session.execute(
        delete(ContentTranslation).where(ContentTranslation.consultation_id == consultation.id)
    )
    for language, name, text in _texts_of(spec):
        session.add(
            ContentTranslation(
                consultation_id=consultation.id, language=language, field=name, text=text
            )
        )
    session.flush()


@dataclass(frozen=True)
class ConsultationWords:
    """What a person sees of one consultation, in their language where there is a translation."""

    consultation: Consultation
    translated: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.translated.get("title", self.consultation.title)

    @property
    def summary(self) -> str:
        return self.translated.get("summary", self.consultation.summary)

    @property
    def who_decides(self) -> str:
        return self.translated.get("who_decides", self.consultation.who_decides)

    def question(self, question: Question, simpler: bool = False) -> str:
        """The question in the person's language first; simpler words only within a language."""
        translated_prompt = self.translated.get(prompt_field(question.key))
        translated_easy = self.translated.get(easy_read_field(question.key))
        if simpler and translated_easy:
            return translated_easy
        if translated_prompt:
            return translated_prompt
        if simpler and question.easy_read:
            return question.easy_read
        return question.prompt

    def option_label(self, question: Question, option: Mapping[str, str]) -> str:
        return self.translated.get(option_field(question.key, option["value"]), option["label"])


def words_for(session: Session, consultation: Consultation, language: str) -> ConsultationWords:
    """The consultation's words in this language (English needs no lookup)."""
    if language == DEFAULT_LANGUAGE:
        return ConsultationWords(consultation)
    rows = session.execute(
        select(ContentTranslation.field, ContentTranslation.text)
        .where(ContentTranslation.consultation_id == consultation.id)
        .where(ContentTranslation.language == language)
    ).all()
    return ConsultationWords(consultation, {name: text for name, text in rows})


#: Pieces of a consultation that say what it is about (not who decides, nor button labels).
_TOPIC_FIELDS = ("title", "summary")
_TOPIC_FIELD_ENDINGS = (".prompt", ".easy_read")
_TOPIC_FIELD_STARTS = ("keywords.",)


def _says_the_topic(name: str) -> bool:
    return (
        name in _TOPIC_FIELDS
        or name.endswith(_TOPIC_FIELD_ENDINGS)
        or name.startswith(_TOPIC_FIELD_STARTS)
    )


def topic_texts(
    session: Session, consultation: Consultation, fields: tuple[str, ...] | None = None
) -> list[tuple[str, str]]:
    """(text, language) of every translated piece that says what the consultation is about,
    or only of the named fields."""
    rows = session.execute(
        select(ContentTranslation.language, ContentTranslation.field, ContentTranslation.text)
        .where(ContentTranslation.consultation_id == consultation.id)
        .order_by(ContentTranslation.id)
    ).all()
    return [
        (text, language)
        for language, name, text in rows
        if (name in fields if fields is not None else _says_the_topic(name))
    ]

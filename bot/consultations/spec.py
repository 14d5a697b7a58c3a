"""What a consultation is, once it has been checked.

Consultations are content, not code: staff write them as YAML files or fill in a web form, and
`bot.consultations.loader` turns either into these frozen objects. Everything downstream (the
store, the conversation, the staff pages) can then trust the shape and never re-check it.

Defaults such as `status: open` and `required: false` are applied by the loader, so every field
here is always set explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The ladder of co-production, lowest rung first. A consultation states its rung honestly so the
# bot never promises more influence than people will really have.
LADDER_RUNGS = ("informing", "consultation", "engagement", "co-design", "co-production")
#: The domain.yml response that tells a person, in plain words, who decides at each rung.
RUNG_RESPONSES = {rung: f"utter_rung_{rung.replace('-', '_')}" for rung in LADDER_RUNGS}
QUESTION_KINDS = ("free_text", "choice", "scale", "yes_no")
STATUSES = ("draft", "open", "closed")


@dataclass(frozen=True)
class Option:
    """One button a person can tap to answer.

    `value` is what gets stored and sent in button payloads, so it stays stable when the label
    is reworded, and it is short enough for Telegram's 64-byte callback data.
    """

    value: str
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    """One question. `key` identifies it across edits, so answers stay linked to it."""

    key: str
    kind: str
    prompt: str
    easy_read: str | None
    options: tuple[Option, ...]
    required: bool


@dataclass(frozen=True)
class ConsultationSpec:
    """A topic people are asked about, with a plain statement of what their say can change."""

    slug: str
    title: str
    summary: str
    ladder_rung: str
    who_decides: str
    opens_on: date
    closes_on: date
    feedback_due_on: date
    status: str
    keywords: tuple[str, ...]
    questions: tuple[QuestionSpec, ...]
    translations: tuple[ConsultationTranslation, ...] = ()


@dataclass(frozen=True)
class QuestionTranslation:
    """One question's words in another language. None (or no labels) means: use the English."""

    key: str
    prompt: str | None
    easy_read: str | None
    option_labels: tuple[str, ...]


@dataclass(frozen=True)
class ConsultationTranslation:
    """A consultation's words in one other language.

    Every part is optional: whatever is not translated is shown in English, question by
    question, so a half-finished translation still helps and never blocks a consultation.
    """

    language: str
    title: str | None
    summary: str | None
    who_decides: str | None
    questions: tuple[QuestionTranslation, ...]
    #: Routing words people use in this language, as for the English `keywords`.
    keywords: tuple[str, ...] = ()

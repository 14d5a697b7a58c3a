"""Outcomes in the staff app: reading what staff typed, checking it, and showing where each
outcome's messages are. Pages (bot/staff/outcome_pages.py) and the API share these rules.

Plain words matter as much here as in the bot's own text: each sentence staff write goes to
people as it is. Long sentences get a gentle warning, never a block: staff know their words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.feedback.update_message import as_text, update_replies
from bot.plain_language import MAX_WORDS_PER_SENTENCE, long_sentences
from bot.privacy.redaction import redact
from bot.store import follow_ups
from bot.store import outcomes as outcome_store
from bot.store import themes as theme_store
from bot.store.schema import Consultation, Outcome

#: Languages staff may give their own words in, with the names the form shows.
TRANSLATION_LANGUAGES = {"pl": "Polish", "ro": "Romanian"}


class OutcomeProblems(Exception):
    """What is missing or wrong in an outcome, by field, for the form or the API."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


@dataclass(frozen=True)
class PlainLanguageWarning:
    field: str
    message: str


@dataclass
class OutcomeView:
    """One outcome as the pages and the API show it."""

    id: int
    status: str
    status_name: str
    what_was_done: str
    reason: str
    decided_on: str
    themes: list[str]
    published: bool
    published_at: str
    counts: dict[str, int] = field(default_factory=dict)
    #: "Did it help?" answers: {"Yes": 3, "A bit": 1, "No": 0}, once the outcome is done.
    did_it_help: dict[str, int] = field(default_factory=dict)
    #: What people added in their own words, names and places taken out: answer, words, date.
    follow_up_words: list[dict[str, str]] = field(default_factory=list)


def plain_language_warnings(texts: Mapping[str, str]) -> list[PlainLanguageWarning]:
    """A warning for each field with a sentence longer than people can easily read."""
    warnings = []
    for name, text in texts.items():
        for sentence in long_sentences(text or ""):
            warnings.append(
                PlainLanguageWarning(
                    name,
                    f"This sentence has more than {MAX_WORDS_PER_SENTENCE} words. "
                    f"Shorter sentences are easier to read: “{sentence}”",
                )
            )
    return warnings


def draft_from(values: Mapping[str, Any], theme_ids: list[int]) -> outcome_store.OutcomeDraft:
    """Check what staff sent. Raises OutcomeProblems naming each field to fix."""
    problems: list[tuple[str, str]] = []
    what = str(values.get("what_was_done") or "").strip()
    status = str(values.get("status") or "")
    reason = str(values.get("reason") or "").strip()
    if not theme_ids:
        problems.append(("themes", "Choose at least one theme this outcome answers"))
    if not what:
        problems.append(("what_was_done", "Say what was decided or done"))
    if status not in outcome_store.STATUSES:
        problems.append(("status", "Choose planned, in progress, done or not doing"))
    if status == outcome_store.NOT_DOING and not reason:
        problems.append(("reason", "Say why it is not being done"))
    decided_on = _date(str(values.get("decided_on") or ""))
    if decided_on is None:
        problems.append(("decided_on", "Enter the date as year-month-day, like 2027-02-10"))
    if problems:
        raise OutcomeProblems(problems)
    assert decided_on is not None
    translations = values.get("translations") or {}
    return outcome_store.OutcomeDraft(
        theme_ids=theme_ids,
        what_was_done=what,
        status=status,
        reason=reason if status == outcome_store.NOT_DOING else "",
        decided_on=decided_on,
        translations={
            language: {name: str(texts.get(name) or "") for name in outcome_store.TRANSLATED_FIELDS}
            for language, texts in dict(translations).items()
            if language in TRANSLATION_LANGUAGES and isinstance(texts, Mapping)
        },
    )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def theme_choices(db: Session, consultation: Consultation) -> list[tuple[int, str]]:
    return [
        (theme.id, theme.label)
        for theme in theme_store.themes_for_consultation(db, consultation.id)
    ]


def view_of(db: Session, outcome: Outcome) -> OutcomeView:
    counts = outcome_store.delivery_counts(db, outcome)
    return OutcomeView(
        id=outcome.id,
        status=outcome.status,
        status_name=outcome_store.STATUSES[outcome.status],
        what_was_done=outcome.what_was_done,
        reason=outcome.reason or "",
        decided_on=outcome.decided_on.isoformat(),
        themes=[link.label for link in outcome.theme_links],
        published=outcome.published_at is not None,
        published_at=outcome.published_at.strftime("%Y-%m-%d %H:%M")
        if outcome.published_at
        else "",
        counts={
            "owed": counts.owed,
            "sent": counts.sent,
            "waiting": counts.waiting,
            "failed": counts.failed,
            "unreachable": counts.unreachable,
        },
        did_it_help=follow_ups.outcome_answer_counts(db, outcome.id),
        follow_up_words=[
            {
                "answer": follow_ups.ANSWERS[row.answer],
                "words": redact(row.words),
                "answered_on": row.answered_at.date().isoformat(),
            }
            for row in follow_ups.answers_for(db, outcome.id)
            if row.words
        ],
    )


def preview(db: Session, consultation: Consultation, outcome: Outcome, language: str = "en") -> str:
    """The message as a person who answered in every linked theme would get it."""
    themes = [link.label for link in outcome.theme_links]
    return as_text(update_replies(db, consultation, outcome, themes, language))


def warnings_for(outcome: Outcome) -> list[PlainLanguageWarning]:
    return plain_language_warnings(
        {"what_was_done": outcome.what_was_done, "reason": outcome.reason or ""}
    )

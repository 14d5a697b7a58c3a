"""What staff see, worked out once for the pages and the JSON API alike.

Every text a person wrote leaves here redacted. The original is only ever read through
`bot.staff.operations.show_originals`, which checks the role and writes the audit row.
Answers in Polish or Romanian are shown as written, with a note of their language, since
themes gather answers by meaning whatever language they came in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.meaning.language import guess_language
from bot.staff.outcomes import TRANSLATION_LANGUAGES
from bot.store import staff_reports
from bot.store import themes as theme_store
from bot.store.consultations import active_questions
from bot.store.schema import Consultation, Question, Response, Theme
from bot.store.staff_redactions import redacted_texts

QUOTES_SHOWN = 3
KIND_NAMES = {
    "free_text": "Free text",
    "choice": "Choice",
    "scale": "Scale",
    "yes_no": "Yes or no",
}


@dataclass(frozen=True)
class ShownAnswer:
    """One answer as staff see it: redacted, with where it came from but never who."""

    id: int
    text: str
    channel: str
    helped_by_worker: bool
    answered_at: str
    theme_id: int | None = None
    theme_label: str | None = None
    language: str | None = None  # "Polish" or "Romanian"; None for English or unclear


@dataclass(frozen=True)
class OptionCount:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class QuestionAnswers:
    id: int
    key: str
    kind: str
    kind_name: str
    prompt: str
    answers: list[ShownAnswer]
    option_counts: list[OptionCount] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeSummary:
    id: int
    label: str
    status: str
    staff_named: bool
    count: int
    quotes: list[ShownAnswer]


@dataclass(frozen=True)
class QuestionThemes:
    id: int
    key: str
    prompt: str
    answers: int
    unthemed: int
    themes: list[ThemeSummary]


@dataclass(frozen=True)
class ThemeDetail:
    theme: ThemeSummary
    consultation_slug: str
    consultation_title: str
    question_id: int
    question_prompt: str
    answers: list[ShownAnswer]
    other_themes: list[ThemeSummary]


def as_data(value: Any) -> Any:
    """Plain dicts and lists for JSON, from any of the dataclasses here."""
    if isinstance(value, list):
        return [as_data(item) for item in value]
    return asdict(value)


def _iso(moment: datetime | None) -> str:
    return moment.replace(microsecond=0).isoformat() if moment else ""


def _shown(
    responses: list[Response], redacted: dict[int, str], themes: dict[int, Theme] | None = None
) -> list[ShownAnswer]:
    themes = themes or {}
    return [
        ShownAnswer(
            id=response.id,
            text=redacted[response.id],
            channel=response.channel,
            helped_by_worker=response.assisted_by is not None,
            answered_at=_iso(response.created_at),
            theme_id=themes[response.id].id if response.id in themes else None,
            theme_label=themes[response.id].label if response.id in themes else None,
            # From the words as typed: masking can take out the very words that tell.
            language=TRANSLATION_LANGUAGES.get(guess_language(response.text) or ""),
        )
        for response in responses
    ]


def consultation_data(consultation: Consultation) -> dict[str, Any]:
    """The consultation in the same shape as its YAML file, which the loader reads back."""
    questions = []
    for question in active_questions(consultation):
        item: dict[str, Any] = {
            "key": question.key,
            "kind": question.kind,
            "prompt": question.prompt,
            "easy_read": question.easy_read,
            "required": question.required,
        }
        if question.kind in ("choice", "scale"):
            item["options"] = [dict(option) for option in question.options]
        questions.append(item)
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "ladder_rung": consultation.ladder_rung,
        "who_decides": consultation.who_decides,
        "opens_on": consultation.opens_on.isoformat(),
        "closes_on": consultation.closes_on.isoformat(),
        "feedback_due_on": consultation.feedback_due_on.isoformat(),
        "status": consultation.status,
        "keywords": list(consultation.keywords or []),
        "questions": questions,
    }


def consultation_list(db: Session) -> list[dict[str, Any]]:
    return [
        {
            "slug": row.consultation.slug,
            "title": row.consultation.title,
            "status": row.consultation.status,
            "ladder_rung": row.consultation.ladder_rung,
            "opens_on": row.consultation.opens_on.isoformat(),
            "closes_on": row.consultation.closes_on.isoformat(),
            "answers": row.answers,
            "participants": row.participants,
        }
        for row in staff_reports.consultations_with_counts(db)
    ]


def answers_by_question(db: Session, consultation: Consultation) -> list[QuestionAnswers]:
    """Each question's answers (redacted), with option counts for tap-to-answer questions,
    then a last block for what people said outside any question."""
    questions = active_questions(consultation)
    per_question = {q.id: staff_reports.answers_to_question(db, q.id) for q in questions}
    comments = staff_reports.comments_outside_questions(db, consultation.id)
    everything = [r for answers in per_question.values() for r in answers] + comments
    redacted = redacted_texts(db, everything)
    themes = theme_store.theme_of_answers(db, [r.id for r in everything])
    blocks = []
    for question in questions:
        counts = staff_reports.option_counts(db, question.id)
        options = [
            OptionCount(o["value"], o["label"], counts.get(o["value"], 0))
            for o in question.options or []
        ]
        blocks.append(
            QuestionAnswers(
                id=question.id,
                key=question.key,
                kind=question.kind,
                kind_name=KIND_NAMES.get(question.kind, question.kind),
                prompt=question.prompt,
                answers=_shown(per_question[question.id], redacted, themes),
                option_counts=options,
            )
        )
    if comments:
        blocks.append(
            QuestionAnswers(
                id=0,
                key="",
                kind="comment",
                kind_name="Said outside a question",
                prompt="Things people said that were not an answer to a question",
                answers=_shown(comments, redacted),
            )
        )
    return blocks


def _theme_summary(theme: Theme, quotes: list[ShownAnswer]) -> ThemeSummary:
    return ThemeSummary(
        id=theme.id,
        label=theme.label,
        status=theme.status,
        staff_named=theme.staff_named,
        count=len(theme.memberships),
        quotes=quotes,
    )


def themed_summary(db: Session, consultation: Consultation) -> list[QuestionThemes]:
    """Per free-text question: its themes, biggest first, with counts and redacted quotes."""
    summaries = []
    for question in active_questions(consultation):
        if question.kind != "free_text":
            continue
        answers = [r for r in staff_reports.answers_to_question(db, question.id) if r.text]
        themes = theme_store.themes_for_question(db, question.id)
        in_themes = sum(len(theme.memberships) for theme in themes)
        theme_rows = []
        for theme in themes:
            quoted = theme_store.answers_in_theme(db, theme)[:QUOTES_SHOWN]
            theme_rows.append(_theme_summary(theme, _shown(quoted, redacted_texts(db, quoted))))
        summaries.append(
            QuestionThemes(
                id=question.id,
                key=question.key,
                prompt=question.prompt,
                answers=len(answers),
                unthemed=len(answers) - in_themes,
                themes=theme_rows,
            )
        )
    return summaries


def theme_detail(db: Session, theme: Theme) -> ThemeDetail:
    question: Question = db.get(Question, theme.question_id)
    consultation = question.consultation
    answers = theme_store.answers_in_theme(db, theme)
    redacted = redacted_texts(db, answers)
    others = [
        _theme_summary(other, [])
        for other in theme_store.themes_for_question(db, theme.question_id)
        if other.id != theme.id
    ]
    return ThemeDetail(
        theme=_theme_summary(theme, []),
        consultation_slug=consultation.slug,
        consultation_title=consultation.title,
        question_id=question.id,
        question_prompt=question.prompt,
        answers=_shown(answers, redacted),
        other_themes=others,
    )


def reach_summary(db: Session, consultation: Consultation) -> dict[str, Any]:
    """Counts of people and answers; never who they are or how to reach them."""
    reach = staff_reports.reach(db, consultation.id)
    return {
        "participants": reach.participants,
        "by_channel": reach.by_channel,
        "agreed_to_updates": reach.agreed_to_updates,
        "helped_by_a_worker": reach.helped_by_a_worker,
        "comments_outside_questions": reach.comments_outside_questions,
        "answers_by_question": [
            {
                "key": question.key,
                "prompt": question.prompt,
                "answers": reach.answers_by_question.get(question.id, 0),
            }
            for question in active_questions(consultation)
        ],
    }


def redacted_text(db: Session, response: Response) -> str:
    return redacted_texts(db, [response])[response.id]

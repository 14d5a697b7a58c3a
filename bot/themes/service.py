"""Theme a question's stored answers with the engine, and keep what staff have already shaped.

The engine sees answers only after redaction, with the placeholders taken out, so a label it
proposes is built from words staff may see, never from a name or a street.

Re-theming after new answers arrive changes nothing staff can already see: every answer keeps
its theme. New answers go into the existing themes they fit (`assign_to_existing`), and only
the ones that fit nowhere are grouped into new draft themes. Staff can ask for a fresh start
(`fresh=True`), which regroups only the themes nobody has touched: draft, engine-named, with
no answer placed by hand.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.store import themes as theme_store
from bot.store.schema import Consultation, Question, Theme
from bot.store.staff_redactions import Redactor, redacted_texts
from bot.store.staff_reports import answers_to_question
from bot.themes.grouping import Answer, ExistingTheme, assign_to_existing, propose_themes

THEMED_KINDS = ("free_text",)
_PLACEHOLDER = re.compile(r"\[(?:name|place|phone|email|postcode|NHS number|link|username)\]")
# One theming run at a time in this process: two runs over the same question at once would
# both place the same new answers.
_RUN_LOCK = threading.Lock()


@dataclass(frozen=True)
class ThemingReport:
    """What one run did, in numbers staff can check against the page."""

    question_id: int
    answers: int
    kept_in_place: int
    placed_in_existing: int
    grouped_anew: int
    new_themes: int


def theming_text(redacted: str) -> str:
    """Redacted text without its placeholders: "[name]" says nothing about the topic."""
    return " ".join(_PLACEHOLDER.sub(" ", redacted).split())


def is_untouched(theme: Theme) -> bool:
    """A theme only the engine has shaped, which a fresh start may regroup."""
    return (
        not theme.staff_named
        and theme.status == "draft"
        and all(m.placed_by == theme_store.ENGINE for m in theme.memberships)
    )


def theme_question(
    session: Session, question: Question, fresh: bool = False, redactor: Redactor | None = None
) -> ThemingReport:
    """Bring the question's themes up to date with its answers; see the module docstring."""
    if question.kind not in THEMED_KINDS:
        raise ValueError(f"only free-text questions have themes, not {question.kind}")
    with _RUN_LOCK:
        answers = [r for r in answers_to_question(session, question.id) if r.text.strip()]
        redacted = redacted_texts(session, answers, redactor)
        text_of = {answer_id: theming_text(text) for answer_id, text in redacted.items()}
        themes = theme_store.themes_for_question(session, question.id)
        if fresh:
            theme_store.delete_themes(session, [t.id for t in themes if is_untouched(t)])
            themes = theme_store.themes_for_question(session, question.id)
        themed = {m.response_id for theme in themes for m in theme.memberships}
        new = [Answer(id=r.id, text=text_of[r.id]) for r in answers if r.id not in themed]
        leftovers = new
        placed = 0
        if new and themes:
            placed, leftovers = _place_in_existing(session, new, themes, text_of)
        created = _group_leftovers(session, question, leftovers, themes) if leftovers else 0
        theme_store.refresh_themes(session)
        return ThemingReport(
            question_id=question.id,
            answers=len(answers),
            kept_in_place=len(themed),
            placed_in_existing=placed,
            grouped_anew=len(leftovers),
            new_themes=created,
        )


def theme_consultation(
    session: Session,
    consultation: Consultation,
    fresh: bool = False,
    redactor: Redactor | None = None,
) -> list[ThemingReport]:
    """Theme every live free-text question of the consultation."""
    return [
        theme_question(session, question, fresh=fresh, redactor=redactor)
        for question in consultation.questions
        if question.kind in THEMED_KINDS and not question.retired
    ]


def _place_in_existing(
    session: Session, new: list[Answer], themes: list[Theme], text_of: dict[int, str]
) -> tuple[int, list[Answer]]:
    existing = [
        ExistingTheme(
            id=theme.id,
            label=theme.label,
            answer_texts=tuple(
                text_of[m.response_id] for m in theme.memberships if m.response_id in text_of
            ),
        )
        for theme in themes
    ]
    by_id = {theme.id: theme for theme in themes}
    placements = assign_to_existing(new, existing)
    placed = 0
    for answer_id, theme_id in placements.items():
        if theme_id is not None:
            theme_store.place_answer(session, answer_id, by_id[theme_id], theme_store.ENGINE)
            placed += 1
    return placed, [answer for answer in new if placements.get(answer.id) is None]


def _group_leftovers(
    session: Session, question: Question, leftovers: list[Answer], themes: list[Theme]
) -> int:
    """New draft themes from the answers that fit no existing theme; a label already in use
    (such as "Other") adds to that theme instead of making a second one."""
    by_label = {theme.label.casefold(): theme for theme in themes}
    created = 0
    for proposed in propose_themes(leftovers):
        theme = by_label.get(proposed.label.casefold())
        ranks: dict[int, int] = {}
        if theme is None:
            theme = theme_store.add_theme(
                session, question.consultation_id, question.id, proposed.label
            )
            by_label[proposed.label.casefold()] = theme
            ranks = {answer_id: rank for rank, answer_id in enumerate(proposed.quote_ids, 1)}
            created += 1
        for answer_id in proposed.answer_ids:
            theme_store.place_answer(
                session, answer_id, theme, theme_store.ENGINE, quote_rank=ranks.get(answer_id)
            )
    return created

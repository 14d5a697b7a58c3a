"""General feedback: things people told Sayso that are not about an open consultation.

When someone says something unprompted that fits no open consultation (or answers "No,
something else" when asked whether it is about one), Sayso keeps their words with no
consultation and no question (`bot.store.responses.save_free_comment`). Staff read them here,
for the pages, the JSON API and the CSV alike: masked exactly as answers are everywhere else
(`summaries._shown` over `redacted_texts`), newest first, and grouped into themes by meaning.

The themes are worked out from the masked words each time they are asked for (and kept in
memory while the feedback is unchanged); they are not stored, so staff cannot rename, merge or
publish them. With fewer than `MIN_TO_THEME` pieces of feedback there are no themes: a list is
easier to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy.orm import Session

from bot.staff import summaries
from bot.store import staff_reports
from bot.store.schema import Response
from bot.store.staff_redactions import redacted_texts
from bot.themes import Answer, ProposedTheme, propose_themes
from bot.themes.service import theming_text

#: The newest this many are shown and themed; the CSV has every one.
SHOWN_LIMIT = 1000
#: Fewer than this many are just listed.
MIN_TO_THEME = 4


@dataclass(frozen=True)
class GeneralItem:
    """One piece of general feedback as staff see it: masked, and never who said it."""

    id: int
    text: str
    channel: str
    helped_by_worker: bool
    created_at: str  # UTC, ISO 8601 without a zone
    language: str | None = None  # "Polish" or "Romanian"; None for English or unclear

    @property
    def said_on(self) -> str:
        """The date in words for the page: "7 December 2026"."""
        if not self.created_at:
            return ""
        moment = datetime.fromisoformat(self.created_at)
        return f"{moment.day} {moment:%B %Y}"


@dataclass(frozen=True)
class GeneralTheme:
    label: str
    count: int
    answer_ids: list[int]  # newest first, like the items


@dataclass(frozen=True)
class GeneralFeedback:
    total: int  # every piece of general feedback kept
    items: list[GeneralItem]  # the newest SHOWN_LIMIT (or all, for the CSV), newest first
    themes: list[GeneralTheme]  # biggest first, "Other" last; none below MIN_TO_THEME

    @property
    def shown(self) -> int:
        return len(self.items)

    def answers_in(self, theme: GeneralTheme) -> list[GeneralItem]:
        by_id = {item.id: item for item in self.items}
        return [by_id[answer_id] for answer_id in theme.answer_ids if answer_id in by_id]

    def theme_of(self) -> dict[int, str]:
        """Feedback id to the label of its theme."""
        return {answer_id: theme.label for theme in self.themes for answer_id in theme.answer_ids}


def general_feedback(db: Session, limit: int | None = SHOWN_LIMIT) -> GeneralFeedback:
    """The newest general feedback, masked, with its themes; `limit=None` for all of it."""
    responses = staff_reports.general_feedback(db, limit)
    total = (
        len(responses)
        if limit is None or len(responses) < limit
        else staff_reports.count_general_feedback(db)
    )
    return describe(db, responses, total)


def describe(db: Session, responses: Sequence[Response], total: int) -> GeneralFeedback:
    """These responses as staff see them (in the order given), with their themes."""
    responses = list(responses)
    redacted = redacted_texts(db, responses)
    items = [
        GeneralItem(
            id=shown.id,
            text=shown.text,
            channel=shown.channel,
            helped_by_worker=shown.helped_by_worker,
            created_at=shown.answered_at,
            language=getattr(shown, "language", None),
        )
        for shown in summaries._shown(responses, redacted)
    ]
    return GeneralFeedback(total=total, items=items, themes=themes_of(items))


def themes_of(items: Sequence[GeneralItem]) -> list[GeneralTheme]:
    """Group the masked feedback by meaning with the theming engine, as answers are grouped.

    The engine sees the masked words with their placeholders taken out (as in
    `bot.themes.service`), so no label is made from a name, a number or a street."""
    if len(items) < MIN_TO_THEME:
        return []
    answers = tuple(Answer(id=item.id, text=theming_text(item.text)) for item in items)
    position = {item.id: number for number, item in enumerate(items)}
    return [
        GeneralTheme(
            label=theme.label,
            count=len(theme.answer_ids),
            answer_ids=sorted(theme.answer_ids, key=position.__getitem__),
        )
        for theme in _proposed(answers)
    ]


@lru_cache(maxsize=8)
def _proposed(answers: tuple[Answer, ...]) -> tuple[ProposedTheme, ...]:
    """The engine's themes, kept while the same feedback is asked for again."""
    return tuple(propose_themes(list(answers)))

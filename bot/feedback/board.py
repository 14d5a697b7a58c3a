"""What the public "You said, we did" board shows: published outcomes, and what people said.

Privacy rules, all applied here so every public page and the feed share them:

- only published outcomes, and only the themes they answer that staff marked published;
- a theme said by fewer than `min_people` people (SAYSO_PUBLIC_MIN_PEOPLE) is left out, so a
  small group cannot be picked out;
- theme labels come from people's answers, so they are masked as staff pages mask answers;
- quotes appear only where staff picked them for the board (bot/store/board.py), and always
  in their redacted form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bot.feedback.board_words import board_words
from bot.feedback.update_message import staff_words
from bot.languages import plain_date
from bot.store import board as board_store
from bot.store import translations as translation_store
from bot.store.outcomes import NOT_DOING
from bot.store.schema import Consultation, Outcome, Response, Theme, ThemeMembership
from bot.store.staff_redactions import redacted_texts

PUBLISHED_THEME = "published"


@dataclass(frozen=True)
class BoardTheme:
    label: str
    people: int
    quotes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BoardOutcome:
    id: int
    what_was_done: str
    status: str
    status_name: str
    reason: str
    decided_on: str
    decided_on_iso: str
    published_at: datetime
    themes: list[BoardTheme]
    hidden_themes: bool


@dataclass(frozen=True)
class BoardConsultation:
    slug: str
    title: str
    who_decides: str
    outcomes: list[BoardOutcome]

    @property
    def latest(self) -> datetime:
        return max(outcome.published_at for outcome in self.outcomes)


@lru_cache(maxsize=2048)
def _masked_label(label: str) -> str:
    from bot.privacy.redaction import redact

    return redact(label)


def masked_label(label: str) -> str:
    """A theme label with any personal detail masked (labels are phrases from answers)."""
    return _masked_label(label)


def _people_per_theme(session: Session, theme_ids: list[int]) -> dict[int, int]:
    if not theme_ids:
        return {}
    return dict(
        session.execute(
            select(ThemeMembership.theme_id, func.count(distinct(Response.participant_id)))
            .join(Response, Response.id == ThemeMembership.response_id)
            .where(ThemeMembership.theme_id.in_(theme_ids))
            .group_by(ThemeMembership.theme_id)
        ).all()
    )


def _published_themes(session: Session, theme_ids: list[int]) -> dict[int, Theme]:
    if not theme_ids:
        return {}
    return {
        theme.id: theme
        for theme in session.execute(
            select(Theme).where(Theme.id.in_(theme_ids), Theme.status == PUBLISHED_THEME)
        ).scalars()
    }


def _outcomes(session: Session, consultation_id: int | None = None) -> list[Outcome]:
    query = select(Outcome).where(Outcome.published_at.is_not(None))
    if consultation_id is not None:
        query = query.where(Outcome.consultation_id == consultation_id)
    return list(session.execute(query.order_by(Outcome.decided_on, Outcome.id)).scalars())


def board_outcomes(
    session: Session, outcomes: list[Outcome], language: str, min_people: int
) -> list[BoardOutcome]:
    """Each outcome as the public sees it, with only the themes that may be shown."""
    words = board_words(language)
    theme_ids = sorted(
        {link.theme_id for outcome in outcomes for link in outcome.theme_links if link.theme_id}
    )
    themes = _published_themes(session, theme_ids)
    people = _people_per_theme(session, list(themes))
    shown_ids = [theme_id for theme_id in themes if people.get(theme_id, 0) >= min_people]
    quoted = board_store.quoted_answers(session, shown_ids)
    quoted_responses = [response for responses in quoted.values() for response in responses]
    redacted = redacted_texts(session, quoted_responses)
    result = []
    for outcome in outcomes:
        shown: list[BoardTheme] = []
        hidden = False
        for link in outcome.theme_links:
            if link.theme_id in shown_ids:
                theme = themes[link.theme_id]
                shown.append(
                    BoardTheme(
                        label=masked_label(theme.label),
                        people=people[link.theme_id],
                        quotes=[redacted[item.id] for item in quoted.get(link.theme_id, [])],
                    )
                )
            else:
                hidden = True
        result.append(
            BoardOutcome(
                id=outcome.id,
                what_was_done=staff_words(outcome, "what_was_done", language),
                status=outcome.status,
                status_name=words[outcome.status],
                reason=staff_words(outcome, "reason", language)
                if outcome.status == NOT_DOING
                else "",
                decided_on=plain_date(outcome.decided_on, language),
                decided_on_iso=outcome.decided_on.isoformat(),
                published_at=outcome.published_at,
                themes=shown,
                hidden_themes=hidden,
            )
        )
    return result


def _consultation(
    session: Session, consultation: Consultation, outcomes: list[Outcome], language: str, least: int
) -> BoardConsultation:
    in_language = translation_store.words_for(session, consultation, language)
    return BoardConsultation(
        slug=consultation.slug,
        title=in_language.title,
        who_decides=in_language.who_decides,
        outcomes=board_outcomes(session, outcomes, language, least),
    )


def board(session: Session, language: str, min_people: int) -> list[BoardConsultation]:
    """Every consultation with a published outcome, most recent news first."""
    by_consultation: dict[int, list[Outcome]] = {}
    for outcome in _outcomes(session):
        by_consultation.setdefault(outcome.consultation_id, []).append(outcome)
    found = [
        _consultation(session, session.get(Consultation, cid), outcomes, language, min_people)
        for cid, outcomes in by_consultation.items()
    ]
    return sorted(found, key=lambda item: item.latest, reverse=True)


def consultation_board(
    session: Session, consultation: Consultation, language: str, min_people: int
) -> BoardConsultation:
    """One consultation's published outcomes (possibly none)."""
    return _consultation(
        session, consultation, _outcomes(session, consultation.id), language, min_people
    )

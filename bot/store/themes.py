"""Themes of a question's answers and which answer sits in which theme.

Each answer is in at most one theme (the membership's key is the answer). Deleting an answer,
a question or a consultation removes its memberships and themes through the foreign keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from bot.store.schema import Response, Theme, ThemeMembership

ENGINE = "engine"
STAFF = "staff"
THEME_STATUSES = ("draft", "published")


def get_theme(session: Session, theme_id: int) -> Theme | None:
    return session.get(Theme, theme_id)


def themes_for_question(session: Session, question_id: int) -> list[Theme]:
    """The question's themes, biggest first, with their memberships loaded."""
    themes = session.execute(
        select(Theme)
        .options(selectinload(Theme.memberships))
        .where(Theme.question_id == question_id)
        .order_by(Theme.id)
    ).scalars()
    return sorted(themes, key=lambda theme: -len(theme.memberships))


def themes_for_consultation(session: Session, consultation_id: int) -> list[Theme]:
    return list(
        session.execute(
            select(Theme)
            .options(selectinload(Theme.memberships))
            .where(Theme.consultation_id == consultation_id)
            .order_by(Theme.question_id, Theme.id)
        ).scalars()
    )


def theme_of_answers(session: Session, response_ids: Iterable[int]) -> dict[int, Theme]:
    """Response id to the theme it sits in, for the answers that have one."""
    ids = list(response_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(ThemeMembership.response_id, Theme)
        .join(Theme, Theme.id == ThemeMembership.theme_id)
        .where(ThemeMembership.response_id.in_(ids))
    ).all()
    return {response_id: theme for response_id, theme in rows}


def answers_in_theme(session: Session, theme: Theme) -> list[Response]:
    """The theme's answers, the engine's quotes first, then oldest first."""
    rows = session.execute(
        select(Response, ThemeMembership.quote_rank)
        .join(ThemeMembership, ThemeMembership.response_id == Response.id)
        .where(ThemeMembership.theme_id == theme.id)
    ).all()
    rows.sort(key=lambda row: (row[1] is None, row[1] or 0, row[0].created_at, row[0].id))
    return [response for response, _ in rows]


def add_theme(
    session: Session,
    consultation_id: int,
    question_id: int,
    label: str,
    staff_named: bool = False,
) -> Theme:
    theme = Theme(
        consultation_id=consultation_id,
        question_id=question_id,
        label=label,
        status="draft",
        staff_named=staff_named,
    )
    session.add(theme)
    session.flush()
    return theme


def place_answer(
    session: Session,
    response_id: int,
    theme: Theme,
    placed_by: str,
    quote_rank: int | None = None,
) -> ThemeMembership:
    """Put an answer in a theme, taking it out of any theme it was in."""
    membership = session.get(ThemeMembership, response_id)
    if membership is None:
        membership = ThemeMembership(response_id=response_id)
        session.add(membership)
    membership.theme_id = theme.id
    membership.placed_by = placed_by
    membership.quote_rank = quote_rank
    session.flush()
    return membership


def delete_theme(session: Session, theme: Theme) -> None:
    """Remove a theme and its memberships; its answers become unthemed."""
    delete_themes(session, [theme.id])


def delete_themes(session: Session, theme_ids: list[int]) -> None:
    if not theme_ids:
        return
    session.flush()
    session.execute(delete(ThemeMembership).where(ThemeMembership.theme_id.in_(theme_ids)))
    session.execute(delete(Theme).where(Theme.id.in_(theme_ids)))
    session.expire_all()


def delete_empty_themes(session: Session, question_id: int) -> None:
    """Themes left with no answers after staff moved them all out are of no use to anyone."""
    session.flush()
    occupied = select(ThemeMembership.theme_id).distinct()
    empty = session.execute(
        select(Theme.id).where(Theme.question_id == question_id).where(Theme.id.not_in(occupied))
    ).scalars()
    delete_themes(session, list(empty))


def refresh_themes(session: Session) -> None:
    """Write pending changes and forget loaded themes, so the next read sees memberships as
    they now are (memberships are changed by id, not through each theme's collection)."""
    session.flush()
    session.expire_all()


def delete_all_empty_themes(session: Session) -> None:
    """After answers are deleted (a person deleting their data, say), drop themes left empty."""
    session.flush()
    occupied = select(ThemeMembership.theme_id).distinct()
    empty = session.execute(select(Theme.id).where(Theme.id.not_in(occupied))).scalars()
    delete_themes(session, list(empty))

"""Quotes staff picked for the public "You said, we did" board.

A table of its own, so no existing table changed when it came. A pick names an answer and
the theme it was picked in; it goes when the answer goes (a person deleting their data) or
the theme goes, and it is only shown while the answer is still in that theme and the theme
is published. The words shown are always the redacted ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Column, DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Session

from bot.store.schema import Base, Response, ThemeMembership, utcnow


class BoardQuote(Base):
    """An answer staff chose to quote on the public board, in the theme it was picked in."""

    __tablename__ = "board_quotes"

    response_id = Column(ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    theme_id = Column(ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True)
    picked_by = Column(String(254), nullable=False)
    picked_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class NotInTheme(Exception):
    """Only an answer in the theme can be quoted for it."""


def picked_ids(session: Session, theme_id: int) -> set[int]:
    return set(
        session.execute(
            select(BoardQuote.response_id).where(BoardQuote.theme_id == theme_id)
        ).scalars()
    )


def set_picks(
    session: Session, theme_id: int, response_ids: Sequence[int], staff_email: str
) -> set[int]:
    """Make exactly these answers the theme's quotes on the board. Each must be in the theme."""
    wanted = set(response_ids)
    members = set(
        session.execute(
            select(ThemeMembership.response_id).where(
                ThemeMembership.theme_id == theme_id,
                ThemeMembership.response_id.in_(list(wanted) or [-1]),
            )
        ).scalars()
    )
    if wanted - members:
        raise NotInTheme(sorted(wanted - members))
    session.execute(
        delete(BoardQuote)
        .where(BoardQuote.theme_id == theme_id, BoardQuote.response_id.not_in(list(wanted) or [-1]))
        .execution_options(synchronize_session=False)
    )
    already = picked_ids(session, theme_id)
    for response_id in sorted(wanted - already):
        session.execute(delete(BoardQuote).where(BoardQuote.response_id == response_id))
        session.add(BoardQuote(response_id=response_id, theme_id=theme_id, picked_by=staff_email))
    session.flush()
    return picked_ids(session, theme_id)


def pick(session: Session, theme_id: int, response_id: int, staff_email: str, on: bool) -> None:
    current = picked_ids(session, theme_id)
    wanted = current | {response_id} if on else current - {response_id}
    set_picks(session, theme_id, sorted(wanted), staff_email)


def quoted_answers(session: Session, theme_ids: Iterable[int]) -> dict[int, list[Response]]:
    """Theme id to its picked answers that are still in it, oldest pick first."""
    ids = list(theme_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(BoardQuote.theme_id, Response)
        .join(Response, Response.id == BoardQuote.response_id)
        .join(
            ThemeMembership,
            (ThemeMembership.response_id == BoardQuote.response_id)
            & (ThemeMembership.theme_id == BoardQuote.theme_id),
        )
        .where(BoardQuote.theme_id.in_(ids))
        .order_by(BoardQuote.picked_at, BoardQuote.response_id)
    )
    found: dict[int, list[Response]] = {}
    for theme_id, response in rows:
        found.setdefault(theme_id, []).append(response)
    return found

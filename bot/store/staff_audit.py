"""The audit of who saw what a person wrote before redaction, and through which door."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.schema import OriginalTextView, Response

SEEN_THROUGH = ("page", "api", "export")


def record_original_views(
    session: Session, staff_email: str, responses: list[Response], seen_through: str
) -> None:
    """One audit row per answer shown in the original, written in the caller's transaction."""
    if seen_through not in SEEN_THROUGH:
        raise ValueError(f"seen_through must be one of: {', '.join(SEEN_THROUGH)}")
    session.add_all(
        OriginalTextView(
            staff_email=staff_email,
            response_id=response.id,
            consultation_id=response.consultation_id,
            seen_through=seen_through,
        )
        for response in responses
    )


def original_views(session: Session, response_id: int | None = None) -> list[OriginalTextView]:
    """Audit rows, newest first, for one answer or for all."""
    query = select(OriginalTextView).order_by(
        OriginalTextView.viewed_at.desc(), OriginalTextView.id.desc()
    )
    if response_id is not None:
        query = query.where(OriginalTextView.response_id == response_id)
    return list(session.execute(query).scalars())

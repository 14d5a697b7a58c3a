"""Records of closing the loop that no other table keeps.

New tables of their own, so no existing table changed when they came.

- `late_notices`: a person asked "what happened?" after the date we promised, with nothing
  published, and was told honestly that their update is late. The evidence report counts this
  as the loop closed honestly, though late.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, select
from sqlalchemy.orm import Session

from bot.store.schema import Base, utcnow


class LateNotice(Base):
    """Someone was told their update is late: once per person and consultation, first time."""

    __tablename__ = "late_notices"

    participant_id = Column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    consultation_id = Column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    told_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


def record_late_notice(session: Session, participant_id: str, consultation_id: int) -> None:
    if session.get(LateNotice, (participant_id, consultation_id)) is None:
        session.add(LateNotice(participant_id=participant_id, consultation_id=consultation_id))
        session.flush()


def late_notices(session: Session, consultation_id: int) -> set[str]:
    """Everyone told honestly that this consultation's update is late."""
    return set(
        session.execute(
            select(LateNotice.participant_id).where(LateNotice.consultation_id == consultation_id)
        ).scalars()
    )

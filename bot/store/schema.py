"""Table layouts for Sayso's own data. Only `bot.store` imports this module's tables directly.

One schema serves SQLite (embedded) and PostgreSQL (scaled). Ids that leave the database are
pseudonyms: a participant's id is a keyed hash, never a channel's user id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    """Timezone-aware now, so SQLite and PostgreSQL store the same moment."""
    return datetime.now(UTC)


class Consultation(Base):
    """A topic people are asked about, with an honest statement of their influence."""

    __tablename__ = "consultations"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), unique=True, nullable=False)
    title = Column(String(200), nullable=False)
    summary = Column(Text, nullable=False)
    ladder_rung = Column(String(20), nullable=False)
    who_decides = Column(String(300), nullable=False)
    opens_on = Column(Date, nullable=False)
    closes_on = Column(Date, nullable=False)
    feedback_due_on = Column(Date, nullable=False)
    status = Column(String(20), nullable=False, default="open")
    keywords = Column(JSON, nullable=False, default=list)
    content_fingerprint = Column(String(64), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    questions = relationship(
        "Question",
        back_populates="consultation",
        order_by="Question.position",
        cascade="all, delete-orphan",
    )

    def is_open_on(self, day: date) -> bool:
        return self.status == "open" and self.opens_on <= day <= self.closes_on


class Question(Base):
    """One question of a consultation. `key` stays stable when prompts are edited."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("consultation_id", "key"),)

    id = Column(Integer, primary_key=True)
    consultation_id = Column(ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False)
    key = Column(String(80), nullable=False)
    position = Column(Integer, nullable=False)
    kind = Column(String(20), nullable=False)
    prompt = Column(Text, nullable=False)
    easy_read = Column(Text, nullable=True)
    options = Column(JSON, nullable=False, default=list)
    required = Column(Boolean, nullable=False, default=False)
    retired = Column(Boolean, nullable=False, default=False)

    consultation = relationship("Consultation", back_populates="questions")


class Participant(Base):
    """A person, known only by a keyed hash of their channel and channel user id."""

    __tablename__ = "participants"

    id = Column(String(64), primary_key=True)
    channel = Column(String(30), nullable=False)
    language = Column(String(10), nullable=False, default="en")
    consent_take_part_at = Column(DateTime(timezone=True), nullable=True)
    consent_take_part_version = Column(String(20), nullable=True)
    consent_updates = Column(Boolean, nullable=False, default=False)
    consent_updates_at = Column(DateTime(timezone=True), nullable=True)
    consent_updates_version = Column(String(20), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class ConversationState(Base):
    """Where a participant is in the conversation, so anyone who comes back can carry on."""

    __tablename__ = "conversation_states"

    participant_id = Column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    stage = Column(String(30), nullable=False)
    consultation_id = Column(ForeignKey("consultations.id", ondelete="SET NULL"), nullable=True)
    question_id = Column(ForeignKey("questions.id", ondelete="SET NULL"), nullable=True)
    pending_text = Column(Text, nullable=True)
    return_stage = Column(String(30), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class Response(Base):
    """What a person said. One row per person and question: answering again replaces it."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("participant_id", "question_id"),)

    id = Column(Integer, primary_key=True)
    participant_id = Column(ForeignKey("participants.id", ondelete="CASCADE"), nullable=False)
    consultation_id = Column(ForeignKey("consultations.id", ondelete="CASCADE"), nullable=True)
    question_id = Column(ForeignKey("questions.id", ondelete="CASCADE"), nullable=True)
    text = Column(Text, nullable=False)
    value = Column(String(200), nullable=True)
    channel = Column(String(30), nullable=False)
    assisted_by = Column(String(80), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

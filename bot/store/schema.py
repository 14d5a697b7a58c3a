"""Table layouts for Sayso's own data. Only `bot.store` imports this module's tables directly.

A change here needs a schema revision in `bot/store/migrations/versions/` (see the README);
`tests/unit/test_migrations.py` fails until the revisions make exactly these tables.

One schema serves SQLite (embedded) and PostgreSQL (scaled). Ids that leave the database are
pseudonyms: a participant's id is a keyed hash, never a channel's user id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
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


class LanguageOffer(Base):
    """Sayso offered to speak the language someone wrote in; asked once, whatever they chose."""

    __tablename__ = "language_offers"

    participant_id = Column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    language = Column(String(10), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


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
    #: Set when the retention job replaced the original words with their redacted form.
    original_removed_at = Column(DateTime(timezone=True), nullable=True)


# ---------------------------------------------------------------------------------------------
# Staff app: accounts, sessions, API tokens, login attempts, the audit of original text views,
# and the cache of redacted answers. Queries live in bot/store/staff*.py.
# ---------------------------------------------------------------------------------------------


class StaffAccount(Base):
    """A member of staff who can log in. The password is stored only as an argon2 hash."""

    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), unique=True, nullable=False)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(20), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class StaffSession(Base):
    """A logged-in browser. The cookie holds a random id; only its hash is stored here."""

    __tablename__ = "staff_sessions"

    id_hash = Column(String(64), primary_key=True)
    account_id = Column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class StaffApiToken(Base):
    """A token a service uses for the JSON API. Only its hash is stored."""

    __tablename__ = "staff_api_tokens"

    id = Column(Integer, primary_key=True)
    account_id = Column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), nullable=False)
    token_hash = Column(String(64), unique=True, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_used_at = Column(DateTime(timezone=True), nullable=True)


class StaffLoginAttempt(Base):
    """One try at logging in, kept so the rate limit survives a restart."""

    __tablename__ = "staff_login_attempts"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, index=True)
    ip_address = Column(String(64), nullable=False, index=True)
    succeeded = Column(Boolean, nullable=False)
    attempted_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


class OriginalTextView(Base):
    """Audit: a member of staff saw what a person wrote before redaction.

    The row outlives the answer (a person may delete their data) and the account, so it keeps
    the email and ids as plain values, not foreign keys.
    """

    __tablename__ = "original_text_views"

    id = Column(Integer, primary_key=True)
    staff_email = Column(String(254), nullable=False)
    response_id = Column(Integer, nullable=False)
    consultation_id = Column(Integer, nullable=True)
    seen_through = Column(String(20), nullable=False)
    viewed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class ResponseRedaction(Base):
    """An answer with personal details masked, kept until the answer's text changes."""

    __tablename__ = "response_redactions"

    response_id = Column(ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    source_hash = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)


# ---------------------------------------------------------------------------------------------
# Themes: groups of free-text answers to one question that staff can rename, merge and split.
# Queries live in bot/store/themes.py.
# ---------------------------------------------------------------------------------------------


class Theme(Base):
    """A theme of one question's answers. `staff_named` means a person chose the label."""

    __tablename__ = "themes"

    id = Column(Integer, primary_key=True)
    consultation_id = Column(ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False)
    question_id = Column(ForeignKey("questions.id", ondelete="CASCADE"), nullable=False, index=True)
    label = Column(String(120), nullable=False)
    status = Column(String(20), nullable=False, default="draft")
    staff_named = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    memberships = relationship(
        "ThemeMembership", back_populates="theme", cascade="all, delete-orphan"
    )


class ThemeMembership(Base):
    """An answer's place in a theme. Each answer is in at most one theme.

    `placed_by` is "engine" or "staff": what staff placed by hand is never moved by re-theming.
    `quote_rank` marks the answers the engine found most typical (1 = most), shown as quotes.
    """

    __tablename__ = "theme_memberships"

    response_id = Column(ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    theme_id = Column(ForeignKey("themes.id", ondelete="CASCADE"), nullable=False, index=True)
    placed_by = Column(String(10), nullable=False, default="engine")
    quote_rank = Column(Integer, nullable=True)

    theme = relationship("Theme", back_populates="memberships")


# ---------------------------------------------------------------------------------------------
# Languages and the web chat: consultation words in other languages, drop-in codes for answers
# given with a worker's help, and codes that carry a conversation from a shared tablet to a
# person's own phone. Queries live in bot/store/translations.py and bot/store/dropin.py.
# ---------------------------------------------------------------------------------------------


class ContentTranslation(Base):
    """One piece of a consultation's words in another language, e.g. a prompt in Polish.

    `field` names the English it stands for ("title", "questions.food-now.prompt", ...), by
    question key, so a translation follows its question when prompts are edited or reordered.
    """

    __tablename__ = "content_translations"
    __table_args__ = (UniqueConstraint("consultation_id", "language", "field"),)

    id = Column(Integer, primary_key=True)
    consultation_id = Column(ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False)
    language = Column(String(10), nullable=False)
    field = Column(String(200), nullable=False)
    text = Column(Text, nullable=False)


class DropInCode(Base):
    """A code a drop-in worker types to mark answers as given with their help.

    Only an argon2 hash of the code is kept. `label` is what answers are marked with, and
    names no one ("drop-in worker A").
    """

    __tablename__ = "dropin_codes"

    id = Column(Integer, primary_key=True)
    label = Column(String(80), unique=True, nullable=False)
    code_hash = Column(String(200), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    revoked_at = Column(DateTime(timezone=True), nullable=True)


class CarryOnCode(Base):
    """A short code for carrying on later on another device, used once, then gone.

    The code is stored as a keyed hash; the web chat id it opens is stored encrypted.
    """

    __tablename__ = "carry_on_codes"

    code_hash = Column(String(64), primary_key=True)
    sender_secret = Column(Text, nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)


# ---------------------------------------------------------------------------------------------
# Telegram and the outbox: messages owed to people (shared by every sender), the updates
# Telegram delivered, encrypted chat addresses, button data, and voice notes.
# Queries live in bot/store/outbox.py, bot/store/telegram_*.py and bot/store/voice_notes.py.
# ---------------------------------------------------------------------------------------------


class OutboxMessage(Base):
    """One message owed to someone: kept until it is sent, retried, never lost on restart.

    `recipient` is a pseudonym (a participant id). `address` is the encrypted place to send
    it, for replies to someone whose address is not kept; it is cleared once sent.
    """

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    channel = Column(String(30), nullable=False)
    recipient = Column(String(64), nullable=False, index=True)
    address = Column(Text, nullable=True)
    method = Column(String(40), nullable=False)
    body = Column(JSON, nullable=False)
    idempotency_key = Column(String(200), unique=True, nullable=False)
    status = Column(String(20), nullable=False, default="queued", index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    last_error = Column(String(300), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = Column(DateTime(timezone=True), nullable=True)


class TelegramUpdate(Base):
    """An update Telegram delivered, so a redelivery is never handled twice.

    The update itself is kept encrypted only until it has been handled.
    """

    __tablename__ = "telegram_updates"

    update_id = Column(BigInteger, primary_key=True, autoincrement=False)
    status = Column(String(20), nullable=False, default="received", index=True)
    payload = Column(Text, nullable=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    handled_at = Column(DateTime(timezone=True), nullable=True)


class TelegramAddress(Base):
    """The Telegram chat to send updates to, encrypted, for a person who asked for updates."""

    __tablename__ = "telegram_addresses"

    participant_id = Column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    chat = Column(Text, nullable=False)
    unreachable_at = Column(DateTime(timezone=True), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class TelegramCallback(Base):
    """A button payload too long for Telegram's 64 bytes of callback data, under a short hash."""

    __tablename__ = "telegram_callbacks"

    token = Column(String(32), primary_key=True)
    payload = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class TelegramKeyboard(Base):
    """The one message in a chat whose buttons still work; older buttons are taken away."""

    __tablename__ = "telegram_keyboards"

    recipient = Column(String(64), primary_key=True)
    message_id = Column(BigInteger, nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class VoiceNote(Base):
    """A voice note a person sent. Kept only once it is attached to an answer.

    Until the conversation attaches it (`response_id`), it is pending and is deleted in the
    same turn if it does not answer a question.
    """

    __tablename__ = "voice_notes"

    id = Column(Integer, primary_key=True)
    participant_id = Column(String(64), nullable=False, index=True)
    response_id = Column(ForeignKey("responses.id", ondelete="CASCADE"), nullable=True, index=True)
    mime_type = Column(String(60), nullable=False)
    duration_seconds = Column(Integer, nullable=True)
    audio = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


# ---------------------------------------------------------------------------------------------
# Safeguarding and privacy: alerts for the duty worker, and Rasa tracker erasures waiting for
# the turn that asked for them to finish. Queries live in bot/store/safety.py.
# ---------------------------------------------------------------------------------------------


class SafeguardingAlert(Base):
    """A message that showed someone may be in danger. Holds no words of the message itself."""

    __tablename__ = "safeguarding_alerts"

    id = Column(Integer, primary_key=True)
    participant_id = Column(String(64), nullable=True, index=True)
    consultation_id = Column(ForeignKey("consultations.id", ondelete="SET NULL"), nullable=True)
    category = Column(String(30), nullable=False)
    channel = Column(String(30), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    notified_at = Column(DateTime(timezone=True), nullable=True)
    handled_at = Column(DateTime(timezone=True), nullable=True)
    handled_by = Column(String(254), nullable=True)


class TrackerErasure(Base):
    """A sender whose Rasa conversation must be erased once the current turn is saved.

    Rasa saves a turn's events after the action returns, and re-inserts any it cannot find,
    so the erasure runs a little later. The sender id is kept encrypted until then.
    """

    __tablename__ = "tracker_erasures"

    id = Column(Integer, primary_key=True)
    sender_encrypted = Column(Text, nullable=False)
    requested_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# ---------------------------------------------------------------------------------------------
# "You said, we did": outcomes staff publish about a consultation's themes. The messages they
# owe people are outbox rows. Queries live in bot/store/outcomes.py.
# ---------------------------------------------------------------------------------------------


class Outcome(Base):
    """What was decided or done about some themes, in plain words, and when.

    `translations` holds the staff's own words in other languages, e.g.
    {"pl": {"what_was_done": "...", "reason": "..."}}. `owed_count` is fixed at publishing,
    so the count stays true after sent messages are purged or people delete their data.
    """

    __tablename__ = "outcomes"

    id = Column(Integer, primary_key=True)
    consultation_id = Column(
        ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    what_was_done = Column(Text, nullable=False)
    status = Column(String(20), nullable=False)
    reason = Column(Text, nullable=True)
    decided_on = Column(Date, nullable=False)
    translations = Column(JSON, nullable=False, default=dict)
    published_at = Column(DateTime(timezone=True), nullable=True)
    published_by = Column(String(254), nullable=True)
    owed_count = Column(Integer, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    theme_links = relationship("OutcomeTheme", cascade="all, delete-orphan")


class OutcomeTheme(Base):
    """A theme an outcome answers. The label is copied, so the message survives a re-theme."""

    __tablename__ = "outcome_themes"

    outcome_id = Column(ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True)
    theme_id = Column(ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    position = Column(Integer, primary_key=True)
    label = Column(String(120), nullable=False)


# ---------------------------------------------------------------------------------------------
# Priorities and the lived-experience panel: after a consultation closes, people who agreed to
# updates pick up to three of its published themes (dot voting) and may join a panel.
# Queries live in bot/store/priorities.py.
# ---------------------------------------------------------------------------------------------


class PriorityRound(Base):
    """Staff asked a closed consultation's people to choose priorities.

    `panel_details` is the staff's own words on what the panel involves (None: Sayso's
    default words). `invited_count` only grows, so it stays true after people delete data.
    """

    __tablename__ = "priority_rounds"

    consultation_id = Column(ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)
    panel_details = Column(Text, nullable=True)
    panel_paid = Column(Boolean, nullable=False, default=False)
    invited_count = Column(Integer, nullable=False, default=0)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class PriorityInvitation(Base):
    """One person asked to choose priorities: how far they got, and their panel answer.

    `resume_stage` is where the person was in the conversation when they started choosing,
    so they go back there when they finish. `panel_joined` is None until they answer.
    """

    __tablename__ = "priority_invitations"

    consultation_id = Column(ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)
    participant_id = Column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    status = Column(String(20), nullable=False, default="invited")
    resume_stage = Column(String(30), nullable=True)
    invited_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    panel_joined = Column(Boolean, nullable=True)
    panel_answered_at = Column(DateTime(timezone=True), nullable=True)


class PriorityPanelWords(Base):
    """What the panel involves, as staff had put it when this person was invited.

    Staff may change the words for people they invite later; each person is told what was
    true when they were asked. People invited before this table existed have no row here,
    and are told the round's words.
    """

    __tablename__ = "priority_panel_words"
    __table_args__ = (
        ForeignKeyConstraint(
            ["consultation_id", "participant_id"],
            ["priority_invitations.consultation_id", "priority_invitations.participant_id"],
            ondelete="CASCADE",
        ),
    )

    consultation_id = Column(Integer, primary_key=True)
    participant_id = Column(String(64), primary_key=True)
    panel_details = Column(Text, nullable=True)
    panel_paid = Column(Boolean, nullable=False, default=False)


class PriorityVote(Base):
    """One theme a person picked as mattering most. The label is copied, so a count survives
    staff reshaping the themes afterwards."""

    __tablename__ = "priority_votes"
    __table_args__ = (UniqueConstraint("participant_id", "consultation_id", "label"),)

    id = Column(Integer, primary_key=True)
    consultation_id = Column(
        ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    participant_id = Column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    theme_id = Column(ForeignKey("themes.id", ondelete="SET NULL"), nullable=True)
    label = Column(String(120), nullable=False)
    voted_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# ---------------------------------------------------------------------------------------------
# "Did it help?": some weeks after an outcome is done, each person told about it is asked once.
# The messages are outbox rows keyed `followup:{outcome_id}:{participant_id}`. Queries live in
# bot/store/follow_ups.py.
# ---------------------------------------------------------------------------------------------


class OutcomeDone(Base):
    """When staff marked a published outcome done: the follow-up is due some days after."""

    __tablename__ = "outcome_done"

    outcome_id = Column(ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True)
    done_on = Column(Date, nullable=False)
    #: Set once every follow-up this outcome owes has been queued.
    followed_up_at = Column(DateTime(timezone=True), nullable=True)


class FollowUpAnswer(Base):
    """One person's answer to "has this made things better for you?", and their own words.

    `words_asked` is true while Sayso waits for their optional sentence.
    """

    __tablename__ = "follow_up_answers"
    __table_args__ = (UniqueConstraint("outcome_id", "participant_id"),)

    id = Column(Integer, primary_key=True)
    outcome_id = Column(ForeignKey("outcomes.id", ondelete="CASCADE"), nullable=False, index=True)
    participant_id = Column(
        ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    answer = Column(String(10), nullable=False)
    words = Column(Text, nullable=True)
    words_asked = Column(Boolean, nullable=False, default=False)
    answered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

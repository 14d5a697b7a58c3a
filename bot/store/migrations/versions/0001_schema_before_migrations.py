"""Sayso's schema as it was when migrations began: the tables `create_all` made until then.

The tables are written out here, frozen, rather than taken from `bot.store.schema`, so this
revision stays the same when the models change. `bot.store.migrate` also reads them to
recognise a database made before migrations (with no `alembic_version` table) as this
revision. `checkfirst` makes only the tables that are missing, as `create_all` always did.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

metadata = sa.MetaData()

sa.Table(
    "carry_on_codes",
    metadata,
    sa.Column("code_hash", sa.String(length=64), nullable=False),
    sa.Column("sender_secret", sa.Text(), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("code_hash"),
    sa.Index("ix_carry_on_codes_expires_at", "expires_at"),
)

sa.Table(
    "consultations",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("slug", sa.String(length=80), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("summary", sa.Text(), nullable=False),
    sa.Column("ladder_rung", sa.String(length=20), nullable=False),
    sa.Column("who_decides", sa.String(length=300), nullable=False),
    sa.Column("opens_on", sa.Date(), nullable=False),
    sa.Column("closes_on", sa.Date(), nullable=False),
    sa.Column("feedback_due_on", sa.Date(), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("keywords", sa.JSON(), nullable=False),
    sa.Column("content_fingerprint", sa.String(length=64), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("slug"),
)

sa.Table(
    "dropin_codes",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(length=80), nullable=False),
    sa.Column("code_hash", sa.String(length=200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("label"),
)

sa.Table(
    "original_text_views",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("staff_email", sa.String(length=254), nullable=False),
    sa.Column("response_id", sa.Integer(), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=True),
    sa.Column("seen_through", sa.String(length=20), nullable=False),
    sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("channel", sa.String(length=30), nullable=False),
    sa.Column("recipient", sa.String(length=64), nullable=False),
    sa.Column("address", sa.Text(), nullable=True),
    sa.Column("method", sa.String(length=40), nullable=False),
    sa.Column("body", sa.JSON(), nullable=False),
    sa.Column("idempotency_key", sa.String(length=200), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_error", sa.String(length=300), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("idempotency_key"),
    sa.Index("ix_outbox_next_attempt_at", "next_attempt_at"),
    sa.Index("ix_outbox_recipient", "recipient"),
    sa.Index("ix_outbox_status", "status"),
)

sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.String(length=64), nullable=False),
    sa.Column("channel", sa.String(length=30), nullable=False),
    sa.Column("language", sa.String(length=10), nullable=False),
    sa.Column("consent_take_part_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("consent_take_part_version", sa.String(length=20), nullable=True),
    sa.Column("consent_updates", sa.Boolean(), nullable=False),
    sa.Column("consent_updates_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("consent_updates_version", sa.String(length=20), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "staff_accounts",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("email", sa.String(length=254), nullable=False),
    sa.Column("password_hash", sa.String(length=200), nullable=False),
    sa.Column("role", sa.String(length=20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("email"),
)

sa.Table(
    "staff_login_attempts",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("email", sa.String(length=254), nullable=False),
    sa.Column("ip_address", sa.String(length=64), nullable=False),
    sa.Column("succeeded", sa.Boolean(), nullable=False),
    sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_staff_login_attempts_attempted_at", "attempted_at"),
    sa.Index("ix_staff_login_attempts_email", "email"),
    sa.Index("ix_staff_login_attempts_ip_address", "ip_address"),
)

sa.Table(
    "telegram_callbacks",
    metadata,
    sa.Column("token", sa.String(length=32), nullable=False),
    sa.Column("payload", sa.Text(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("token"),
)

sa.Table(
    "telegram_keyboards",
    metadata,
    sa.Column("recipient", sa.String(length=64), nullable=False),
    sa.Column("message_id", sa.BigInteger(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("recipient"),
)

sa.Table(
    "telegram_updates",
    metadata,
    sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("payload", sa.Text(), nullable=True),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("update_id"),
    sa.Index("ix_telegram_updates_received_at", "received_at"),
    sa.Index("ix_telegram_updates_status", "status"),
)

sa.Table(
    "tracker_erasures",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("sender_encrypted", sa.Text(), nullable=False),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
)

sa.Table(
    "content_translations",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("language", sa.String(length=10), nullable=False),
    sa.Column("field", sa.String(length=200), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("consultation_id", "language", "field"),
)

sa.Table(
    "language_offers",
    metadata,
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("language", sa.String(length=10), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("participant_id"),
)

sa.Table(
    "late_notices",
    metadata,
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("told_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("participant_id", "consultation_id"),
    sa.Index("ix_late_notices_consultation_id", "consultation_id"),
)

sa.Table(
    "outcomes",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("what_was_done", sa.Text(), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("reason", sa.Text(), nullable=True),
    sa.Column("decided_on", sa.Date(), nullable=False),
    sa.Column("translations", sa.JSON(), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("published_by", sa.String(length=254), nullable=True),
    sa.Column("owed_count", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_outcomes_consultation_id", "consultation_id"),
)

sa.Table(
    "priority_invitations",
    metadata,
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("resume_stage", sa.String(length=30), nullable=True),
    sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("panel_joined", sa.Boolean(), nullable=True),
    sa.Column("panel_answered_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("consultation_id", "participant_id"),
)

sa.Table(
    "priority_rounds",
    metadata,
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("panel_details", sa.Text(), nullable=True),
    sa.Column("panel_paid", sa.Boolean(), nullable=False),
    sa.Column("invited_count", sa.Integer(), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("consultation_id"),
)

sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("key", sa.String(length=80), nullable=False),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(length=20), nullable=False),
    sa.Column("prompt", sa.Text(), nullable=False),
    sa.Column("easy_read", sa.Text(), nullable=True),
    sa.Column("options", sa.JSON(), nullable=False),
    sa.Column("required", sa.Boolean(), nullable=False),
    sa.Column("retired", sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("consultation_id", "key"),
)

sa.Table(
    "safeguarding_alerts",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.String(length=64), nullable=True),
    sa.Column("consultation_id", sa.Integer(), nullable=True),
    sa.Column("category", sa.String(length=30), nullable=False),
    sa.Column("channel", sa.String(length=30), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("handled_by", sa.String(length=254), nullable=True),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_safeguarding_alerts_participant_id", "participant_id"),
)

sa.Table(
    "staff_api_tokens",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("account_id", sa.Integer(), nullable=False),
    sa.Column("token_hash", sa.String(length=64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["account_id"], ["staff_accounts.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("token_hash"),
)

sa.Table(
    "staff_sessions",
    metadata,
    sa.Column("id_hash", sa.String(length=64), nullable=False),
    sa.Column("account_id", sa.Integer(), nullable=False),
    sa.Column("csrf_token", sa.String(length=64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["account_id"], ["staff_accounts.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id_hash"),
)

sa.Table(
    "telegram_addresses",
    metadata,
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("chat", sa.Text(), nullable=False),
    sa.Column("unreachable_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("participant_id"),
)

sa.Table(
    "conversation_states",
    metadata,
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("stage", sa.String(length=30), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=True),
    sa.Column("question_id", sa.Integer(), nullable=True),
    sa.Column("pending_text", sa.Text(), nullable=True),
    sa.Column("return_stage", sa.String(length=30), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("participant_id"),
)

sa.Table(
    "follow_up_answers",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("outcome_id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("answer", sa.String(length=10), nullable=False),
    sa.Column("words", sa.Text(), nullable=True),
    sa.Column("words_asked", sa.Boolean(), nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["outcome_id"], ["outcomes.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("outcome_id", "participant_id"),
    sa.Index("ix_follow_up_answers_outcome_id", "outcome_id"),
    sa.Index("ix_follow_up_answers_participant_id", "participant_id"),
)

sa.Table(
    "outcome_done",
    metadata,
    sa.Column("outcome_id", sa.Integer(), nullable=False),
    sa.Column("done_on", sa.Date(), nullable=False),
    sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["outcome_id"], ["outcomes.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("outcome_id"),
)

sa.Table(
    "priority_panel_words",
    metadata,
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("panel_details", sa.Text(), nullable=True),
    sa.Column("panel_paid", sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(
        ["consultation_id", "participant_id"],
        ["priority_invitations.consultation_id", "priority_invitations.participant_id"],
        ondelete="CASCADE",
    ),
    sa.PrimaryKeyConstraint("consultation_id", "participant_id"),
)

sa.Table(
    "responses",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=True),
    sa.Column("question_id", sa.Integer(), nullable=True),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("value", sa.String(length=200), nullable=True),
    sa.Column("channel", sa.String(length=30), nullable=False),
    sa.Column("assisted_by", sa.String(length=80), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("original_removed_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("participant_id", "question_id"),
)

sa.Table(
    "themes",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("question_id", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(length=120), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("staff_named", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_themes_question_id", "question_id"),
)

sa.Table(
    "board_quotes",
    metadata,
    sa.Column("response_id", sa.Integer(), nullable=False),
    sa.Column("theme_id", sa.Integer(), nullable=False),
    sa.Column("picked_by", sa.String(length=254), nullable=False),
    sa.Column("picked_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["response_id"], ["responses.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("response_id"),
    sa.Index("ix_board_quotes_theme_id", "theme_id"),
)

sa.Table(
    "outcome_themes",
    metadata,
    sa.Column("outcome_id", sa.Integer(), nullable=False),
    sa.Column("theme_id", sa.Integer(), nullable=True),
    sa.Column("position", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(["outcome_id"], ["outcomes.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("outcome_id", "position"),
)

sa.Table(
    "priority_votes",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("consultation_id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("theme_id", sa.Integer(), nullable=True),
    sa.Column("label", sa.String(length=120), nullable=False),
    sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("participant_id", "consultation_id", "label"),
    sa.Index("ix_priority_votes_consultation_id", "consultation_id"),
    sa.Index("ix_priority_votes_participant_id", "participant_id"),
)

sa.Table(
    "response_redactions",
    metadata,
    sa.Column("response_id", sa.Integer(), nullable=False),
    sa.Column("source_hash", sa.String(length=64), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["response_id"], ["responses.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("response_id"),
)

sa.Table(
    "theme_memberships",
    metadata,
    sa.Column("response_id", sa.Integer(), nullable=False),
    sa.Column("theme_id", sa.Integer(), nullable=False),
    sa.Column("placed_by", sa.String(length=10), nullable=False),
    sa.Column("quote_rank", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["response_id"], ["responses.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("response_id"),
    sa.Index("ix_theme_memberships_theme_id", "theme_id"),
)

sa.Table(
    "voice_notes",
    metadata,
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("participant_id", sa.String(length=64), nullable=False),
    sa.Column("response_id", sa.Integer(), nullable=True),
    sa.Column("mime_type", sa.String(length=60), nullable=False),
    sa.Column("duration_seconds", sa.Integer(), nullable=True),
    sa.Column("audio", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["response_id"], ["responses.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.Index("ix_voice_notes_created_at", "created_at"),
    sa.Index("ix_voice_notes_participant_id", "participant_id"),
    sa.Index("ix_voice_notes_response_id", "response_id"),
)


def upgrade() -> None:
    metadata.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    """Undoing the first revision would delete every table, and every answer with them."""
    raise RuntimeError("Sayso's first schema cannot be undone. Restore a backup instead.")

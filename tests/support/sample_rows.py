"""A row in every one of Sayso's tables, with the kinds of values people's data holds.

Used where a test must show that nothing is lost: a backup and its restore, and (once, to make
the committed fixtures in tests/data/upgrade/) a database of an older schema.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bot.store.migrate import MODELS

WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
PERSON = "a" * 64

ROWS: dict[str, list[dict[str, Any]]] = {
    "consultations": [
        {"id": 1, "slug": "food", "title": "Food at the hostel", "summary": "What you eat.",
         "ladder_rung": "consultation", "who_decides": "The hostel manager",
         "opens_on": date(2026, 11, 1), "closes_on": date(2026, 12, 31),
         "feedback_due_on": date(2027, 1, 31), "status": "open",
         "keywords": ["food", "dinner"], "content_fingerprint": "f" * 64, "updated_at": WHEN},
    ],
    "questions": [
        {"id": 1, "consultation_id": 1, "key": "food-now", "position": 1, "kind": "choice",
         "prompt": "How is the food now?", "easy_read": "Is the food good?",
         "options": ["Bad", "OK", "Good"], "required": True, "retired": False},
    ],
    "participants": [
        {"id": PERSON, "channel": "rest", "language": "pl", "consent_take_part_at": WHEN,
         "consent_take_part_version": "2026-11", "consent_updates": True,
         "consent_updates_at": WHEN, "consent_updates_version": "2026-11", "created_at": WHEN},
    ],
    "conversation_states": [
        {"participant_id": PERSON, "stage": "question", "consultation_id": 1, "question_id": 1,
         "pending_text": None, "return_stage": None, "updated_at": WHEN},
    ],
    "language_offers": [{"participant_id": PERSON, "language": "pl", "created_at": WHEN}],
    "responses": [
        {"id": 1, "participant_id": PERSON, "consultation_id": 1, "question_id": 1,
         "text": "Zimne jedzenie, my name is Jo", "value": "Bad", "channel": "rest",
         "assisted_by": "outreach van", "created_at": WHEN, "original_removed_at": None},
    ],
    "staff_accounts": [
        {"id": 1, "email": "sam@example.org", "password_hash": "$argon2id$x", "role": "admin",
         "created_at": WHEN},
    ],
    "staff_sessions": [
        {"id_hash": "s" * 64, "account_id": 1, "csrf_token": "c" * 64, "created_at": WHEN,
         "expires_at": WHEN},
    ],
    "staff_api_tokens": [
        {"id": 1, "account_id": 1, "token_hash": "t" * 64, "created_at": WHEN,
         "last_used_at": None},
    ],
    "staff_login_attempts": [
        {"id": 1, "email": "sam@example.org", "ip_address": "127.0.0.1", "succeeded": True,
         "attempted_at": WHEN},
    ],
    "original_text_views": [
        {"id": 1, "staff_email": "sam@example.org", "response_id": 1, "consultation_id": 1,
         "seen_through": "page", "viewed_at": WHEN},
    ],
    "response_redactions": [
        {"response_id": 1, "source_hash": "h" * 64, "text": "Zimne jedzenie, my name is [name]"},
    ],
    "themes": [
        {"id": 1, "consultation_id": 1, "question_id": 1, "label": "Cold food",
         "status": "published", "staff_named": True, "created_at": WHEN, "updated_at": WHEN},
    ],
    "theme_memberships": [
        {"response_id": 1, "theme_id": 1, "placed_by": "staff", "quote_rank": 1},
    ],
    "board_quotes": [
        {"response_id": 1, "theme_id": 1, "picked_by": "sam@example.org", "picked_at": WHEN},
    ],
    "content_translations": [
        {"id": 1, "consultation_id": 1, "language": "pl", "field": "title",
         "text": "Jedzenie w hostelu"},
    ],
    "dropin_codes": [
        {"id": 1, "label": "outreach van", "code_hash": "$argon2id$y", "created_at": WHEN,
         "revoked_at": None},
    ],
    "carry_on_codes": [
        {"code_hash": "k" * 64, "sender_secret": "gAAAA-encrypted", "expires_at": WHEN},
    ],
    "outbox": [
        {"id": 1, "channel": "telegram", "recipient": PERSON, "address": None,
         "method": "sendMessage", "body": {"text": "Dziękujemy", "buttons": []},
         "idempotency_key": "outcome:1:" + PERSON, "status": "queued", "attempts": 2,
         "next_attempt_at": WHEN, "last_error": "429 Too Many Requests", "created_at": WHEN,
         "sent_at": None},
    ],
    "telegram_updates": [
        {"update_id": 9_000_000_001, "status": "handled", "payload": None,
         "received_at": WHEN, "handled_at": WHEN},
    ],
    "telegram_addresses": [
        {"participant_id": PERSON, "chat": "gAAAA-chat", "unreachable_at": None,
         "updated_at": WHEN},
    ],
    "telegram_callbacks": [{"token": "cb1", "payload": "/choose{\"x\": 1}", "created_at": WHEN}],
    "telegram_keyboards": [
        {"recipient": PERSON, "message_id": 4_000_000_000, "updated_at": WHEN},
    ],
    "voice_notes": [
        {"id": 1, "participant_id": PERSON, "response_id": 1, "mime_type": "audio/ogg",
         "duration_seconds": 3, "audio": bytes(range(256)), "created_at": WHEN},
    ],
    "safeguarding_alerts": [
        {"id": 1, "participant_id": None, "consultation_id": 1, "category": "self_harm",
         "channel": "rest", "created_at": WHEN, "notified_at": WHEN, "handled_at": None,
         "handled_by": None},
    ],
    "tracker_erasures": [{"id": 1, "sender_encrypted": "gAAAA-sender", "requested_at": WHEN}],
    "outcomes": [
        {"id": 1, "consultation_id": 1, "what_was_done": "Hot dinners every day.",
         "status": "done", "reason": None, "decided_on": date(2026, 12, 2),
         "translations": {"pl": {"what_was_done": "Ciepłe obiady."}}, "published_at": WHEN,
         "published_by": "sam@example.org", "owed_count": 1, "created_at": WHEN,
         "updated_at": WHEN},
    ],
    "outcome_themes": [{"outcome_id": 1, "theme_id": 1, "position": 0, "label": "Cold food"}],
    "outcome_done": [
        {"outcome_id": 1, "done_on": date(2026, 12, 3), "followed_up_at": None},
    ],
    "follow_up_answers": [
        {"id": 1, "outcome_id": 1, "participant_id": PERSON, "answer": "a_bit",
         "words": "Lepiej, ale nie zawsze", "words_asked": False, "answered_at": WHEN},
    ],
    "late_notices": [{"participant_id": PERSON, "consultation_id": 1, "told_at": WHEN}],
    "priority_rounds": [
        {"consultation_id": 1, "panel_details": "Four meetings a year", "panel_paid": True,
         "invited_count": 1, "started_at": WHEN, "updated_at": WHEN},
    ],
    "priority_invitations": [
        {"consultation_id": 1, "participant_id": PERSON, "status": "voted",
         "resume_stage": "done", "invited_at": WHEN, "panel_joined": True,
         "panel_answered_at": WHEN},
    ],
    "priority_panel_words": [
        {"consultation_id": 1, "participant_id": PERSON, "panel_details": None,
         "panel_paid": False},
    ],
    "priority_votes": [
        {"id": 1, "consultation_id": 1, "participant_id": PERSON, "theme_id": 1,
         "label": "Cold food", "voted_at": WHEN},
    ],
}  # fmt: skip


def fill_every_table(engine: Engine) -> None:
    """Insert ROWS, parents before children; fail if a table of the models has no rows here."""
    missing = set(MODELS.tables) - set(ROWS)
    assert not missing, f"tests/support/sample_rows.py has no rows for {sorted(missing)}"
    with engine.begin() as connection:
        for table in MODELS.sorted_tables:
            connection.execute(insert(table), ROWS[table.name])

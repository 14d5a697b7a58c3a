"""The figures /metrics reads from the database: the outbox's backlog, its oldest message
owed, and why messages could not be sent, as the Telegram sender records them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.store import outbox
from bot.store.database import session_scope
from bot.store.figures import outbox_figures, read_figures
from bot.store.safety import mark_handled, raise_alert
from bot.store.schema import utcnow


def owe(engine: Engine, recipient: str, key: str) -> None:
    with session_scope(engine) as session:
        outbox.enqueue(
            session, "telegram", recipient, [outbox.Outgoing("sendMessage", {"text": "hi"}, key)]
        )


def fail(engine: Engine, recipient: str, error: str) -> None:
    """What the sender does with a message it gives up on (bot/channels/telegram/sender.py)."""
    with session_scope(engine) as session:
        claimed = outbox.claim_next(session, "telegram", recipient, utcnow())
        assert claimed is not None
        if error.startswith(("403", "no address")):
            outbox.mark_recipient_unreachable(session, "telegram", recipient, error)
        else:
            outbox.mark_failed(session, claimed.id, error)


def test_failed_messages_are_counted_by_reason(engine: Engine) -> None:
    for number, error in enumerate(
        [
            "403: Forbidden: bot was blocked by the user",
            "no address",
            "400: Bad Request: chat not found",
            "Timed out",
            "403: Forbidden: user is deactivated",
        ]
    ):
        owe(engine, f"person-{number}", f"key-{number}")
        fail(engine, f"person-{number}", error)
    owe(engine, "person-9", "still-owed")

    with session_scope(engine) as session:
        figures = outbox_figures(session, utcnow())

    assert figures.failed == {"blocked": 2, "no address": 1, "refused": 1, "gave up": 1}
    assert figures.backlog == 1


def test_the_oldest_message_owed_is_timed_from_when_it_was_written(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert outbox_figures(session, utcnow()).oldest_owed_seconds == 0
    owe(engine, "person-1", "first")
    owe(engine, "person-2", "second")

    written = utcnow()

    with session_scope(engine) as session:
        figures = outbox_figures(session, written + timedelta(hours=2))

    assert figures.backlog == 2
    assert 2 * 3600 <= figures.oldest_owed_seconds < 2 * 3600 + 60


def test_alerts_are_counted_by_kind_and_handled_ones_leave_the_unhandled_count(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        raise_alert(session, None, None, "self_harm", "rest")
        mark_handled(raise_alert(session, None, None, "cold", "telegram"), "duty@example.org")
        raise_alert(session, None, None, "self_harm", "webchat")

    with session_scope(engine) as session:
        figures = read_figures(session, utcnow())

    assert figures.alerts_by_category == {"self_harm": 2, "cold": 1}
    assert figures.alerts_unhandled == 2

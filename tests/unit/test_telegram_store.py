"""What the outbox, the Telegram tables and the tidying job keep, and for how long."""

from __future__ import annotations

from datetime import timedelta

from cryptography.fernet import Fernet
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from bot.channels.telegram.worker import tidy_up
from bot.privacy.cipher import Cipher
from bot.store import outbox, telegram_addresses, telegram_updates, voice_notes
from bot.store.database import session_scope
from bot.store.participants import delete_participant, get_or_create_participant
from bot.store.responses import save_answer
from bot.store.schema import (
    OutboxMessage,
    Question,
    TelegramAddress,
    TelegramUpdate,
    VoiceNote,
    utcnow,
)

CIPHER = Cipher(Fernet.generate_key().decode())


def message(key: str, text: str = "hello") -> outbox.Outgoing:
    return outbox.Outgoing("sendMessage", {"text": text}, key)


def test_queueing_the_same_message_twice_queues_it_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = outbox.enqueue(session, "telegram", "p-1", [message("k1"), message("k2")])
        again = outbox.enqueue(session, "telegram", "p-1", [message("k2"), message("k3")])

    assert (first, again) == (2, 1)


def test_a_recipients_messages_are_claimed_oldest_first_one_at_a_time(engine: Engine) -> None:
    with session_scope(engine) as session:
        outbox.enqueue(session, "telegram", "p-1", [message("a", "one"), message("b", "two")])
        outbox.enqueue(session, "telegram", "p-2", [message("c", "other")])

    with session_scope(engine) as session:
        due = outbox.due_recipients(session, "telegram", utcnow(), limit=10)
        first = outbox.claim_next(session, "telegram", "p-1", utcnow())
        busy = outbox.due_recipients(session, "telegram", utcnow(), limit=10, busy=["p-2"])

    assert due == ["p-1", "p-2"]
    assert first is not None and first.body["text"] == "one"
    assert busy == []


def test_a_message_waiting_to_be_retried_holds_back_the_later_ones(engine: Engine) -> None:
    with session_scope(engine) as session:
        outbox.enqueue(session, "telegram", "p-1", [message("a", "one"), message("b", "two")])
        claimed = outbox.claim_next(session, "telegram", "p-1", utcnow())
        outbox.retry_later(session, claimed.id, utcnow() + timedelta(minutes=5), "500")

    with session_scope(engine) as session:
        assert outbox.claim_next(session, "telegram", "p-1", utcnow()) is None
        later = outbox.claim_next(session, "telegram", "p-1", utcnow() + timedelta(minutes=6))

    assert later is not None and later.body["text"] == "one"


def test_messages_being_sent_when_the_sender_stopped_are_queued_again(engine: Engine) -> None:
    with session_scope(engine) as session:
        outbox.enqueue(session, "telegram", "p-1", [message("a")])
        outbox.claim_next(session, "telegram", "p-1", utcnow())

    with session_scope(engine) as session:
        assert outbox.release_interrupted(session, "telegram") == 1
        assert outbox.status_of(session, "a") == "queued"


def test_the_address_is_encrypted_and_can_be_deleted_on_its_own(engine: Engine) -> None:
    with session_scope(engine) as session:
        get_or_create_participant(session, "p-1", "telegram")
        telegram_addresses.save_address(session, "p-1", 123456789, CIPHER)

    with session_scope(engine) as session:
        [sealed] = session.execute(select(TelegramAddress.chat)).scalars()
        found = telegram_addresses.address_of(session, "p-1", CIPHER)
        deleted = telegram_addresses.delete_address(session, "p-1")

    assert "123456789" not in sealed and found == 123456789 and deleted
    with session_scope(engine) as session:
        assert telegram_addresses.address_of(session, "p-1", CIPHER) is None
        assert session.get(TelegramAddress, "p-1") is None


def test_deleting_a_participant_deletes_their_address(engine: Engine) -> None:
    with session_scope(engine) as session:
        get_or_create_participant(session, "p-1", "telegram")
        telegram_addresses.save_address(session, "p-1", 42, CIPHER)

    with session_scope(engine) as session:
        delete_participant(session, "p-1")

    with session_scope(engine) as session:
        assert not telegram_addresses.has_address(session, "p-1")


def test_writing_again_makes_a_blocked_person_reachable_again(engine: Engine) -> None:
    with session_scope(engine) as session:
        get_or_create_participant(session, "p-1", "telegram")
        telegram_addresses.save_address(session, "p-1", 42, CIPHER)
        telegram_addresses.mark_unreachable(session, "p-1")
        blocked = telegram_addresses.is_reachable(session, "p-1")
        telegram_addresses.save_address(session, "p-1", 42, CIPHER)

        assert (blocked, telegram_addresses.is_reachable(session, "p-1")) == (False, True)


def test_tidying_forgets_old_finished_things_and_keeps_what_is_owed(engine: Engine) -> None:
    long_ago = utcnow() - timedelta(days=40)
    with session_scope(engine) as session:
        outbox.enqueue(session, "telegram", "p-1", [message("sent-long-ago")])
        outbox.enqueue(session, "telegram", "p-1", [message("still-owed")])
        telegram_updates.record(session, 1, "sealed")
        telegram_updates.mark_handled(session, 1)
        telegram_updates.record(session, 2, "sealed")
        voice_notes.keep_pending(session, "p-1", b"audio", "audio/ogg", 3)
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.idempotency_key == "sent-long-ago")
            .values(status="sent", created_at=long_ago)
        )
        session.execute(update(TelegramUpdate).values(received_at=long_ago))
        session.execute(update(VoiceNote).values(created_at=long_ago))
        outbox.enqueue(session, "telegram", "p-1", [message("old-but-queued")])
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.idempotency_key == "old-but-queued")
            .values(created_at=long_ago)
        )

    tidy_up(engine, retention_days=365)

    with session_scope(engine) as session:
        keys = set(session.execute(select(OutboxMessage.idempotency_key)).scalars())
        updates = list(session.execute(select(TelegramUpdate.update_id)).scalars())
        notes = list(session.execute(select(VoiceNote.id)).scalars())
    assert keys == {"still-owed", "old-but-queued"}
    assert updates == [2]
    assert notes == []


def test_voice_notes_go_after_the_retention_limit(engine: Engine) -> None:
    with session_scope(engine) as session:
        get_or_create_participant(session, "p-1", "telegram")
        first, second = session.execute(select(Question).limit(2)).scalars()
        kept = {}
        for question, age in ((first, 31), (second, 2)):
            answer = save_answer(session, "p-1", question, voice_notes.VOICE_NOTE_TEXT, None, "t")
            note = voice_notes.keep_pending(session, "p-1", b"audio", "audio/ogg", 3)
            voice_notes.attach(session, note, "p-1", answer.id)
            session.execute(
                update(VoiceNote)
                .where(VoiceNote.id == note)
                .values(created_at=utcnow() - timedelta(days=age))
            )
            kept[age] = answer.id

    tidy_up(engine, retention_days=30)

    with session_scope(engine) as session:
        assert voice_notes.audio_for_response(session, kept[31]) is None
        assert voice_notes.audio_for_response(session, kept[2]) is not None

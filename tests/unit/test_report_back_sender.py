"""Published updates through the real Telegram sender, against the stand-in Bot API.

Every owed update arrives once through 429 and 500 storms; someone who stopped updates or
deleted their data gets nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.channels.telegram.bot_api import make_bot
from bot.channels.telegram.rate_limits import Limits
from bot.channels.telegram.sender import OutboxSender, RetryPolicy
from bot.config import load_settings
from bot.feedback import delivery
from bot.feedback.publishing import publish
from bot.privacy.cipher import Cipher
from bot.store import outcomes as outcome_store
from bot.store import participants as participant_store
from bot.store import telegram_addresses
from bot.store.database import session_scope
from bot.store.schema import OutboxMessage
from tests.support.report_back import WHAT_WAS_DONE, Someone, add_people, draft_outcome
from tests.telegram_api import FakeTelegram

CIPHER = Cipher(Fernet.generate_key().decode())
FAST = Limits(per_second=100, burst=100, per_chat_per_second=100, chat_burst=100)
QUICK_RETRY = RetryPolicy(first_wait_seconds=0.2, longest_wait_seconds=1, max_attempts=12)


def send_everything(telegram: FakeTelegram, engine: Engine, timeout: float = 60) -> None:
    settings = replace(
        load_settings(), telegram_token=telegram.token, telegram_api_base_url=telegram.base_url
    )

    async def run() -> None:
        bot = make_bot(settings)
        await bot.initialize()
        try:
            await OutboxSender(bot, engine, CIPHER, FAST, QUICK_RETRY).run_until_done(timeout)
        finally:
            await bot.shutdown()

    asyncio.run(run())


def publish_to(engine: Engine, people: list[Someone]) -> None:
    with session_scope(engine) as session:
        theme = add_people(session, people, CIPHER)
        outcome_id = draft_outcome(session, [theme])
    with session_scope(engine) as session:
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")


def updates_to(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [text for text in telegram.sent_texts(chat_id) if WHAT_WAS_DONE in text]


PEOPLE = [Someone(f"person-{n}", chat_id=900 + n) for n in range(12)]


def test_a_429_storm_and_a_500_storm_slow_things_down_but_every_update_arrives_once(
    telegram: FakeTelegram, engine: Engine
) -> None:
    publish_to(engine, PEOPLE)
    telegram.fail("sendMessage", 429, times=5, retry_after=1)
    telegram.fail("sendMessage", 500, times=15)

    send_everything(telegram, engine)

    refused = [call.status for call in telegram.recorded("sendMessage", ok_only=False)]
    assert refused.count(429) == 5 and refused.count(500) == 15
    for someone in PEOPLE:
        assert len(updates_to(telegram, someone.chat_id)) == 1, someone


def test_someone_who_stops_updates_or_deletes_their_data_before_sending_gets_nothing(
    telegram: FakeTelegram, engine: Engine
) -> None:
    stays, stops, deletes = (Someone(f"p-{n}", chat_id=950 + n) for n in range(3))
    publish_to(engine, [stays, stops, deletes])
    with session_scope(engine) as session:
        participant = participant_store.get_participant(session, stops.participant_id)
        participant_store.record_updates_consent(session, participant, False, "v1")
        telegram_addresses.delete_address(session, stops.participant_id)
        delivery.stop_updates(session, stops.participant_id)
        participant_store.delete_participant(session, deletes.participant_id)

    send_everything(telegram, engine)

    assert len(updates_to(telegram, stays.chat_id)) == 1
    assert telegram.sent_texts(stops.chat_id) == []
    assert telegram.sent_texts(deletes.chat_id) == []
    with session_scope(engine) as session:
        kept_for_deleted = session.execute(
            select(OutboxMessage.id).where(OutboxMessage.recipient == deletes.participant_id)
        ).all()
    assert kept_for_deleted == []

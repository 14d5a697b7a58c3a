"""The Telegram sender, the worker's set-up and the poller, against a stand-in Bot API.

The stand-in is a real HTTP server on loopback (tests/telegram_api.py) that records when each
call arrived and can answer 429, 403 or 500. Timings use Telegram's real limits where a test
stays short, and smaller waits where the rule, not the number, is what matters.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import replace
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.channels.telegram.bot_api import make_bot
from bot.channels.telegram.poller import Poller
from bot.channels.telegram.rate_limits import TELEGRAM_LIMITS, Limits
from bot.channels.telegram.sender import OutboxSender, RetryPolicy
from bot.channels.telegram.status import telegram_status
from bot.channels.telegram.worker import configure_bot
from bot.config import Settings, load_settings
from bot.ops.processes import sayso_services
from bot.privacy.cipher import Cipher
from bot.store import outbox, telegram_addresses
from bot.store.database import make_engine, session_scope
from bot.store.participants import get_or_create_participant
from bot.store.schema import OutboxMessage
from tests.telegram_api import FakeTelegram, Person, free_port, serving

CIPHER = Cipher(Fernet.generate_key().decode())
FAST = Limits(per_second=100, burst=100, per_chat_per_second=100, chat_burst=100)
QUICK_RETRY = RetryPolicy(first_wait_seconds=0.2, longest_wait_seconds=2, max_attempts=12)


def settings_for(telegram: FakeTelegram, **changes: Any) -> Settings:
    return replace(
        load_settings(),
        telegram_token=telegram.token,
        telegram_api_base_url=telegram.base_url,
        **changes,
    )


def queue(
    engine: Engine,
    chat_id: int,
    texts: list[str],
    buttons: list[list[str]] | None = None,
    with_address: bool = True,
) -> str:
    """Queue messages for a chat as the channel does; returns the recipient."""
    recipient = f"participant-{chat_id}"
    items = [
        outbox.Outgoing(
            "sendMessage",
            {"text": text, **({"buttons": buttons} if buttons else {})},
            f"{recipient}:{text}",
        )
        for text in texts
    ]
    address = CIPHER.seal_chat(chat_id) if with_address else None
    with session_scope(engine) as session:
        outbox.enqueue(session, "telegram", recipient, items, address)
    return recipient


def send_everything(
    telegram: FakeTelegram,
    engine: Engine,
    limits: Limits = FAST,
    retry: RetryPolicy = QUICK_RETRY,
    timeout: float = 30,
) -> None:
    async def run() -> None:
        bot = make_bot(settings_for(telegram))
        await bot.initialize()
        try:
            await OutboxSender(bot, engine, CIPHER, limits, retry).run_until_done(timeout)
        finally:
            await bot.shutdown()

    asyncio.run(run())


def rows(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        return list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def times(telegram: FakeTelegram, chat_id: int | None = None, ok_only: bool = True) -> list[float]:
    return [call.at for call in telegram.recorded("sendMessage", chat_id, ok_only)]


# ---- limits ---------------------------------------------------------------------------------


def test_one_chat_gets_a_short_burst_then_one_message_a_second_in_order(
    telegram: FakeTelegram, engine: Engine
) -> None:
    texts = [f"message {number}" for number in range(5)]
    queue(engine, 101, texts)

    send_everything(telegram, engine, limits=TELEGRAM_LIMITS)

    assert telegram.sent_texts(101) == texts
    arrived = times(telegram, 101)
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrived)]
    assert all(gap < 0.5 for gap in gaps[:2])
    assert all(gap >= 0.9 for gap in gaps[2:])


def test_many_chats_together_stay_under_the_overall_limit(
    telegram: FakeTelegram, engine: Engine
) -> None:
    for chat_id in range(200, 240):
        queue(engine, chat_id, ["hello"])

    send_everything(telegram, engine, limits=Limits(per_second=20, burst=1))

    arrived = sorted(times(telegram))
    assert len(arrived) == 40
    busiest_second = max(
        sum(1 for moment in arrived if start <= moment < start + 1) for start in arrived
    )
    assert busiest_second <= 21
    assert arrived[-1] - arrived[0] >= 39 / 20 * 0.9


# ---- what Telegram answers ------------------------------------------------------------------


def test_a_429_waits_retry_after_then_sends_and_is_not_counted_as_a_try(
    telegram: FakeTelegram, engine: Engine
) -> None:
    queue(engine, 301, ["hello"])
    telegram.fail("sendMessage", 429, retry_after=1)

    send_everything(telegram, engine)

    refused, delivered = times(telegram, 301, ok_only=False)
    assert delivered - refused >= 1.0
    [row] = rows(engine)
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_429_pauses_every_chat_not_just_the_one_refused(
    telegram: FakeTelegram, engine: Engine
) -> None:
    queue(engine, 311, ["first", "second"])
    queue(engine, 312, ["later one"])
    telegram.fail("sendMessage", 429, retry_after=1, chat_id=311)

    send_everything(telegram, engine, limits=Limits(per_second=100, burst=1))

    refused = times(telegram, 311, ok_only=False)[0]
    others = [moment for moment in times(telegram, 312) if moment > refused]
    assert all(moment - refused >= 0.95 for moment in others)
    assert telegram.sent_texts(311) == ["first", "second"]


def test_a_403_marks_the_person_unreachable_and_drops_what_was_queued_for_them(
    telegram: FakeTelegram, engine: Engine
) -> None:
    with session_scope(engine) as session:
        get_or_create_participant(session, "participant-401", "telegram")
        telegram_addresses.save_address(session, "participant-401", 401, CIPHER)
    queue(engine, 401, ["one", "two", "three"], with_address=False)
    queue(engine, 402, ["for someone else"])
    telegram.fail("sendMessage", 403, chat_id=401)

    send_everything(telegram, engine)

    assert len(telegram.recorded("sendMessage", 401, ok_only=False)) == 1
    assert telegram.sent_texts(402) == ["for someone else"]
    statuses = {row.idempotency_key: row.status for row in rows(engine)}
    assert [statuses[f"participant-401:{text}"] for text in ("one", "two", "three")] == [
        "unreachable"
    ] * 3
    with session_scope(engine) as session:
        assert not telegram_addresses.is_reachable(session, "participant-401")


def test_a_500_is_tried_again_waiting_longer_each_time_until_it_goes_through(
    telegram: FakeTelegram, engine: Engine
) -> None:
    queue(engine, 501, ["hello"])
    telegram.fail("sendMessage", 500, times=3)

    send_everything(telegram, engine)

    tries = times(telegram, 501, ok_only=False)
    gaps = [later - earlier for earlier, later in itertools.pairwise(tries)]
    assert len(tries) == 4
    assert gaps[0] >= 0.15 and gaps[1] > gaps[0] and gaps[2] > gaps[1]
    [row] = rows(engine)
    assert (row.status, row.attempts) == ("sent", 4)


def test_a_message_that_keeps_failing_is_given_up_after_the_last_try(
    telegram: FakeTelegram, engine: Engine
) -> None:
    queue(engine, 502, ["hello"])
    telegram.fail("sendMessage", 500, times=10)

    send_everything(telegram, engine, retry=RetryPolicy(first_wait_seconds=0.05, max_attempts=3))

    assert len(telegram.recorded("sendMessage", 502, ok_only=False)) == 3
    [row] = rows(engine)
    assert row.status == "failed" and "Internal Server Error" in row.last_error


# ---- nothing lost -----------------------------------------------------------------------------


def test_a_restart_sends_what_was_queued_and_what_was_being_sent(
    telegram: FakeTelegram, database_url: str
) -> None:
    before = make_engine(database_url)
    queue(before, 601, ["one", "two", "three"])
    with session_scope(before) as session:
        interrupted = outbox.claim_next(session, "telegram", "participant-601", outbox.utcnow())
    assert interrupted is not None
    before.dispose()

    after = make_engine(database_url)
    send_everything(telegram, after)

    assert telegram.sent_texts(601) == ["one", "two", "three"]
    assert {row.status for row in rows(after)} == {"sent"}
    after.dispose()


def test_sent_messages_forget_the_address_and_the_words(
    telegram: FakeTelegram, engine: Engine
) -> None:
    queue(engine, 602, ["You picked: Dinner"])

    send_everything(telegram, engine)

    assert [(row.status, row.address, row.body) for row in rows(engine)] == [("sent", None, {})]


def test_an_update_owed_to_someone_with_no_address_kept_is_not_sent(
    telegram: FakeTelegram, engine: Engine
) -> None:
    queue(engine, 603, ["we did what you said"], with_address=False)

    send_everything(telegram, engine)

    assert telegram.recorded("sendMessage", 603, ok_only=False) == []
    assert [row.status for row in rows(engine)] == ["unreachable"]


def test_new_buttons_take_the_older_buttons_away(telegram: FakeTelegram, engine: Engine) -> None:
    queue(engine, 701, ["first question"], buttons=[["Yes", "/affirm"]])
    queue(engine, 701, ["second question"], buttons=[["No", "/deny"]])

    send_everything(telegram, engine)

    first, _ = telegram.recorded("sendMessage", 701)
    [edit] = telegram.recorded("editMessageReplyMarkup", 701)
    assert int(edit.params["message_id"]) == first.message_id
    assert "reply_markup" not in edit.params


# ---- the worker's set-up and polling --------------------------------------------------------


def test_with_a_public_address_the_webhook_is_set_with_the_secret(telegram: FakeTelegram) -> None:
    settings = settings_for(
        telegram,
        telegram_webhook_url="https://sayso.example.org/webhooks/telegram/webhook",
        telegram_secret_token="s3cret-token",
    )

    async def configure() -> str:
        bot = make_bot(settings)
        await bot.initialize()
        try:
            return await configure_bot(bot, settings)
        finally:
            await bot.shutdown()

    assert asyncio.run(configure()) == "webhook"
    [webhook] = telegram.recorded("setWebhook")
    assert webhook.params["url"] == settings.telegram_webhook_url
    assert webhook.params["secret_token"] == "s3cret-token"
    assert "callback_query" in webhook.params["allowed_updates"]
    [menu] = telegram.recorded("setMyCommands")
    assert [item["command"] for item in menu.params["commands"]] == [
        "start",
        "help",
        "stop",
        "delete",
    ]


def test_with_no_public_address_the_webhook_is_removed_for_polling(
    telegram: FakeTelegram,
) -> None:
    settings = settings_for(telegram, telegram_webhook_url="")

    async def configure() -> str:
        bot = make_bot(settings)
        await bot.initialize()
        try:
            return await configure_bot(bot, settings)
        finally:
            await bot.shutdown()

    assert asyncio.run(configure()) == "polling"
    assert telegram.recorded("deleteWebhook") and not telegram.recorded("setWebhook")


def test_the_poller_posts_each_update_as_sent_with_the_secret_and_loses_none(
    telegram: FakeTelegram,
) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    refusals = [503]

    async def webhook(request: Request) -> JSONResponse:
        if refusals:
            return JSONResponse({}, status_code=refusals.pop())
        received.append(
            (await request.json(), request.headers.get("x-telegram-bot-api-secret-token"))
        )
        return JSONResponse({"ok": True})

    port = free_port()
    person = Person(801)
    newer_than_the_library = {"id": "p", "question": "?", "options": [], "total_voter_count": 0,
                              "is_closed": False, "is_anonymous": True, "type": "regular",
                              "allows_multiple_answers": False}  # fmt: skip
    updates = [
        person.says("hello"),
        person.sends(poll=newer_than_the_library),
        person.says("are you there"),
    ]
    for update in updates:
        telegram.queue_update(update)

    async def poll() -> None:
        bot = make_bot(settings_for(telegram))
        await bot.initialize()
        stop = asyncio.Event()
        poller = Poller(bot, f"http://127.0.0.1:{port}/hook", "s3cret", long_poll_seconds=1)
        task = asyncio.create_task(poller.run(stop))
        deadline = time.monotonic() + 20
        while len(received) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, 10)
        await bot.shutdown()

    with serving(Starlette(routes=[Route("/hook", webhook, methods=["POST"])]), port):
        asyncio.run(poll())

    assert [update for update, _ in received] == updates
    assert {secret for _, secret in received} == {"s3cret"}
    offsets = [call.params.get("offset") for call in telegram.recorded("getUpdates")]
    assert updates[-1]["update_id"] + 1 in offsets


def test_make_run_starts_the_telegram_worker_only_with_a_token() -> None:
    without = replace(load_settings(), telegram_token="")
    with_token = replace(without, telegram_token="123:abc")

    assert "Telegram worker" not in [service.name for service in sayso_services(without)]
    assert "Telegram worker" in [service.name for service in sayso_services(with_token)]
    assert telegram_status(without).startswith("Telegram is off.")
    assert "fetches new messages" in telegram_status(with_token)

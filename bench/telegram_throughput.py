"""Telegram throughput: updates through the webhook to a delivered sendMessage, and the sender.

Starts Sayso (`sayso run`) against the stand-in Bot API from the tests, on loopback, then:

1. A burst: 300 people each send a first message at once (20 connections, as Telegram opens
   up to 40). Prints updates a second from the first post to the last reply delivered, how
   fast the webhook acknowledged, and the median and p95 delay from post to delivered reply.
2. A steady stream of 10 updates a second for 20 seconds, under Telegram's limit, for the
   delay a person feels when nothing is queued.
3. The sender alone: 2,000 queued messages to 2,000 chats, sent within Telegram's limit of
   about 30 a second. Prints the sustained rate and the busiest second.

Run with `.venv/bin/python bench/telegram_throughput.py` (about 3 minutes).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx
import servers
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
# The stand-in Bot API lives with the tests.
sys.path.insert(0, str(ROOT))

from bot.channels.telegram.bot_api import make_bot  # noqa: E402
from bot.channels.telegram.rate_limits import TELEGRAM_LIMITS  # noqa: E402
from bot.channels.telegram.sender import OutboxSender  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.privacy.cipher import Cipher  # noqa: E402
from bot.store import outbox  # noqa: E402
from bot.store.database import make_engine, session_scope  # noqa: E402
from tests.telegram_api import FakeTelegram, Person  # noqa: E402

SECRET = "bench-secret"
BURST_PEOPLE = 300
BURST_CONNECTIONS = 20
STEADY_PER_SECOND = 10
STEADY_SECONDS = 20
SENDER_MESSAGES = 2000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def first_reply_times(telegram: FakeTelegram, people: list[Person], timeout: float) -> dict:
    """When each person's first reply reached the Bot API, waiting up to `timeout` seconds."""
    wanted = {person.chat_id for person in people}
    deadline = time.monotonic() + timeout
    while True:
        arrived: dict[int, float] = {}
        for call in telegram.recorded("sendMessage"):
            if call.chat_id in wanted and call.chat_id not in arrived:
                arrived[call.chat_id] = call.at
        if len(arrived) == len(wanted) or time.monotonic() > deadline:
            return arrived
        time.sleep(0.2)


def post(client: httpx.Client, url: str, person: Person) -> tuple[float, float, int]:
    started = time.monotonic()
    response = client.post(
        url, json=person.says("hi"), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    return started, time.monotonic() - started, response.status_code


def burst(telegram: FakeTelegram, url: str, first_chat: int) -> None:
    people = [Person(first_chat + number) for number in range(BURST_PEOPLE)]
    with (
        httpx.Client(timeout=60) as client,
        concurrent.futures.ThreadPoolExecutor(BURST_CONNECTIONS) as pool,
    ):
        posted = list(pool.map(lambda person: post(client, url, person), people))
    arrived = first_reply_times(telegram, people, timeout=120)
    delays = [
        arrived[person.chat_id] - started
        for person, (started, _, _) in zip(people, posted, strict=True)
        if person.chat_id in arrived
    ]
    acks = [seconds for _, seconds, _ in posted]
    errors = sum(1 for _, _, status in posted if status != 200)
    span = max(arrived.values()) - min(started for started, _, _ in posted)
    print(f"Burst: {BURST_PEOPLE} people send a first message at once")
    print(f"  replies delivered: {len(arrived)} of {BURST_PEOPLE}; webhook errors: {errors}")
    print(f"  throughput, post to delivered reply: {len(arrived) / span:.1f} updates a second")
    print(
        f"  webhook acknowledged in: median {statistics.median(acks) * 1000:.0f} ms, "
        f"p95 {percentile(acks, 0.95) * 1000:.0f} ms"
    )
    print(
        f"  post to delivered reply: median {statistics.median(delays):.2f} s, "
        f"p95 {percentile(delays, 0.95):.2f} s"
    )


def steady(telegram: FakeTelegram, url: str, first_chat: int) -> None:
    count = STEADY_PER_SECOND * STEADY_SECONDS
    people = [Person(first_chat + number) for number in range(count)]
    posted: list[tuple[float, float, int]] = []
    with (
        httpx.Client(timeout=60) as client,
        concurrent.futures.ThreadPoolExecutor(BURST_CONNECTIONS) as pool,
    ):
        start = time.monotonic()
        futures = []
        for number, person in enumerate(people):
            time.sleep(max(0.0, start + number / STEADY_PER_SECOND - time.monotonic()))
            futures.append(pool.submit(post, client, url, person))
        posted = [future.result() for future in futures]
    arrived = first_reply_times(telegram, people, timeout=60)
    delays = [
        arrived[person.chat_id] - started
        for person, (started, _, _) in zip(people, posted, strict=True)
        if person.chat_id in arrived
    ]
    print(f"Steady: {STEADY_PER_SECOND} updates a second for {STEADY_SECONDS} s")
    print(f"  replies delivered: {len(arrived)} of {count}")
    print(
        f"  post to delivered reply: median {statistics.median(delays):.2f} s, "
        f"p95 {percentile(delays, 0.95):.2f} s"
    )


def sender_rate(telegram: FakeTelegram, folder: Path) -> None:
    engine = make_engine(f"sqlite:///{folder}/sender.db")
    cipher = Cipher(Fernet.generate_key().decode())
    with session_scope(engine) as session:
        for number in range(SENDER_MESSAGES):
            chat_id = 900_000_000 + number
            item = outbox.Outgoing("sendMessage", {"text": "You said, we did."}, f"bench:{number}")
            outbox.enqueue(session, "telegram", f"r{number}", [item], cipher.seal_chat(chat_id))
    settings = replace(
        load_settings(), telegram_token=telegram.token, telegram_api_base_url=telegram.base_url
    )
    telegram.clear()

    async def send() -> float:
        bot = make_bot(settings)
        await bot.initialize()
        started = time.monotonic()
        await OutboxSender(bot, engine, cipher, TELEGRAM_LIMITS).run_until_done(600)
        await bot.shutdown()
        return time.monotonic() - started

    seconds = asyncio.run(send())
    moments = sorted(call.at for call in telegram.recorded("sendMessage"))
    sustained = (len(moments) - TELEGRAM_LIMITS.burst) / (moments[-1] - moments[0])
    busiest = max(sum(1 for item in moments if start <= item < start + 1) for start in moments)
    print(f"Sender: {SENDER_MESSAGES} queued messages to {SENDER_MESSAGES} chats")
    print(f"  sent {len(moments)} in {seconds:.1f} s")
    print(
        f"  sustained rate: {sustained:.1f} a second "
        f"(limit {TELEGRAM_LIMITS.per_second:.0f}); busiest second: {busiest}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary, FakeTelegram.running() as telegram:
        folder = Path(temporary)
        rasa_port = servers.free_port()
        environment = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "SAYSO_RASA_PORT": str(rasa_port),
            "SAYSO_ACTION_PORT": str(servers.free_port()),
            "SAYSO_WEB_PORT": str(servers.free_port()),
            "SAYSO_WORKER_PORT": str(servers.free_port()),
            "SAYSO_TELEGRAM_WORKER_PORT": str(servers.free_port()),
            "SAYSO_DATABASE_URL": f"sqlite:///{folder}/sayso.db",
            "SAYSO_TRACKER_URL": f"sqlite:///{folder}/tracker.db",
            "SAYSO_LOG_DIR": f"{folder}/logs",
            **telegram.environment(SECRET),
        }
        rasa = f"http://127.0.0.1:{rasa_port}"
        command = [sys.executable, "-m", "bot.cli", "run"]
        print("Starting Sayso with Telegram pointed at a local Bot API...", flush=True)
        with servers.running(command, ROOT, environment):
            servers.wait_for_reply(f"{rasa}/webhooks/rest/webhook")
            webhook = f"{rasa}/webhooks/telegram/webhook"
            burst(telegram, webhook, first_chat=600_000_000)
            steady(telegram, webhook, first_chat=700_000_000)
        sender_rate(telegram, folder)


if __name__ == "__main__":
    main()

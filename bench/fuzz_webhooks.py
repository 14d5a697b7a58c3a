"""Fuzz the running REST channel and Telegram webhook with 10,000 generated bodies; print the tally.

Sayso runs as `make run` starts it, with Telegram pointed at the stand-in Bot API on loopback
(tests/telegram_api.py). The cases, from the strategies in tests/support/fuzzing.py:
- REST: message texts (control characters, emoji, other scripts, up to 6,000 characters)
  sent mid-consultation, and request bodies (wrong types, not JSON at all);
- Telegram, with the secret header: what people send in a private chat (words, photos,
  stickers, voice notes, files, places, contacts, edits), the same updates with a field
  dropped or of the wrong type, kinds of update Sayso does not handle, and bodies that are
  not updates (bytes, other JSON, nesting too deep to parse);
- Telegram without the right secret: any of those, which must all be refused.

Cases are generated first, then sent by a few threads at once, as many people would.
Counted: server errors (5xx); silences (a message that got no reply); half-stored work (an
answer without its person or text, an update never finished, a message owed but stuck);
refusals that failed (a wrong secret let in).
"""

from __future__ import annotations

import itertools
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import servers
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(servers.ROOT))
from tests.support.fuzzing import (
    WebhookBody,
    message_texts,
    rest_bodies,
    webhook_bodies,
    wrong_secrets,
)
from tests.telegram_api import FakeTelegram

CASES = {"rest_texts": 2_500, "rest_bodies": 2_500, "telegram": 4_000, "wrong_secret": 1_000}
SECRET = "fuzz-webhook-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
THREADS = 6
SETTLE_SECONDS = 300
_chat_ids = itertools.count(730_000_001)
_update_ids = itertools.count(800_000_001)


def generated(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` values drawn by Hypothesis, as it would draw them for a test."""
    drawn: list[Any] = []
    run = settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
                   suppress_health_check=list(HealthCheck))  # fmt: skip

    @run
    @given(strategy)
    def draw(value: Any) -> None:
        drawn.append(value)

    draw()
    return drawn


class Fuzz:
    def __init__(self, rest_url: str, webhook_url: str) -> None:
        self.rest_url = rest_url
        self.webhook_url = webhook_url
        self.client = httpx.Client(timeout=120, limits=httpx.Limits(max_connections=THREADS * 2))
        self.tally: Counter[str] = Counter()
        self.owed_replies: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def _add(self, **counts: int) -> None:
        with self._lock:
            self.tally.update(counts)

    def _count(self, response: httpx.Response, case: str) -> None:
        failed = response.status_code >= 500
        self._add(**{case: 1, f"server_errors {case}": failed}, server_errors=failed)

    def rest_text(self, text: str) -> None:
        sender = f"fuzz-{uuid.uuid4().hex[:8]}"
        for message in ('/choose{"option":"hostel-food"}', text):
            response = self.client.post(self.rest_url, json={"sender": sender, "message": message})
            failed = response.status_code >= 500
            self._add(
                **{"server_errors rest_texts": failed},
                server_errors=failed,
                silent=response.status_code == 200 and not response.json(),
            )
        self._add(rest_texts=1)

    def rest_body(self, body: bytes) -> None:
        response = self.client.post(
            self.rest_url, content=body, headers={"Content-Type": "application/json"}
        )
        self._count(response, "rest_bodies")

    def telegram(self, body: WebhookBody) -> None:
        chat_id = next(_chat_ids)
        response = self._post_update(body.encode(next(_update_ids), chat_id), SECRET)
        self._count(response, "telegram")
        if body.answered:
            with self._lock:
                self.owed_replies.append((chat_id, body.kind))
            self._add(refused_a_message=response.status_code != 200)

    def wrong_secret(self, case: tuple[WebhookBody, str | None]) -> None:
        body, secret = case
        response = self._post_update(body.encode(next(_update_ids), next(_chat_ids)), secret)
        self._count(response, "wrong_secret")
        self._add(let_in_without_secret=response.status_code != 403)

    def _post_update(self, body: bytes, secret: str | None) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        return self.client.post(self.webhook_url, content=body, headers=headers)


def run_all(cases: list[tuple[Callable[[Any], None], Any]]) -> None:
    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(send, case) for send, case in cases]:
            future.result()


def unfinished(database: Path) -> int:
    """Telegram updates not handled, and Telegram messages owed but not sent."""
    with sqlite3.connect(database) as connection:
        updates = connection.execute(
            "SELECT count(*) FROM telegram_updates WHERE status != 'handled'"
        ).fetchone()[0]
        messages = connection.execute(
            "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status IN"
            " ('queued', 'sending') AND next_attempt_at <= datetime('now', '+60 seconds')"
        ).fetchone()[0]
    return updates + messages


def settle(database: Path) -> int:
    deadline = time.monotonic() + SETTLE_SECONDS
    while (left := unfinished(database)) and time.monotonic() < deadline:
        time.sleep(1)
    return left


def broken_answers(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT count(*) FROM responses r LEFT JOIN participants p ON p.id = r.participant_id"
            " WHERE p.id IS NULL OR r.text IS NULL"
        ).fetchone()[0]


def main() -> None:
    print("Generating cases...", flush=True)
    fuzz_cases: dict[str, list[Any]] = {
        "rest_texts": generated(message_texts, CASES["rest_texts"]),
        "rest_bodies": generated(rest_bodies, CASES["rest_bodies"]),
        "telegram": generated(webhook_bodies, CASES["telegram"]),
        "wrong_secret": generated(
            st.tuples(webhook_bodies, wrong_secrets(SECRET)), CASES["wrong_secret"]
        ),
    }
    with FakeTelegram.running() as telegram, tempfile.TemporaryDirectory() as folder:
        os.environ.update(telegram.environment(SECRET))
        os.environ["SAYSO_TELEGRAM_WORKER_PORT"] = str(servers.free_port())
        with servers.sayso(Path(folder)) as under_test:
            webhook = under_test.rest_url.replace("/rest/webhook", "/telegram/webhook")
            fuzz = Fuzz(under_test.rest_url, webhook)
            senders = {"rest_texts": fuzz.rest_text, "rest_bodies": fuzz.rest_body,
                       "telegram": fuzz.telegram, "wrong_secret": fuzz.wrong_secret}  # fmt: skip
            cases = [(senders[name], case) for name, drawn in fuzz_cases.items() for case in drawn]
            random.Random(7).shuffle(cases)
            print(f"Sending {len(cases)} cases...", flush=True)
            started = time.monotonic()
            run_all(cases)
            stuck = settle(under_test.database)
            seconds = time.monotonic() - started
            answered = {call.chat_id for call in telegram.recorded("sendMessage")}
            unanswered = Counter(
                kind.split()[0] for chat, kind in fuzz.owed_replies if chat not in answered
            )
            broken = broken_answers(under_test.database)
    tally = fuzz.tally
    total = sum(tally[name] for name in CASES)
    print(
        f"Cases: {total} ({tally['rest_texts']} REST message texts, {tally['rest_bodies']} "
        f"REST bodies, {tally['telegram']} Telegram bodies of which {len(fuzz.owed_replies)} "
        f"messages from people, {tally['wrong_secret']} Telegram bodies with a wrong secret)"
    )
    by_case = {name: tally[f"server_errors {name}"] for name in CASES}
    print(f"Server errors (5xx): {tally['server_errors']} {by_case}")
    silent = tally["silent"] + sum(unanswered.values())
    print(
        f"Silent (a message with no reply): {silent} ({tally['silent']} REST, "
        f"{sum(unanswered.values())} Telegram {dict(unanswered)})"
    )
    print(
        f"Half-stored: {broken + stuck} ({broken} answers without person or text, "
        f"{stuck} Telegram updates or messages never finished)"
    )
    print(
        f"Wrong secret let in: {tally['let_in_without_secret']}; "
        f"messages from people refused: {tally['refused_a_message']}"
    )
    print(f"Time: {seconds:.0f} s sending and settling, {THREADS} at once")


if __name__ == "__main__":
    main()

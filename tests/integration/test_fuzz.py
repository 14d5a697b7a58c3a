"""Generated messages and malformed bodies never make Sayso fail, fall silent or half-store.

Over the REST channel and the Telegram webhook (with its secret, and without). A short run for
CI; `bench/fuzz_webhooks.py` runs 10,000 cases across both and prints the tally.
"""

from __future__ import annotations

import itertools
import time
import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from tests.integration.conftest import TELEGRAM_SECRET, RunningSayso
from tests.support.fuzzing import (
    WebhookBody,
    message_texts,
    rest_bodies,
    webhook_bodies,
    wrong_secrets,
)
from tests.telegram_api import FakeTelegram, next_update_id

pytestmark = pytest.mark.integration

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Updates are big and many are slow to answer, so Hypothesis may find them large or slow.
TELEGRAM_FUZZ = settings(FUZZ, max_examples=300, suppress_health_check=list(HealthCheck))
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REPLY_SECONDS = 60
_chat_ids = itertools.count(620_000_001)


@FUZZ
@given(text=message_texts)
def test_any_text_gets_a_reply_and_never_a_server_error(sayso: RunningSayso, text: str) -> None:
    sender = f"fuzz-{uuid.uuid4().hex[:8]}"
    for message in ("hi", "/affirm", '/choose{"option":"hostel-food"}', text):
        response = httpx.post(
            sayso.rest_url, json={"sender": sender, "message": message}, timeout=60
        )
        assert response.status_code == 200
        assert response.json(), "Sayso must never be silent"


@FUZZ
@given(body=rest_bodies)
def test_malformed_bodies_never_cause_a_server_error(sayso: RunningSayso, body: bytes) -> None:
    response = httpx.post(
        sayso.rest_url, content=body, headers={"Content-Type": "application/json"}, timeout=60
    )
    assert response.status_code < 500


def post_update(sayso: RunningSayso, body: bytes, secret: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    return httpx.post(
        f"{sayso.rasa_url}/webhooks/telegram/webhook", content=body, headers=headers, timeout=60
    )


def wait_for_reply(telegram: FakeTelegram, chat_id: int) -> bool:
    deadline = time.monotonic() + REPLY_SECONDS
    while not telegram.recorded("sendMessage", chat_id):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@TELEGRAM_FUZZ
@given(body=webhook_bodies)
def test_every_message_on_telegram_gets_a_reply_and_no_body_a_server_error(
    sayso: RunningSayso, telegram_api: FakeTelegram, body: WebhookBody
) -> None:
    chat_id = next(_chat_ids)

    response = post_update(sayso, body.encode(next_update_id(), chat_id), TELEGRAM_SECRET)

    assert response.status_code < 500, body.kind
    if body.answered:
        assert response.status_code == 200
        assert wait_for_reply(telegram_api, chat_id), f"No reply to {body.kind}"


@settings(TELEGRAM_FUZZ, max_examples=100)
@given(body=webhook_bodies, secret=wrong_secrets(TELEGRAM_SECRET))
def test_without_the_secret_every_body_is_refused_and_nothing_is_kept(
    sayso: RunningSayso, body: WebhookBody, secret: str | None
) -> None:
    update_id = next_update_id()

    response = post_update(sayso, body.encode(update_id, next(_chat_ids)), secret)

    assert response.status_code == 403
    assert sayso.rows("SELECT 1 FROM telegram_updates WHERE update_id = ?", update_id) == []


def test_after_fuzzing_every_update_is_handled_and_every_message_sent(
    sayso: RunningSayso,
) -> None:
    deadline = time.monotonic() + REPLY_SECONDS
    while unfinished_telegram_work(sayso) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert unfinished_telegram_work(sayso) == 0


def unfinished_telegram_work(sayso: RunningSayso) -> int:
    """Updates not yet handled, and messages owed but not sent (none should be stuck)."""
    [(updates,)] = sayso.rows("SELECT count(*) FROM telegram_updates WHERE status != 'handled'")
    [(messages,)] = sayso.rows(
        "SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status IN ('queued', 'sending')"
        " AND next_attempt_at <= datetime('now', '+60 seconds')"
    )
    return updates + messages


def test_after_fuzzing_every_stored_answer_is_whole(sayso: RunningSayso) -> None:
    broken = sayso.rows(
        "SELECT r.id FROM responses r LEFT JOIN participants p ON p.id = r.participant_id "
        "WHERE p.id IS NULL OR r.text IS NULL OR (r.question_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM questions q WHERE q.id = r.question_id))"
    )
    assert broken == []

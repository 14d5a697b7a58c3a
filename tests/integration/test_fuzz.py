"""Generated messages and malformed bodies never make Sayso fail, fall silent or half-store.

A short run for CI; `bench/fuzz_rest.py` runs 10,000 cases and prints the tally.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from tests.integration.conftest import RunningSayso
from tests.support.fuzzing import message_texts, rest_bodies

pytestmark = pytest.mark.integration

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


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


def test_after_fuzzing_every_stored_answer_is_whole(sayso: RunningSayso) -> None:
    broken = sayso.rows(
        "SELECT r.id FROM responses r LEFT JOIN participants p ON p.id = r.participant_id "
        "WHERE p.id IS NULL OR r.text IS NULL OR (r.question_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM questions q WHERE q.id = r.question_id))"
    )
    assert broken == []

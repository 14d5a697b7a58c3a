"""What whoever runs Sayso watches: /metrics on the web process and the worker, and /healthz.

Against the real `sayso run`: a conversation over REST moves the message and turn figures,
a crisis message moves the alert figures, and a worker that stops answering makes /healthz
say so with a 503.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.conftest import RunningSayso
from tests.integration.test_rest_conversation import agree, button, texts

pytestmark = pytest.mark.integration

RECOVERY_SECONDS = 30

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    """Every sample /metrics shows, by name and labels."""
    response = httpx.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def both(sayso: RunningSayso) -> list[Samples]:
    return [scrape(sayso.web_url), scrape(sayso.worker_url)]


def grew(was: Samples, now: Samples, name: str, **labels: str) -> float:
    return value(now, name, **labels) - value(was, name, **labels)


def into_a_consultation(sayso: RunningSayso) -> str:
    """A new person who agreed and picked a topic: three messages. Returns who they are."""
    sender = f"metrics-{uuid.uuid4().hex[:8]}"
    topics = agree(sayso, sender)
    sayso.send(sender, button(topics, "Food at the hostel"))
    return sender


def test_a_conversation_moves_messages_and_turn_times_on_both_endpoints(
    sayso: RunningSayso,
) -> None:
    before = both(sayso)

    into_a_consultation(sayso)

    for was, now in zip(before, both(sayso), strict=True):
        assert grew(was, now, "sayso_messages_total", channel="rest") == 3
        assert grew(was, now, "sayso_turn_seconds_count", channel="rest") == 3
        assert grew(was, now, "sayso_turn_seconds_sum", channel="rest") > 0


def test_a_crisis_message_raises_the_alert_figures_the_same_on_both_endpoints(
    sayso: RunningSayso,
) -> None:
    before = both(sayso)
    sender = into_a_consultation(sayso)

    replies = sayso.send(sender, "i want to kill myself")

    assert "116 123" in " ".join(texts(replies))
    web, worker = both(sayso)
    for was, now in zip(before, (web, worker), strict=True):
        assert grew(was, now, "sayso_safeguarding_alerts_total", category="self_harm") == 1
        assert grew(was, now, "sayso_safeguarding_alerts_unhandled") == 1
    for name in ("sayso_outbox_backlog", "sayso_consultations_overdue"):
        assert (name, ()) in web and value(web, name) == value(worker, name)


def test_healthz_says_every_part_is_working(sayso: RunningSayso) -> None:
    response = httpx.get(f"{sayso.web_url}/healthz", timeout=15)

    assert response.status_code == 200, response.text
    lines = response.text.splitlines()
    assert lines[0] == "Sayso is working."
    for part in ("database", "Rasa", "action server", "background worker", "outbox"):
        assert any(line.startswith(f"{part}: working") for line in lines), response.text


def worker_pid(sayso: RunningSayso) -> int:
    """The background worker of this test run, found by its command and its port."""
    port = sayso.worker_url.rsplit(":", 1)[1]
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes()
            environment = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"bot.ops.worker" in command and f"SAYSO_WORKER_PORT={port}".encode() in environment:
            return int(proc.name)
    raise AssertionError("the background worker is not running")


@contextmanager
def frozen(pid: int) -> Iterator[None]:
    """A process that is still there but answers nothing, as a hung one does."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def test_healthz_answers_503_and_names_the_worker_while_it_does_not_answer(
    sayso: RunningSayso,
) -> None:
    with frozen(worker_pid(sayso)):
        response = httpx.get(f"{sayso.web_url}/healthz", timeout=15)

    assert response.status_code == 503
    assert response.text.splitlines()[0] == "Sayso is not working: background worker down."
    assert "background worker: down, does not answer" in response.text
    assert httpx.get(f"{sayso.web_url}/healthz/web", timeout=5).status_code == 200

    deadline = time.monotonic() + RECOVERY_SECONDS
    while httpx.get(f"{sayso.web_url}/healthz", timeout=15).status_code != 200:
        assert time.monotonic() < deadline, "the worker did not come back"
        time.sleep(1)


def test_metrics_and_healthz_are_not_served_through_a_proxy(sayso: RunningSayso) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    for path in ("/metrics", "/healthz"):
        assert httpx.get(f"{sayso.web_url}{path}", headers=forwarded).status_code == 404

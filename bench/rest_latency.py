"""Sayso against a stock `rasa init` assistant, side by side over the REST channel.

Each simulated person holds one whole conversation under a new sender id (Sayso: a
consultation of 12 messages; stock: its own 7-message script). Both run at once and are
measured in alternating rounds, so other work on the machine falls on both alike. Prints, for
each: median and p95 latency one message at a time, and throughput with 20 people talking at
once; the ratio between them; the time from `make run` to Sayso's first reply; and the
resident memory of each Rasa server. Run with `make bench` (about 6 minutes).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import servers
import stacks
from participants import percentile

RASA = str(Path(sys.executable).with_name("rasa"))
SEQUENTIAL_MESSAGES = 200
CONCURRENT_SENDERS = 20
CONCURRENT_SECONDS = 30
#: Each figure is gathered in this many turns per assistant, taken alternately.
ROUNDS = 4
STOCK_CONVERSATION = ("hi", "I am feeling great", "yes", "bye", "hello there", "not really", "no")


def rasa_memory_megabytes(port: int) -> float:
    """Resident memory of the Rasa server listening on this port."""
    return stacks.tree_memory_megabytes(stacks.pid_listening(port))


SAYSO_CONVERSATION = (
    "hi",
    "/affirm",
    '/choose{"option":"hostel-food"}',
    "3",
    "Dinner",
    "no",
    "yes",
    "more fresh veg and less frozen stuff, like the {person} cafe does",
    "no",
    "no",
    "delete my data",
    "/affirm",
)


def people(conversation: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(sender, message) for one simulated person after another, each one whole conversation.

    A person answering a consultation sends about a dozen messages; both assistants are measured
    with their own conversation script this way. Each person's free-text answer is their own,
    so no work done for one person's words can be reused for the next.
    """
    while True:
        person = uuid.uuid4().hex[:8]
        for message in conversation:
            yield f"person-{person}", message.replace("{person}", person)


@dataclass
class Figures:
    """What one assistant did, gathered over all rounds."""

    one_at_a_time: list[float] = field(default_factory=list)
    concurrent: list[float] = field(default_factory=list)
    concurrent_seconds: float = 0.0
    errors: int = 0


def sequential(url: str, conversation: tuple[str, ...], messages: int) -> list[float]:
    stream = people(conversation)
    timings = []
    with httpx.Client(timeout=30) as client:
        for _ in range(messages):
            sender, message = next(stream)
            started = time.perf_counter()
            response = client.post(url, json={"sender": sender, "message": message})
            timings.append(time.perf_counter() - started)
            response.raise_for_status()
    return timings


def concurrent(
    url: str, conversation: tuple[str, ...], seconds: float
) -> tuple[float, list[float], int]:
    """(elapsed seconds, latencies, errors) with many senders at once."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def sender_loop() -> None:
        nonlocal errors
        stream = people(conversation)
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop_at:
                sender, message = next(stream)
                started = time.perf_counter()
                try:
                    client.post(url, json={"sender": sender, "message": message}).raise_for_status()
                    with lock:
                        timings.append(time.perf_counter() - started)
                except httpx.HTTPError:
                    with lock:
                        errors += 1

    started = time.monotonic()
    threads = [threading.Thread(target=sender_loop) for _ in range(CONCURRENT_SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started, timings, errors


def measure_alternately(assistants: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, Figures]:
    """Measure every assistant in short turns, one after another, round after round.

    Other work on the machine comes and goes; taking turns spreads it over all assistants
    alike, where measuring one and then the other would let it fall on just one.
    """
    figures = {name: Figures() for name in assistants}
    for _ in range(ROUNDS):
        for name, (url, conversation) in assistants.items():
            figures[name].one_at_a_time += sequential(
                url, conversation, SEQUENTIAL_MESSAGES // ROUNDS
            )
        for name, (url, conversation) in assistants.items():
            seconds, timings, errors = concurrent(url, conversation, CONCURRENT_SECONDS / ROUNDS)
            figures[name].concurrent += timings
            figures[name].concurrent_seconds += seconds
            figures[name].errors += errors
    return figures


def summary(name: str, figures: Figures) -> dict[str, float]:
    result = {
        "median_ms": statistics.median(figures.one_at_a_time) * 1000,
        "p95_ms": percentile(figures.one_at_a_time, 0.95) * 1000,
        "rate": len(figures.concurrent) / figures.concurrent_seconds,
        "concurrent_median_ms": statistics.median(figures.concurrent) * 1000,
        "concurrent_p95_ms": percentile(figures.concurrent, 0.95) * 1000,
    }
    print(
        f"{name:>6}: one at a time median {result['median_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms | {CONCURRENT_SENDERS} senders: "
        f"{result['rate']:.1f} msg/s, median {result['concurrent_median_ms']:.0f} ms, "
        f"p95 {result['concurrent_p95_ms']:.0f} ms, errors {figures.errors}",
        flush=True,
    )
    return result


def main() -> None:
    environment = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    with tempfile.TemporaryDirectory() as folder:
        stock_dir = Path(folder) / "stock"
        stock_dir.mkdir()
        print("Training a stock `rasa init` assistant (about 2 minutes)...", flush=True)
        subprocess.run(
            [RASA, "init", "--no-prompt", "--init-dir", str(stock_dir)],
            env=environment, check=True, capture_output=True,
        )  # fmt: skip
        stock_port = servers.free_port()
        stock_url = f"http://127.0.0.1:{stock_port}/webhooks/rest/webhook"
        stock_command = [RASA, "run", "--port", str(stock_port)]
        with servers.running(stock_command, stock_dir, environment):
            servers.wait_for_reply(stock_url)
            with servers.sayso(Path(folder)) as under_test:
                print(f"Measuring both in {ROUNDS} alternating rounds...", flush=True)
                figures = measure_alternately(
                    {
                        "stock": (stock_url, STOCK_CONVERSATION),
                        "sayso": (under_test.rest_url, SAYSO_CONVERSATION),
                    }
                )
                stock_memory = rasa_memory_megabytes(stock_port)
                sayso_memory = rasa_memory_megabytes(under_test.rasa_port)
                startup = under_test.startup_seconds
    stock = summary("stock", figures["stock"])
    sayso = summary("sayso", figures["sayso"])

    print()
    latency_ratio = sayso["median_ms"] / stock["median_ms"]
    rate_ratio = sayso["rate"] / stock["rate"]
    print(f"Sayso / stock, median latency one at a time: {latency_ratio:.2f}x")
    print(f"Sayso / stock, throughput with {CONCURRENT_SENDERS} senders: {rate_ratio:.2f}x")
    print(f"Time from `make run` to Sayso's first reply (installed and trained): {startup:.0f} s")
    print(f"Rasa server memory: stock {stock_memory:.0f} MB, Sayso {sayso_memory:.0f} MB")


if __name__ == "__main__":
    main()

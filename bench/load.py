"""Load: the stock `rasa init` assistant, Sayso embedded and Sayso scaled, side by side.

For each set-up, 50 simulated people at once each hold whole conversations over REST for
60 seconds (Sayso: the hostel food consultation, about 10 turns of taps and typing; stock:
its own 10-message script). With Sayso, 5 more people answer the same consultation on
Telegram through the webhook, against the stand-in Bot API (tests/telegram_api.py).

Prints, for each: p50/p95/p99 latency, messages a second, errors, and answers lost or stored
twice (every answer Sayso acknowledged, looked up in its database); the time from start to
the first reply; the CPU time each process spent per message answered (on 2 cores, what
limits messages a second); resident memory per process; and how long each server's event
loop was busy, seen by a request sent to it every 100 ms during the load (its health check,
which waits while a turn, Sayso's database work included, holds the loop).

Run with `.venv/bin/python bench/load.py` (about 12 minutes), or name the set-ups to measure:
`bench/load.py embedded` (about 3 minutes). The machine is shared: other
work running at the same time moves these figures.
"""

from __future__ import annotations

import collections
import concurrent.futures
import itertools
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import participants
import stacks
from participants import Tally, percentile

from tests.telegram_api import FakeTelegram, Person

PEOPLE = 50
SET_UPS = ("stock", "embedded", "scaled")
TELEGRAM_PEOPLE = 5
SECONDS = 60
SECRET = "bench-load-secret"
_chat_ids = itertools.count(810_000_000)


@contextmanager
def probing(probes: dict[str, str]) -> Iterator[dict[str, list[float]]]:
    """Time a request to each server every 100 ms until the block ends."""
    timings: dict[str, list[float]] = collections.defaultdict(list)
    stop = threading.Event()

    def probe() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                for name, url in probes.items():
                    started = time.perf_counter()
                    try:
                        client.get(url)
                    except httpx.HTTPError:
                        continue
                    timings[name].append(time.perf_counter() - started)
                stop.wait(0.1)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    try:
        yield timings
    finally:
        stop.set()
        thread.join()


def telegram_load(target: stacks.Target, telegram: FakeTelegram, seconds: float) -> Tally:
    """A few people on Telegram, each starting a new chat when one ends."""
    tally = Tally()
    stop_at = time.monotonic() + seconds

    def person() -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop_at:
                chat = Person(next(_chat_ids))
                participants.telegram_conversation(
                    client, target.telegram_webhook or "", SECRET, telegram, chat, tally
                )

    with concurrent.futures.ThreadPoolExecutor(TELEGRAM_PEOPLE) as pool:
        for future in [pool.submit(person) for _ in range(TELEGRAM_PEOPLE)]:
            future.result()
    return tally


def lost_and_doubled(target: stacks.Target, tally: Tally, channel: str) -> tuple[int, int, int]:
    """(answers acknowledged, acknowledged but not stored, stored more than once)."""
    stored = target.stored_answers(list(tally.acknowledged), channel)
    acknowledged = lost = doubled = 0
    for sender, keys in tally.acknowledged.items():
        found = collections.Counter(stored.get(sender, []))
        acknowledged += len(keys)
        lost += sum(1 for key in keys if not found[key])
        doubled += sum(count - 1 for count in found.values() if count > 1)
    return acknowledged, lost, doubled


def describe(name: str, tally: Tally, seconds: float) -> str:
    count = len(tally.latencies)
    return (
        f"{name}: {count / seconds:.1f} msg/s, p50 {percentile(tally.latencies, 0.5) * 1000:.0f}"
        f" ms, p95 {percentile(tally.latencies, 0.95) * 1000:.0f} ms, p99 "
        f"{percentile(tally.latencies, 0.99) * 1000:.0f} ms, errors {tally.errors} of "
        f"{count + tally.errors} (said sorry: {tally.sorries}), "
        f"conversations finished {tally.conversations_done}"
    )


def cpu_used(processes: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each process (with its group), and by this script."""
    used = {name: sum(stacks.tree_cpu_seconds(pid).values()) for name, pid in processes.items()}
    used["simulated people (this script)"] = stacks.cpu_seconds(os.getpid())
    return used


def describe_cpu(
    before: dict[str, float], after: dict[str, float], messages: int, wall: float
) -> str:
    """Milliseconds of CPU each process spent per message answered, busiest first."""
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    shares = ", ".join(
        f"{name} {seconds / messages * 1000:.1f}"
        for name, seconds in sorted(spent.items(), key=lambda item: -item[1])
        if seconds >= 0.05
    )
    total = sum(spent.values())
    return (
        f"CPU per message (ms): {shares}; all {total / messages * 1000:.1f}, "
        f"{total / wall:.2f} of the machine's cores busy"
    )


def measure(target: stacks.Target, telegram: FakeTelegram | None) -> dict[str, float]:
    conversation = (
        participants.rest_conversation if target.database_url else participants.stock_conversation
    )
    processes = (
        {service.name: service.process.pid for service in target.stack.services if service.process}
        if target.stack
        else target.processes
    )
    print(f"\n== {target.name}: {PEOPLE} people at once for {SECONDS} s", flush=True)
    cpu_before, started = cpu_used(processes), time.monotonic()
    with probing(target.probes) as loop_busy:
        telegram_tally: list[Tally] = []
        side = None
        if telegram and target.telegram_webhook:
            side = threading.Thread(
                target=lambda: telegram_tally.append(telegram_load(target, telegram, SECONDS))
            )
            side.start()
        tally, seconds = participants.run_people(conversation, target.rest_urls, PEOPLE, SECONDS)
        if side:
            side.join()
    cpu_after, wall = cpu_used(processes), time.monotonic() - started
    print("  " + describe("REST", tally, seconds))
    if target.database_url:
        acknowledged, lost, doubled = lost_and_doubled(target, tally, "rest")
        print(f"  REST answers acknowledged {acknowledged}, lost {lost}, stored twice {doubled}")
    if telegram_tally:
        print("  " + describe("Telegram (post to delivered reply)", telegram_tally[0], seconds))
        acknowledged, lost, doubled = lost_and_doubled(target, telegram_tally[0], "telegram")
        print(
            f"  Telegram answers acknowledged {acknowledged}, lost {lost}, stored twice {doubled}"
        )
    print(f"  start-up to first reply: {target.startup_seconds:.0f} s")
    for name, timings in loop_busy.items():
        print(
            f"  {name} loop, health check during load: p50 {percentile(timings, 0.5) * 1000:.0f}"
            f" ms, p99 {percentile(timings, 0.99) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
        )
    answered = len(tally.latencies) + sum(len(t.latencies) for t in telegram_tally)
    print("  " + describe_cpu(cpu_before, cpu_after, answered, wall))
    memory = ", ".join(
        f"{name} {stacks.tree_memory_megabytes(pid):.0f}" for name, pid in processes.items()
    )
    print(f"  memory (MB, resident): {memory}", flush=True)
    return {
        "rate": len(tally.latencies) / seconds,
        "p95": percentile(tally.latencies, 0.95),
        "errors": tally.errors,
    }


def main(chosen: list[str]) -> None:
    """Measure the set-ups named (stock, embedded, scaled), or all three."""
    chosen = chosen or list(SET_UPS)
    print("A shared, noisy 2-core machine: read the figures as rough.", flush=True)
    results = {}
    if "stock" in chosen:
        with stacks.stock_assistant() as stock:
            results["stock"] = measure(stock, None)
    with tempfile.TemporaryDirectory() as folder, FakeTelegram.running() as telegram:
        if "embedded" in chosen:
            with stacks.embedded(Path(folder), telegram.environment(SECRET)) as target:
                results["embedded"] = measure(target, telegram)
        if "scaled" in chosen:
            with stacks.scaled(telegram.environment(SECRET)) as target:
                results["scaled"] = measure(target, telegram)
    print(f"\nSide by side, {PEOPLE} people at once:")
    for name, result in results.items():
        stock = results.get("stock")
        against_stock = f", {result['rate'] / stock['rate']:.2f}x stock" if stock else ""
        print(
            f"  {name:>8}: {result['rate']:.1f} msg/s, p95 {result['p95'] * 1000:.0f} ms, "
            f"errors {result['errors']:.0f}{against_stock}"
        )


if __name__ == "__main__":
    unknown = set(sys.argv[1:]) - set(SET_UPS)
    if unknown:
        sys.exit(f"Choose from {', '.join(SET_UPS)}; not {', '.join(sorted(unknown))}.")
    main(sys.argv[1:])

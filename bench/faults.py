"""Faults under load, against Sayso scaled: what each one costs, and that nothing is lost.

Starts the scaled topology (PostgreSQL, Redis, nginx, two Rasa and two action servers),
puts 30 simulated people on REST and 5 on Telegram, then, one after another with time to
settle in between:

1. kill -9 one Rasa server (the supervisor starts it again; nginx uses the other meanwhile);
2. kill -9 one action server;
3. restart PostgreSQL (a clean, fast shutdown, then start);
4. restart Redis (Rasa's locks are lost with it).

Prints, per fault: failed requests, and the recovery time (from the fault to the last failed
request it caused; and until the process answered again). Then, for the whole run: answers
acknowledged and not stored, answers stored twice, and whether every Telegram message owed
(the outbox) reached the Bot API exactly once.

Run with `.venv/bin/python bench/faults.py` (about 7 minutes). The machine is shared and
noisy; read the figures as rough.
"""

from __future__ import annotations

import collections
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import participants
import stacks
from load import SECRET, lost_and_doubled, telegram_load
from participants import Tally
from sqlalchemy import create_engine, text

from bot.ops.processes import Service
from tests.telegram_api import FakeTelegram

PEOPLE = 30
SETTLE_SECONDS = 20
#: After each fault, how long to keep the load on before the next one.
AFTER_FAULT_SECONDS = 60


@dataclass
class Fault:
    name: str
    service: Callable[[stacks.Target], Service]
    inject: Callable[[stacks.Target, Service], None]
    at: float = 0.0
    back_after: float = float("nan")


def kill_hard(_target: stacks.Target, service: Service) -> None:
    if service.process is not None:
        os.kill(service.process.pid, signal.SIGKILL)


def restart(target: stacks.Target, service: Service) -> None:
    assert target.stack is not None
    target.stack.restart(service)


def named(name: str) -> Callable[[stacks.Target], Service]:
    def find(target: stacks.Target) -> Service:
        assert target.stack is not None
        return next(service for service in target.stack.services if service.name == name)

    return find


FAULTS = [
    Fault("kill -9 Rasa server 1", named("Rasa server 1"), kill_hard),
    Fault("kill -9 action server 1", named("action server 1"), kill_hard),
    Fault("restart PostgreSQL", named("PostgreSQL"), restart),
    Fault("restart Redis", named("Redis"), restart),
]


def wait_until_ready(service: Service, since: float, timeout: float = 300) -> float:
    """Seconds from `since` until the service answers again."""
    deadline = time.monotonic() + timeout
    time.sleep(1)
    while time.monotonic() < deadline:
        if not service.has_exited() and service.is_ready():
            return time.monotonic() - since
        time.sleep(0.25)
    return float("nan")


def inject_all(target: stacks.Target) -> None:
    time.sleep(SETTLE_SECONDS)
    for fault in FAULTS:
        service = fault.service(target)
        fault.at = time.monotonic()
        print(f"  {fault.name}", flush=True)
        fault.inject(target, service)
        fault.back_after = wait_until_ready(service, fault.at)
        time.sleep(max(0.0, fault.at + AFTER_FAULT_SECONDS - time.monotonic()))


def report_fault(fault: Fault, end: float, tallies: list[Tally]) -> None:
    failures = [
        moment
        for tally in tallies
        for moment, ok in tally.outcomes
        if fault.at <= moment < end and not ok
    ]
    recovery = (max(failures) - fault.at) if failures else 0.0
    print(
        f"  {fault.name}: {len(failures)} failed requests; last failure {recovery:.1f} s after; "
        f"the process answered again after {fault.back_after:.1f} s"
    )
    kinds = collections.Counter(
        (kind, "first 10 s" if moment - fault.at < 10 else "later")
        for tally in tallies
        for moment, kind in tally.failures
        if fault.at <= moment < end
    )
    if kinds:
        listed = ", ".join(
            f"{kind} ({when}): {count}" for (kind, when), count in sorted(kinds.items())
        )
        print(f"    REST failures by kind: {listed}")


def outbox_exactly_once(target: stacks.Target, telegram: FakeTelegram) -> str:
    """Compare what the outbox says it sent with what the Bot API received."""
    engine = create_engine(target.database_url or "")
    with engine.connect() as connection:
        rows = dict(
            connection.execute(
                text(
                    "SELECT status, count(*) FROM outbox WHERE method = 'sendMessage' "
                    "GROUP BY status"
                )
            ).all()
        )
    engine.dispose()
    received = len(telegram.recorded("sendMessage"))
    return (
        f"outbox messages sent {rows.get('sent', 0)}, still owed "
        f"{sum(count for status, count in rows.items() if status != 'sent')}; "
        f"received by the Bot API {received}"
    )


def main() -> None:
    print("A shared, noisy 2-core machine: read the figures as rough.", flush=True)
    with FakeTelegram.running() as telegram, stacks.scaled(telegram.environment(SECRET)) as target:
        print(f"Sayso scaled answered after {target.startup_seconds:.0f} s.", flush=True)
        total = SETTLE_SECONDS + AFTER_FAULT_SECONDS * len(FAULTS)
        faults = threading.Thread(target=inject_all, args=(target,))
        telegram_tallies: list[Tally] = []
        side = threading.Thread(
            target=lambda: telegram_tallies.append(telegram_load(target, telegram, total))
        )
        print(f"Load: {PEOPLE} people on REST and some on Telegram, for {total} s", flush=True)
        faults.start()
        side.start()
        tally, seconds = participants.run_people(
            participants.rest_conversation, target.rest_urls, PEOPLE, total
        )
        faults.join()
        side.join()
        time.sleep(10)  # let the outbox finish sending

        print("\nPer fault:")
        ends = [fault.at for fault in FAULTS[1:]] + [time.monotonic()]
        for fault, end in zip(FAULTS, ends, strict=True):
            report_fault(fault, end, [tally, *telegram_tallies])
        print("\nWhole run:")
        print("  REST " + participants_line(tally, seconds))
        acknowledged, lost, doubled = lost_and_doubled(target, tally, "rest")
        print(f"  REST answers acknowledged {acknowledged}, lost {lost}, stored twice {doubled}")
        if telegram_tallies:
            print("  Telegram " + participants_line(telegram_tallies[0], seconds))
            acknowledged, lost, doubled = lost_and_doubled(target, telegram_tallies[0], "telegram")
            print(
                f"  Telegram answers acknowledged {acknowledged}, lost {lost}, "
                f"stored twice {doubled}"
            )
        print(f"  Telegram: {outbox_exactly_once(target, telegram)}")


def participants_line(tally: Tally, seconds: float) -> str:
    return (
        f"messages {len(tally.latencies)} ({len(tally.latencies) / seconds:.1f}/s), "
        f"errors {tally.errors} (of which Sayso said sorry, try again: {tally.sorries}), "
        f"conversations finished {tally.conversations_done}, "
        f"p95 {participants.percentile(tally.latencies, 0.95) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()

"""Report back at scale: one outcome owed to 10,000 people, sent by the real Telegram worker.

Builds a fresh database where 10,000 Telegram participants answered in one theme and agreed
to updates, publishes an outcome about that theme (all 10,000 messages are written in one
transaction), then starts the Telegram worker as `sayso run` does, against the stand-in Bot
API from the tests, and waits until every message is sent. Prints:

* how long publishing took;
* the sustained send rate, from the first message to the last (target: at least 25 a second,
  under Telegram's bulk limit of about 30 a second), and the busiest second;
* lost (owed but never arrived) and duplicated (arrived more than once) counts: both 0;
* the worker's peak memory (resident set, VmHWM).

Run with `.venv/bin/python bench/report_back.py` (about 7 minutes). PEOPLE=2000 for a
shorter run.
"""

from __future__ import annotations

import collections
import os
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The stand-in Bot API and the data builders live with the tests.
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.feedback.publishing import publish  # noqa: E402
from bot.privacy.cipher import Cipher  # noqa: E402
from bot.store import outcomes  # noqa: E402
from bot.store.database import session_scope  # noqa: E402
from tests.support.report_back import (  # noqa: E402
    WHAT_WAS_DONE,
    Someone,
    add_people,
    draft_outcome,
    new_database,
    start_telegram_worker,
)
from tests.telegram_api import FakeTelegram  # noqa: E402

PEOPLE = int(os.environ.get("PEOPLE", "10000"))
FIRST_CHAT = 830_000_000
TIMEOUT_SECONDS = 1800


def sent_count(database: Path) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        [(count,)] = connection.execute(
            "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'outcome:%' "
            "AND status NOT IN ('queued', 'sending')"
        ).fetchall()
    return count


def peak_memory_mb(pid: int) -> float:
    """The most memory the process has held at once (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    people = [Someone(f"bench-{n}", chat_id=FIRST_CHAT + n) for n in range(PEOPLE)]
    with tempfile.TemporaryDirectory() as folder, FakeTelegram.running() as telegram:
        database = Path(folder) / "sayso.db"
        url, engine = new_database(database)
        with session_scope(engine) as session:
            theme_id = add_people(session, people, Cipher(load_settings().address_key))
            outcome_id = draft_outcome(session, [theme_id])
        started = time.monotonic()
        with session_scope(engine) as session:
            owed = publish(session, outcomes.get_outcome(session, outcome_id), "bench@example.org")
        publishing = time.monotonic() - started
        engine.dispose()
        print(
            f"Published one outcome owed to {owed:,} people: {publishing:.1f} s, one transaction."
        )

        worker, _ = start_telegram_worker(url, telegram, Path(folder) / "telegram.log")
        peak = 0.0
        try:
            deadline = time.monotonic() + TIMEOUT_SECONDS
            while sent_count(database) < PEOPLE and time.monotonic() < deadline:
                peak = max(peak, peak_memory_mb(worker.pid))
                time.sleep(1)
            time.sleep(2)
            peak = max(peak, peak_memory_mb(worker.pid))
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(timeout=30)

    calls = [call for call in telegram.recorded("sendMessage") if WHAT_WAS_DONE in call.text]
    arrivals = collections.Counter(call.chat_id for call in calls)
    wanted = {someone.chat_id for someone in people}
    lost = len(wanted - arrivals.keys())
    duplicated = sum(count - 1 for count in arrivals.values() if count > 1)
    times = sorted(call.at for call in calls)
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    busiest = max(collections.Counter(int(at - times[0]) for at in times).values())
    print(f"Sent {len(calls):,} messages in {span:.1f} s.")
    print(f"Sustained send rate: {(len(times) - 1) / span:.1f} a second (target at least 25).")
    print(f"Busiest second: {busiest} messages (Telegram allows about 30).")
    print(f"Lost: {lost}. Duplicated: {duplicated}. (Target 0 and 0.)")
    print(f"Peak memory of the Telegram worker (RSS): {peak:.0f} MB.")


if __name__ == "__main__":
    main()

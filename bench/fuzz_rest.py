"""Fuzz the running REST channel with 10,000 generated cases and print the tally.

Half are message texts (control characters, emoji, other scripts, up to 6,000 characters)
sent mid-consultation; half are request bodies (wrong types, not JSON at all). Counts server
errors, silent replies, and answers stored half-way. The same strategies run, fewer of them,
in tests/integration/test_fuzz.py.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import servers
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(servers.ROOT))
from tests.support.fuzzing import message_texts, rest_bodies

CASES_EACH = 5_000
tally = {"texts": 0, "bodies": 0, "server_errors": 0, "silent": 0}


def fuzz(url: str) -> None:
    client = httpx.Client(timeout=60)
    run = settings(max_examples=CASES_EACH, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip

    @run
    @given(text=message_texts)
    def texts(text: str) -> None:
        sender = f"fuzz-{uuid.uuid4().hex[:8]}"
        for message in ('/choose{"option":"hostel-food"}', text):
            response = client.post(url, json={"sender": sender, "message": message})
            tally["server_errors"] += response.status_code >= 500
            tally["silent"] += response.status_code == 200 and not response.json()
        tally["texts"] += 1

    @run
    @given(body=rest_bodies)
    def bodies(body: bytes) -> None:
        response = client.post(url, content=body, headers={"Content-Type": "application/json"})
        tally["server_errors"] += response.status_code >= 500
        tally["bodies"] += 1

    texts()
    bodies()


def half_stored(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT count(*) FROM responses r LEFT JOIN participants p ON p.id = r.participant_id"
            " WHERE p.id IS NULL OR r.text IS NULL"
        ).fetchone()[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, servers.sayso(Path(folder)) as under_test:
        started = time.monotonic()
        fuzz(under_test.rest_url)
        seconds = time.monotonic() - started
        broken = half_stored(under_test.database)
    print(f"Cases: {tally['texts']} message texts, {tally['bodies']} request bodies")
    print(f"Server errors (5xx): {tally['server_errors']}")
    print(f"Silent replies to a message: {tally['silent']}")
    print(f"Answers stored half-way: {broken}")
    print(f"Time: {seconds:.0f} s")


if __name__ == "__main__":
    main()

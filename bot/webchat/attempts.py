"""A limit on wrong codes per client, so drop-in and carry-on codes cannot be guessed.

Codes are 8 characters from 31 (about 40 bits); with at most 10 wrong tries per 10 minutes
from one address, guessing one would take far longer than any code lives. One web process
serves the chat, so counting in memory is enough.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque


class AttemptLimiter:
    def __init__(self, limit: int = 10, window_seconds: float = 600) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] < now - self.window_seconds:
            failures.popleft()
        return failures

    def blocked(self, client: str, now: float | None = None) -> bool:
        return len(self._recent(client, now or time.monotonic())) >= self.limit

    def failed(self, client: str, now: float | None = None) -> None:
        moment = now or time.monotonic()
        self._recent(client, moment).append(moment)

"""Telegram's sending limits as token buckets: about 30 messages a second, 1 a second a chat.

Telegram allows short bursts above these rates and answers 429 with `retry_after` when a bot
goes too fast. A 429 pauses all sending for that long, as python-telegram-bot's own limiter
does, because Telegram does not say which limit was hit. Buckets book slots ahead, so a busy
event loop can wake several late sends at once; a one-second window over the sends actually
started stops those from bunching above the overall rate.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]
#: Forget the buckets of quiet chats once this many are held.
MAX_CHAT_BUCKETS = 10_000
#: The window is a little over a second: a send let through exactly one second after another
#: leaves a moment later, and Telegram counts when sends arrive, not when they were allowed.
WINDOW_SECONDS = 1.02


@dataclass(frozen=True)
class Limits:
    """The limits Sayso keeps to.

    Overall, an even 30 a second with no burst: network jitter already bunches a few.
    Each chat may get 3 messages at once, then 1 a second.
    """

    per_second: float = 30.0
    burst: int = 1
    per_chat_per_second: float = 1.0
    chat_burst: int = 3


TELEGRAM_LIMITS = Limits()


class TokenBucket:
    """`rate` a second on average and up to `burst` at once. Each take books the next slot."""

    def __init__(self, rate: float, burst: int, clock: Clock = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def take(self) -> float:
        """Book one send; returns how many seconds to wait before making it."""
        self._refill()
        self._tokens -= 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def is_full(self) -> bool:
        self._refill()
        return self._tokens >= self.burst


class SendingLimits:
    """Waits until a send to a chat is within every limit."""

    def __init__(self, limits: Limits = TELEGRAM_LIMITS, clock: Clock = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._all = TokenBucket(limits.per_second, limits.burst, clock)
        self._chats: dict[str, TokenBucket] = {}
        self._paused_until = 0.0
        self._started: deque[float] = deque()
        self._per_window = max(1, math.floor(limits.per_second))

    def pause(self, seconds: float) -> None:
        """Telegram said to wait: no send starts before then."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def _wait_out_pause(self) -> None:
        while (left := self._paused_until - self._clock()) > 0:
            await asyncio.sleep(left)

    async def _wait_for_window(self) -> None:
        """Start no more than the overall rate's sends in any one second."""
        while True:
            now = self._clock()
            while self._started and now - self._started[0] >= WINDOW_SECONDS:
                self._started.popleft()
            if len(self._started) < self._per_window:
                self._started.append(now)
                return
            await asyncio.sleep(WINDOW_SECONDS - (now - self._started[0]))

    def _chat(self, chat: str) -> TokenBucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) >= MAX_CHAT_BUCKETS:
                self._chats = {key: item for key, item in self._chats.items() if not item.is_full()}
            bucket = TokenBucket(
                self.limits.per_chat_per_second, self.limits.chat_burst, self._clock
            )
            self._chats[chat] = bucket
        return bucket

    async def wait_turn(self, chat: str, method: str) -> None:
        """Messages count against their chat's limit. Answering a tapped button is not a
        message, so only a pause holds it up; everything else counts against the overall one.
        """
        await self._wait_out_pause()
        if method == "answerCallbackQuery":
            return
        if method == "sendMessage":
            await asyncio.sleep(self._chat(chat).take())
        await asyncio.sleep(self._all.take())
        await self._wait_out_pause()
        await self._wait_for_window()

"""Sending stays under Telegram's overall limit even when the sender was held up."""

from __future__ import annotations

import asyncio
import time

from bot.channels.telegram.rate_limits import Limits, SendingLimits


def busiest_second(moments: list[float]) -> int:
    return max(sum(1 for moment in moments if start <= moment < start + 1) for start in moments)


def test_sends_held_up_by_a_busy_moment_do_not_all_go_at_once() -> None:
    limits = SendingLimits(Limits(per_second=20, burst=1, per_chat_per_second=100, chat_burst=100))
    started: list[float] = []

    async def send(chat: int) -> None:
        await limits.wait_turn(str(chat), "sendMessage")
        started.append(time.monotonic())

    async def hold_everything_up() -> None:
        await asyncio.sleep(0.3)
        time.sleep(0.7)

    async def main() -> None:
        await asyncio.gather(hold_everything_up(), *(send(chat) for chat in range(40)))

    asyncio.run(main())

    assert len(started) == 40
    assert busiest_second(started) <= 20

"""Handle each chat's updates one at a time, in the order they came; different chats at once.

Telegram may deliver several updates for one chat together. Answering them out of order would
file an answer under the wrong question, so each chat has its own queue.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

Item = TypeVar("Item")


class ChatQueues(Generic[Item]):
    def __init__(self, work: Callable[[Item], Awaitable[None]], max_chats_at_once: int) -> None:
        self._work = work
        self._queues: dict[str, deque[Item]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(max_chats_at_once)

    def put(self, chat: str, item: Item) -> None:
        queue = self._queues.get(chat)
        if queue is not None:
            queue.append(item)
            return
        self._queues[chat] = deque([item])
        task = asyncio.create_task(self._drain(chat))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, chat: str) -> None:
        queue = self._queues[chat]
        try:
            while queue:
                async with self._slots:
                    try:
                        await self._work(queue[0])
                    except Exception:
                        logger.exception("A Telegram update could not be handled.")
                queue.popleft()
        finally:
            del self._queues[chat]

    async def join(self) -> None:
        """Wait until every queued item has been handled."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

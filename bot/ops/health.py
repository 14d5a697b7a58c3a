"""Whether each part of Sayso is working, for /healthz on the web process.

A person's message needs Rasa, the action server and the database; erasures, alerts and
retention need the worker; "you said, we did" needs the outbox to keep moving. Each part is
checked the way it is used, and one part down makes the whole answer 503, so a monitor
or a load balancer can act on the status alone while a person reads the lines.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import text

from bot.config import Settings
from bot.store.database import get_engine, session_scope
from bot.store.figures import outbox_figures
from bot.store.schema import utcnow

#: A message owed for longer than this means the sender is stuck or not running. Telegram's
#: limits and retries hold messages back for minutes at most.
OUTBOX_LATE = timedelta(hours=1)
CHECK_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class PartHealth:
    name: str
    working: bool
    detail: str

    def line(self) -> str:
        return f"{self.name}: {'working' if self.working else 'down'}, {self.detail}"


def _outbox_health() -> PartHealth:
    with session_scope(get_engine()) as session:
        session.execute(text("SELECT 1"))
        figures = outbox_figures(session, utcnow())
    if not figures.backlog:
        return PartHealth("outbox", True, "no messages waiting")
    waited = figures.oldest_owed_seconds
    detail = f"{figures.backlog} messages owed, the oldest waiting {_duration(waited)}"
    return PartHealth("outbox", waited <= OUTBOX_LATE.total_seconds(), detail)


async def database_and_outbox() -> list[PartHealth]:
    """The database answers, and the oldest message owed is not too old."""
    try:
        outbox = await asyncio.to_thread(_outbox_health)
    except Exception as error:  # any failure to read means it is down
        reason = f"cannot be read ({type(error).__name__})"
        return [PartHealth("database", False, reason), PartHealth("outbox", False, reason)]
    return [PartHealth("database", True, "answers"), outbox]


async def answers(client: httpx.AsyncClient, name: str, url: str) -> PartHealth:
    """A part that answers its own health address with 200 is working."""
    try:
        response = await client.get(url)
    except httpx.HTTPError as error:
        return PartHealth(name, False, f"does not answer at {url} ({type(error).__name__})")
    if response.status_code != 200:
        return PartHealth(name, False, f"answers {response.status_code} at {url}")
    return PartHealth(name, True, f"answers at {url}")


async def check_all(settings: Settings) -> list[PartHealth]:
    async with httpx.AsyncClient(timeout=CHECK_TIMEOUT_SECONDS) as client:
        *servers, stored = await asyncio.gather(
            answers(client, "Rasa", f"{settings.rasa_url}/"),
            answers(client, "action server", f"{settings.action_url}/health"),
            answers(client, "background worker", f"{settings.worker_url}/healthz"),
            database_and_outbox(),
        )
    return [stored[0], *servers, stored[1]]


def report(parts: list[PartHealth]) -> str:
    down = [part.name for part in parts if not part.working]
    heading = f"Sayso is not working: {', '.join(down)} down." if down else "Sayso is working."
    return "\n".join([heading, *(part.line() for part in parts)]) + "\n"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} seconds"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds / 3600:.0f} hours"

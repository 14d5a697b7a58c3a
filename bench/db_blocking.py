"""How long Sayso's database work takes in a turn, SQLite and PostgreSQL.

The action (`actions/take_turn.py`) used to call `bot.conversation.runner.run_turn` inside its
`async def run`, so the whole turn, database work included, held the action server's event
loop: no other person's message moved while it ran. Turns now run in a worker thread, so these
times are how long one person waits for their own turn, no longer how long everyone else waits
(bench/load.py shows the action server's loop answering its health check during load). This
drives the same turns (`take_turn` in one committed session, as `run_turn` does) for 30 people
answering the hostel food consultation, and times, for each turn, the database statements and
commit, and the whole turn.

Prints p50/p95/max per turn on SQLite (embedded) and on a local PostgreSQL started as the
scaled mode starts it. Run with `.venv/bin/python bench/db_blocking.py` (about 1 minute).
The machine is shared and noisy; read the figures as rough.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import servers
from participants import percentile
from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.consultations.sync import sync_consultations  # noqa: E402
from bot.ops.processes import rasa_environment  # noqa: E402
from bot.ops.scaled import SAYSO_DATABASE, ScaledSayso  # noqa: E402
from bot.store.database import make_engine, session_scope  # noqa: E402
from tests.unit.chat import Chat  # noqa: E402

PEOPLE = 30


class StatementClock:
    """Adds up the time spent in the database driver: statements and commits."""

    def __init__(self, engine: Engine) -> None:
        self.seconds = 0.0
        self._started: dict[int, float] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "commit", self._commit_started)
        self._commit_at: float | None = None

    def _before(self, connection, *_arguments) -> None:  # type: ignore[no-untyped-def]
        self._started[id(connection)] = time.perf_counter()

    def _after(self, connection, *_arguments) -> None:  # type: ignore[no-untyped-def]
        self.seconds += time.perf_counter() - self._started.pop(id(connection))

    def _commit_started(self, _connection) -> None:  # type: ignore[no-untyped-def]
        self._commit_at = time.perf_counter()

    def take(self) -> float:
        """Seconds since the last take, counting a commit that began as lasting until now."""
        if self._commit_at is not None:
            self.seconds += time.perf_counter() - self._commit_at
            self._commit_at = None
        seconds, self.seconds = self.seconds, 0.0
        return seconds


class TimedChat(Chat):
    """The test driver, timing each turn as a whole and its database part."""

    clock: StatementClock
    database: list[float]
    whole: list[float]

    def _turn(self, turn):  # type: ignore[no-untyped-def]
        self.clock.take()
        started = time.perf_counter()
        replies = super()._turn(turn)
        self.whole.append(time.perf_counter() - started)
        self.database.append(self.clock.take())
        return replies


def one_person(engine: Engine, clock: StatementClock, number: int, timings: tuple) -> None:
    chat = TimedChat(engine, participant_id=f"bench-{number}", sender_id=f"bench-{number}")
    chat.clock, chat.database, chat.whole = clock, timings[0], timings[1]
    chat.start("Food at the hostel")
    chat.tap("Bad")
    chat.say("dinner")
    chat.tap("No, I do not")
    chat.say("yes", "affirm")
    chat.say("more fresh veg and less frozen stuff")
    chat.tap("No")
    chat.tap("No")


def line(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(values, 0.95) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
    )


def measure(name: str, database_url: str) -> None:
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        sync_consultations(session, load_settings().consultations_dir)
    clock = StatementClock(engine)
    one_person(engine, clock, -1, ([], []))  # loads spaCy and warms the pool
    database: list[float] = []
    whole: list[float] = []
    for number in range(PEOPLE):
        one_person(engine, clock, number, (database, whole))
    engine.dispose()

    print(f"{name}, {len(whole)} turns:")
    print(f"  database statements and commit per turn: {line(database)}")
    print(f"  whole turn:                               {line(whole)}")


def main() -> None:
    print("A shared, noisy 2-core machine: read the figures as rough.", flush=True)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        folder.chmod(0o755)
        measure("SQLite (embedded)", f"sqlite:///{folder / 'sayso.db'}")
        settings = replace(
            load_settings(),
            scaled_data_dir=folder / "scaled",
            scaled_postgres_port=servers.free_port(),
            scaled_redis_port=servers.free_port(),
            log_dir=folder / "logs",
        )
        stack = ScaledSayso(settings)
        try:
            stack.start_data_servers(rasa_environment(settings))
            measure("PostgreSQL (scaled)", stack.layout.database_url(SAYSO_DATABASE))
        finally:
            stack.stop()


if __name__ == "__main__":
    main()

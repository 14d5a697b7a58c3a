"""Several Rasa servers take turns on one person's messages through a real Redis."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from bot import PROJECT_ROOT
from bot.ops.redis_locks import AtomicRedisLockStore
from bot.ops.scaled import REDIS_LOCK_STORE

PERSON = "person-1"


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    """A Redis server of our own on loopback, nothing saved to disk."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            redis.Redis(port=port).ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture()
def servers(redis_port: int) -> list[AtomicRedisLockStore]:
    """The lock stores of two Rasa servers sharing one Redis, which starts empty."""
    redis.Redis(port=redis_port, db=1).flushdb()
    endpoint = EndpointConfig(url="127.0.0.1", port=redis_port, type="redis")
    return [AtomicRedisLockStore(endpoint), AtomicRedisLockStore(endpoint)]


def test_tickets_are_stored_as_rasas_own_lock_store_reads_them(
    servers: list[AtomicRedisLockStore], redis_port: int
) -> None:
    first, second = servers
    assert first.issue_ticket(PERSON) == 0
    assert second.issue_ticket(PERSON) == 1

    rasas_own = RedisLockStore(port=redis_port)
    lock = rasas_own.get_lock(PERSON)
    assert lock is not None
    assert [ticket.number for ticket in lock.tickets] == [0, 1]
    assert not lock.is_locked(0)
    assert lock.is_locked(1)


def test_giving_back_the_last_ticket_removes_the_lock(
    servers: list[AtomicRedisLockStore],
) -> None:
    first, second = servers
    first.issue_ticket(PERSON)
    second.issue_ticket(PERSON)

    first.cleanup(PERSON, 0)
    lock = second.get_lock(PERSON)
    assert lock is not None and not lock.is_locked(1)

    second.cleanup(PERSON, 1)
    assert second.get_lock(PERSON) is None


def test_a_ticket_left_by_a_crashed_server_expires(servers: list[AtomicRedisLockStore]) -> None:
    crashed, survivor = servers
    crashed.issue_ticket(PERSON, lock_lifetime=0.2)
    waiting = survivor.issue_ticket(PERSON)
    lock = survivor.get_lock(PERSON)
    assert lock is not None and lock.is_locked(waiting)

    time.sleep(0.3)
    survivor.update_lock(PERSON)

    lock = survivor.get_lock(PERSON)
    assert lock is not None and not lock.is_locked(waiting)


def test_servers_taking_tickets_at_the_same_moment_never_get_the_same_one(
    servers: list[AtomicRedisLockStore],
) -> None:
    def take(server: AtomicRedisLockStore) -> int:
        return server.issue_ticket(PERSON)

    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(take, servers * 100))

    assert sorted(numbers) == list(range(200))


def test_one_persons_messages_on_two_servers_are_handled_one_after_the_other(
    servers: list[AtomicRedisLockStore],
) -> None:
    handled: list[tuple[str, str]] = []

    async def handle(server: AtomicRedisLockStore, message: str) -> None:
        async with server.lock(PERSON):
            handled.append(("start", message))
            await asyncio.sleep(0.2)
            handled.append(("end", message))

    async def two_messages() -> None:
        first = asyncio.create_task(handle(servers[0], "first"))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, handle(servers[1], "second"))

    asyncio.run(two_messages())

    assert handled == [
        ("start", "first"), ("end", "first"), ("start", "second"), ("end", "second")
    ]  # fmt: skip
    assert servers[0].get_lock(PERSON) is None


def test_endpoints_yml_with_the_scaled_settings_makes_this_lock_store(
    redis_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAYSO_LOCK_STORE", REDIS_LOCK_STORE)
    monkeypatch.setenv("SAYSO_REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("SAYSO_REDIS_PORT", str(redis_port))
    for name in ("SAYSO_ACTION_ENDPOINT", "SAYSO_TRACKER_URL"):
        monkeypatch.setenv(name, "unused")

    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.yml"))
    store = LockStore.create(endpoints.lock_store)

    assert isinstance(store, AtomicRedisLockStore)
    assert store.issue_ticket(PERSON) == 0

"""Starting Sayso (or a stock Rasa assistant) on free loopback ports, for the bench scripts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_reply(url: str, timeout: float = 600) -> float:
    """Seconds until the REST channel first answers a message."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            response = httpx.post(url, json={"sender": "warmup", "message": "hi"}, timeout=10)
            if response.status_code == 200 and response.json():
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"No reply from {url} within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Interrupt the process group as Ctrl+C would, and kill it if it does not stop."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running(command: list[str], cwd: Path, environment: dict[str, str]) -> Iterator[None]:
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            yield
        finally:
            stop(process)


@dataclass(frozen=True)
class SaysoUnderTest:
    rest_url: str
    rasa_port: int
    database: Path
    startup_seconds: float


@contextmanager
def sayso(folder: Path) -> Iterator[SaysoUnderTest]:
    """`make run` with its own ports and databases in `folder`, until the block ends."""
    rasa_port = free_port()
    environment = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "SAYSO_RASA_PORT": str(rasa_port),
        "SAYSO_ACTION_PORT": str(free_port()),
        "SAYSO_WEB_PORT": str(free_port()),
        "SAYSO_WORKER_PORT": str(free_port()),
        "SAYSO_DATABASE_URL": f"sqlite:///{folder}/sayso.db",
        "SAYSO_TRACKER_URL": f"sqlite:///{folder}/tracker.db",
        "SAYSO_LOG_DIR": f"{folder}/logs",
    }
    url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    with running(["make", "--no-print-directory", "run"], ROOT, environment):
        startup = wait_for_reply(url)
        yield SaysoUnderTest(url, rasa_port, folder / "sayso.db", startup)

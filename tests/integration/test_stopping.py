"""Every way of stopping Sayso stops all of it: no process left, no port still listening.

Each test starts the real `make run` or `sayso run` on free ports with its own databases and
log folder, stops it the way a person, a service manager or `docker stop` would, and then
looks in /proc and at the ports for anything left behind.
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from tests.integration.conftest import free_port
from tests.support.leftovers import left_behind, processes_marked_with

pytestmark = pytest.mark.integration

STARTUP_SECONDS = 300
RUNNING = "Sayso is running"
STOPPED = "Sayso has stopped."


@dataclass
class Run:
    """One `make run` or `sayso run`, in a process group of its own, as in a terminal."""

    process: subprocess.Popen[bytes]
    output: Path
    marker: str
    ports: list[int]

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_until(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Never saw {what}. The output was:\n{self.text()[-3000:]}")
            time.sleep(0.5)

    def wait_for_output(self, words: str) -> None:
        self.wait_until(lambda: words in self.text(), repr(words))

    def children(self, name: str) -> list[int]:
        """Process ids of this run's processes whose command line holds `name`."""
        return [int(line.split()[0]) for line in processes_marked_with(self.marker) if name in line]

    def signal_group(self, number: int) -> None:
        os.killpg(self.process.pid, number)

    def exit_code(self) -> int:
        return self.process.wait(timeout=120)

    def assert_nothing_left(self) -> None:
        running, open_ports = left_behind(self.marker, self.ports)
        assert not running, f"Still running: {running}\nOutput:\n{self.text()[-2000:]}"
        assert not open_ports, f"Still listening: {open_ports}"


def scaled_settings(folder: Path) -> dict[str, str]:
    """The scaled mode's own servers, on free ports, with PostgreSQL's files in `folder`."""
    return {
        "SAYSO_SCALED_DATA_DIR": str(folder),
        "SAYSO_SCALED_POSTGRES_PORT": str(free_port()),
        "SAYSO_SCALED_REDIS_PORT": str(free_port()),
        "SAYSO_SCALED_RASA_PORTS": f"{free_port()},{free_port()}",
        "SAYSO_SCALED_ACTION_PORTS": f"{free_port()},{free_port()}",
    }


@pytest.fixture()
def start() -> Iterator[Callable[..., Run]]:
    """Start Sayso with `command`; afterwards, kill whatever a failed test left behind."""
    runs: list[Run] = []
    # Not pytest's tmp_path: its folders are private to root, and the scaled mode's PostgreSQL
    # runs as `nobody` when the tests run as root.
    folder = Path(tempfile.mkdtemp(prefix="sayso-stopping-"))

    def launch(*command: str, action_port: int | None = None, scaled: bool = False) -> Run:
        settings = {
            "SAYSO_DATABASE_URL": f"sqlite:///{folder / 'sayso.db'}",
            "SAYSO_TRACKER_URL": f"sqlite:///{folder / 'tracker.db'}",
            "SAYSO_RASA_PORT": str(free_port()),
            "SAYSO_ACTION_PORT": str(action_port or free_port()),
            "SAYSO_WEB_PORT": str(free_port()),
            "SAYSO_WORKER_PORT": str(free_port()),
            "SAYSO_LOG_DIR": str(folder / "logs"),
            "TELEGRAM_TOKEN": "",
            **(scaled_settings(folder) if scaled else {}),
        }
        ports = [
            int(port)
            for name, value in settings.items()
            if name.endswith(("_PORT", "_PORTS"))
            for port in value.split(",")
        ]
        output = folder / "run.out"
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, **settings},
            stdout=output.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        run = Run(process, output, str(folder), ports)
        runs.append(run)
        return run

    yield launch
    for run in runs:
        if run.process.poll() is None:
            run.signal_group(signal.SIGKILL)
            run.process.wait()
        for line in processes_marked_with(run.marker):
            os.kill(int(line.split()[0]), signal.SIGKILL)
    shutil.rmtree(folder, ignore_errors=True)


MAKE_RUN = ("make", "--no-print-directory", "run")
SAYSO_RUN = (sys.executable, "-m", "bot.cli", "run")
MAKE_RUN_SCALED = ("make", "--no-print-directory", "run-scaled")


def test_ctrl_c_pressed_twice_stops_everything(start: Callable[..., Run]) -> None:
    run = start(*MAKE_RUN)
    run.wait_for_output(RUNNING)

    run.signal_group(signal.SIGINT)  # Ctrl+C reaches every process in the terminal's group
    time.sleep(0.5)
    run.signal_group(signal.SIGINT)
    run.exit_code()

    run.assert_nothing_left()
    assert STOPPED in run.text()


def test_sigterm_to_the_process_group_while_starting_stops_everything(
    start: Callable[..., Run],
) -> None:
    run = start(*MAKE_RUN)
    run.wait_until(lambda: bool(run.children("rasa_server")), "the Rasa server start")

    run.signal_group(signal.SIGTERM)  # as a service manager or `kill -- -PGID` does
    run.exit_code()

    run.assert_nothing_left()
    assert RUNNING not in run.text()


def test_sigterm_to_the_process_group_while_running_stops_everything(
    start: Callable[..., Run],
) -> None:
    """`make` passes SIGTERM on to `sayso run`, which has had it already: two signals."""
    run = start(*MAKE_RUN)
    run.wait_for_output(RUNNING)

    run.signal_group(signal.SIGTERM)
    run.exit_code()

    run.assert_nothing_left()
    assert STOPPED in run.text()


def test_sigterm_to_sayso_run_alone_stops_everything(start: Callable[..., Run]) -> None:
    """What `docker stop` does: SIGTERM to the main process only."""
    run = start(*SAYSO_RUN)
    run.wait_for_output(RUNNING)

    run.process.send_signal(signal.SIGTERM)

    assert run.exit_code() == 0
    run.assert_nothing_left()
    assert STOPPED in run.text()


def test_children_stop_by_themselves_when_sayso_run_is_killed(start: Callable[..., Run]) -> None:
    """`kill -9` gives `sayso run` no chance to stop anything: its children must notice."""
    run = start(*SAYSO_RUN)
    run.wait_for_output(RUNNING)

    run.process.kill()
    run.exit_code()

    run.assert_nothing_left()


def test_a_child_that_crashes_stops_the_rest_with_a_plain_message(
    start: Callable[..., Run],
) -> None:
    run = start(*SAYSO_RUN)
    run.wait_for_output(RUNNING)
    [action_server] = run.children("rasa_sdk")

    os.kill(action_server, signal.SIGKILL)

    assert run.exit_code() == 1
    run.assert_nothing_left()
    assert "The action server stopped unexpectedly, so Sayso is stopping everything." in (
        run.text()
    )
    assert STOPPED in run.text()


class _Healthy(http.server.BaseHTTPRequestHandler):
    """An old server that answers every health check."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


def test_a_server_left_running_from_before_is_not_taken_for_the_new_sayso(
    start: Callable[..., Run],
) -> None:
    old_port = free_port()
    with http.server.ThreadingHTTPServer(("127.0.0.1", old_port), _Healthy) as old_server:
        threading.Thread(target=old_server.serve_forever, daemon=True).start()
        try:
            run = start(*SAYSO_RUN, action_port=old_port)
            assert run.exit_code() == 1
        finally:
            old_server.shutdown()

    assert RUNNING not in run.text()
    assert f"Port {old_port} is already in use" in run.text()
    run.assert_nothing_left()


def test_sigterm_to_make_run_scaled_stops_every_server(start: Callable[..., Run]) -> None:
    """PostgreSQL, Redis, nginx, two Rasa and two action servers, the web and the worker."""
    run = start(*MAKE_RUN_SCALED, scaled=True)
    run.wait_for_output(RUNNING)

    run.signal_group(signal.SIGTERM)
    run.exit_code()

    run.assert_nothing_left()
    assert STOPPED in run.text()


def test_every_scaled_server_stops_by_itself_when_sayso_run_is_killed(
    start: Callable[..., Run],
) -> None:
    """Also PostgreSQL, which runs as `nobody` when the tests run as root."""
    run = start(*SAYSO_RUN, "--scaled", scaled=True)
    run.wait_for_output(RUNNING)
    assert run.children("postgres")

    run.process.kill()
    run.exit_code()

    run.assert_nothing_left()

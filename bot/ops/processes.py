"""Start Sayso's processes on loopback, wait until they answer, and stop them together.

`sayso run` and the integration tests both use this, so the tests exercise what a newcomer runs.
Every way of stopping ends every process: each child runs in its own process group, which is
stopped whole (with anything it started); a second signal cannot cut the stop short
(`stop_signals`); and a child stops by itself if `sayso run` is killed outright (`lifeline`).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import PROJECT_ROOT
from bot.config import Settings
from bot.ops import lifeline, ports, stop_signals
from bot.ops.shared_metrics import SHARED_DIRECTORY, empty_shared_directory, shared_directory
from bot.ops.training import MODEL_FILE

STARTUP_TIMEOUT_SECONDS = 300
#: How long a process may take over a clean stop before it is killed. Every process is asked
#: at once, so stopping all of them takes no longer than the slowest.
STOP_TIMEOUT_SECONDS = 20
#: How long a Rasa server may hold a conversation's lock. A message takes well under a
#: second; Rasa's default of 60 s made the next message of anyone whose turn was cut short
#: by a crashed server wait a whole minute.
LOCK_LIFETIME_SECONDS = 10


def rasa_environment(settings: Settings) -> dict[str, str]:
    """The variables endpoints.yml reads, for this deployment."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_HOST": "127.0.0.1",
        "SAYSO_ACTION_ENDPOINT": f"http://127.0.0.1:{settings.action_port}/webhook",
        "SAYSO_TRACKER_URL": settings.tracker_url,
        "SAYSO_LOCK_STORE": settings.lock_store,
        "SAYSO_REDIS_HOST": settings.redis_host,
        "SAYSO_REDIS_PORT": str(settings.redis_port),
        "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS),
        "PYTHONPATH": str(PROJECT_ROOT),
        SHARED_DIRECTORY: os.environ.get(SHARED_DIRECTORY, str(shared_directory(settings))),
    }


@dataclass
class Service:
    """One long-running process and the URL that says it is ready (None: ready once started)."""

    name: str
    command: list[str]
    ready_url: str | None
    log_path: Path
    #: The loopback ports it listens on, which must be free before it starts.
    ports: tuple[int, ...] = ()
    #: PostgreSQL stops at once on SIGINT; on SIGTERM it waits for every client to leave.
    stop_signal: int = signal.SIGTERM
    #: The account to run it as, if not this one (PostgreSQL refuses to run as root).
    user: str | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, environment: dict[str, str]) -> None:
        """Start it in a process group of its own, which `stop` ends whole."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log, stop_signals.held():
            self.process = subprocess.Popen(
                self.command,
                cwd=PROJECT_ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lifeline.exit_with_parent(self.stop_signal),
                **as_account(self.user),
            )

    def is_ready(self) -> bool:
        if self.ready_url is None:
            return self.process is not None and self.process.poll() is None
        try:
            with urllib.request.urlopen(self.ready_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def has_exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def ask_to_stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self._signal_group(self.stop_signal)

    def wait_stopped(self, deadline: float) -> None:
        """Wait for a clean stop until `deadline`, then kill it; then anything left in its group
        (what a crashed process had started) is killed too."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait()
        self._signal_group(signal.SIGKILL)

    def stop(self) -> None:
        self.ask_to_stop()
        self.wait_stopped(time.monotonic() + STOP_TIMEOUT_SECONDS)

    def _signal_group(self, number: int) -> None:
        assert self.process is not None
        # No such group: everything in it has already gone.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, number)


def as_account(user: str | None) -> dict[str, Any]:
    """Popen's arguments that run a child as `user`, in that account's group and no other.

    Python changes the account itself, so the child stays this process's own child: it gets
    its stop signals directly and the lifeline still reaches it (a `runuser` in between
    ignores SIGINT, and lived on after `sayso run` was killed).
    """
    if user is None:
        return {}
    account = pwd.getpwnam(user)
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def sayso_services(settings: Settings) -> list[Service]:
    """The action server, Rasa, the web server (all on loopback) and the background worker."""
    log_dir = settings.log_dir
    actions = Service(
        name="action server",
        command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                 "--port", str(settings.action_port)],
        ready_url=f"http://127.0.0.1:{settings.action_port}/health",
        log_path=log_dir / "actions.log",
        ports=(settings.action_port,),
    )  # fmt: skip
    token = settings.rasa_auth_token
    rasa = Service(
        name="Rasa server",
        command=[
            sys.executable, "-m", "bot.ops.rasa_server", "--enable-api",
            "--interface", "127.0.0.1", "--port", str(settings.rasa_port),
            "--model", str(MODEL_FILE), "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml", "--cors", "*",
        ],
        ready_url=f"http://127.0.0.1:{settings.rasa_port}/status?token={token}",
        log_path=log_dir / "rasa.log",
        ports=(settings.rasa_port,),
    )  # fmt: skip
    web = Service(
        name="web server",
        command=[sys.executable, "-m", "uvicorn", "bot.web:create_app", "--factory",
                 "--host", "127.0.0.1", "--port", str(settings.web_port), "--no-access-log",
                 "--ws", "none"],
        ready_url=f"http://127.0.0.1:{settings.web_port}/healthz/web",
        log_path=log_dir / "web.log",
        ports=(settings.web_port,),
    )  # fmt: skip
    worker = Service(
        name="background worker",
        command=[sys.executable, "-m", "bot.ops.worker"],
        ready_url=f"http://127.0.0.1:{settings.worker_port}/healthz",
        log_path=log_dir / "worker.log",
        ports=(settings.worker_port,),
    )
    services = [actions, rasa, web, worker]
    if settings.telegram_token:
        services.append(Service(
            name="Telegram worker",
            command=[sys.executable, "-m", "uvicorn", "bot.channels.telegram.worker:create_app",
                     "--factory", "--host", "127.0.0.1", "--port",
                     str(settings.telegram_worker_port), "--no-access-log", "--ws", "none"],
            ready_url=f"http://127.0.0.1:{settings.telegram_worker_port}/healthz",
            log_path=log_dir / "telegram.log",
            ports=(settings.telegram_worker_port,),
        ))  # fmt: skip
    return services


class StartupError(RuntimeError):
    pass


def check_ports_free(services: list[Service]) -> None:
    """Refuse to start if a port is taken, most often by a Sayso that was not stopped."""
    taken = ports.busy(port for service in services for port in service.ports)
    if not taken:
        return
    held_by = ports.holder(taken[0])
    raise StartupError(
        f"Port {taken[0]} is already in use{f', by {held_by}' if held_by else ''}. "
        "A Sayso started earlier may still be running: stop it first (Ctrl+C where it runs, "
        "or kill that process). Or choose other ports (see Configuration in README.md)."
    )


def start_all(services: list[Service], environment: dict[str, str]) -> None:
    """Start every service and wait until all answer; stop them all if one cannot start."""
    check_ports_free(services)
    empty_shared_directory(environment)
    for service in services:
        service.start(environment)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    waiting = list(services)
    while waiting:
        for service in list(waiting):
            if service.has_exited():
                stop_all(services)
                raise StartupError(
                    f"The {service.name} stopped while starting. "
                    f"Its log is {service.log_path}; the last lines say why."
                )
            if service.is_ready():
                waiting.remove(service)
        if waiting and time.monotonic() > deadline:
            stop_all(services)
            names = ", ".join(service.name for service in waiting)
            raise StartupError(f"Timed out waiting for: {names}. Their logs say why.")
        time.sleep(0.5)


def stop_all(services: list[Service]) -> None:
    """Ask every service to stop at once, wait for them, and kill any that will not.

    Signals that arrive meanwhile are ignored, so a second Ctrl+C cannot leave half running.
    """
    stop_signals.begin()
    for service in services:
        service.ask_to_stop()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for service in services:
        service.wait_stopped(deadline)


def stop_on_signals() -> None:
    """Turn the first Ctrl+C, SIGTERM or SIGHUP into KeyboardInterrupt (see `stop_signals`)."""
    stop_signals.install()


def wait_until_one_exits(services: list[Service]) -> Service:
    """Block until a service stops by itself (a crash) and return it; from then on Sayso is
    stopping, and no signal may interrupt that."""
    while True:
        for service in services:
            if service.has_exited():
                stop_signals.begin()
                return service
        time.sleep(1)

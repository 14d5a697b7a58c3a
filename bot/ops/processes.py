"""Start Sayso's processes on loopback, wait until they answer, and stop them together.

`sayso run` and the integration tests both use this, so the tests exercise what a newcomer runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot import PROJECT_ROOT
from bot.config import Settings
from bot.ops.shared_metrics import SHARED_DIRECTORY, empty_shared_directory, shared_directory
from bot.ops.training import MODEL_FILE

STARTUP_TIMEOUT_SECONDS = 300
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
    #: PostgreSQL stops at once on SIGINT; on SIGTERM it waits for every client to leave.
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, environment: dict[str, str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
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

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, self.stop_signal)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def sayso_services(settings: Settings) -> list[Service]:
    """The action server, Rasa, the web server (all on loopback) and the background worker."""
    log_dir = settings.log_dir
    actions = Service(
        name="action server",
        command=[sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                 "--port", str(settings.action_port)],
        ready_url=f"http://127.0.0.1:{settings.action_port}/health",
        log_path=log_dir / "actions.log",
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
    )  # fmt: skip
    web = Service(
        name="web server",
        command=[sys.executable, "-m", "uvicorn", "bot.web:create_app", "--factory",
                 "--host", "127.0.0.1", "--port", str(settings.web_port), "--no-access-log",
                 "--ws", "none"],
        ready_url=f"http://127.0.0.1:{settings.web_port}/healthz/web",
        log_path=log_dir / "web.log",
    )  # fmt: skip
    worker = Service(
        name="background worker",
        command=[sys.executable, "-m", "bot.ops.worker"],
        ready_url=f"http://127.0.0.1:{settings.worker_port}/healthz",
        log_path=log_dir / "worker.log",
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
        ))  # fmt: skip
    return services


class StartupError(RuntimeError):
    pass


def start_all(services: list[Service], environment: dict[str, str]) -> None:
    """Start every service and wait until all answer; stop them all if one cannot start."""
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
    for service in reversed(services):
        service.stop()


def stop_on_signals() -> None:
    """Turn SIGINT and SIGTERM into KeyboardInterrupt, even where the shell ignored SIGINT.

    A process started in the background by a script inherits an ignored SIGINT, and Python
    then never raises KeyboardInterrupt; setting the handler here means Ctrl+C, `kill` and
    test fixtures all stop every child process.
    """

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def wait_until_one_exits(services: list[Service]) -> Service:
    """Block until a service stops by itself (a crash) and return it."""
    while True:
        for service in services:
            if service.has_exited():
                return service
        time.sleep(1)

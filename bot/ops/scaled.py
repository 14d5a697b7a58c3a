"""Sayso scaled on one machine: PostgreSQL, Redis, nginx, two Rasa and two action servers.

The code is the same as embedded; only settings differ. Sayso's answers and Rasa's tracker
store move to PostgreSQL, Rasa's lock store to Redis (so two Rasa processes never handle the
same person's messages at once), and nginx spreads messages across the Rasa servers and
Rasa's action calls across the action servers. The web process, the background worker and the
Telegram worker stay single, as in `deploy/`, which describes the same topology for a cluster.

PostgreSQL refuses to run as root. When Sayso runs as root (a container, a CI runner), the
database files belong to the `nobody` account and `initdb` and `postgres` run as it;
everything else runs as the current user.
"""

from __future__ import annotations

import logging
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg2
import redis

from bot.config import Settings
from bot.ops import stop_signals
from bot.ops.processes import (
    Service,
    StartupError,
    as_account,
    check_ports_free,
    sayso_services,
    start_all,
    stop_all,
)

logger = logging.getLogger(__name__)

POSTGRES_USER = "sayso"
SAYSO_DATABASE = "sayso"
TRACKER_DATABASE = "rasa_tracker"
#: Who owns and runs PostgreSQL when Sayso itself runs as root.
UNPRIVILEGED_USER = "nobody"
#: Enough for two Rasa pools, two action-server pools, the web process and the worker.
POSTGRES_MAX_CONNECTIONS = 300
#: Rasa's lock store for several Rasa servers: Redis, changed atomically (bot/ops/redis_locks.py).
REDIS_LOCK_STORE = "bot.ops.redis_locks.AtomicRedisLockStore"
#: A process that crashes this often within RESTART_WINDOW_SECONDS is left stopped.
MAX_RESTARTS = 5
RESTART_WINDOW_SECONDS = 300


def postgres_binaries() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian keeps initdb off the PATH)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise StartupError(
        "The scaled mode needs PostgreSQL. Run `scripts/install.sh scaled`, or install the "
        "postgresql package, then try again."
    )


def needed_program(name: str, package: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not found:
        raise StartupError(
            f"The scaled mode needs {name}. Run `scripts/install.sh scaled`, or install the "
            f"{package} package, then try again."
        )
    return found


def running_as_root() -> bool:
    return os.geteuid() == 0


def database_owner() -> str | None:
    """Who runs PostgreSQL's programs: `nobody` when we are root, since it refuses root."""
    return UNPRIVILEGED_USER if running_as_root() else None


def port_accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class ScaledLayout:
    """Where the local data servers keep their files, and how to reach them."""

    settings: Settings

    @property
    def data_dir(self) -> Path:
        return self.settings.scaled_data_dir

    @property
    def postgres_home(self) -> Path:
        """Owned by the account PostgreSQL runs as; holds its data and its socket."""
        return self.data_dir / "postgres"

    @property
    def postgres_data(self) -> Path:
        return self.postgres_home / "data"

    @property
    def password_file(self) -> Path:
        return self.data_dir / "postgres-password"

    def postgres_password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").strip()

    def database_url(self, database: str) -> str:
        return (
            f"postgresql://{POSTGRES_USER}:{self.postgres_password()}"
            f"@127.0.0.1:{self.settings.scaled_postgres_port}/{database}"
        )

    def settings_environment(self) -> dict[str, str]:
        """The variables that point every Sayso and Rasa process at these servers."""
        return {
            "SAYSO_DATABASE_URL": self.database_url(SAYSO_DATABASE),
            "SAYSO_TRACKER_URL": self.database_url(TRACKER_DATABASE),
            "SAYSO_LOCK_STORE": REDIS_LOCK_STORE,
            "SAYSO_REDIS_HOST": "127.0.0.1",
            "SAYSO_REDIS_PORT": str(self.settings.scaled_redis_port),
        }


def initialise_postgres(layout: ScaledLayout) -> None:
    """Make the database cluster once, with a random password for the `sayso` account."""
    if (layout.postgres_data / "PG_VERSION").exists():
        return
    layout.postgres_home.mkdir(parents=True, exist_ok=True)
    if not layout.password_file.exists():
        layout.password_file.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        layout.password_file.chmod(0o600)
    one_time_password = layout.postgres_home / "initdb-password"
    one_time_password.write_text(layout.postgres_password(), encoding="utf-8")
    if running_as_root():
        owner = pwd.getpwnam(UNPRIVILEGED_USER)
        layout.data_dir.chmod(0o755)
        for path in (layout.postgres_home, one_time_password):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    try:
        subprocess.run(
            [
                str(postgres_binaries() / "initdb"), "--pgdata", str(layout.postgres_data),
                "--username", POSTGRES_USER, "--pwfile", str(one_time_password),
                "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C.UTF-8",
            ],
            check=True, capture_output=True, **as_account(database_owner()),
        )  # fmt: skip
    except subprocess.CalledProcessError as error:
        raise StartupError(
            f"PostgreSQL could not make its files in {layout.postgres_data}: "
            f"{error.stderr.decode(errors='replace').strip()[-500:]}"
        ) from error
    finally:
        one_time_password.unlink(missing_ok=True)


class PostgresServer(Service):
    """PostgreSQL in the foreground; ready once it accepts a login."""

    def __init__(self, layout: ScaledLayout) -> None:
        settings = layout.settings
        super().__init__(
            name="PostgreSQL",
            command=[
                str(postgres_binaries() / "postgres"), "-D", str(layout.postgres_data),
                "-p", str(settings.scaled_postgres_port), "-k", str(layout.postgres_home),
                "-c", "listen_addresses=127.0.0.1",
                "-c", f"max_connections={POSTGRES_MAX_CONNECTIONS}",
            ],
            ready_url=None,
            log_path=settings.log_dir / "postgres.log",
            ports=(settings.scaled_postgres_port,),
            stop_signal=signal.SIGINT,
            user=database_owner(),
        )  # fmt: skip
        self.layout = layout

    def is_ready(self) -> bool:
        if self.has_exited() or not port_accepts(self.layout.settings.scaled_postgres_port):
            return False
        try:
            psycopg2.connect(self.layout.database_url("postgres"), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True


class RedisServer(Service):
    """Redis for Rasa's locks only: nothing is written to disk, a restart just drops locks."""

    def __init__(self, layout: ScaledLayout) -> None:
        settings = layout.settings
        super().__init__(
            name="Redis",
            command=[
                needed_program("redis-server", "redis-server"),
                "--port", str(settings.scaled_redis_port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(layout.data_dir),
                "--protected-mode", "yes",
            ],
            ready_url=None,
            log_path=settings.log_dir / "redis.log",
            ports=(settings.scaled_redis_port,),
        )  # fmt: skip
        self.port = settings.scaled_redis_port

    def is_ready(self) -> bool:
        if self.has_exited():
            return False
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False


def create_databases(layout: ScaledLayout) -> None:
    """Sayso's database and Rasa's tracker database, each made once."""
    connection = psycopg2.connect(layout.database_url("postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for name in (SAYSO_DATABASE, TRACKER_DATABASE):
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def balancer_config(settings: Settings, folder: Path) -> str:
    """nginx: Rasa's public port spreads over the Rasa servers, the action port over actions.

    A server that refuses a connection is skipped (the request had not been sent, so it is
    safe to send it elsewhere). A request already sent is never sent twice: the person's
    message might have been handled, so they see an error and send it again instead.
    """

    def upstream(name: str, ports: tuple[int, ...]) -> str:
        servers = "".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in ports
        )
        return f"  upstream {name} {{\n{servers}  }}\n"

    def front(port: int, name: str) -> str:
        return (
            f"  server {{\n    listen 127.0.0.1:{port};\n    location / {{\n"
            f"      proxy_pass http://{name};\n      proxy_set_header Host $host;\n"
            "      proxy_read_timeout 120s;\n      proxy_next_upstream error http_502;\n"
            "      client_max_body_size 20m;\n    }\n  }\n"
        )

    temp = "".join(
        f"  {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log stderr warn;\n"
        "events {\n  worker_connections 2048;\n}\n"
        f"http {{\n  access_log off;\n{temp}"
        f"{upstream('rasa', settings.scaled_rasa_ports)}"
        f"{upstream('actions', settings.scaled_action_ports)}"
        f"{front(settings.rasa_port, 'rasa')}{front(settings.action_port, 'actions')}}}\n"
    )


def balancer_service(settings: Settings) -> Service:
    folder = settings.scaled_data_dir / "nginx"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "nginx.conf"
    config.write_text(balancer_config(settings, folder), encoding="utf-8")
    return Service(
        name="load balancer (nginx)",
        command=[needed_program("nginx", "nginx"), "-p", str(folder), "-e", "stderr",
                 "-c", str(config)],
        ready_url=f"http://127.0.0.1:{settings.rasa_port}/",
        log_path=settings.log_dir / "nginx.log",
        ports=(settings.rasa_port, settings.action_port),
    )  # fmt: skip


def application_services(settings: Settings) -> list[Service]:
    """One action server and one Rasa server per configured port pair; one web and worker.

    Each Rasa and action server is the embedded one from `sayso_services`, moved to its own
    port and log folder, so both modes run the very same commands.
    """
    pairs = list(zip(settings.scaled_rasa_ports, settings.scaled_action_ports, strict=True))
    services: list[Service] = []
    for number, (rasa_port, action_port) in enumerate(pairs, start=1):
        instance = replace(
            settings,
            rasa_port=rasa_port,
            action_port=action_port,
            log_dir=settings.log_dir / f"instance-{number}",
        )
        for service in sayso_services(instance):
            if service.name in ("action server", "Rasa server"):
                services.append(replace(service, name=f"{service.name} {number}"))
    singles = ("web server", "background worker", "Telegram worker")
    services.extend(service for service in sayso_services(settings) if service.name in singles)
    return services


class ScaledSayso:
    """Every process of the scaled topology, started in order and restarted if one crashes.

    A crashed process is started again, as Kubernetes would; nginx sends traffic to the
    surviving Rasa and action servers meanwhile.
    """

    def __init__(self, settings: Settings) -> None:
        self.layout = ScaledLayout(settings)
        self.postgres = PostgresServer(self.layout)
        self.redis = RedisServer(self.layout)
        self.balancer = balancer_service(settings)
        self.applications = application_services(settings)
        self._environment: dict[str, str] = {}
        self._lock = threading.Lock()
        self._crashes: dict[str, list[float]] = {}

    @property
    def services(self) -> list[Service]:
        """In start order; they stop in reverse, so the databases go last."""
        return [self.postgres, self.redis, *self.applications, self.balancer]

    def start_data_servers(self, environment: dict[str, str]) -> dict[str, str]:
        """Start PostgreSQL and Redis; return the variables that point Sayso at them.

        Every port of the whole topology is checked first, so a server left running from
        before stops this run before anything has started.
        """
        check_ports_free(self.services)
        initialise_postgres(self.layout)
        start_all([self.postgres, self.redis], environment)
        create_databases(self.layout)
        return self.layout.settings_environment()

    def start_applications(self, environment: dict[str, str]) -> None:
        """Start Rasa, the action servers, nginx, the web process and the worker."""
        self._environment = environment
        try:
            start_all([*self.applications, self.balancer], environment)
        except StartupError:
            self.stop()
            raise

    def restart(self, service: Service) -> None:
        """Stop one process cleanly and start it again (for planned restarts and faults)."""
        with self._lock:
            service.stop()
            service.start(self._environment)

    def restart_crashed(self) -> Service | None:
        """Start again whatever has died; return a process that keeps dying, if any."""
        with self._lock:
            for service in self.services:
                if not service.has_exited():
                    continue
                now = time.monotonic()
                recent = [
                    moment
                    for moment in self._crashes.get(service.name, [])
                    if now - moment < RESTART_WINDOW_SECONDS
                ]
                self._crashes[service.name] = [*recent, now]
                if len(recent) >= MAX_RESTARTS:
                    return service
                logger.warning("The %s stopped; starting it again.", service.name)
                service.start(self._environment)
        return None

    def supervise(self, stop: threading.Event | None = None) -> Service | None:
        """Keep every process running until `stop` is set; return one that kept crashing."""
        while stop is None or not stop.is_set():
            failing = self.restart_crashed()
            if failing is not None:
                stop_signals.begin()
                return failing
            time.sleep(1)
        return None

    def stop(self) -> None:
        """Everything that uses the databases first, all at once; then the databases."""
        with self._lock:
            stop_all([*self.applications, self.balancer])
            stop_all([self.redis, self.postgres])

"""The three set-ups the load and fault benchmarks compare, each on free loopback ports.

- the stock `rasa init` assistant, trained in a temporary folder;
- Sayso embedded: `make run` with SQLite (bench/servers.py);
- Sayso scaled: PostgreSQL, Redis, nginx, two Rasa and two action servers (bot/ops/scaled.py),
  run inside this process so the fault benchmark can kill and restart its parts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import servers
from sqlalchemy import bindparam, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.channels.telegram.identity import chat_participant_id  # noqa: E402
from bot.config import SECRETS_FILE, get_settings, read_env_file  # noqa: E402
from bot.ops.scaled import ScaledSayso  # noqa: E402
from bot.ops.scaled_run import start_scaled  # noqa: E402
from bot.privacy.pseudonyms import participant_id  # noqa: E402

RASA = str(Path(sys.executable).with_name("rasa"))


@dataclass
class Target:
    """One running set-up: where to send messages, and how to read back what it stored."""

    name: str
    rest_urls: list[str]
    startup_seconds: float
    database_url: str | None = None
    telegram_webhook: str | None = None
    #: name -> process id whose process group is one of this set-up's processes.
    processes: dict[str, int] = field(default_factory=dict)
    #: name -> URL that answers at once when that server's event loop is free.
    probes: dict[str, str] = field(default_factory=dict)
    stack: ScaledSayso | None = None

    def stored_answers(self, senders: list[str], channel: str = "rest") -> dict[str, list[str]]:
        """sender -> question keys of the answers stored for that sender."""
        if not self.database_url or not senders:
            return {}
        key = read_env_file(SECRETS_FILE)["SAYSO_PARTICIPANT_ID_KEY"].encode()
        if channel == "telegram":
            ids = {chat_participant_id(int(sender), key): sender for sender in senders}
        else:
            ids = {participant_id(channel, sender, key): sender for sender in senders}
        query = text(
            "SELECT r.participant_id, q.key FROM responses r "
            "JOIN questions q ON q.id = r.question_id WHERE r.participant_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        engine = create_engine(self.database_url)
        found: dict[str, list[str]] = {sender: [] for sender in senders}
        with engine.connect() as connection:
            for participant, question in connection.execute(query, {"ids": list(ids)}):
                found[ids[participant]].append(question)
        engine.dispose()
        return found


@contextmanager
def patched_environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(values)
    get_settings.cache_clear()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()


@contextmanager
def stock_assistant() -> Iterator[Target]:
    environment = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    with tempfile.TemporaryDirectory() as folder:
        print("Training a stock `rasa init` assistant (about 2 minutes)...", flush=True)
        subprocess.run(
            [RASA, "init", "--no-prompt", "--init-dir", folder],
            env=environment, check=True, capture_output=True,
        )  # fmt: skip
        port = servers.free_port()
        url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        command = [RASA, "run", "--port", str(port)]
        with servers.running(command, Path(folder), environment):
            servers.wait_for_reply(f"{url}/webhooks/rest/webhook")
            yield Target(
                name="stock rasa init",
                rest_urls=[f"{url}/webhooks/rest/webhook"],
                startup_seconds=time.monotonic() - started,
                processes={"Rasa server": pid_listening(port)},
                probes={"Rasa server": f"{url}/"},
            )


@contextmanager
def embedded(folder: Path, telegram: dict[str, str]) -> Iterator[Target]:
    """`make run` as a newcomer runs it, with the given Telegram settings."""
    with patched_environment(telegram), servers.sayso(folder) as running:
        base = f"http://127.0.0.1:{running.rasa_port}"
        action_port = action_port_of(folder)
        yield Target(
            name="Sayso embedded",
            rest_urls=[running.rest_url],
            startup_seconds=running.startup_seconds,
            database_url=f"sqlite:///{running.database}",
            telegram_webhook=f"{base}/webhooks/telegram/webhook",
            processes={
                "Rasa server": pid_listening(running.rasa_port),
                "action server": pid_listening(action_port),
            },
            probes={
                "Rasa server": f"{base}/",
                "action server": f"http://127.0.0.1:{action_port}/health",
            },
        )


def action_port_of(folder: Path) -> int:
    """The action server's port, read from the command line of the process that has it."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if b"rasa_sdk" in command and str(folder).encode() in environ:
            return int(command[command.index(b"--port") + 1])
    return 0


def pid_listening(port: int) -> int:
    """The process whose command line names this port (the server itself)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--port" in command and str(port).encode() in command:
            return int(pid)
    return 0


@contextmanager
def scaled(telegram: dict[str, str]) -> Iterator[Target]:
    """The scaled topology, supervised in a thread, torn down when the block ends.

    Its folder is readable by others: as root, PostgreSQL runs as `nobody` inside it.
    """
    with tempfile.TemporaryDirectory(prefix="sayso-scaled-") as temporary:
        folder = Path(temporary)
        folder.chmod(0o755)
        with _scaled_in(folder, telegram) as target:
            yield target


@contextmanager
def _scaled_in(folder: Path, telegram: dict[str, str]) -> Iterator[Target]:
    rasa_ports = [servers.free_port(), servers.free_port()]
    action_ports = [servers.free_port(), servers.free_port()]
    balancer, action_balancer = servers.free_port(), servers.free_port()
    settings_environment = {
        "RASA_TELEMETRY_ENABLED": "false",
        "SAYSO_SCALED_DATA_DIR": str(folder / "scaled"),
        "SAYSO_SCALED_POSTGRES_PORT": str(servers.free_port()),
        "SAYSO_SCALED_REDIS_PORT": str(servers.free_port()),
        "SAYSO_SCALED_RASA_PORTS": ",".join(map(str, rasa_ports)),
        "SAYSO_SCALED_ACTION_PORTS": ",".join(map(str, action_ports)),
        "SAYSO_RASA_PORT": str(balancer),
        "SAYSO_ACTION_PORT": str(action_balancer),
        "SAYSO_WEB_PORT": str(servers.free_port()),
        "SAYSO_WORKER_PORT": str(servers.free_port()),
        "SAYSO_TELEGRAM_WORKER_PORT": str(servers.free_port()),
        "SAYSO_LOG_DIR": str(folder / "logs"),
        **telegram,
    }
    with patched_environment(settings_environment):
        from bot.cli import load_consultations

        stack = ScaledSayso(get_settings())
        stop = threading.Event()
        started = time.monotonic()
        try:
            start_scaled(stack, load_consultations)
            base = f"http://127.0.0.1:{balancer}"
            servers.wait_for_reply(f"{base}/webhooks/rest/webhook")
            startup = time.monotonic() - started
            threading.Thread(target=stack.supervise, args=(stop,), daemon=True).start()
            yield Target(
                name="Sayso scaled",
                rest_urls=[f"{base}/webhooks/rest/webhook"],
                startup_seconds=startup,
                database_url=os.environ["SAYSO_DATABASE_URL"],
                telegram_webhook=f"{base}/webhooks/telegram/webhook",
                processes={service.name: service.process.pid for service in stack.services},
                probes=server_probes(rasa_ports, action_ports),
                stack=stack,
            )
        finally:
            stop.set()
            stack.stop()


def server_probes(rasa_ports: list[int], action_ports: list[int]) -> dict[str, str]:
    probes = {}
    for number, port in enumerate(rasa_ports, start=1):
        probes[f"Rasa server {number}"] = f"http://127.0.0.1:{port}/"
    for number, port in enumerate(action_ports, start=1):
        probes[f"action server {number}"] = f"http://127.0.0.1:{port}/health"
    return probes


def process_tree(pid: int) -> list[int]:
    """This process and every process it started, and theirs (PostgreSQL: its backends)."""
    if pid <= 0 or not Path(f"/proc/{pid}").exists():
        return []
    children: dict[int, list[int]] = {}
    for other in filter(str.isdigit, os.listdir("/proc")):
        try:
            parent = int(Path(f"/proc/{other}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(other))
    tree, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        tree.append(current)
        waiting.extend(children.get(current, []))
    return tree


def tree_memory_megabytes(pid: int) -> float:
    """Resident memory of this process and those it started.

    Shared memory is counted once per process, so PostgreSQL's figure is an upper bound.
    """
    members = process_tree(pid)
    if not members:
        return float("nan")
    total = 0
    for member in members:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) this process has used so far; 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time so far of this process and of each process it started."""
    return {member: cpu_seconds(member) for member in process_tree(pid)}

"""How long a newcomer waits: a fresh install, and a later `sayso run` until it is running.

The README's times come from here. `--install` copies the committed tree into a temporary
folder (so this checkout's .venv is never touched), runs `scripts/install.sh` there as
`make run` would, and prints the time, the CPU time and the size of the new .venv. Without it,
only the start of an already installed and trained tree is timed, on free ports with its own
databases. The machine's load average is printed too: on shared cores, waits grow with it.

    .venv/bin/python bench/first_run.py [--install]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servers import ROOT, free_port

RUNNING = b"Sayso is running"


def folder_megabytes(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def time_fresh_install() -> None:
    with tempfile.TemporaryDirectory(prefix="sayso-fresh-") as scratch:
        tree = Path(scratch)
        archive = subprocess.run(
            ["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run(["scripts/install.sh"], cwd=tree, check=True, stdout=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"fresh install:  {seconds / 60:5.1f} min, {cpu / 60:4.1f} min of CPU")
        print(f".venv size:     {folder_megabytes(tree / '.venv') / 1000:5.1f} GB")


def time_later_start() -> None:
    with tempfile.TemporaryDirectory(prefix="sayso-start-") as scratch:
        folder = Path(scratch)
        environment = {
            **os.environ,
            "SAYSO_DATABASE_URL": f"sqlite:///{folder / 'sayso.db'}",
            "SAYSO_TRACKER_URL": f"sqlite:///{folder / 'tracker.db'}",
            "SAYSO_LOG_DIR": str(folder / "logs"),
            "TELEGRAM_TOKEN": "",
            **{
                name: str(free_port())
                for name in ("SAYSO_RASA_PORT", "SAYSO_ACTION_PORT", "SAYSO_WEB_PORT",
                             "SAYSO_WORKER_PORT")
            },
        }  # fmt: skip
        output = folder / "run.out"
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=ROOT,
            env=environment,
            stdout=output.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            while RUNNING not in output.read_bytes():
                if process.poll() is not None:
                    raise SystemExit(f"sayso run stopped:\n{output.read_text()[-2000:]}")
                time.sleep(0.25)
            print(f"later start:    {time.monotonic() - started:5.0f} s to '{RUNNING.decode()}'")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="also time a fresh install")
    arguments = parser.parse_args()
    print(f"load average:   {os.getloadavg()[0]:5.1f} on {os.cpu_count()} cores")
    if arguments.install:
        if not shutil.which("git"):
            raise SystemExit("--install copies the committed tree with git, which is missing")
        time_fresh_install()
    time_later_start()


if __name__ == "__main__":
    main()

"""The real `sayso` command in a subprocess, as a person at a terminal runs it."""

from __future__ import annotations

import os
import subprocess
import sys

from bot import PROJECT_ROOT


def run_sayso(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """`sayso ARGUMENTS...` with only these settings (and PATH) in its environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )

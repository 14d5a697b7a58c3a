"""The folder where the processes of one Sayso write their Prometheus counts.

prometheus-client adds up every process's counts when it finds this folder in
`PROMETHEUS_MULTIPROC_DIR` as it is imported, so `sayso run` puts it in every child's
environment. It lives here, apart from `bot.ops.metrics`, so that `sayso run` itself never
imports prometheus-client without it.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from bot.config import Settings

#: prometheus-client's own variable.
SHARED_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


def shared_directory(settings: Settings) -> Path:
    """Beside the logs: one folder per Sayso, so two on one machine never mix their counts."""
    return settings.log_dir / "metrics"


def empty_shared_directory(environment: Mapping[str, str]) -> None:
    """Start a run with no counts from processes of an earlier run (prometheus-client asks
    for this: a new process may get an old one's id). Call it before any process starts."""
    directory = environment.get(SHARED_DIRECTORY)
    if not directory:
        return
    shutil.rmtree(directory, ignore_errors=True)
    Path(directory).mkdir(parents=True, exist_ok=True)

"""`sayso run` shows Sayso's own lines; what other packages print goes to a log file.

TensorFlow (which spaCy imports) writes to file descriptor 2 from C, and Rasa, SQLAlchemy and
others warn through Python's `warnings` and `logging`. A newcomer saw screens of these before
"Sayso is running". Pointing descriptor 2 at the log file catches all of them, wherever they
come from; Sayso's own messages keep a copy of the terminal, taken first.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path


def send_other_output_to(log_path: Path) -> None:
    """From now on, only Sayso's own lines and its `bot.*` warnings reach the terminal."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    terminal = os.fdopen(os.dup(2), "w", buffering=1, errors="backslashreplace")
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 2)
    os.close(log)
    sys.stderr = terminal

    to_log = logging.FileHandler(log_path, encoding="utf-8")
    to_log.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[to_log], force=True)
    logging.captureWarnings(True)
    own = logging.StreamHandler(terminal)
    own.setLevel(logging.WARNING)
    own.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("bot").addHandler(own)

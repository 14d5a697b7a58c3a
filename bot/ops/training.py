"""Train the Rasa model only when what it learns from has changed.

Rasa has its own fingerprinting, but it loads TensorFlow and the whole project to use it. A
hash of the training files is instant, so a second `make run` starts straight away.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot import PROJECT_ROOT
from bot.ops import lifeline
from bot.ops.progress import ProgressLine
from bot.ops.spacy_model import LINK

MODEL_DIR = PROJECT_ROOT / "models"
MODEL_FILE = MODEL_DIR / "sayso.tar.gz"
FINGERPRINT_FILE = MODEL_DIR / "sayso.fingerprint"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
#: Rasa's progress bar while DIET learns, e.g. "Epochs:  45%|####5     | 27/60".
EPOCHS = re.compile(rb"Epochs:\s*(\d+)%")
#: How many of the training log's last lines to show when training fails.
FAILURE_LINES = 15


def training_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of every training file and of the spaCy model in use."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    meta = LINK / "meta.json"
    if meta.exists():
        info = json.loads(meta.read_text(encoding="utf-8"))
        digest.update(f"{info.get('name')}-{info.get('version')}".encode())
    return digest.hexdigest()


def needs_training() -> bool:
    if not MODEL_FILE.exists() or not FINGERPRINT_FILE.exists():
        return True
    return FINGERPRINT_FILE.read_text(encoding="utf-8").strip() != training_fingerprint()


def rasa_command(*arguments: str) -> list[str]:
    """Run Rasa from the same environment as this process."""
    return [str(Path(sys.executable).with_name("rasa")), *arguments]


def train(log_path: Path) -> None:
    """Train with Rasa and record the fingerprint; raise with plain advice if it fails.

    Rasa's own output goes to `log_path`; the terminal gets one progress line, read from
    Rasa's progress bar in that log.
    """
    print("Training Sayso's language model. This takes about 2 minutes on 2 cores.", flush=True)
    started = time.monotonic()
    # Taken before training: files edited while Rasa trains must count as not yet trained.
    fingerprint = training_fingerprint()
    environment = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        # Responses are chosen by the action, not by stories, so Rasa warns about each one;
        # real data problems are caught by `rasa data validate --fail-on-warnings` in tests.
        "PYTHONWARNINGS": "ignore:The utterance:UserWarning,ignore::DeprecationWarning",
    }
    log_path.parent.mkdir(parents=True, exist_ok=True)
    start_of_this_run = log_path.stat().st_size if log_path.exists() else 0
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            # Not --quiet: that hides the progress bar this reads.
            rasa_command("train", "--fixed-model-name", "sayso", "--out", str(MODEL_DIR)),
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=lifeline.exit_with_parent(signal.SIGTERM),
        )
    try:
        follow_progress(process, log_path, start_of_this_run)
    finally:
        if process.poll() is None:  # stopped by Ctrl+C or SIGTERM: training stops too
            process.kill()
            process.wait()
    if process.returncode != 0 or not MODEL_FILE.exists():
        print(last_lines(log_path, start_of_this_run), file=sys.stderr)
        raise RuntimeError(
            f"Training did not finish. The lines above, from {log_path}, say why. "
            "Fix config.yml, domain.yml or data/, then run `make run` again."
        )
    FINGERPRINT_FILE.write_text(fingerprint, encoding="utf-8")
    print(f"Training finished in {time.monotonic() - started:.0f} seconds.", flush=True)


def follow_progress(process: subprocess.Popen[bytes], log_path: Path, offset: int) -> None:
    """Show how far Rasa has got, until it exits."""
    line = ProgressLine()
    while process.poll() is None:
        with log_path.open("rb") as log:
            log.seek(offset)
            found = EPOCHS.findall(log.read())
        if not found:
            line.show("Getting ready")
        elif int(found[-1]) < 100:
            line.show("Learning", int(found[-1]))
        else:
            line.show("Saving the model")
        time.sleep(0.5)
    line.finish()


def last_lines(log_path: Path, offset: int) -> str:
    with log_path.open("rb") as log:
        log.seek(offset)
        text = log.read().decode(errors="replace").replace("\r", "\n")
    return "\n".join(text.strip().splitlines()[-FAILURE_LINES:])


def train_if_needed(log_path: Path) -> bool:
    """Train when the training data changed; return True if training ran."""
    if not needs_training():
        return False
    train(log_path)
    return True

"""Train the Rasa model only when what it learns from has changed.

Rasa has its own fingerprinting, but it loads TensorFlow and the whole project to use it. A
hash of the training files is instant, so a second `make run` starts straight away.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bot import PROJECT_ROOT
from bot.ops.spacy_model import LINK

MODEL_DIR = PROJECT_ROOT / "models"
MODEL_FILE = MODEL_DIR / "sayso.tar.gz"
FINGERPRINT_FILE = MODEL_DIR / "sayso.fingerprint"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")


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


def train() -> None:
    """Train with Rasa and record the fingerprint; raise with plain advice if it fails."""
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
    result = subprocess.run(
        rasa_command("train", "--fixed-model-name", "sayso", "--out", str(MODEL_DIR), "--quiet"),
        cwd=PROJECT_ROOT,
        env=environment,
        check=False,
    )
    if result.returncode != 0 or not MODEL_FILE.exists():
        raise RuntimeError(
            "Training did not finish. Read the messages above for the reason. "
            "Fix config.yml, domain.yml or data/, then run `make run` again."
        )
    FINGERPRINT_FILE.write_text(fingerprint, encoding="utf-8")
    print(f"Training finished in {time.monotonic() - started:.0f} seconds.", flush=True)


def train_if_needed() -> bool:
    """Train when the training data changed; return True if training ran."""
    if not needs_training():
        return False
    train()
    return True

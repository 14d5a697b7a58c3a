"""Rasa's own checks on the project: the training data is valid and the test stories pass."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from bot.ops.training import MODEL_FILE, rasa_command

pytestmark = pytest.mark.rasa


def rasa(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        rasa_command(*arguments),
        cwd=PROJECT_ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_training_data_validates_with_warnings_as_failures() -> None:
    result = rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_test_stories_pass_with_no_prediction_errors(tmp_path: Path) -> None:
    result = rasa(
        "test", "--model", str(MODEL_FILE), "--stories", "tests/",
        "--fail-on-prediction-errors", "--out", str(tmp_path),
    )  # fmt: skip
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, details + result.stdout[-3000:] + result.stderr[-3000:]

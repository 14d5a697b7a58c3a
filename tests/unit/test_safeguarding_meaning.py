"""Safeguarding by meaning: the classifier on multilingual sentence vectors, really loaded.

The figures asserted are floors under what bench/safeguarding_eval.py measures on the holdout
half of round 4 (never trained on), so a change that makes the layer worse fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.meaning import MeaningModelError
from bot.meaning import encoder as meaning_encoder
from bot.safeguarding.layers import assess
from bot.safeguarding.meaning import EXAMPLES_FILE, get_classifier, pieces_of


def holdout(language: str) -> list[dict[str, object]]:
    items = yaml.safe_load(EXAMPLES_FILE.read_text(encoding="utf-8"))["items"]
    return [
        item
        for item in items
        if item["split"] == "holdout"
        and item.get("round") == 4
        and item.get("language", "en") == language
    ]


@pytest.mark.parametrize("language", ["en", "pl", "ro"])
def test_round_four_holdout_gets_help_for_most_crises_in_every_language(language: str) -> None:
    items = holdout(language)
    crises = [item for item in items if item["label"] != "none"]
    helped = [assess(str(item["text"]), None, 0.0) is not None for item in crises]
    assert len(crises) >= 40
    assert sum(helped) / len(helped) >= 0.5


@pytest.mark.parametrize("language", ["en", "pl", "ro"])
def test_round_four_holdout_interrupts_few_ordinary_answers(language: str) -> None:
    ordinary = [item for item in holdout(language) if item["label"] == "none"]
    interrupted = [
        (found := assess(str(item["text"]), None, 0.0)) is not None and found.crisis
        for item in ordinary
    ]
    assert sum(interrupted) / len(interrupted) <= 0.15


@pytest.mark.parametrize(
    "text",
    [
        "chcę się zabić",
        "nie chcę już żyć, nikt by nawet nie zauważył",
        "nu mai vreau să trăiesc",
        "vreau să mă omor în seara asta",
    ],
)
def test_plain_crisis_words_in_polish_and_romanian_get_help(text: str) -> None:
    found = assess(text, None, 0.0)
    assert found is not None and found.crisis


def test_a_crisis_line_inside_a_long_food_answer_is_read_on_its_own() -> None:
    text = (
        "the breakfast is fine but the portions are small and the tea is cold by nine. "
        "honestly i dont want to be here anymore. also more fruit would be nice"
    )
    assert "honestly i dont want to be here anymore." in pieces_of(text)
    found = assess(text, None, 0.0)
    assert found is not None and found.crisis


@pytest.mark.parametrize("text", ["", "👍👍👍", "x" * 5000, "hello Привет 你好 cześć"])
def test_odd_input_is_read_without_error(text: str) -> None:
    reading = get_classifier().read(text)
    assert 0.0 <= reading.probability <= 1.0


def test_a_missing_model_file_stops_with_a_plain_message(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SAYSO_MEANING_MODEL_DIR", str(tmp_path))
    with pytest.raises(MeaningModelError, match="missing"):
        meaning_encoder._Encoder(meaning_encoder.model_dir())


def test_a_damaged_model_file_stops_with_a_plain_message(tmp_path: Path, monkeypatch) -> None:
    real = meaning_encoder.model_dir()
    shutil.copy(real / "sp.model", tmp_path / "sp.model")
    (tmp_path / "weights.npz").write_bytes((real / "weights.npz").read_bytes()[:4096])
    monkeypatch.setenv("SAYSO_MEANING_MODEL_DIR", str(tmp_path))
    with pytest.raises(MeaningModelError, match="damaged"):
        meaning_encoder._Encoder(meaning_encoder.model_dir())

"""Sayso loads the trained model its own, quicker way; what the model predicts must not change."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.agent import load_agent
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.tensorflow.models import RasaModel

from bot import PROJECT_ROOT
from bot.ops import rasa_tuning
from bot.ops.training import MODEL_FILE

pytestmark = pytest.mark.rasa


def example_texts() -> list[str]:
    """Every third example in the training data: all intents, typed and tapped answers."""
    examples = load_data(str(PROJECT_ROOT / "data" / "nlu")).intent_examples
    return sorted({example.get("text") for example in examples})[::3]


def predictions(texts: list[str]) -> list[dict[str, Any]]:
    """What the loaded model makes of each text: intent, confidences, entities."""

    async def parse_all() -> list[dict[str, Any]]:
        agent = await load_agent(model_path=str(MODEL_FILE))
        parsed = [await agent.parse_message(text) for text in texts]
        return [
            {key: parse[key] for key in ("text", "intent", "intent_ranking", "entities")}
            for parse in parsed
        ]

    return asyncio.run(parse_all())


def test_the_quicker_load_predicts_exactly_what_rasas_own_load_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = example_texts()
    assert len(texts) > 300

    rasas_own = predictions(texts)
    monkeypatch.setattr(RasaModel, "load", classmethod(rasa_tuning.load_for_prediction))
    tuned = predictions(texts)

    assert tuned == rasas_own
    assert {parse["intent"]["name"] for parse in tuned} >= {"greet", "affirm", "crisis", "choose"}

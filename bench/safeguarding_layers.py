"""Safeguarding as the conversation applies it, both layers, on the labelled evaluation set.

bench/safeguarding_eval.py measures the pattern layer alone. This loads the trained Rasa
model, reads each evaluation message with it, and applies `bot.safeguarding.layers.assess`:

- "crisis": the full crisis response and a staff alert (pattern matches);
- "any help": a crisis response or the one-line check-in (patterns, or the trained intent).

Run after `make setup` (it needs the trained model).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.core.agent import Agent  # noqa: E402

from bot.ops.training import MODEL_FILE  # noqa: E402
from bot.safeguarding.layers import CRISIS_INTENT, assess  # noqa: E402

EVAL_SET = ROOT / "tests" / "data" / "safeguarding_eval.yml"


def share(flags: list[bool]) -> float:
    return sum(flags) / max(1, len(flags))


async def main() -> None:
    items = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))["items"]
    agent = Agent.load(str(MODEL_FILE))
    rows = []
    for item in items:
        parsed = await agent.parse_message(item["text"])
        intent, confidence = parsed["intent"]["name"], parsed["intent"]["confidence"]
        found = assess(item["text"], intent, confidence)
        rows.append(
            {
                "crisis_label": item["label"] != "none",
                "split": item["split"],
                "text": item["text"],
                "intent": intent == CRISIS_INTENT,
                "crisis": found is not None and found.crisis,
                "any help": found is not None,
            }
        )
    print(f"{'split':8} {'level':9} {'recall':>7} {'false positives':>16}")
    for split in ("dev", "holdout", "all"):
        chosen = [row for row in rows if split in ("all", row["split"])]
        for level in ("crisis", "any help", "intent"):
            recall = share([row[level] for row in chosen if row["crisis_label"]])
            false_positive = share([row[level] for row in chosen if not row["crisis_label"]])
            print(f"{split:8} {level:9} {recall:7.3f} {false_positive:16.3f}")
    print("\n'intent' is the trained intent alone, for comparison.")
    print("Crisis messages that got no help at all:")
    for row in [row for row in rows if row["crisis_label"] and not row["any help"]]:
        print(f"  {row['text']}")


if __name__ == "__main__":
    asyncio.run(main())

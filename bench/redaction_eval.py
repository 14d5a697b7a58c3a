"""Measure redaction on the labelled set tests/data/redaction_eval.yml and print the figures.

Scoring is span-level:
- recall of a kind: the share of its gold spans that some predicted span covers fully. The
  predicted span may be of any kind: what matters to a reader is that the detail is hidden.
- precision of a kind: the share of spans predicted with that kind that overlap a gold span
  (of any kind). A predicted span over words nobody labelled is a false alarm.
The time per message is measured after the spaCy model has loaded, one message at a time and
as one batch through redact_many.

Run: .venv/bin/python bench/redaction_eval.py [--show-errors]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from bot.privacy.redaction import (  # noqa: E402
    PLACEHOLDERS,
    Span,
    find_personal_details,
    find_personal_details_many,
    redact_many,
)

EVAL_PATH = PROJECT_ROOT / "tests" / "data" / "redaction_eval.yml"
KINDS = tuple(PLACEHOLDERS)
PATTERN_KINDS = ("phone", "email", "postcode", "nhs_number")
RECALL_TARGET = 0.95


@dataclass(frozen=True)
class Message:
    text: str
    gold: tuple[Span, ...]


def gold_spans(text: str, mask: dict[str, list[str]]) -> tuple[Span, ...]:
    """Every whole-word occurrence of each labelled substring."""
    spans = []
    for kind, substrings in mask.items():
        if kind not in PLACEHOLDERS:
            raise ValueError(f"unknown kind {kind!r} in {text!r}")
        for substring in substrings:
            pattern = re.compile(r"(?<!\w)" + re.escape(substring) + r"(?!\w)")
            found = [Span(m.start(), m.end(), kind) for m in pattern.finditer(text)]
            if not found:
                raise ValueError(f"{substring!r} is not in {text!r}")
            spans.extend(found)
    return tuple(spans)


def load_messages(path: Path = EVAL_PATH) -> list[Message]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Message(item["text"], gold_spans(item["text"], item.get("mask") or {}))
        for item in data["messages"]
    ]


def covers(predicted: Span, gold: Span) -> bool:
    return predicted.start <= gold.start and predicted.end >= gold.end


@dataclass
class Scores:
    gold: Counter[str]
    found: Counter[str]
    predicted: Counter[str]
    correct: Counter[str]
    missed: list[tuple[str, str, str]]
    false_alarms: list[tuple[str, str, str]]

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.gold[kind] if self.gold[kind] else float("nan")

    def precision(self, kind: str) -> float:
        if not self.predicted[kind]:
            return float("nan")
        return self.correct[kind] / self.predicted[kind]


def score(messages: list[Message], predictions: list[list[Span]]) -> Scores:
    scores = Scores(Counter(), Counter(), Counter(), Counter(), [], [])
    for message, predicted in zip(messages, predictions, strict=True):
        for gold in message.gold:
            scores.gold[gold.kind] += 1
            if any(covers(span, gold) for span in predicted):
                scores.found[gold.kind] += 1
            else:
                scores.missed.append((gold.kind, message.text[gold.start : gold.end], message.text))
        for span in predicted:
            scores.predicted[span.kind] += 1
            if any(span.overlaps(gold) for gold in message.gold):
                scores.correct[span.kind] += 1
            else:
                text = message.text[span.start : span.end]
                scores.false_alarms.append((span.kind, text, message.text))
    return scores


def _time_per_message(messages: list[Message]) -> tuple[float, float]:
    texts = [message.text for message in messages]
    started = time.perf_counter()
    for text in texts:
        find_personal_details(text)
    one_by_one = (time.perf_counter() - started) / len(texts)
    started = time.perf_counter()
    redact_many(texts)
    batched = (time.perf_counter() - started) / len(texts)
    return one_by_one, batched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()

    messages = load_messages()
    find_personal_details("warm up the model")
    predictions = find_personal_details_many([message.text for message in messages])
    scores = score(messages, predictions)

    clean = [m for m, p in zip(messages, predictions, strict=True) if not m.gold]
    untouched = sum(1 for m, p in zip(messages, predictions, strict=True) if not m.gold and not p)
    print(f"{len(messages)} messages, {sum(scores.gold.values())} gold spans, {EVAL_PATH.name}")
    print("recall: gold span covered by a predicted span of any kind; precision: predicted span")
    print("overlaps a gold span of any kind")
    print(f"{'kind':<12}{'gold':>6}{'recall':>9}{'predicted':>11}{'precision':>11}")
    for kind in KINDS:
        target = f"  (target {RECALL_TARGET})" if kind in PATTERN_KINDS else ""
        print(
            f"{kind:<12}{scores.gold[kind]:>6}{scores.recall(kind):>9.3f}"
            f"{scores.predicted[kind]:>11}{scores.precision(kind):>11.3f}{target}"
        )
    total_gold = sum(scores.gold.values())
    total_predicted = sum(scores.predicted.values())
    print(
        f"{'all':<12}{total_gold:>6}{sum(scores.found.values()) / total_gold:>9.3f}"
        f"{total_predicted:>11}{sum(scores.correct.values()) / total_predicted:>11.3f}"
    )
    print(f"messages with nothing personal left untouched: {untouched}/{len(clean)}")

    one_by_one, batched = _time_per_message(messages)
    print(f"time per message: {one_by_one * 1000:.2f} ms one at a time, ", end="")
    print(f"{batched * 1000:.2f} ms in a batch (redact_many)")

    below = [k for k in PATTERN_KINDS if not scores.recall(k) >= RECALL_TARGET]
    print("pattern kinds below target: " + (", ".join(below) if below else "none"))

    if args.show_errors:
        print("\nmissed:")
        for kind, text, message in scores.missed:
            print(f"  {kind:<11} {text!r:<30} in {message!r}")
        print("\nfalse alarms:")
        for kind, text, message in scores.false_alarms:
            print(f"  {kind:<11} {text!r:<30} in {message!r}")


if __name__ == "__main__":
    main()

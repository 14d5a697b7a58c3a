"""Print how well the safeguarding detector does on the labelled evaluation set.

Recall counts a crisis message as caught when any concern is raised, because any concern gets
the person help at once; the share with the labelled category is printed beside it. Figures are
given for the dev half (looked at while tuning) and the holdout half (only measured), so
over-fitting to dev shows as a gap between them.

    .venv/bin/python bench/safeguarding_eval.py [--examples dev|holdout] [--show N]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.safeguarding import CATEGORIES, Concern, detect

EVAL_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "safeguarding_eval.yml"
SPLITS = ("dev", "holdout")


@dataclass
class SplitResult:
    """Outcomes for one split: caught and missed crises, and ordinary answers flagged."""

    caught: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    same_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    ordinary: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, Concern]] = field(default_factory=list)

    def add(self, label: str, text: str, concern: Concern | None) -> None:
        if label == "none":
            self.ordinary += 1
            if concern is not None:
                self.false_positives.append((text, concern))
            return
        self.total[label] += 1
        if concern is None:
            self.missed.append((label, text))
            return
        self.caught[label] += 1
        self.same_category[label] += concern.category == label

    @property
    def recall(self) -> float:
        return sum(self.caught.values()) / max(1, sum(self.total.values()))

    @property
    def false_positive_rate(self) -> float:
        return len(self.false_positives) / max(1, self.ordinary)


def load_items() -> list[dict[str, object]]:
    return yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))["items"]


@dataclass
class Evaluation:
    """Results per split and per writing round, and the mean time per message."""

    by_split: dict[str, SplitResult]
    by_round: dict[int, SplitResult]
    seconds_per_message: float


def evaluate(items: list[dict[str, object]]) -> Evaluation:
    """Run the detector over every item once."""
    by_split = {split: SplitResult() for split in SPLITS}
    by_round: dict[int, SplitResult] = {}
    detect("warm up the pipeline")
    started = time.perf_counter()
    for item in items:
        text, label = str(item["text"]), str(item["label"])
        concern = detect(text)
        by_split[str(item["split"])].add(label, text, concern)
        by_round.setdefault(int(item.get("round", 1)), SplitResult()).add(label, text, concern)
    seconds = (time.perf_counter() - started) / max(1, len(items))
    return Evaluation(by_split, dict(sorted(by_round.items())), seconds)


def report(evaluation: Evaluation, examples: str, show: int) -> None:
    results = evaluation.by_split
    for split, result in results.items():
        crises = sum(result.total.values())
        print(f"\n== {split}: {crises} crisis messages, {result.ordinary} ordinary answers")
        print(f"recall (any concern)      {result.recall:.3f}")
        print(f"false-positive rate       {result.false_positive_rate:.3f}")
        print(f"{'category':<12}{'n':>5}{'recall':>9}{'same category':>16}")
        for category in CATEGORIES:
            total = max(1, result.total[category])
            print(
                f"{category:<12}{result.total[category]:>5}"
                f"{result.caught[category] / total:>9.3f}"
                f"{result.same_category[category] / total:>16.3f}"
            )
    print(
        "\n== by writing round (both splits; a new round scored before reading is the honest test)"
    )
    for number, result in evaluation.by_round.items():
        print(
            f"round {number}: recall {result.recall:.3f}, "
            f"false-positive rate {result.false_positive_rate:.3f}"
        )
    chosen = results[examples]
    print(f"\n-- missed in {examples} (first {show} of {len(chosen.missed)})")
    for label, text in chosen.missed[:show]:
        print(f"  [{label}] {text}")
    print(f"-- false positives in {examples} (first {show} of {len(chosen.false_positives)})")
    for text, concern in chosen.false_positives[:show]:
        print(f"  [{concern.category}: {concern.cue}] {text}")
    print(f"\nmean time per message     {evaluation.seconds_per_message * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", choices=SPLITS, default="dev", help="split to list misses")
    parser.add_argument("--show", type=int, default=8, help="how many examples to list")
    args = parser.parse_args()
    report(evaluate(load_items()), args.examples, args.show)


if __name__ == "__main__":
    main()

"""Print how well safeguarding does, per language and per layer, on labelled messages.

Layers: `patterns` (bot.safeguarding.detector, with the plainest Polish and Romanian crisis
words of bot.safeguarding.other_languages), `meaning` (the classifier on sentence vectors,
trained on the dev half only, at its crisis threshold) and `crisis`, the two together, which is
what the conversation answers with help at once and a staff alert. `any help` adds the
meaning layer's check-in: a line with the help numbers in the normal reply (the trained Rasa
intent's check-in, English only, is measured by bench/safeguarding_layers.py). Recall counts
a crisis message as caught when any concern is raised, because any concern gets help at once.

Figures come per split (dev is trained and tuned on; holdout is only measured), per writing
round (a new round scored before anyone reads it is the honest test), and per language.
`--set FILE` scores another file of the same format, such as a blind round, without listing
any of its messages.

    .venv/bin/python bench/safeguarding_eval.py [--set FILE] [--examples dev|holdout] [--show N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.safeguarding.layers import by_meaning, by_words
from bot.safeguarding.meaning import EXAMPLES_FILE, get_classifier

LAYERS = ("patterns", "meaning", "crisis", "any help")


@dataclass
class Tally:
    """Crisis messages caught and ordinary answers flagged, for one group and one layer."""

    crises: int = 0
    caught: int = 0
    ordinary: int = 0
    flagged: int = 0
    missed: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def add(self, is_crisis: bool, raised: bool, text: str) -> None:
        if is_crisis:
            self.crises += 1
            self.caught += raised
            if not raised:
                self.missed.append(text)
        else:
            self.ordinary += 1
            self.flagged += raised
            if raised:
                self.false_positives.append(text)

    def line(self) -> str:
        recall = self.caught / max(1, self.crises)
        rate = self.flagged / max(1, self.ordinary)
        caught, flagged = f"{self.caught}/{self.crises}", f"{self.flagged}/{self.ordinary}"
        return f"recall {recall:.3f} ({caught})  fp {rate:.3f} ({flagged})"


def layer_results(text: str) -> dict[str, bool]:
    """Whether each layer raises a concern for the text, as the conversation applies them."""
    by_patterns = by_words(text) is not None
    meaning = by_meaning(text)
    meaning_crisis = meaning is not None and meaning.crisis
    return {
        "patterns": by_patterns,
        "meaning": meaning_crisis,
        "crisis": by_patterns or meaning_crisis,
        "any help": by_patterns or meaning is not None,
    }


def tally(
    items: Iterable[dict[str, object]], group: Callable[[dict[str, object]], str]
) -> dict[tuple[str, str], Tally]:
    """Tallies keyed by (group, layer)."""
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for item in items:
        text = str(item["text"])
        results = layer_results(text)
        for layer in LAYERS:
            tallies[(group(item), layer)].add(item["label"] != "none", results[layer], text)
    return tallies


def print_table(title: str, tallies: dict[tuple[str, str], Tally]) -> None:
    print(f"\n== {title}")
    for name in sorted({key for key, _ in tallies}):
        for layer in LAYERS:
            print(f"{name:<22}{layer:<10}{tallies[(name, layer)].line()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=EXAMPLES_FILE, help="labelled file to score")
    parser.add_argument("--examples", choices=("dev", "holdout"), default=None)
    parser.add_argument("--show", type=int, default=8, help="how many examples to list")
    args = parser.parse_args()
    items = yaml.safe_load(args.set.read_text(encoding="utf-8"))["items"]
    started = time.perf_counter()
    get_classifier()
    print(f"classifier ready in {time.perf_counter() - started:.1f} s")

    def language(item: dict[str, object]) -> str:
        return str(item.get("language", "en"))

    started = time.perf_counter()
    by_language_split = tally(items, lambda item: f"{language(item)} {item['split']}")
    seconds = (time.perf_counter() - started) / max(1, len(items))
    print_table("by language and split", by_language_split)
    print_table(
        "by round and language (a round scored before reading it is the honest figure)",
        tally(items, lambda item: f"round {item.get('round', 1)} {language(item)}"),
    )
    print(f"\nmean time per message (both layers): {seconds * 1000:.1f} ms")
    if args.examples is None:
        return
    for layer in ("crisis",):
        chosen = [
            tally_
            for (name, layer_), tally_ in by_language_split.items()
            if layer_ == layer and name.endswith(args.examples)
        ]
        print(f"\n-- missed in {args.examples}")
        for text in [text for t in chosen for text in t.missed][: args.show]:
            print(f"  {text}")
        print(f"-- false positives in {args.examples}")
        for text in [text for t in chosen for text in t.false_positives][: args.show]:
            print(f"  {text}")


if __name__ == "__main__":
    main()

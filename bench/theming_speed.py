"""How long propose_themes takes on 10,000 answers, and how much memory the process peaks at.

The answers are made from the hand-labelled set (tests/data/theming_eval.yml) by recombining its
answers with the kinds of variation phones produce: joined answers, dropped or doubled letters,
text-speak swaps, fillers, emoji, capitals, the odd pasted HTML and a few very long rambles.
A fixed seed makes every run the same. The spaCy model and the sentence encoder are loaded before
the clock starts, since a running service loads them once.

Run: .venv/bin/python bench/theming_speed.py [count]
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time
from pathlib import Path

import yaml

from bot.meaning import check_model
from bot.nlp import get_nlp
from bot.themes import Answer, propose_themes

EVAL_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "theming_eval.yml"
DEFAULT_COUNT = 10_000
SEED = 2024
JOINERS = (" and ", " also ", ". ", " ", " n ", ", ")
FILLERS = ("tbh ", "honestly ", "i think ", "well ", "idk ", "the thing is ", "")
ENDINGS = (" thanks", " pls", " lol", " 👍", " 😡", " !!", "", "", "")
SWAPS = (("you", "u"), ("your", "ur"), ("are", "r"), ("because", "cos"), ("please", "pls"))


def make_answers(count: int, seed: int = SEED) -> list[Answer]:
    """`count` answers recombined from the labelled set; the same for the same seed."""
    rows = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))["responses"]
    sources = [row["text"] for row in rows]
    rng = random.Random(seed)
    return [Answer(id=i, text=_vary(sources, rng)) for i in range(count)]


def _vary(sources: list[str], rng: random.Random) -> str:
    roll = rng.random()
    parts = rng.randint(5, 9) if roll < 0.01 else rng.choice((1, 1, 1, 2, 2, 3))
    text = rng.choice(JOINERS).join(_typo(rng.choice(sources), rng) for _ in range(parts))
    text = rng.choice(FILLERS) + text + rng.choice(ENDINGS)
    for long, short in SWAPS:
        if rng.random() < 0.5:
            text = text.replace(f" {long} ", f" {short} ")
    if rng.random() < 0.05:
        text = text.capitalize()
    if rng.random() < 0.01:
        text = f"<p>{text}</p>"
    return text


def _typo(text: str, rng: random.Random) -> str:
    """Drop, double or swap one letter in about a third of answers, as thumbs do."""
    if len(text) < 4 or rng.random() > 0.35:
        return text
    at = rng.randrange(1, len(text) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:at] + text[at + 1 :]
    if kind == 1:
        return text[:at] + text[at] + text[at:]
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def _peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_COUNT
    answers = make_answers(count)
    distinct = len({a.text for a in answers})
    get_nlp()
    check_model()
    before = _peak_rss_mb()
    start = time.perf_counter()
    themes = propose_themes(answers)
    elapsed = time.perf_counter() - start
    after = _peak_rss_mb()
    print(f"answers: {count} ({distinct} distinct), cores available: {os.cpu_count()}")
    print(f"propose_themes wall time: {elapsed:.1f} s")
    print(f"peak memory (max RSS): {after:.0f} MB; before theming, model loaded: {before:.0f} MB")
    print(f"themes: {len(themes)}")
    for theme in themes:
        print(f"  {len(theme.answer_ids):5d}  {theme.label}")


if __name__ == "__main__":
    main()

"""How well unprompted messages reach the right consultation, or none, per language.

Loads consultations/ into a throwaway SQLite database, builds each consultation's routing words
exactly as the conversation does (`candidate_for`), and routes every labelled message in
tests/data/routing_eval.yml. "Routed right" counts a message sent to its labelled consultation,
or kept as general feedback when it fits none; "off-topic not filed" is the share of messages
that fit no consultation and were not filed under one. The thresholds in
bot/consultations/routing.py were chosen on the dev half; holdout is only measured.

    .venv/bin/python bench/routing_eval.py [--set FILE]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.consultations.routing import best_consultation, candidate_for  # noqa: E402
from bot.consultations.sync import sync_consultations  # noqa: E402
from bot.store.database import make_engine, session_scope  # noqa: E402
from bot.store.schema import Consultation  # noqa: E402

EVAL_SET = ROOT / "tests" / "data" / "routing_eval.yml"


def share(flags: list[bool]) -> str:
    return f"{sum(flags) / max(1, len(flags)):.3f} ({sum(flags)}/{len(flags)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=EVAL_SET)
    args = parser.parse_args()
    items = yaml.safe_load(args.set.read_text(encoding="utf-8"))["items"]
    engine = make_engine("sqlite://")
    with session_scope(engine) as session:
        sync_consultations(session, ROOT / "consultations")
        consultations = session.query(Consultation).all()
        candidates = [candidate_for(session, item) for item in consultations]
    best_consultation("warm up", candidates)
    started = time.perf_counter()
    results = [(item, best_consultation(str(item["text"]), candidates) or "none") for item in items]
    seconds = (time.perf_counter() - started) / max(1, len(items))
    header = ("routed right", "on-topic right", "off-topic not filed")
    print(f"{'split':8}{'language':10}{header[0]:>20}{header[1]:>20}{header[2]:>22}")
    for split in ("dev", "holdout", "all"):
        for language in ("en", "pl", "ro", "all"):
            chosen = [
                (item, slug)
                for item, slug in results
                if split in ("all", item["split"]) and language in ("all", item["language"])
            ]
            right = [slug == item["label"] for item, slug in chosen]
            on_topic = [slug == item["label"] for item, slug in chosen if item["label"] != "none"]
            off_topic = [slug == "none" for item, slug in chosen if item["label"] == "none"]
            print(
                f"{split:8}{language:10}{share(right):>20}{share(on_topic):>20}{share(off_topic):>22}"
            )
    print(f"\nmean time per message: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()

"""A long stateful fuzz of the conversation: one person types and taps at random, for hours.

The machine is tests/support/conversation_machine.py, the rules tests/support/
conversation_model.py: no dead ends, one question at a time, no answer lost or stored twice,
help, stop, delete and the rest work from every step, "hi" after stopping carries on, unsure
words at a yes/no step ask again, stale buttons are refused kindly, and the panel words a
person is told never change. Each run starts on a fresh SQLite copy of the shipped
consultations; runs go on until --steps steps are done.

Prints the steps taken, how often each step of the conversation was reached, and the first
rule broken with the shortest steps that break it (Hypothesis shrinks it), then exits 1.

    .venv/bin/python bench/conversation_fuzz.py --steps 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.conversation_machine import TALLY, ConversationMachine  # noqa: E402
from tests.support.conversation_model import template_database  # noqa: E402

STEPS_PER_RUN = 50
RUNS_PER_BATCH = 100


def fuzz(steps: int) -> str | None:
    """Run batches until `steps` steps are done; the first broken rule, shrunk, or None."""
    batch = settings(
        max_examples=RUNS_PER_BATCH,
        stateful_step_count=STEPS_PER_RUN,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    while TALLY.steps < steps:
        try:
            run_state_machine_as_test(ConversationMachine, settings=batch)
        except AssertionError as broken:
            return str(broken)
    return None


def report(started: float, broken: str | None) -> None:
    print(f"steps: {TALLY.steps:,} in {TALLY.runs:,} runs, {time.monotonic() - started:.0f} s")
    print("steps of the conversation reached (times a step ended there):")
    for stage, count in TALLY.stages.most_common():
        print(f"  {stage:<16} {count:>8,}")
    if broken is None:
        print("rules broken: none")
    else:
        print("rule broken (the shortest steps that break it are printed above):")
        print(f"  {broken}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100_000, help="steps to take in all")
    arguments = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as directory:
        ConversationMachine.template = template_database(Path(directory))
        broken = fuzz(arguments.steps)
    report(started, broken)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

"""What reading meaning costs each message, and each process, in CPU time and memory.

Safeguarding runs on every typed message, so its cost is paid per message by the action
server. Prints CPU milliseconds per message for: a button tap (never assessed), a short text
people send again and again ("yes", "no thanks": worked out once per process), and new free
text of the length people type (a sentence, and a long answer); then the resident memory the
action server's process gains by loading the encoder and the classifier.

    .venv/bin/python bench/meaning_cost.py
"""

from __future__ import annotations

import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SAMPLE = """the food here is cold and the portions are small i would like more hot dinners
at night and the day centre shuts too early so i cannot get a shower after work"""
WORDS = SAMPLE.split()


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_ms_per_call(call, texts: list[str]) -> float:
    started = time.process_time()
    for text in texts:
        call(text)
    return (time.process_time() - started) * 1000 / len(texts)


def new_sentences(count: int, words: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    return [" ".join(chooser.choices(WORDS, k=words)) + f" {n}" for n in range(count)]


def main() -> None:
    before = rss_mb()
    started = time.perf_counter()
    from bot.conversation.engine import take_turn  # noqa: F401 - what the action server imports
    from bot.safeguarding.layers import assess

    imported = rss_mb()
    assess("warm up the encoder and the classifier", None, 0.0)
    print(f"load (import, encoder, classifier): {time.perf_counter() - started:.1f} s")
    print(
        f"memory: {before:.0f} MB at start, {imported:.0f} MB with Sayso's code, "
        f"{rss_mb():.0f} MB with the meaning layer loaded "
        f"(+{rss_mb() - imported:.0f} MB)"
    )
    print("peak memory:", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "MB")
    print("\nCPU per message (ms):")
    print("  button tap                 0.0 (taps are never assessed)")
    cases = {
        "short repeated text": ["yes", "no thanks", "dinner", "ok", "2", "not sure"] * 50,
        "new sentence (12 words)": new_sentences(200, 12, 1),
        "new long answer (80 w.)": new_sentences(50, 80, 2),
    }
    for name, texts in cases.items():
        print(f"  {name:<25}{cpu_ms_per_call(lambda t: assess(t, None, 0.0), texts):5.1f}")


if __name__ == "__main__":
    main()

"""How well the theming engine agrees with people, on the hand-labelled answers.

Prints adjusted Rand index and normalised mutual information against the human labels, the
proposed labels with their counts, and a re-theming check: themes built from 80% of the
answers, the held-out 20% placed with assign_to_existing, and the share that land in the theme
whose majority human label is their own.

With `--set PATH` it scores any file of the same format instead (`themes`, then `responses` of
`theme`, `language` and `text`), and prints only the adjusted Rand index and the share of Polish
and Romanian answers that land in a theme whose majority human label is their own: the figures
to read off a held-back set without looking at its answers.

Run: .venv/bin/python bench/theming_eval.py [--set PATH]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

import yaml
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from bot.themes import Answer, ExistingTheme, assign_to_existing, propose_themes
from bot.themes.labels import OTHER_LABEL

EVAL_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "theming_eval.yml"
HOLD_OUT_SHARE = 0.2
SPLIT_SEED = 7


def load_labelled(path: Path = EVAL_SET) -> tuple[list[Answer], dict[int, str], dict[int, str]]:
    """Answers with ids in file order, the human theme of each id, and its language."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]
    answers = [Answer(id=i, text=row["text"]) for i, row in enumerate(rows)]
    human = {i: row["theme"] for i, row in enumerate(rows)}
    return answers, human, {i: row.get("language", "en") for i, row in enumerate(rows)}


def report_set(answers: list[Answer], human: dict[int, str], language: dict[int, str]) -> None:
    """ARI, and how many Polish and Romanian answers sit with the answers that mean the same."""
    themes = propose_themes(answers)
    engine = {answer_id: n for n, t in enumerate(themes) for answer_id in t.answer_ids}
    majority_of = {n: _majority(t.answer_ids, human)[0] for n, t in enumerate(themes)}
    ids = [a.id for a in answers]
    ari = adjusted_rand_score([human[i] for i in ids], [engine[i] for i in ids])
    print(f"answers: {len(answers)}, human themes: {len(set(human.values()))}")
    print(f"adjusted Rand index: {ari:.3f}")
    for code in ("pl", "ro"):
        theirs = [i for i in ids if language[i] == code]
        right = sum(majority_of[engine[i]] == human[i] for i in theirs)
        share = right / max(len(theirs), 1)
        print(f"{code}: {right}/{len(theirs)} in their own label's theme ({share:.0%})")
    others = [i for i in ids if language[i] in ("pl", "ro")]
    right = sum(majority_of[engine[i]] == human[i] for i in others)
    print(f"Polish and Romanian together: {right / max(len(others), 1):.0%} of {len(others)}")


def report_agreement(answers: list[Answer], human: dict[int, str]) -> None:
    themes = propose_themes(answers)
    engine = {answer_id: n for n, t in enumerate(themes) for answer_id in t.answer_ids}
    ids = [a.id for a in answers]
    truth = [human[i] for i in ids]
    found = [engine[i] for i in ids]
    in_other = sum(len(t.answer_ids) for t in themes if t.label == OTHER_LABEL)
    named = [(i, engine[i]) for i in ids if themes[engine[i]].label != OTHER_LABEL]
    print(f"answers: {len(answers)}, human themes: {len(set(truth))}")
    print(f"adjusted Rand index: {adjusted_rand_score(truth, found):.3f}")
    print(f"normalised mutual information: {normalized_mutual_info_score(truth, found):.3f}")
    print(f"in Other: {in_other} ({in_other / len(answers):.0%})")
    print(f"purity of named themes: {_purity(named, human):.2f}")
    print("\nproposed themes (count, majority human label and its share, key phrases):")
    for theme in themes:
        majority, share = _majority(theme.answer_ids, human)
        phrases = ", ".join(theme.key_phrases[:4])
        size = len(theme.answer_ids)
        print(f"  {size:4d}  {theme.label:<24} {majority} {share:.0%}  [{phrases}]")
        for quote_id in theme.quote_ids:
            print(f"          “{answers[quote_id].text[:70]}”")


def report_assignment(answers: list[Answer], human: dict[int, str]) -> None:
    shuffled = answers[:]
    random.Random(SPLIT_SEED).shuffle(shuffled)
    cut = round(len(shuffled) * HOLD_OUT_SHARE)
    held_out, kept = shuffled[:cut], shuffled[cut:]
    proposed = propose_themes(kept)
    text_of = {a.id: a.text for a in kept}
    existing = [
        ExistingTheme(id=n, label=t.label, answer_texts=tuple(text_of[i] for i in t.answer_ids))
        for n, t in enumerate(proposed)
    ]
    majority_of = {n: _majority(t.answer_ids, human)[0] for n, t in enumerate(proposed)}
    placed = assign_to_existing(held_out, existing)
    assigned = {i: t for i, t in placed.items() if t is not None}
    right = sum(majority_of[t] == human[i] for i, t in assigned.items())
    print(f"\nre-theming: {len(kept)} answers themed, {len(held_out)} held out")
    print(f"  placed in a theme: {len(assigned)} ({len(assigned) / len(held_out):.0%})")
    print(f"  of those, theme's majority label matches theirs: {right / max(len(assigned), 1):.0%}")
    print(f"  all held out, placed in their own label's theme: {right / len(held_out):.0%}")
    _report_curated(held_out, kept, human)


def _report_curated(held_out: list[Answer], kept: list[Answer], human: dict[int, str]) -> None:
    """The same held-out answers against themes as staff would have sorted them: by human label."""
    names = sorted({human[a.id] for a in kept})
    curated = [
        ExistingTheme(
            id=n,
            label=name.replace("_", " "),
            answer_texts=tuple(a.text for a in kept if human[a.id] == name),
        )
        for n, name in enumerate(names)
    ]
    placed = assign_to_existing(held_out, curated)
    assigned = {i: t for i, t in placed.items() if t is not None}
    right = sum(names[t] == human[i] for i, t in assigned.items())
    print("  against staff-sorted themes (the human labels of the 80%):")
    print(f"    placed in a theme: {len(assigned)} ({len(assigned) / len(held_out):.0%})")
    print(f"    of those, in their own label's theme: {right / max(len(assigned), 1):.0%}")


def _majority(answer_ids: tuple[int, ...], human: dict[int, str]) -> tuple[str, float]:
    label, count = Counter(human[i] for i in answer_ids).most_common(1)[0]
    return label, count / len(answer_ids)


def _purity(pairs: list[tuple[int, int]], human: dict[int, str]) -> float:
    by_theme: dict[int, Counter[str]] = {}
    for answer_id, theme in pairs:
        by_theme.setdefault(theme, Counter())[human[answer_id]] += 1
    top = sum(counts.most_common(1)[0][1] for counts in by_theme.values())
    return top / max(len(pairs), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--set", type=Path, help="score this labelled file instead")
    chosen = parser.parse_args().set
    if chosen is not None:
        report_set(*load_labelled(chosen))
        return
    answers, human, _ = load_labelled()
    report_agreement(answers, human)
    report_assignment(answers, human)


if __name__ == "__main__":
    main()

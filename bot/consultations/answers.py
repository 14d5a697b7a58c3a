"""Reading a person's answer against a question's options, whether they tapped or typed.

Typed text that matches no option is still a valid answer: every question accepts free text,
so nothing a person says is thrown away.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_ORDINALS = {
    "first": 1, "1st": 1, "one": 1, "a": 1,
    "second": 2, "2nd": 2, "two": 2, "b": 2,
    "third": 3, "3rd": 3, "three": 3, "c": 3,
    "fourth": 4, "4th": 4, "four": 4, "d": 4,
    "fifth": 5, "5th": 5, "five": 5, "e": 5,
    "sixth": 6, "6th": 6, "six": 6, "f": 6,
    "seventh": 7, "7th": 7, "seven": 7, "g": 7,
    "eighth": 8, "8th": 8, "eight": 8, "h": 8,
}  # fmt: skip
_NUMBER_ONLY = re.compile(r"^\s*(?:number|no\.?|option|#)?\s*(\d{1,2})\s*[.)]?\s*$", re.I)
_AFFIRM_TO_YES = {"affirm": "yes", "deny": "no"}
#: A bare "no" to a choice question picks its one "No, ..." option, if it has exactly one.
_BARE_REFUSALS = {"no", "nope", "nah", "n", "none", "no thanks", "not really"}


@dataclass(frozen=True)
class Interpretation:
    """`value` is the matched option, or None for a free-text answer.

    `valid` is False for a button payload, or a bare number, that names no option.
    """

    value: str | None
    valid: bool = True


def _by_position(token: str, values: Sequence[str]) -> str | None:
    token = token.strip().lower()
    position = int(token) if token.isdigit() else _ORDINALS.get(token)
    if position is not None and 1 <= position <= len(values):
        return values[position - 1]
    return None


def _normalise(text: str) -> str:
    return re.sub(r"[^\w\s]", "", text.lower()).strip()


def interpret_answer(
    kind: str,
    options: Sequence[dict[str, str]],
    text: str,
    intent: str | None = None,
    option: str | None = None,
) -> Interpretation:
    """Match the answer to one of the options, or keep it as free text."""
    values = [item["value"] for item in options]
    if option is not None:
        if option in values:
            return Interpretation(option)
        positional = _by_position(option, values)
        return Interpretation(positional, valid=positional is not None)
    if not values:
        return Interpretation(None)
    if kind == "yes_no" and intent in _AFFIRM_TO_YES:
        return Interpretation(_AFFIRM_TO_YES[intent])
    number = _NUMBER_ONLY.match(text)
    if number:
        # A bare number names a button or nothing: "7" for five buttons is asked again.
        value = _by_position(number.group(1), values)
        return Interpretation(value, valid=value is not None)
    typed = _normalise(text)
    for item in options:
        label = _normalise(item["label"])
        if typed and (typed == label or typed == item["value"]):
            return Interpretation(item["value"])
    if typed in _ORDINALS or re.fullmatch(r"the (\w+) one", typed):
        word = typed.split()[1] if typed.startswith("the ") else typed
        return Interpretation(_by_position(word, values))
    if typed in _BARE_REFUSALS:
        labels = {item["value"]: _normalise(item["label"]) for item in options}
        refusals = [value for value, label in labels.items() if label.startswith("no ")]
        if len(refusals) == 1:
            return Interpretation(refusals[0])
    return Interpretation(None)

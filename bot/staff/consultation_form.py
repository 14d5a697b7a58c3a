"""The consultation form: from the fields staff filled in to the data the loader checks, back
again for showing the form, and from the loader's problems to the fields they belong to.

Questions are a fixed number of blank slots (no script needed to add one); a slot left empty
is skipped. Options are one a line, either just the words ("Early morning") or a stored value
and the words ("none | No, I do not"), so editing never changes the values already stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.consultations.loader import (
    CONSULTATION_OPTIONAL,
    CONSULTATION_REQUIRED,
    MAX_QUESTIONS,
    QUESTION_OPTIONAL,
    QUESTION_REQUIRED,
    Problem,
)
from bot.consultations.spec import LADDER_RUNGS, QUESTION_KINDS, STATUSES

#: The form's fields are the YAML file's, in the same order; questions and translations are
#: laid out separately.
TOP_FIELDS = tuple(
    name
    for name in (*CONSULTATION_REQUIRED, *CONSULTATION_OPTIONAL)
    if name not in ("questions", "translations")
)
QUESTION_FIELDS = (*QUESTION_REQUIRED, *QUESTION_OPTIONAL)
SPARE_SLOTS = 2
MIN_SLOTS = 3
OPTION_SEPARATOR = "|"

FIELD_NAMES = {
    "slug": "Slug",
    "title": "Title",
    "summary": "Summary",
    "ladder_rung": "What people's say can change",
    "who_decides": "Who decides",
    "opens_on": "Opens on",
    "closes_on": "Closes on",
    "feedback_due_on": "People hear back by",
    "status": "Status",
    "keywords": "Keywords",
    "key": "key",
    "kind": "kind",
    "prompt": "question",
    "easy_read": "easy read version",
    "options": "options",
    "required": "required",
}
RUNG_HINTS = {
    "informing": "We tell people what will happen. They cannot change it.",
    "consultation": "We ask people, then we decide.",
    "engagement": "We talk with people and shape the plan with them, but we decide.",
    "co-design": "People and staff design it together; some limits stay with us.",
    "co-production": "People share power and decisions with us from start to end.",
}
_QUESTION_FIELD = re.compile(r"questions\[(\d+)\](?:\.([a-z_]+))?")


@dataclass(frozen=True)
class FormState:
    """What the form shows: a value for each input, and how many question slots there are."""

    values: dict[str, str]
    slots: int
    errors: list[tuple[str, str]]

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error_for(self, name: str) -> str | None:
        return next((message for field, message in self.errors if field == name), None)


def _slot_count(questions: int) -> int:
    return min(MAX_QUESTIONS, max(MIN_SLOTS, questions + SPARE_SLOTS))


def state_from_data(data: Mapping[str, Any]) -> FormState:
    """The form filled in from a consultation (as `consultation_data` gives it)."""
    values = {name: str(data.get(name) or "") for name in TOP_FIELDS if name != "keywords"}
    values["keywords"] = ", ".join(data.get("keywords") or [])
    questions = data.get("questions") or []
    for index, question in enumerate(questions):
        prefix = f"questions-{index}-"
        values[prefix + "key"] = question.get("key") or ""
        values[prefix + "kind"] = question.get("kind") or ""
        values[prefix + "prompt"] = question.get("prompt") or ""
        values[prefix + "easy_read"] = question.get("easy_read") or ""
        values[prefix + "required"] = "yes" if question.get("required") else ""
        values[prefix + "options"] = "\n".join(
            f"{option['value']} {OPTION_SEPARATOR} {option['label']}"
            for option in question.get("options") or []
        )
    return FormState(values=values, slots=_slot_count(len(questions)), errors=[])


def state_from_form(form: Mapping[str, str], errors: list[tuple[str, str]]) -> FormState:
    """The form as it was sent, to show again with its mistakes marked."""
    slots = _sent_slots(form)
    names = [*TOP_FIELDS, *(f"questions-{i}-{f}" for i in range(slots) for f in QUESTION_FIELDS)]
    values = {name: str(form.get(name) or "") for name in names}
    return FormState(values=values, slots=slots, errors=errors)


def _sent_slots(form: Mapping[str, str]) -> int:
    try:
        return max(MIN_SLOTS, min(MAX_QUESTIONS, int(form.get("question_slots") or MIN_SLOTS)))
    except ValueError:
        return MIN_SLOTS


def data_from_form(form: Mapping[str, str]) -> tuple[dict[str, Any], list[int]]:
    """The consultation data to check, and for each question in it the slot it came from."""
    data: dict[str, Any] = {}
    for name in TOP_FIELDS:
        value = str(form.get(name) or "").strip()
        if name == "keywords":
            data[name] = [word.strip() for word in re.split(r"[,\n]", value) if word.strip()]
        elif name != "status" or value:
            data[name] = value
    questions: list[dict[str, Any]] = []
    slot_of: list[int] = []
    for slot in range(_sent_slots(form)):
        question = _question_from_slot(form, slot)
        if question is not None:
            questions.append(question)
            slot_of.append(slot)
    data["questions"] = questions
    return data, slot_of


def _question_from_slot(form: Mapping[str, str], slot: int) -> dict[str, Any] | None:
    def sent(field: str) -> str:
        return str(form.get(f"questions-{slot}-{field}") or "").strip()

    if not any(sent(field) for field in ("key", "prompt", "easy_read", "options")):
        return None
    question: dict[str, Any] = {"key": sent("key"), "kind": sent("kind"), "prompt": sent("prompt")}
    if sent("easy_read"):
        question["easy_read"] = sent("easy_read")
    question["required"] = sent("required") == "yes"
    options = [_option(line) for line in sent("options").splitlines() if line.strip()]
    if options:
        question["options"] = options
    return question


def _option(line: str) -> str | dict[str, str]:
    if OPTION_SEPARATOR in line:
        value, _, label = line.partition(OPTION_SEPARATOR)
        return {"value": value.strip(), "label": label.strip()}
    return line.strip()


def errors_for_form(problems: tuple[Problem, ...], slot_of: list[int]) -> list[tuple[str, str]]:
    """(input id, message) for each problem, in the order the fields appear on the form."""
    errors = []
    for problem in problems:
        field_id, name = _field_of(problem.field, slot_of)
        errors.append((field_id, f"{name}: {problem.reason}"))
    order = {name: n for n, name in enumerate(TOP_FIELDS)}
    return sorted(errors, key=lambda e: (order.get(e[0], len(order)), _slot_number(e[0])))


def _slot_number(field_id: str) -> int:
    match = re.match(r"questions-(\d+)-", field_id)
    return int(match.group(1)) if match else -1


def _field_of(field: str, slot_of: list[int]) -> tuple[str, str]:
    match = _QUESTION_FIELD.match(field)
    if match:
        index = int(match.group(1))
        slot = slot_of[index] if index < len(slot_of) else 0
        part = match.group(2) or "prompt"
        part = part if part in QUESTION_FIELDS else "options"
        return f"questions-{slot}-{part}", f"Question {slot + 1} {FIELD_NAMES[part]}"
    if field == "questions":
        return "questions-0-key", "Questions"
    top = field.split("[")[0]
    if top in TOP_FIELDS:
        return top, FIELD_NAMES[top]
    return "title", "Consultation"


def choices() -> dict[str, Any]:
    """The fixed lists the form offers, with plain hints for each rung of the ladder."""
    return {
        "rungs": [(rung, RUNG_HINTS[rung]) for rung in LADDER_RUNGS],
        "kinds": list(QUESTION_KINDS),
        "statuses": list(STATUSES),
    }

"""Checks on the NLU training data under data/nlu.

The model can only tell "skip" from "stop" or a view from a crisis if each intent has
enough examples, no example teaches two answers at once, and each file keeps to its
purpose so the people who edit one area do not quietly change another.
"""

import unicodedata
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

NLU_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"

INTENTS_BY_FILE: dict[str, set[str]] = {
    "greetings.yml": {"greet", "goodbye", "ask_if_bot"},
    "navigation.yml": {"help", "repeat", "simpler", "skip", "stop", "start_again"},
    "people.yml": {"talk_to_person"},
    "report_back.yml": {"what_happened"},
    "privacy.yml": {"delete_data", "no_more_updates"},
    "answers.yml": {"affirm", "deny", "choose"},
    "views.yml": {"share_view"},
    "out_of_scope.yml": {"out_of_scope"},
    "safeguarding.yml": {"crisis"},
}
#: Polish and Romanian cover what a person can ask for at any point, and yes and no.
LANGUAGE_INTENTS = {
    "greet", "goodbye", "ask_if_bot", "help", "repeat", "simpler", "skip", "stop",
    "start_again", "talk_to_person", "what_happened", "delete_data", "affirm", "deny",
}  # fmt: skip
INTENTS_BY_FILE.update({"polish.yml": LANGUAGE_INTENTS, "romanian.yml": LANGUAGE_INTENTS})

ALL_INTENTS = set().union(*INTENTS_BY_FILE.values())

# Open-ended intents need many more examples: they cover whole topics, not one command.
BROAD_INTENTS = {"share_view", "crisis", "out_of_scope"}
MIN_EXAMPLES_BROAD = 60
MIN_EXAMPLES_META = 25


def normalise(text: str) -> str:
    """Fold case, punctuation and spacing, so "Help." and "help" count as the same example.

    A message made only of punctuation (such as "?") is kept as typed, because it is
    still a real example and must not collapse into an empty string.
    """
    without_punctuation = "".join(
        " " if unicodedata.category(char).startswith("P") else char for char in text.casefold()
    )
    folded = " ".join(without_punctuation.split())
    return folded or text.strip()


def _examples_by_intent(data: TrainingData) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = defaultdict(list)
    for message in data.training_examples:
        examples[message.get("intent")].append(message.get("text"))
    return examples


@pytest.fixture(scope="module")
def loaded() -> tuple[TrainingData, list[warnings.WarningMessage]]:
    """Load the whole folder once, recording any warning the loader raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = load_data(str(NLU_DIR))
    return data, [w for w in caught if issubclass(w.category, UserWarning)]


@pytest.fixture(scope="module")
def examples_by_intent(loaded: tuple[TrainingData, list]) -> dict[str, list[str]]:
    return _examples_by_intent(loaded[0])


def test_folder_loads_without_warnings(loaded: tuple[TrainingData, list]) -> None:
    _, caught = loaded
    assert [str(w.message) for w in caught] == []


def test_exactly_the_expected_intents_are_present(
    examples_by_intent: dict[str, list[str]],
) -> None:
    assert set(examples_by_intent) == ALL_INTENTS


@pytest.mark.parametrize("intent", sorted(ALL_INTENTS))
def test_each_intent_has_enough_examples(
    intent: str, examples_by_intent: dict[str, list[str]]
) -> None:
    minimum = MIN_EXAMPLES_BROAD if intent in BROAD_INTENTS else MIN_EXAMPLES_META
    assert len(examples_by_intent[intent]) >= minimum


def test_no_example_is_taught_under_two_intents(
    examples_by_intent: dict[str, list[str]],
) -> None:
    intents_by_text: dict[str, set[str]] = defaultdict(set)
    for intent, texts in examples_by_intent.items():
        for text in texts:
            intents_by_text[normalise(text)].add(intent)
    clashes = {
        text: sorted(intents) for text, intents in intents_by_text.items() if len(intents) > 1
    }
    assert clashes == {}


def test_no_example_is_repeated_within_an_intent(
    examples_by_intent: dict[str, list[str]],
) -> None:
    repeats = {}
    for intent, texts in examples_by_intent.items():
        counts = Counter(normalise(text) for text in texts)
        repeated = sorted(text for text, count in counts.items() if count > 1)
        if repeated:
            repeats[intent] = repeated
    assert repeats == {}


@pytest.mark.parametrize("file_name", sorted(INTENTS_BY_FILE))
def test_each_file_holds_only_the_intents_of_its_purpose(file_name: str) -> None:
    data = load_data(str(NLU_DIR / file_name))
    assert data.intents == INTENTS_BY_FILE[file_name]


def test_every_typed_choice_marks_the_option(loaded: tuple[TrainingData, list]) -> None:
    """A typed "number 2" is no use unless the model learns which word is the option."""
    unmarked = [
        message.get("text")
        for message in loaded[0].training_examples
        if message.get("intent") == "choose"
        and [entity["entity"] for entity in message.get("entities", [])] != ["option"]
    ]
    assert unmarked == []

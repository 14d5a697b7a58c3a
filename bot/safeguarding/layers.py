"""The safeguarding layers together, as the conversation applies them to every message.

1. Patterns (`detect`) on text that does not lean to Polish or Romanian (they read English:
   "od" is an overdose in English text and "from" in Polish), and the plainest crisis words in
   Polish and Romanian (`explicit_concern`). A match is a crisis: help at once, a staff alert,
   and a choice to carry on.
2. Meaning (`bot.safeguarding.meaning`): a classifier on multilingual sentence vectors, for
   what people say in their own words and in Polish or Romanian. Above its crisis threshold
   it is a crisis, exactly as a pattern match is; above its lower check-in threshold, a
   check-in (below).
3. The trained `crisis` intent, on English text only (the NLU model knows only English; it
   once read a Polish sentence about cold food as a crisis with 0.93 confidence). Alone it is
   a check-in: a short help line added to the normal reply, no interruption and no alert.

Why two levels: measured on tests/data/safeguarding_eval.yml, the intent alone flagged about
one ordinary hard-topic answer in five ("i'd kill for a curry", "i used to sleep in doorways")
while adding almost no recall to the patterns. Interrupting those people, and alerting staff
about them, would teach everyone to ignore the alerts; a one-line offer of help costs nothing.
bench/safeguarding_layers.py prints every level.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.conversation.input_checks import looks_like_another_language
from bot.meaning.language import language_points
from bot.safeguarding.detector import detect
from bot.safeguarding.meaning import Reading, get_classifier
from bot.safeguarding.other_languages import explicit_concern

CRISIS_INTENT = "crisis"
CHECK_IN_MIN_CONFIDENCE = 0.9
#: A short, clear request to the bot ("i want to stop", "i dont understand") is taken as the
#: request: the meaning layer, unsure about short everyday phrases, does not read it. Patterns
#: and plain crisis words still make any of them a crisis. "talk to a person" is left out on
#: purpose.
REQUEST_INTENTS = frozenset(
    {"help", "repeat", "simpler", "skip", "stop", "start_again", "what_happened", "ask_if_bot",
     "greet", "goodbye", "affirm", "deny", "choose", "delete_data", "no_more_updates"}
)  # fmt: skip
REQUEST_MIN_CONFIDENCE = 0.8
REQUEST_MAX_WORDS = 8
#: One or two words ("po polsku", "dunno really") carry too little meaning for the classifier
#: to interrupt anyone, and three for a check-in; patterns and plain crisis words still apply.
CRISIS_MIN_WORDS = 3
#: Texts up to this long have their reading kept.
SHORT_TEXT_CHARS = 60
CHECK_IN_MIN_WORDS = 4


@dataclass(frozen=True)
class Assessment:
    """`category` names the risk for a crisis; a check-in has none."""

    crisis: bool
    category: str | None = None


CHECK_IN = Assessment(crisis=False)


def leans_away_from_english(text: str) -> bool:
    """More signs of Polish or Romanian than of English, even in two words ("od nowa")."""
    points = language_points(text)
    return max(points["pl"], points["ro"]) > points["en"]


def prepare_safeguarding() -> None:
    """Load everything `assess` reads, so the first message waits for none of it."""
    assess("warming up the patterns", None, 0.0)
    get_classifier().read("warming up the encoder and the classifier")


@lru_cache(maxsize=4096)
def _read_short(text: str) -> Reading:
    """People send the same short things again and again; each is read once per process."""
    return get_classifier().read(text)


def by_words(text: str) -> str | None:
    """The kind of crisis the English patterns or the plain Polish and Romanian words show."""
    concern = None if leans_away_from_english(text) else detect(text)
    if concern is not None:
        return concern.category
    return explicit_concern(text)


def by_meaning(text: str) -> Assessment | None:
    """A crisis or a check-in from the classifier; None for too few words to read."""
    words = len(text.split())
    if words < CRISIS_MIN_WORDS:
        return None
    classifier = get_classifier()
    reading = _read_short(text) if len(text) <= SHORT_TEXT_CHARS else classifier.read(text)
    if classifier.is_crisis(reading):
        return Assessment(crisis=True, category=reading.category)
    if words >= CHECK_IN_MIN_WORDS and classifier.needs_check_in(reading, text):
        return CHECK_IN
    return None


def assess(text: str, intent: str | None, confidence: float) -> Assessment | None:
    """A crisis, a check-in, or None for a typed message."""
    category = by_words(text)
    if category is not None:
        return Assessment(crisis=True, category=category)
    is_request = (
        intent in REQUEST_INTENTS
        and confidence >= REQUEST_MIN_CONFIDENCE
        and len(text.split()) <= REQUEST_MAX_WORDS
    )
    found = None if is_request else by_meaning(text)
    if found is not None:
        return found
    if (
        intent == CRISIS_INTENT
        and confidence >= CHECK_IN_MIN_CONFIDENCE
        and not looks_like_another_language(text)
    ):
        return CHECK_IN
    return None

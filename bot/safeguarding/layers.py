"""The two safeguarding layers together, as the conversation applies them to every message.

1. Patterns (`detect`) on any text. A match is a crisis: help at once, a staff alert, and a
   choice to carry on.
2. The trained `crisis` intent, on English text only (the NLU model knows only English; it
   once read a Polish sentence about cold food as a crisis with 0.93 confidence). Alone it is
   a check-in: a short help line added to the normal reply, no interruption and no alert.

Why two levels: measured on tests/data/safeguarding_eval.yml, the intent alone flagged about
one ordinary hard-topic answer in five ("i'd kill for a curry", "i used to sleep in doorways")
while adding almost no recall to the patterns. Interrupting those people, and alerting staff
about them, would teach everyone to ignore the alerts; a one-line offer of help costs nothing.
bench/safeguarding_layers.py prints both levels.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.input_checks import looks_like_another_language
from bot.safeguarding.detector import detect

CRISIS_INTENT = "crisis"
CHECK_IN_MIN_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Assessment:
    """`category` names the risk for a crisis; a check-in has none."""

    crisis: bool
    category: str | None = None


CHECK_IN = Assessment(crisis=False)


def assess(text: str, intent: str | None, confidence: float) -> Assessment | None:
    """A crisis, a check-in, or None for a typed message."""
    concern = detect(text)
    if concern is not None:
        return Assessment(crisis=True, category=concern.category)
    if (
        intent == CRISIS_INTENT
        and confidence >= CHECK_IN_MIN_CONFIDENCE
        and not looks_like_another_language(text)
    ):
        return CHECK_IN
    return None

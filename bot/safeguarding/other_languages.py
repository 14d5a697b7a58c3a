"""Plain crisis words in Polish and Romanian, for the messages whose meaning nobody can miss.

The English patterns read spaCy lemmas, which the English model cannot give for Polish or
Romanian. The meaning layer reads every language, but on short explicit messages ("chcę się
zabić") it can be unsure, and these need help at once, not a maybe. So the most explicit ways
of saying each kind of crisis are matched here, on lower-case text with the accents taken off
(people often type without them). Written from general knowledge of each language, not from
the evaluation sets.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.languages import without_accents

_STEMS: dict[str, tuple[str, ...]] = {
    "medical": (
        r"przedawkow", r"nie (moge )?oddycha", r"nie mozna (go|jej) obudzic",
        r"(wzial|wziela|wzialem|wzielam|lyknal\w*|polknal\w*) (wszystkie|cale|cala)",
        r"supradoz", r"nu (mai )?respira", r"nu pot (sa )?respir", r"nu se (mai )?trezeste",
        r"a luat (toate|tot) (pastilele|medicamentele)",
    ),
    "danger": (
        r"(chce|chca) mnie zabic", r"zabij[ea] mnie", r"grozi(|a|l|la) mi", r"ma noz",
        r"(vrea|vor|o sa|or sa) (sa )?ma omoare", r"ma omoara daca", r"ma ameninta",
        r"are (un )?cutit",
    ),
    "self_harm": (
        r"zabi(c|je|jam|lbym|labym) sie", r"sie zabi(c|je|jam)", r"nie chce (juz )?zyc",
        r"chce umrzec", r"samoboj", r"skonczy(c|e)? ze soba", r"skoncze ze soba",
        r"(tne|pocialem|pocielam|pociac|cialem|cielam) sie", r"powies(ic|ze) sie",
        r"nie ma sensu zyc",
        r"(sa )?ma omor\b(?! de (ras|foame|munca|somn|frig))", r"sinucid", r"sa ma spanzur",
        r"nu mai vreau sa traiesc", r"vreau sa mor", r"sa ma arunc (de|in|sub)",
        r"sa termin cu (tot|viata)",
    ),
    "abuse": (
        r"(bije|bil|bila|pobil|pobila|leje|tlucze) mnie", r"zgwalc", r"molestu",
        r"ma bate", r"m-a batut", r"ma loveste", r"violat", r"ma agreseaza",
    ),
    "cold": (
        r"nie mam gdzie spac", r"n-am unde sa dorm", r"nu am unde sa dorm",
        r"dorm (afara|pe strada|in parc)",
    ),
}  # fmt: skip
#: Words that put what follows in the past ("years ago", "I am well now"): not a crisis now.
_OVER = re.compile(
    r"\b(?:dawno temu|\w+ temu|kiedys|w przeszlosci|teraz jestem w lepszym"
    r"|acum (?:un|\w+) ani?\b|acum sunt bine|cu ani in urma|in trecut)"
)


def fold(text: str) -> str:
    """Lower case without accents: "Chcę się zabić" becomes "chce sie zabic"."""
    return re.sub(r"\s+", " ", without_accents(text.casefold()))


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (category, re.compile(r"\b(?:" + "|".join(stems) + r")"))
        for category, stems in _STEMS.items()
    )


def explicit_concern(text: str) -> str | None:
    """The most urgent kind of crisis said in so many words, or None."""
    folded = fold(text)
    if _OVER.search(folded):
        return None
    for category, pattern in _compiled():
        if pattern.search(folded):
            return category
    return None

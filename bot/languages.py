"""The languages Sayso speaks, and how a person asks for one.

English is the default and the language every consultation is written in. Polish and Romanian
are among the languages most spoken by people using UK homelessness services. A person picks a
language at any time by typing its name ("polski", "română", "english") in any channel, or with
the web chat's language menu, which sends the same words. Buttons keep their payloads in every
language, so a tap always means the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

DEFAULT_LANGUAGE = "en"
#: Language codes, in the order menus show them, with each language's name in itself.
LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "ro": "Română"}
LANGUAGES = tuple(LANGUAGE_NAMES)
TRANSLATED_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)

#: Whole messages that ask for a language, after `_fold`: names in English, Polish and Romanian.
_REQUESTS = {
    "en": {"english", "in english", "angielski", "po angielsku", "engleza", "in engleza",
           "limba engleza"},
    "pl": {"polski", "polish", "po polsku", "jezyk polski", "polska", "poloneza",
           "in poloneza", "limba poloneza"},
    "ro": {"romana", "romanian", "limba romana", "in romana", "pe romaneste", "romaneste",
           "rumunski", "po rumunsku", "jezyk rumunski"},
}  # fmt: skip
#: Polite words people add around a language name; they do not change the request.
_POLITE = {"please", "pls", "plz", "prosze", "va rog", "te rog"}
_PUNCTUATION = re.compile(r"[^\w\s]")

#: Month names as they follow a day number ("do 19 lutego 2027", "până pe 19 februarie 2027").
_MONTHS = {
    "pl": ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
           "września", "października", "listopada", "grudnia"),
    "ro": ("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august",
           "septembrie", "octombrie", "noiembrie", "decembrie"),
}  # fmt: skip
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December")  # fmt: skip

#: The words on Sayso's own buttons. Consultation buttons are translated in the content.
BUTTON_TITLES = {
    "Yes": {"pl": "Tak", "ro": "Da"},
    "No": {"pl": "Nie", "ro": "Nu"},
    "Yes, that's OK": {"pl": "Tak, zgadzam się", "ro": "Da, sunt de acord"},
    "No thanks": {"pl": "Nie, dziękuję", "ro": "Nu, mulțumesc"},
    "Yes, delete it all": {"pl": "Tak, usuń wszystko", "ro": "Da, șterge tot"},
    "No, keep it": {"pl": "Nie, zachowaj", "ro": "Nu, păstrează"},
    "No, something else": {"pl": "Nie, coś innego", "ro": "Nu, altceva"},
    "A bit": {"pl": "Trochę", "ro": "Puțin"},
    "Skip": {"pl": "Pomiń", "ro": "Sari peste"},
    "That's all": {"pl": "To wszystko", "ro": "Asta e tot"},
    "Start again": {"pl": "Zacznij od nowa", "ro": "Încep din nou"},
}


def without_accents(text: str) -> str:
    """The letters people type on an English keyboard: "zabić się" becomes "zabic sie".

    ł has no accent to take off in Unicode, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _fold(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces: "Română!" becomes "romana"."""
    plain = without_accents(text.casefold())
    words = _PUNCTUATION.sub(" ", plain).split()
    joined = " ".join(words)
    for polite in _POLITE:
        joined = re.sub(rf"(^| ){polite}($| )", " ", joined).strip()
    return joined


def requested_language(text: str) -> str | None:
    """The language a whole message asks for, or None when it is not a language request.

    Only a message that is just a language name counts, so "I am Polish and the food is bad"
    is an answer, not a request.
    """
    folded = _fold(text)
    for code, requests in _REQUESTS.items():
        if folded in requests:
            return code
    return None


def supported(language: str | None) -> str:
    """The language itself when Sayso offers it, otherwise English."""
    return language if language in LANGUAGE_NAMES else DEFAULT_LANGUAGE


def button_title(title: str, language: str) -> str:
    """One of Sayso's own button titles in the language; any other title stays as it is."""
    return BUTTON_TITLES.get(title, {}).get(language, title)


def plain_date(day: date, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as people say it: 19 February 2027, 19 lutego 2027, 19 februarie 2027."""
    months = _MONTHS.get(language, _ENGLISH_MONTHS)
    return f"{day.day} {months[day.month - 1]} {day.year}"

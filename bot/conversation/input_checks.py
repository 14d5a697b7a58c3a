"""Cheap checks on raw text that decide how kindly to answer odd input."""

from __future__ import annotations

import re
import unicodedata

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PHONE_SPEAK = {"u", "ur", "r", "im", "dont", "cant", "wont", "pls", "plz", "ok", "ya", "yeah"}
#: Letters common in Polish, Romanian and other European languages but never in English.
_NON_ENGLISH_LETTERS = set("ąćęłńóśźżăâîșțşţäöüßñãõçéèêëïôœûùÿ")
#: English sentences of five words or more almost always have this share of function words.
ENGLISH_SHARE_MIN = 0.15
#: With a letter English never uses (café aside), ask for a larger English share.
ENGLISH_SHARE_WITH_FOREIGN_LETTERS = 0.3


def is_blank(text: str) -> bool:
    return not text.strip()


def is_emoji_only(text: str) -> bool:
    """True for text with something in it but no letters or digits, like "👍👍" or "??"."""
    stripped = text.strip()
    return bool(stripped) and not any(char.isalnum() for char in stripped)


def looks_like_another_language(text: str) -> bool:
    """A careful guess from letters and the share of English function words.

    Other scripts, or letters English never uses with few English words, or five or more
    words of which hardly any are English function words. It only changes what Sayso says
    back and which checks it trusts; the answer is kept whatever the guess.
    """
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return False
    non_latin = sum(1 for char in letters if "LATIN" not in unicodedata.name(char, ""))
    if non_latin / len(letters) > 0.5:
        return True
    words = [word.lower() for word in _WORD.findall(text)]
    english_share = sum(1 for word in words if word in STOP_WORDS or word in _PHONE_SPEAK) / len(
        words
    )
    if any(char in _NON_ENGLISH_LETTERS for char in text.lower()):
        return english_share < ENGLISH_SHARE_WITH_FOREIGN_LETTERS
    return len(words) >= 5 and english_share < ENGLISH_SHARE_MIN


#: Words that say "I don't know" rather than yes or no, in English, Polish and Romanian.
#: NLU reads several as something else: "maybe" as stop, "not sure" as yes, "nie wiem" as no.
UNSURE_PHRASES = (
    "maybe", "perhaps", "not sure", "unsure", "dunno", "idk", "no idea", "don't know",
    "dont know", "do not know", "may be",
    "może", "moze", "być może", "byc moze", "chyba", "nie wiem", "nie jestem pewien",
    "nie jestem pewna", "nie jestem pewny",
    "poate", "nu știu", "nu stiu", "nu sunt sigur", "nu sunt sigură", "nu sunt sigura",
)  # fmt: skip
#: Words that may sit around an unsure phrase without changing it: "um, I'm not sure really".
_UNSURE_FILLER = {
    "i", "im", "i'm", "am", "um", "umm", "hmm", "erm", "er", "well", "so", "oh", "really",
    "yes", "no", "or", "not", "just", "eh", "ja", "nu", "eu", "tak", "nie", "da",
}  # fmt: skip
_UNSURE_WORDS = sorted((phrase.split() for phrase in UNSURE_PHRASES), key=len, reverse=True)


def is_unsure(text: str) -> bool:
    """True when the whole message says "I don't know": "maybe", "not sure", "nie wiem".

    Only the whole message counts, so "maybe later" (a request to stop) or "Może być" (a
    Polish answer meaning "it's OK") are not unsure.
    """
    tokens = [token.strip(".,!?…'\"") for token in text.casefold().replace("’", "'").split()]
    tokens = [token for token in tokens if token]
    found = False
    index = 0
    while index < len(tokens):
        phrase = next(
            (words for words in _UNSURE_WORDS if tokens[index : index + len(words)] == words),
            None,
        )
        if phrase is not None:
            found = True
            index += len(phrase)
        elif tokens[index] in _UNSURE_FILLER:
            index += 1
        else:
            return False
    return found

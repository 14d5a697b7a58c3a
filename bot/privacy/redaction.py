"""Mask personal details in what participants write, before any member of staff reads it.

Two passes, in this order:

1. **Patterns** (regular expressions) find the details that have a fixed shape: emails, links,
   @handles, UK phone numbers, NHS numbers, postcodes, street addresses and flat numbers. They
   run first and their spans are final, so a phone number is never called a name.
2. **Language** (spaCy) finds names and places in the rest of the text. Names: spaCy's PERSON
   entities, plus first names from a word list and words after cues such as "my name is" or
   "my mate ...", because people often type names in lower case, where the model misses them.

The place rule is pragmatic. A place is masked when it says where someone lives, sleeps, stays
or can be found, because that is what lets a reader pick one person out:

- a street address with a number ("12 Station Road") or a flat number ("flat 3") always;
- any other place only inside a personal cue: "I live / stay / sleep / kip ...", "we got
  housed ...", "my flat / room / address / tent ...". Within the next few words, a named
  place after "in", "at", "on", "behind" and so on is masked: a spaCy GPE, LOC, FAC or ORG
  entity, a capitalised name ("behind Tesco on High Street"), a street name ("church road"),
  or a lower-case word that is not an everyday place word ("i live in hackney").

A place mentioned without such a cue stays ("the council", "London is expensive", "the hostel
on the high street is full"): staff need those words to understand the answer, and they do not
point at a person. "a tent", "my car", "the streets" stay even after a cue, because they are not
named places.

Any 10-digit number that is not a phone number is masked: an NHS number, even one mistyped, is
still someone's number, and a bare 10-digit run in a message is almost never harmless. The NHS
mod-11 check digit, and the word "NHS" nearby, decide only whether it is labelled an NHS number
or (starting with 7) a mobile number typed without its 0.

The functions take any text (empty, very long, emoji, HTML, other languages) and never raise on
its content. They return plain text: escaping for a web page is the page's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from bot.nlp import get_nlp


def _words(text: str) -> frozenset[str]:
    """A word list written as plain text, one or more words a line."""
    return frozenset(text.split())


PLACEHOLDERS: dict[str, str] = {
    "name": "[name]",
    "place": "[place]",
    "phone": "[phone]",
    "email": "[email]",
    "postcode": "[postcode]",
    "nhs_number": "[NHS number]",
    "url": "[link]",
    "handle": "[username]",
}

# spaCy's default limit is 1,000,000 characters; longer text is read in pieces.
_NLP_CHUNK_CHARS = 100_000


@dataclass(frozen=True)
class Span:
    """One personal detail: text[start:end] is of this kind."""

    start: int
    end: int
    kind: str  # "name", "place", "phone", "email", "postcode", "nhs_number", "url", "handle"

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+'-])[\w.+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",
    re.IGNORECASE,
)
# "jo at gmail dot com", "jo @ gmail.com": written to dodge spam filters, or with a phone's
# auto-spacing. Only with the big mail providers, so "insta @shaz.b.art" stays a handle.
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:\(at\)|\[at\]|\bat\b|@)\s*"
    r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|live|aol|btinternet|sky|protonmail)"
    r"\s*(?:\.|\bdot\b)\s*(?:com|co\s*(?:\.|\bdot\b)\s*uk|net|org)\b",
    re.IGNORECASE,
)

_URL_TAIL = r"[^\s<>\"'()\[\]{}]*"
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.)"
    + _URL_TAIL
    # A bare domain with a path: bit.ly/x, t.me/name, facebook.com/someone.
    + r"|(?<![\w@.-])(?:[a-z0-9-]+\.)+[a-z]{2,6}/"
    + _URL_TAIL
    # A bare domain on its own, only with the endings people actually type.
    + r"|(?<![\w@.-])(?:[a-z0-9-]+\.)+(?:com|org|net|info|co\.uk|org\.uk|gov\.uk|ac\.uk|nhs\.uk)"
    r"(?![\w-])",
    re.IGNORECASE,
)
_URL_TRAILING_PUNCTUATION = ".,;:!?"

_HANDLE = re.compile(r"(?<![\w@/.])@[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?", re.IGNORECASE)

# Trunk 0 (maybe bracketed) or +44 / 0044 (maybe with "(0)"), then 9 or 10 more digits with at
# most two separators between digits, so "07700 900123", "(0161) 496 0789" and
# "+44 (0)7700 900123" all match. The digits are checked afterwards.
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+\s?|00\s?)44[\s\-.]?(?:\(0\)\s?)?|\(?0[\s\-.)]{0,2})"
    r"\d(?:[\s\-.()]{0,2}\d){8,9}(?!\d)"
)
_PHONE_PREFIXES_11 = ("01", "02", "03", "05", "07", "08", "09")
# A few areas have 10-digit numbers, and 0800 has 10-digit numbers too.
_PHONE_PREFIXES_10 = ("01", "0800")

_TEN_DIGITS = re.compile(
    r"(?<![\d£$€.,+])(?:"
    r"\d{10}"
    r"|\d{3}([\s\-.])\d{3}\1\d{4}"
    r"|\d{3}([\s\-.])\d{4}\2\d{3}"
    r"|\d{4}([\s\-.])\d{3}\3\d{3}"
    r"|\d{4}[\s\-.]\d{6}"
    r"|\d{5}[\s\-.]\d{5}"
    r")(?![\d]|[.,]\d)"
)
_NHS_WORD = re.compile(r"\bnhs\b", re.IGNORECASE)

# Outward code, optional space, inward code (digit + two letters that Royal Mail uses).
_POSTCODE = re.compile(
    r"\b([a-z]{1,2}\d[a-z\d]?)([ \t]{0,2})(\d[abd-hjlnp-uw-z]{2})\b",
    re.IGNORECASE,
)
# "ps5 2nd hand": a spaced "inward code" that is an ordinal is almost always an ordinal.
_ORDINAL = re.compile(r"1st|2nd|3rd|[04-9]th", re.IGNORECASE)

_STREET_SUFFIXES = _words(
    """road rd street st avenue ave lane ln close drive dr way court ct crescent cres place
    gardens gdns grove terrace hill park square sq row mews walk rise view green parade estate
    house tower towers vale wharf yard approach boulevard gate croft meadow meadows fields
    heights lodge mansions buildings cottages villas"""
)
# Words that may sit between a number and a street word without it being an address:
# "2 min walk", "3 bed house", "9 thats way too early", "the car park". Stop words are in
# too, except the few that name real streets ("Back Lane", "Well Street", "Front Street").
_NOT_STREET_NAME_WORDS = _words(
    """im ive thats its dont cant wont u ur r n min mins minute minutes hour hours hr hrs day
    days week weeks month months year years yr yrs mile miles km quid pound pounds times
    people kids bed beds bedroom bedrooms storey car cars bus buses train star"""
) | (STOP_WORDS - {"back", "front", "well", "top", "side", "bottom", "first", "third"})
_NUMBERED_STREET = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+"
    rf"(?:(?!(?:{'|'.join(sorted(_NOT_STREET_NAME_WORDS, key=len, reverse=True))})\b)"
    r"[a-z][a-z'’-]*\s+){1,3}"
    rf"(?:{'|'.join(sorted(_STREET_SUFFIXES))})\b",
    re.IGNORECASE,
)
_FLAT_NUMBER = re.compile(
    r"\b(?:flat|flt|apartment|apt|maisonette)\s*(?:no\.?\s*|number\s*)?\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)


def _nhs_check_digit_ok(digits: str) -> bool:
    """The NHS mod-11 check: weights 10..2 on the first nine digits give the tenth."""
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return False
    return (0 if check == 11 else check) == int(digits[9])


def _emails(text: str) -> Iterator[Span]:
    for pattern in (_EMAIL, _SPELLED_EMAIL):
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), "email")


def _urls(text: str) -> Iterator[Span]:
    for match in _URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING_PUNCTUATION:
            end -= 1
        if end - match.start() > len("www."):
            yield Span(match.start(), end, "url")


def _handles(text: str) -> Iterator[Span]:
    for match in _HANDLE.finditer(text):
        yield Span(match.start(), match.end(), "handle")


def _phones(text: str) -> Iterator[Span]:
    """UK numbers: 11 digits from 01, 02, 03, 05, 07, 08, 09, or 10 from 01 and 0800.

    Three-digit numbers (999, 111) and helplines like 116 123 are not matched: they are not
    anyone's own number, and staff need to see them.
    """
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if digits.startswith("0044"):
            digits = "0" + digits[4:]
        elif digits.startswith("44"):
            digits = "0" + digits[2:]
        if digits.startswith("00"):  # "+44 (0)7700 ..." keeps its bracketed 0
            digits = digits[1:]
        valid = (len(digits) == 11 and digits.startswith(_PHONE_PREFIXES_11)) or (
            len(digits) == 10 and digits.startswith(_PHONE_PREFIXES_10)
        )
        if valid:
            yield Span(match.start(), match.end(), "phone")


def _ten_digit_numbers(text: str) -> Iterator[Span]:
    """NHS numbers (usually 3-3-4) and other bare 10-digit runs; see the module docstring."""
    for match in _TEN_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if digits.startswith("0"):
            continue  # a phone number, or nothing: the phone pattern has had its turn
        nearby = text[max(0, match.start() - 40) : match.end() + 25]
        if _NHS_WORD.search(nearby) or _nhs_check_digit_ok(digits):
            kind = "nhs_number"
        elif digits.startswith("7"):
            kind = "phone"
        else:
            kind = "nhs_number"
        yield Span(match.start(), match.end(), kind)


def _postcodes(text: str) -> Iterator[Span]:
    for match in _POSTCODE.finditer(text):
        if match.group(2) and _ORDINAL.fullmatch(match.group(3)):
            continue
        yield Span(match.start(), match.end(), "postcode")


def _addresses(text: str) -> Iterator[Span]:
    for pattern in (_FLAT_NUMBER, _NUMBERED_STREET):
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), "place")


# Earlier finders win overlaps: an email holds a domain, a link can hold a handle or digits.
_PATTERN_FINDERS = (
    _emails,
    _urls,
    _handles,
    _phones,
    _ten_digit_numbers,
    _postcodes,
    _addresses,
)


def _claim(candidates: Iterable[Span], taken: list[Span]) -> None:
    """Add candidates in priority order, skipping any that overlap a span already taken.

    An overlapping candidate of the same kind widens the span it overlaps instead, so
    "sarah" from the word list and "sarah jones" from spaCy become one name.
    """
    for candidate in candidates:
        clashes = [span for span in taken if span.overlaps(candidate)]
        if not clashes:
            taken.append(candidate)
            continue
        if len(clashes) == 1 and clashes[0].kind == candidate.kind:
            merged = Span(
                min(clashes[0].start, candidate.start),
                max(clashes[0].end, candidate.end),
                candidate.kind,
            )
            others = [span for span in taken if span is not clashes[0]]
            if not any(span.overlaps(merged) for span in others):
                taken[taken.index(clashes[0])] = merged


def _pattern_spans(text: str) -> list[Span]:
    taken: list[Span] = []
    for finder in _PATTERN_FINDERS:
        _claim(finder(text), taken)
    return taken


# ---------------------------------------------------------------------------------------------
# Language: names and places
# ---------------------------------------------------------------------------------------------

# Common first names typed in lower case, across the communities services work with. Names that
# are also everyday English words (will, mark, grace, rose, may, jack, nick, rob, joy, max, ...)
# or places (victoria, chelsea, jordan, paris) are left out: spaCy still finds them capitalised.
_FIRST_NAMES = _words(
    """
    aaron abbie abby abdi abdul abdullah abdullahi abigail adam adrian aidan aiden aimee alan
    alex alexander alfie alice alicia alison amanda amelia amy andrew andy angela angus anna
    anne annie anthony antony arthur ashley barry becky ben benjamin beth bethany betty beverley
    billy bobby brandon brendan brian bronwen bryony caitlin callum calum cameron carl carly
    caroline catherine charlie charlotte chelsey cheryl chloe chris christina christine
    christopher ciara ciaran claire clare colin connor conor craig dale damian damien dan daniel
    danielle danny darren daryl dave david dean debbie deborah declan denise dennis derek donna
    dylan eddie edward eileen elaine eleanor elizabeth ellie emily emma eoin eric erin ethan
    evie fiona gary gavin gemma geoff george georgina gerry gillian glen glenn gordon graham
    greg gregory gwen hannah harvey hayley helen ian imogen isaac isabel isabella
    isla jacob jake james jamie jane janet jason jayden jenna jenny jeremy jessica jill joanne
    joe joel john johnny jon jonathan jonno josh joshua julie justin karen karl kate katie
    kayleigh keith kelly kenny kerry kevin kev kieran kim kirsty kyle laura lauren leah leanne
    lewis liam linda lisa logan lorraine louise lucy luke lydia lynn lynne maisie margaret
    marie martin matthew megan melanie michael michelle mike molly natalie nathan neil nicola
    niamh nigel oliver olivia owen paul paula pauline peter pete philip phil rachel rebecca
    rhys richard ricky robert robbie rory ryan sally samantha sam sarah scott sean shane
    sharon shaun shauna sian simon siobhan sophie stacey stephen steve steven stuart susan
    suzanne tanya terry thomas tom tommy tony tracey tracy trevor tyler vicky wayne wendy
    zoe agnes albert alfred andrea ann annette audrey barbara bernard bernadette brenda
    bridget carole cathy charles charlene colleen connie deirdre diane doreen doris dorothy
    edith edna elsie ernest esther ethel evelyn frances francis freda gareth gerald
    geraldine gladys glenda gloria harold henry hilda howard hugh irene jacqueline janice
    jeanette jennifer joan josephine joyce judith judy julia kathleen kenneth lesley leslie
    lilian lillian malcolm marian marilyn marion marjorie maureen maurice mavis miriam muriel
    nancy naomi nora norma norman patricia phyllis rita roger ronald rosemary ruth sandra
    sheila shirley sylvia teresa theresa valerie vera vivienne walter yvonne aaliyah ava
    harper leo mason noah oscar reggie riley sienna theo freddie frankie jaxon kai maya millie
    mia rosie tilly lexi lola bella demi kayden tia keira courtney kelsey shannon toni
    daz dazza gaz baz shaz kezza jodie sinead aoife padraig seamus mairead fergus hamish
    morag eilidh rhiannon dafydd gethin cerys bethan carys
    aisha amina ayesha fatima fatma khadija mariam maryam zainab zahra hafsa sana nadia layla
    leila yasmin samira huda noor amira rania salma rubina nazma shamima jahanara rukhsana
    shazia nasreen parveen shabana farzana sadia tahmina
    mohammed mohammad muhammad mohamed ahmed ahmad ali omar umar hassan hussein hussain
    ibrahim yusuf yousef abdulrahman mustafa khalid tariq imran bilal zain hamza usman osman
    waqas zubair adnan sajid faisal kamran asif nasir shahid rashid rahim rahman habib
    mahmoud mehdi reza hossein karzan rebwar soran dilan shirin parisa
    priya anjali sunita pooja neha deepa rajesh raj ravi amit arjun deepak sanjay vijay anil
    sunil harpreet gurpreet manpreet jaspreet simran navdeep rajinder sukhvinder
    wojciech tomasz tomek piotr pawel krzysztof marek michal lukasz jakub kuba dariusz darek
    grzegorz andrzej marcin kamil mateusz agnieszka katarzyna kasia magdalena magda
    malgorzata gosia ewa joanna aleksandra monika justyna dorota beata zofia zosia
    ioana andrei mihai ionut alexandru florin cristian bogdan vasile gheorghe elena mihaela
    andreea alina gabriela nicoleta raluca ionela
    gintaras tomas mantas darius rytis jonas egle ruta inga janis andris
    joao jose pedro luis carlos miguel antonio francisco manuel rui catarina ines juan javier
    pablo diego alejandro lucia carmen marco luca giuseppe giovanni francesca giulia chiara
    hodan hibo faduma sahra ifrah ayaan guled liban mahad nimco deeqa ubah halima
    chidi chinedu chiamaka chioma ngozi nkechi obinna emeka ifeanyi uche oluwaseun seun tunde
    adebayo ayo femi funmi folake bola segun tolu yemi kemi bukola kwame kwabena kofi kojo
    kwaku akosua abena efua kwesi
    tyrone jermaine leroy delroy winston marcus andre shanice shantelle chantelle tanisha
    keisha latoya jamal kareem malik darnell dwayne clive desmond errol marlon nathaniel
    jerome jamar
    wei mei xiao ying yan hui lin ming jing minh thanh linh anh
    yonas dawit tesfaye meron mulu
    mehmet ahmet emre murat elif ayse zeynep
    """
)
# Surnames only ever extend a name ("aisha khan"); alone they are too often ordinary words.
_SURNAMES = _words(
    """
    smith jones williams taylor davies evans wilson thomas johnson roberts robinson thompson
    wright walker edwards hughes lewis harris clarke clark patel jackson martin morris moore
    allen james scott phillips watson davis parker bennett griffiths mitchell kelly carter
    richardson bailey collins murphy cox richards khan marshall anderson simpson ellis adams
    singh begum ali hussain ahmed akhtar kaur mohammed rahman nowak kowalski wisniewski
    popescu nguyen tran okafor mensah obi reid o'brien o'connor mcdonald macdonald campbell
    stewart mackenzie doherty farah warsame
    """
)

_PERSONAL_PLACE_VERBS = _words(
    """live lives living lived stay stays staying stayed sleep sleeps sleeping slept kip kips
    kipping doss dossing housed rehoused moved placed based camp camping squat squatting
    crash crashing"""
)
_FIRST_PERSON = _words("i im i'm m 'm me we us my our")
_HOME_NOUNS = _words(
    """flat house home address room bedsit hostel tent place caravan gaff digs b&b
    accommodation squat pitch boat"""
)
_POSSESSIVES = _words("my our his her their mums mum's dads dad's nans nan's mates")
_POSSESSIVE_ENDINGS = frozenset({"'s", "’s"})
_LOCATION_PREPOSITIONS = _words(
    """in at on near by behind outside off opposite round around under to from inside beside
    along past across nr"""
)
_CUE_WINDOW_TOKENS = 10
# Words that follow "i live in ..." or "find me on ..." without being a named place.
_EVERYDAY_PLACE_WORDS = _words(
    """streets street road roads park tent hostel hotel b&b car van doorway doorways shelter
    flat flats house home room bedsit town city area centre center estate village bus
    station train hospital church mosque temple squat garden woods field camp bridge
    underpass arches alley stairwell accommodation housing temporary emergency supported
    sheltered care prison jail rehab fear poverty hope pain misery squalor limbo hell debt
    peace silence dread denial luxury comfort college school uni university work job gym
    library court pub club dentist doctors surgery clinic jobcentre office shop shops
    market number insta instagram facebook fb snap snapchat tiktok twitter whatsapp
    telegram messenger"""
)
_NOT_A_NAME_WORD = _words(
    """got get gets gonna lol innit tho pls plz ok okay yeah yes no now atm n u ur r
    thanks ta"""
)

# Fewer tokens than this and spaCy's lower-case guesses are mostly greetings.
_CONTEXT_TOKENS = 4
_PLACE_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})
_PERSON_LABEL = "PERSON"
_NON_NAME_POS = frozenset(
    {"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "NUM", "ADV", "ADJ", "PUNCT"}
)

# Cues after which the next word is a name even in lower case ("my name is tomasz").
_STRONG_NAME_CUES = (
    ("my", "name", "is"),
    ("my", "names"),
    ("my", "name", "'s"),
    ("name", "is"),
    ("name", ":"),
    ("i", "m", "called"),
    ("i", "'m", "called"),
    ("i", "am", "called"),
    ("call", "me"),
    ("called",),
    ("named",),
    ("mr",),
    ("mrs",),
    ("ms",),
    ("miss",),
    ("dr",),
)
# Cues after which a word is a name only if it looks like one (tagged or listed).
_WEAK_NAME_CUES = (
    ("this", "is"),
    ("its", "me"),
    ("it", "'s", "me"),
    ("ask", "for"),
    ("speak", "to"),
    ("talk", "to"),
    ("spoke", "to"),
    ("thanks", "to"),
    ("thank", "you", "to"),
    ("ta", "to"),
    ("hi", "i", "m"),
    ("hi", "i", "'m"),
)
# "my mate kev", "my support worker siobhan": the word after is usually a name.
_RELATION_NOUNS = _words(
    """mate mates friend pal worker keyworker son daughter boy girl kid partner boyfriend
    girlfriend bf gf fella missus husband wife ex mum mam mom dad brother sister bro sis
    nan nana nanna gran grandad grandma uncle auntie aunt cousin neighbour landlord landlady
    gp nurse manager boss carer advocate officer counsellor"""
)


def _is_wordlike(token: Token) -> bool:
    """Letters, maybe with an apostrophe or hyphen inside ("o'brien", "mary-jane")."""
    return any(ch.isalpha() for ch in token.text) and all(
        ch.isalpha() or ch in "'’-&" for ch in token.text
    )


def _is_plain_word(token: Token) -> bool:
    """A word that could be part of a name: not a stop word, preposition or filler."""
    lower = token.lower_
    return (
        _is_wordlike(token)
        and not token.is_stop
        and lower not in _LOCATION_PREPOSITIONS
        and lower not in _NOT_A_NAME_WORD
    )


def _char_span(doc: Doc, start: int, end: int, kind: str) -> Span:
    return Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), kind)


def _follows(doc: Doc, index: int, cue: tuple[str, ...]) -> bool:
    """True if the tokens just before `index` are the cue words."""
    begin = index - len(cue)
    return begin >= 0 and tuple(t.lower_ for t in doc[begin:index]) == cue


def _personal_place_windows(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges that follow a cue saying where someone lives, sleeps or stays."""
    windows = []
    for token in doc:
        lower = token.lower_
        near = doc[max(0, token.i - 4) : token.i + 3]
        is_cue = (
            (lower in _PERSONAL_PLACE_VERBS and any(t.lower_ in _FIRST_PERSON for t in near))
            or (
                lower in _HOME_NOUNS
                and token.i > 0
                and doc[token.i - 1].lower_ in _POSSESSIVES | _POSSESSIVE_ENDINGS
            )
            or lower == "address"
            or (lower == "at" and token.i > 0 and doc[token.i - 1].lower_ in {"m", "'m", "am"})
            or (lower == "me" and token.i > 0 and doc[token.i - 1].lower_ == "find")
        )
        if is_cue:
            start = token.i if lower == "at" else token.i + 1
            end = min(token.sent.end, token.i + 1 + _CUE_WINDOW_TOKENS)
            windows.append((start, end))
    return windows


def _place_after(doc: Doc, index: int, end: int) -> tuple[int, int] | None:
    """The named place starting at token `index` (just after a preposition), if there is one."""
    after_the = index < end and doc[index].lower_ == "the"
    if after_the:
        index += 1
    if index >= len(doc):
        return None
    entity_end = index
    if doc[index].ent_iob_ == "B" and doc[index].ent_type_ in _PLACE_ENTITY_LABELS:
        entity_end = next(ent.end for ent in doc.ents if ent.start == index)
    stop = index
    while stop < end and stop - index < 4 and _is_plain_word(doc[stop]):
        if doc[stop].is_lower and doc[stop].pos_ in {"VERB", "AUX"}:
            break
        stop += 1
    run = doc[index:stop]
    street = (
        len(run) >= 2
        and run[-1].lower_ in _STREET_SUFFIXES
        and all(t.lower_ not in _NOT_STREET_NAME_WORDS for t in run[:-1])
    )
    if entity_end == index and not street and all(t.lower_ in _EVERYDAY_PLACE_WORDS for t in run):
        return None  # "the Hostel", "on insta": everyday words, whatever their tags say
    named = any(
        t.ent_type_ in _PLACE_ENTITY_LABELS | {_PERSON_LABEL}
        or t.is_title
        or (t.is_upper and len(t) > 1)
        or t.pos_ == "PROPN"
        for t in run
    )
    bare_place = (
        not after_the
        and 1 <= len(run) <= 2
        and all(t.lower_ not in _EVERYDAY_PLACE_WORDS for t in run)
        and run[0].pos_ in {"NOUN", "PROPN", "X"}
    )
    if named or street or bare_place or entity_end > index:
        return index, max(stop, entity_end)
    return None


def _place_spans(doc: Doc) -> Iterator[Span]:
    for start, end in _personal_place_windows(doc):
        for token in doc[start:end]:
            if token.lower_ in _LOCATION_PREPOSITIONS:
                found = _place_after(doc, token.i + 1, end)
                if found:
                    yield _char_span(doc, *found, "place")


def _extend_name(doc: Doc, start: int, limit: int = 3) -> int:
    """End of a name starting at `start`: the first word, joined parts, then surname-like words.

    "ellie-mae" is three tokens with no spaces between them; they stay one name.
    """
    end = start + 1
    while (
        end + 1 < len(doc)
        and doc[end].text in {"-", "'", "’"}
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and _is_wordlike(doc[end + 1])
    ):
        end += 2
    words = 1
    while end < len(doc) and words < limit:
        token = doc[end]
        looks_like_surname = (
            token.lower_ in _SURNAMES
            or token.lower_ in _FIRST_NAMES
            or token.is_title
            or token.pos_ == "PROPN"
        )
        if not (_is_plain_word(token) and looks_like_surname):
            break
        end += 1
        words += 1
    return end


def _looks_like_name(token: Token) -> bool:
    """Capitalised, or a listed first name: lower-case proper-noun tags are too unreliable."""
    return _is_plain_word(token) and (token.lower_ in _FIRST_NAMES or token.is_title)


def _is_believable_person(entity: SpacySpan) -> bool:
    """spaCy's PERSON, unless it is all lower case and nothing else says it is a name.

    On lower-case text the small model calls greetings and fillers a person ("mornin", "yeh").
    A lower-case entity needs a listed first name or surname, or a proper-noun tag in a message
    long enough to give the model some context ("oskar the polish guy got me the job").
    """
    if not any(_is_plain_word(t) for t in entity):
        return False
    if any(not t.is_lower for t in entity if t.is_alpha):
        return True
    if any(t.lower_ in _FIRST_NAMES or t.lower_ in _SURNAMES for t in entity):
        return True
    return len(entity.doc) >= _CONTEXT_TOKENS and any(t.pos_ == "PROPN" for t in entity)


def _name_spans(doc: Doc) -> Iterator[Span]:
    for entity in doc.ents:
        if entity.label_ == _PERSON_LABEL and _is_believable_person(entity):
            yield _char_span(doc, entity.start, entity.end, "name")
    for token in doc:
        if not _is_plain_word(token):
            continue
        index = token.i
        strong = any(_follows(doc, index, cue) for cue in _STRONG_NAME_CUES)
        weak = any(_follows(doc, index, cue) for cue in _WEAK_NAME_CUES)
        after_relation = (
            index > 0
            and doc[index - 1].lower_ in _RELATION_NOUNS
            and token.lower_ not in _RELATION_NOUNS
            and any(t.lower_ in _POSSESSIVES for t in doc[max(0, index - 4) : index - 1])
        )
        if (
            token.lower_ in _FIRST_NAMES
            or ((strong or after_relation) and token.pos_ not in _NON_NAME_POS)
            or ((strong or weak) and _looks_like_name(token))
        ):
            yield _char_span(doc, index, _extend_name(doc, index), "name")


def _claim_language_spans(doc: Doc, offset: int, taken: list[Span]) -> None:
    """Claim places, then names, from one parsed piece of text that starts at `offset`."""
    for span in (*_place_spans(doc), *_name_spans(doc)):
        shifted = Span(span.start + offset, span.end + offset, span.kind)
        trimmed = _trim_to_free_text(shifted, taken, doc.text, offset)
        if trimmed.end > trimmed.start:
            _claim([trimmed], taken)


def _trim_to_free_text(span: Span, taken: list[Span], text: str, offset: int) -> Span:
    """Cut a language span back so it does not run into a pattern span ("dave 07700 ...")."""
    start, end = span.start, span.end
    for other in taken:
        if other.kind == span.kind or not (other.start < end and start < other.end):
            continue
        if other.start <= start:
            start = max(start, other.end)
        else:
            end = min(end, other.start)
    while start < end and not text[start - offset].isalnum():
        start += 1
    while end > start and not text[end - 1 - offset].isalnum():
        end -= 1
    return Span(start, end, span.kind)


# ---------------------------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------------------------


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of at most _NLP_CHUNK_CHARS, cut at whitespace where possible."""
    position = 0
    while position < len(text):
        end = min(len(text), position + _NLP_CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind(" ", position, end)
            end = cut if cut > position else end
        yield position, text[position:end]
        position = end


def _needs_language_pass(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _pipe(nlp: Language, texts: list[str]) -> Iterator[Doc]:
    disabled = [name for name in ("lemmatizer",) if name in nlp.pipe_names]
    return nlp.pipe(texts, disable=disabled, batch_size=64)


def find_personal_details_many(texts: list[str]) -> list[list[Span]]:
    """find_personal_details for a batch, parsing all texts in one spaCy pipe (much faster)."""
    results = [_pattern_spans(text) for text in texts]
    pieces = [
        (number, offset, chunk)
        for number, text in enumerate(texts)
        if _needs_language_pass(text)
        for offset, chunk in _chunks(text)
    ]
    if pieces:
        docs = _pipe(get_nlp(), [chunk for _, _, chunk in pieces])
        for (number, offset, _), doc in zip(pieces, docs, strict=True):
            _claim_language_spans(doc, offset, results[number])
    return [sorted(spans, key=lambda span: span.start) for spans in results]


def find_personal_details(text: str) -> list[Span]:
    """Non-overlapping spans, sorted by start."""
    return find_personal_details_many([text])[0]


def _apply(text: str, spans: list[Span]) -> str:
    parts = []
    position = 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(PLACEHOLDERS[span.kind])
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def redact_many(texts: list[str]) -> list[str]:
    """redact for a batch: the staff pages redact hundreds of answers at a time."""
    return [
        _apply(text, spans)
        for text, spans in zip(texts, find_personal_details_many(texts), strict=True)
    ]


def redact(text: str) -> str:
    """Text with each span replaced by a plain placeholder such as [name], [phone], [postcode]."""
    return _apply(text, find_personal_details(text))

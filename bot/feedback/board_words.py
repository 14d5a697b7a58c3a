"""The public board's own words in English, Polish and Romanian: short, plain sentences.

Staff words (what was done, why not) come from the outcome's translations where staff gave
them; everything else on the board is here.
"""

from __future__ import annotations

from bot.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "service": "You said, we did",
        "intro": "We asked people what they think. Here is what they said and what we did.",
        "nothing_yet": "Nothing is published yet. Please look again soon.",
        "you_said": "What people said",
        "we_did": "What we did",
        "status": "Status",
        "date": "Date",
        "who_decided": "Who decided",
        "why_not": "Why not",
        "people": "{count} people said this",
        "hidden_themes": "Some things were said by only a few people. We do not show them, "
        "so nobody can be picked out.",
        "no_themes": "We do not show what people said here. Too few people said it.",
        "quote": "One person said",
        "see_more": "See what we did about {title}",
        "all": "All topics",
        "print": "Print this for the wall",
        "language": "Language",
        "feed": "Get news of new outcomes (Atom feed)",
        "not_found_title": "Page not found",
        "not_found": "There is no topic with that name. Go to all topics.",
        "no_outcomes": "Nothing is published for this topic yet. Please look again soon.",
        "have_your_say": "Have your say",
        "chat_way": "On any phone: scan the code, or go to",
        "telegram_way": "On Telegram: scan the code, or go to",
        "ask_worker": "No phone? Ask a worker. You can use the tablet here.",
        "bot_note": "Sayso is a bot, not a person. It does not ask your name.",
        "print_hint": "Use your browser's Print. Each outcome has its own box.",
        "planned": "Planned",
        "in_progress": "In progress",
        "done": "Done",
        "not_doing": "Not doing",
        "chat_qr_alt": "QR code that opens the Sayso web chat",
        "telegram_qr_alt": "QR code that opens Sayso on Telegram",
        "skip": "Skip to main content",
        "published": "Published",
    },
    "pl": {
        "service": "Wy powiedzieliście, my zrobiliśmy",
        "intro": "Zapytaliśmy ludzi o zdanie. Oto co powiedzieli i co zrobiliśmy.",
        "nothing_yet": "Nic jeszcze nie opublikowano. Zajrzyj wkrótce.",
        "you_said": "Co powiedzieli ludzie",
        "we_did": "Co zrobiliśmy",
        "status": "Stan",
        "date": "Data",
        "who_decided": "Kto zdecydował",
        "why_not": "Dlaczego nie",
        "people": "Liczba osób: {count}",
        "hidden_themes": "Niektóre rzeczy powiedziało tylko kilka osób. Nie pokazujemy ich. "
        "Dzięki temu nikogo nie można rozpoznać.",
        "no_themes": "Nie pokazujemy tutaj, co powiedzieli ludzie. Powiedziało to za mało osób.",
        "quote": "Jedna osoba powiedziała",
        "see_more": "Zobacz, co zrobiliśmy: {title}",
        "all": "Wszystkie tematy",
        "print": "Wydrukuj na ścianę",
        "language": "Język",
        "feed": "Wiadomości o nowych decyzjach (kanał Atom)",
        "not_found_title": "Nie ma takiej strony",
        "not_found": "Nie ma tematu o tej nazwie. Przejdź do wszystkich tematów.",
        "no_outcomes": "Dla tego tematu nic jeszcze nie opublikowano. Zajrzyj wkrótce.",
        "have_your_say": "Powiedz, co myślisz",
        "chat_way": "Na telefonie: zeskanuj kod albo wejdź na",
        "telegram_way": "Na Telegramie: zeskanuj kod albo wejdź na",
        "ask_worker": "Nie masz telefonu? Zapytaj pracownika. Możesz użyć tabletu.",
        "bot_note": "Sayso to bot, nie człowiek. Nie pyta o imię.",
        "print_hint": "Użyj opcji Drukuj w przeglądarce. Każda decyzja ma swoją ramkę.",
        "planned": "Zaplanowane",
        "in_progress": "W trakcie",
        "done": "Zrobione",
        "not_doing": "Nie zrobimy",
        "chat_qr_alt": "Kod QR, który otwiera czat Sayso",
        "telegram_qr_alt": "Kod QR, który otwiera Sayso na Telegramie",
        "skip": "Przejdź do treści",
        "published": "Opublikowano",
    },
    "ro": {
        "service": "Voi ați spus, noi am făcut",
        "intro": "Am întrebat oamenii ce cred. Iată ce au spus și ce am făcut.",
        "nothing_yet": "Nu am publicat încă nimic. Mai verificați în curând.",
        "you_said": "Ce au spus oamenii",
        "we_did": "Ce am făcut",
        "status": "Stare",
        "date": "Data",
        "who_decided": "Cine a decis",
        "why_not": "De ce nu",
        "people": "Număr de persoane: {count}",
        "hidden_themes": "Unele lucruri au fost spuse de foarte puține persoane. Nu le arătăm. "
        "Așa nimeni nu poate fi recunoscut.",
        "no_themes": "Nu arătăm aici ce au spus oamenii. Prea puține persoane au spus asta.",
        "quote": "O persoană a spus",
        "see_more": "Vedeți ce am făcut: {title}",
        "all": "Toate subiectele",
        "print": "Tipăriți pentru perete",
        "language": "Limba",
        "feed": "Știri despre decizii noi (flux Atom)",
        "not_found_title": "Pagina nu există",
        "not_found": "Nu există un subiect cu acest nume. Mergeți la toate subiectele.",
        "no_outcomes": "Nu am publicat încă nimic despre acest subiect. Mai verificați în curând.",
        "have_your_say": "Spuneți ce credeți",
        "chat_way": "Pe orice telefon: scanați codul sau mergeți la",
        "telegram_way": "Pe Telegram: scanați codul sau mergeți la",
        "ask_worker": "Nu aveți telefon? Întrebați un lucrător. Puteți folosi tableta de aici.",
        "bot_note": "Sayso este un robot, nu o persoană. Nu vă cere numele.",
        "print_hint": "Folosiți Print din browser. Fiecare decizie are caseta ei.",
        "planned": "Planificat",
        "in_progress": "În lucru",
        "done": "Făcut",
        "not_doing": "Nu vom face",
        "chat_qr_alt": "Cod QR care deschide chatul Sayso",
        "telegram_qr_alt": "Cod QR care deschide Sayso pe Telegram",
        "skip": "Treceți la conținut",
        "published": "Publicat",
    },
}

LANGUAGES = tuple(LANGUAGE_NAMES)


def language_of(asked: str | None) -> str:
    """The board's language for `?lang=`; anything unknown is English."""
    return asked if asked in WORDS else DEFAULT_LANGUAGE


def board_words(language: str) -> dict[str, str]:
    return WORDS[language_of(language)]

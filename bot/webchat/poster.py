"""A printable A4 poster for a drop-in: what a consultation is about and how to answer.

It is plain HTML with print styles, so staff print it from any browser. The QR codes are drawn
on the server. Staff open it at `/chat/poster/<slug>`; the staff app's consultation pages
should link there.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment

from bot.config import Settings
from bot.languages import LANGUAGE_NAMES, TRANSLATED_LANGUAGES, plain_date
from bot.store.schema import Consultation
from bot.store.translations import ConsultationWords
from bot.webchat.carry_on import qr_data_uri, telegram_link

#: One line for each other language, in that language, so its speakers see they are welcome.
ANSWER_IN = {"pl": "Możesz odpowiadać po polsku.", "ro": "Poți răspunde în limba română."}


@dataclass(frozen=True)
class OtherLanguage:
    code: str
    name: str
    invitation: str
    title: str | None


def render_poster(
    environment: Environment,
    consultation: Consultation,
    translations: dict[str, ConsultationWords],
    settings: Settings,
    chat_url: str,
    stylesheet: str,
) -> str:
    """The poster's HTML. `translations` holds the consultation's words in each other language."""
    telegram_url = telegram_link(settings, consultation.slug)
    other_languages = [
        OtherLanguage(
            code=code,
            name=LANGUAGE_NAMES[code],
            invitation=ANSWER_IN[code],
            title=(
                translations[code].title
                if code in translations and translations[code].title != consultation.title
                else None
            ),
        )
        for code in TRANSLATED_LANGUAGES
    ]
    return environment.get_template("poster.html").render(
        consultation=consultation,
        closes_on=plain_date(consultation.closes_on),
        feedback_due_on=plain_date(consultation.feedback_due_on),
        chat_url=chat_url,
        chat_qr=qr_data_uri(chat_url),
        telegram_url=telegram_url,
        telegram_qr=qr_data_uri(telegram_url) if telegram_url else None,
        other_languages=other_languages,
        stylesheet=stylesheet,
    )

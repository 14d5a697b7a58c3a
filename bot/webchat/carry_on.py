"""Carry on later: a short code and QR code that open the same web chat on a person's phone.

A shared tablet clears itself after each person, so someone who wants to finish later, or to
come back and hear what happened, takes a code with them. The code opens their web chat id on
their own phone; their answers and place in the conversation are in Sayso's database, so the
conversation carries on where it was. The id is stored encrypted, the code only as a keyed hash.
"""

from __future__ import annotations

from urllib.parse import quote

import segno
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.privacy.pseudonyms import participant_id
from bot.store import dropin as dropin_store
from bot.store.participants import get_state
from bot.store.schema import Consultation
from bot.webchat import WEBCHAT_CHANNEL


def _fernet(settings: Settings) -> Fernet:
    return Fernet(settings.address_key.encode("utf-8"))


def make_carry_on_code(session: Session, settings: Settings, sender_id: str) -> str:
    """A code that opens this web chat id elsewhere for the next few days."""
    secret = _fernet(settings).encrypt(sender_id.encode("utf-8")).decode("ascii")
    return dropin_store.create_carry_on_code(session, secret, settings.participant_id_key)


def sender_for_code(session: Session, settings: Settings, typed: str) -> str | None:
    secret = dropin_store.sender_for_carry_on_code(session, typed, settings.participant_id_key)
    if secret is None:
        return None
    try:
        return _fernet(settings).decrypt(secret.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return None


def current_consultation(session: Session, settings: Settings, sender_id: str) -> str | None:
    """The slug of the consultation this web chat is in, if any, for a Telegram deep link."""
    state = get_state(
        session, participant_id(WEBCHAT_CHANNEL, sender_id, settings.participant_id_key)
    )
    if state is None or state.consultation_id is None:
        return None
    consultation = session.get(Consultation, state.consultation_id)
    return consultation.slug if consultation else None


def telegram_link(settings: Settings, slug: str | None = None) -> str | None:
    """https://t.me/<bot>?start=<slug> when Sayso has a Telegram bot, else None."""
    if not settings.telegram_bot_username:
        return None
    link = f"https://t.me/{quote(settings.telegram_bot_username)}"
    return f"{link}?start={quote(slug)}" if slug else link


def qr_data_uri(url: str, scale: int = 5) -> str:
    """A QR code as an SVG data URI: drawn on the server, so no script or CDN is needed."""
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)

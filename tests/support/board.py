"""Seed the public "You said, we did" board, and search pages for anything private.

`seed_board` makes, in the hostel food consultation: a published theme said by six people
(one of whom wrote personal details), a published theme said by only three, a draft theme
said by six, a published outcome about all three, and a draft outcome. `private_strings`
lists what must never be on a public page: every participant id, every stored address, and
every word of an answer that the staff pages mask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.feedback.publishing import publish
from bot.privacy.redaction import redact
from bot.store import outcomes as outcome_store
from bot.store import participants as participant_store
from bot.store import responses as response_store
from bot.store import themes as theme_store
from bot.store.database import session_scope
from bot.store.schema import OutboxMessage, Participant, Response, TelegramAddress
from tests.support.report_back import consultation_and_question

BIG_THEME = "Hot food late at night"
SMALL_THEME = "Vegan choices"
DRAFT_THEME = "Kitchen staff manners"
PUBLISHED_OUTCOME = "The kitchen now serves hot soup until 10pm."
DRAFT_OUTCOME = "We will look at breakfast times."
PERSONAL = "hot food please, I am Gary Walsh at 12 Station Road, ring 07700 900417"
SECRET_SMALL = "oat milk and lentil stew please"
SECRET_DRAFT = "the cook shouted at Maureen Pickering"


@dataclass(frozen=True)
class SeededBoard:
    outcome_id: int
    draft_outcome_id: int
    big_theme_id: int
    small_theme_id: int
    draft_theme_id: int
    personal_response_id: int
    plain_response_id: int


def _theme(
    session: Session, label: str, texts: list[str], status: str, prefix: str
) -> tuple[int, list[int]]:
    consultation, question = consultation_and_question(session)
    theme = theme_store.add_theme(session, consultation.id, question.id, label, staff_named=True)
    theme.status = status
    ids = []
    for number, text in enumerate(texts):
        person = f"{prefix}-{number}"
        participant = participant_store.get_or_create_participant(session, person, "webchat")
        participant_store.record_updates_consent(session, participant, True, "v1")
        answer = response_store.save_answer(session, person, question, text, None, "webchat")
        theme_store.place_answer(session, answer.id, theme, "staff")
        ids.append(answer.id)
    return theme.id, ids


def seed_board(engine: Engine, translations: dict | None = None) -> SeededBoard:
    with session_scope(engine) as session:
        big, big_ids = _theme(
            session,
            BIG_THEME,
            [PERSONAL, "hot food late please", "soup at night", "hot meals after 9",
             "food at night", "warm dinner late"],
            "published",
            "board-big",
        )  # fmt: skip
        small, _ = _theme(
            session, SMALL_THEME, [SECRET_SMALL, "vegan food", "no meat"], "published", "board-sm"
        )
        draft, _ = _theme(
            session,
            DRAFT_THEME,
            [SECRET_DRAFT, "rude staff", "staff shout", "be kind", "manners", "polite please"],
            "draft",
            "board-dr",
        )
        consultation, _ = consultation_and_question(session)
        outcome = outcome_store.save_outcome(
            session,
            consultation,
            outcome_store.OutcomeDraft(
                theme_ids=[big, small, draft],
                what_was_done=PUBLISHED_OUTCOME,
                status=outcome_store.DONE,
                decided_on=date(2027, 2, 10),
                translations=translations or {},
            ),
        )
        held = outcome_store.save_outcome(
            session,
            consultation,
            outcome_store.OutcomeDraft(
                theme_ids=[big],
                what_was_done=DRAFT_OUTCOME,
                status=outcome_store.PLANNED,
                decided_on=date(2027, 3, 1),
            ),
        )
        publish(session, outcome, "staff@example.org")
        return SeededBoard(outcome.id, held.id, big, small, draft, big_ids[0], big_ids[1])


_WORD = re.compile(r"[\w@.'-]+")


def private_strings(engine: Engine) -> set[str]:
    """Participant ids, stored addresses, and each word the redaction masks in any answer."""
    found: set[str] = set()
    with session_scope(engine) as session:
        found |= set(session.execute(select(Participant.id)).scalars())
        found |= set(session.execute(select(TelegramAddress.chat)).scalars())
        found |= {
            address
            for address in session.execute(select(OutboxMessage.address)).scalars()
            if address
        }
        for text in session.execute(select(Response.text)).scalars():
            kept = set(_WORD.findall(redact(text)))
            found |= {
                word.strip(".,'-")
                for word in _WORD.findall(text)
                if word not in kept and len(word.strip(".,'-")) > 2
            }
    return found


def leaks(page: str, engine: Engine) -> list[str]:
    return sorted(item for item in private_strings(engine) if item in page)

"""Build "you said, we did" situations directly in the database, for tests and the benchmark.

Each person answers the hostel food consultation's free-text question, their answers are put
in one theme, and an outcome about that theme is published: exactly what staff do, without
the pages in between. A Telegram worker can be started on such a database, as `sayso run`
starts it, to send the updates to the stand-in Bot API.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot import PROJECT_ROOT
from bot.channels.telegram.identity import CHANNEL as TELEGRAM
from bot.consultations.sync import sync_consultations
from bot.feedback.publishing import publish
from bot.privacy.cipher import Cipher
from bot.store import outcomes as outcome_store
from bot.store import participants as participant_store
from bot.store import responses as response_store
from bot.store import telegram_addresses
from bot.store import themes as theme_store
from bot.store.database import make_engine, session_scope
from bot.store.schema import Consultation, Question
from tests.telegram_api import FakeTelegram, free_port

SLUG = "hostel-food"
QUESTION_KEY = "food-ideas"
THEME_LABEL = "More hot food at night"
WHAT_WAS_DONE = "The kitchen now serves hot soup until 10pm."


@dataclass(frozen=True)
class Someone:
    participant_id: str
    channel: str = TELEGRAM
    chat_id: int | None = None
    language: str = "en"
    wants_updates: bool = True


def consultation_and_question(session: Session) -> tuple[Consultation, Question]:
    consultation = session.execute(
        select(Consultation).where(Consultation.slug == SLUG)
    ).scalar_one()
    question = next(item for item in consultation.questions if item.key == QUESTION_KEY)
    return consultation, question


def add_people(
    session: Session,
    people: Sequence[Someone],
    cipher: Cipher | None = None,
    label: str = THEME_LABEL,
) -> int:
    """Make each person, with an answer in a theme called `label`. Returns the theme's id."""
    consultation, question = consultation_and_question(session)
    theme = theme_store.add_theme(session, consultation.id, question.id, label, staff_named=True)
    for someone in people:
        participant = participant_store.get_or_create_participant(
            session, someone.participant_id, someone.channel
        )
        participant.language = someone.language
        participant_store.record_updates_consent(session, participant, someone.wants_updates, "v1")
        if cipher is not None and someone.chat_id is not None and someone.wants_updates:
            telegram_addresses.save_address(
                session, someone.participant_id, someone.chat_id, cipher
            )
        answer = response_store.save_answer(
            session, someone.participant_id, question, "hot food late please", None, someone.channel
        )
        theme_store.place_answer(session, answer.id, theme, "staff")
    session.flush()
    return theme.id


def draft_outcome(
    session: Session, theme_ids: Sequence[int], status: str = outcome_store.DONE, **changes: object
) -> int:
    consultation, _ = consultation_and_question(session)
    draft = outcome_store.OutcomeDraft(
        theme_ids=theme_ids,
        what_was_done=str(changes.get("what_was_done", WHAT_WAS_DONE)),
        status=status,
        decided_on=changes.get("decided_on", date(2027, 2, 10)),  # type: ignore[arg-type]
        reason=str(changes.get("reason", "")),
        translations=changes.get("translations", {}),  # type: ignore[arg-type]
    )
    return outcome_store.save_outcome(session, consultation, draft).id


def publish_to(engine: Engine, people: Sequence[Someone], cipher: Cipher) -> int:
    """People answer, staff publish an outcome about their theme. Returns the outcome id."""
    with session_scope(engine) as session:
        theme_id = add_people(session, people, cipher)
        outcome_id = draft_outcome(session, [theme_id])
    with session_scope(engine) as session:
        outcome = outcome_store.get_outcome(session, outcome_id)
        assert outcome is not None
        publish(session, outcome, "staff@example.org")
    return outcome_id


def telegram_worker_command(port: int) -> list[str]:
    """The Telegram worker exactly as `sayso run` starts it (bot/ops/processes.py)."""
    return [
        sys.executable, "-m", "uvicorn", "bot.channels.telegram.worker:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--ws", "none",
    ]  # fmt: skip


def start_telegram_worker(
    database_url: str, telegram: FakeTelegram, log: Path, port: int | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start a Telegram worker on its own database, sending to the stand-in Bot API.

    Returns the process and its port once /healthz answers.
    """
    port = port or free_port()
    environment = {
        **os.environ,
        "SAYSO_DATABASE_URL": database_url,
        **telegram.environment("report-back-secret"),
    }
    process = subprocess.Popen(
        telegram_worker_command(port),
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process, port
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"The Telegram worker did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)


def new_database(path: Path) -> tuple[str, Engine]:
    """A fresh SQLite database holding the shipped consultations."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with session_scope(engine) as session:
        sync_consultations(session, PROJECT_ROOT / "consultations")
    return url, engine

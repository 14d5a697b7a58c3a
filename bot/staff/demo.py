"""Demo answers for the example consultations, loaded through the store as pseudonymous
participants on the "demo" channel, so a fresh install has themes to show staff.

The answers are in demo_answers.yml beside this file. Loading again replaces the same demo
people's answers (never duplicates them); removing takes out every demo participant and the
themes that are left empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.privacy.pseudonyms import participant_id
from bot.store import participants as participant_store
from bot.store import themes as theme_store
from bot.store.consultations import active_questions, get_consultation_by_slug
from bot.store.responses import save_answer
from bot.store.schema import Participant
from bot.themes.service import theme_consultation

DEMO_FILE = Path(__file__).with_name("demo_answers.yml")
DEMO_CHANNEL = "demo"
DEMO_CONSENT_VERSION = "demo"


@dataclass(frozen=True)
class DemoReport:
    consultation: str
    people: int
    answers: int
    themes: int


def load_demo_answers(
    session: Session, key: bytes, path: Path = DEMO_FILE
) -> tuple[list[DemoReport], list[str]]:
    """Save the demo answers and theme them; returns what was loaded and what was skipped."""
    data: dict[str, list[dict[str, Any]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    reports, skipped = [], []
    for slug, people in data.items():
        consultation = get_consultation_by_slug(session, slug)
        if consultation is None:
            skipped.append(slug)
            continue
        questions = {question.key: question for question in active_questions(consultation)}
        answers = 0
        for number, person in enumerate(people, start=1):
            pid = participant_id(DEMO_CHANNEL, f"{slug}-{number}", key)
            participant = participant_store.get_or_create_participant(session, pid, DEMO_CHANNEL)
            participant_store.record_take_part_consent(session, participant, DEMO_CONSENT_VERSION)
            participant_store.record_updates_consent(
                session, participant, bool(person.get("updates")), DEMO_CONSENT_VERSION
            )
            for question_key, given in person.items():
                question = questions.get(question_key)
                if question is None:
                    continue
                text, value = _answer(question.options or [], str(given))
                save_answer(session, pid, question, text, value, DEMO_CHANNEL)
                answers += 1
        theme_reports = theme_consultation(session, consultation)
        themes = sum(
            len(theme_store.themes_for_question(session, report.question_id))
            for report in theme_reports
        )
        reports.append(DemoReport(slug, len(people), answers, themes))
    return reports, skipped


def _answer(options: list[dict[str, str]], given: str) -> tuple[str, str | None]:
    """(text, value): a tapped option stores its label as text and its value, as a chat does."""
    for option in options:
        if option["value"] == given:
            return option["label"], option["value"]
    return given, None


def remove_demo_answers(session: Session) -> int:
    """Delete every demo participant with their answers; empty themes go too."""
    ids = list(
        session.execute(select(Participant.id).where(Participant.channel == DEMO_CHANNEL)).scalars()
    )
    for pid in ids:
        participant_store.delete_participant(session, pid)
    session.flush()
    theme_store.delete_all_empty_themes(session)
    return len(ids)

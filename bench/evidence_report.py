"""Time to build the evidence report, and its PDF, for a consultation of 10,000 answers.

10,000 people answer the hostel food consultation's free-text question; their answers are in
20 themes; an outcome is published and each person who agreed to updates (8 in 10) has a
sent message, some late; some were told honestly that their update is late. Then the report
is built (the numbers, as the page and the API build them), rendered as the staff page, and
printed to PDF by Chromium, each timed.

Run: .venv/bin/python bench/evidence_report.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PEOPLE = 10_000
THEMES = 20


def main() -> None:
    workdir = Path(tempfile.mkdtemp())
    os.environ["SAYSO_DATABASE_URL"] = f"sqlite:///{workdir / 'sayso.db'}"
    os.environ.setdefault("SAYSO_PARTICIPANT_ID_KEY", "bench")
    os.environ.setdefault("SAYSO_ADDRESS_KEY", Fernet.generate_key().decode())

    from bot import PROJECT_ROOT
    from bot.consultations.sync import sync_consultations
    from bot.feedback import evidence
    from bot.staff.app import _templates
    from bot.staff.evidence_pages import printable_page
    from bot.staff.evidence_pdf import html_to_pdf
    from bot.store import loop as loop_store
    from bot.store.database import session_scope
    from bot.store.schema import (
        OutboxMessage,
        Outcome,
        OutcomeTheme,
        Participant,
        Response,
        Theme,
        ThemeMembership,
    )
    from tests.support.report_back import consultation_and_question

    with session_scope() as session:
        sync_consultations(session, PROJECT_ROOT / "consultations")
    started = time.perf_counter()
    with session_scope() as session:
        consultation, question = consultation_and_question(session)
        due = consultation.feedback_due_on
        themes = [
            Theme(
                consultation_id=consultation.id,
                question_id=question.id,
                label=f"Theme {n}",
                status="published",
            )
            for n in range(THEMES)
        ]
        session.add_all(themes)
        session.flush()
        outcome = Outcome(
            consultation_id=consultation.id,
            what_was_done="Hot soup until 10pm.",
            status="done",
            decided_on=due,
            translations={},
            published_at=datetime.combine(due, datetime.min.time(), UTC),
            owed_count=PEOPLE,
        )
        outcome.theme_links = [OutcomeTheme(theme_id=themes[0].id, position=0, label="Theme 0")]
        session.add(outcome)
        session.flush()
        sent_on_time = datetime.combine(due - timedelta(days=1), datetime.min.time(), UTC)
        sent_late = datetime.combine(due + timedelta(days=2), datetime.min.time(), UTC)
        for number in range(PEOPLE):
            person = f"bench-{number:05d}"
            channel = ("telegram", "webchat")[number % 2]
            agreed = number % 10 < 8
            session.add(Participant(id=person, channel=channel, consent_updates=agreed))
            answer = Response(
                participant_id=person,
                consultation_id=consultation.id,
                question_id=question.id,
                text=f"answer number {number}",
                channel=channel,
            )
            session.add(answer)
            session.flush()
            session.add(ThemeMembership(response_id=answer.id, theme_id=themes[number % THEMES].id))
            if agreed and number % 10 < 6:
                session.add(
                    OutboxMessage(
                        channel=channel,
                        recipient=person,
                        method="sendMessage",
                        body={},
                        idempotency_key=f"outcome:{outcome.id}:{person}",
                        status="sent",
                        sent_at=sent_on_time if number % 10 < 5 else sent_late,
                    )
                )
        session.flush()
        for number in range(PEOPLE):
            if number % 10 == 7:
                loop_store.record_late_notice(session, f"bench-{number:05d}", consultation.id)
    print(f"seeded {PEOPLE:,} people and answers in {time.perf_counter() - started:.1f} s")

    with session_scope() as session:
        consultation, _ = consultation_and_question(session)
        started = time.perf_counter()
        report = evidence.consultation_report(session, consultation, due + timedelta(days=30))
        built = time.perf_counter() - started
        started = time.perf_counter()
        html = printable_page(_templates(), report)
        rendered = time.perf_counter() - started
    started = time.perf_counter()
    pdf = html_to_pdf(html)
    printed = time.perf_counter() - started
    rate = report.loop.rate or 0
    print(
        f"closed-loop rate {rate:.1%} ({report.loop.closed:,} of {report.loop.agreed_to_updates:,})"
    )
    print(f"report numbers built:       {built * 1000:8.0f} ms")
    print(f"report page rendered:       {rendered * 1000:8.0f} ms ({len(html):,} bytes with CSS)")
    print(f"PDF printed by Chromium:    {printed * 1000:8.0f} ms ({len(pdf):,} bytes)")
    print(f"total, numbers to PDF:      {(built + rendered + printed) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()

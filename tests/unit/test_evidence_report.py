"""The evidence report: the closed-loop rate on 1,000 people with known states, plain answers
to bad input, the staff page, the home page's loop health, the JSON and the PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.feedback import evidence
from bot.store import loop as loop_store
from bot.store import participants as participant_store
from bot.store.database import session_scope
from bot.store.schema import OutboxMessage, Outcome, Participant, Response
from tests.support.report_back import consultation_and_question
from tests.unit.test_staff_app import StaffVisitor, add_account

pytestmark = pytest.mark.usefixtures("quick_password_hashing")
TODAY = date(2027, 6, 1)

#: i % 10 -> state: on time (4 in 10), after the date, told late honestly, queued, nothing,
#: and two who did not ask for updates.
STATES = ("on_time",) * 4 + ("after", "late", "queued", "nothing", "no_updates", "no_updates")


def seed_thousand(engine: Engine) -> tuple[int, date]:
    with session_scope(engine) as session:
        consultation, question = consultation_and_question(session)
        due = consultation.feedback_due_on
        outcome = Outcome(
            consultation_id=consultation.id,
            what_was_done="Hot soup until 10pm.",
            status="done",
            decided_on=due - timedelta(days=5),
            translations={},
            published_at=datetime.combine(due - timedelta(days=4), datetime.min.time(), UTC),
            published_by="staff@example.org",
            owed_count=800,
        )
        session.add(outcome)
        session.flush()
        on_time = datetime.combine(due - timedelta(days=1), datetime.min.time(), UTC)
        after = datetime.combine(due + timedelta(days=3), datetime.min.time(), UTC)
        for number in range(1000):
            person = f"person-{number:04d}"
            state = STATES[number % 10]
            channel = "telegram" if number % 2 == 0 else "webchat"
            session.add(
                Participant(
                    id=person,
                    channel=channel,
                    language="pl" if number % 3 == 0 else "en",
                    consent_updates=state != "no_updates",
                )
            )
            session.add(
                Response(
                    participant_id=person,
                    consultation_id=consultation.id,
                    question_id=question.id,
                    text="more hot food",
                    channel=channel,
                    assisted_by="drop-in A" if number % 5 == 0 else None,
                )
            )
            key = f"outcome:{outcome.id}:{person}"
            if state in ("on_time", "after", "queued"):
                session.add(
                    OutboxMessage(
                        channel=channel,
                        recipient=person,
                        method="sendMessage",
                        body={},
                        idempotency_key=key,
                        status="queued" if state == "queued" else "sent",
                        sent_at=None
                        if state == "queued"
                        else (on_time if state == "on_time" else after),
                    )
                )
        session.flush()
        for number in range(1000):
            if STATES[number % 10] == "late":
                loop_store.record_late_notice(session, f"person-{number:04d}", consultation.id)
        return consultation.id, due


def loop_of(engine: Engine) -> evidence.LoopCounts:
    with session_scope(engine) as session:
        consultation, _ = consultation_and_question(session)
        return evidence.closed_loop(session, consultation)


def test_the_closed_loop_rate_on_a_thousand_people_and_after_deletions(engine: Engine) -> None:
    seed_thousand(engine)
    counts = loop_of(engine)
    assert counts.agreed_to_updates == 800
    assert (counts.told_on_time, counts.told_late_honestly) == (400, 100)
    assert (counts.heard_after_the_date, counts.not_told) == (100, 200)
    assert counts.rate == pytest.approx(500 / 800)
    assert counts.by_channel == {
        # Even numbers are on Telegram: on time (0, 2), after (4), queued (6), no updates (8).
        "telegram": {"agreed_to_updates": 400, "closed": 200},
        # Odd on the web chat: on time (1, 3), told late honestly (5), nothing (7), no (9).
        "webchat": {"agreed_to_updates": 400, "closed": 300},
    }
    # 100 people told on time and 50 never told delete their data.
    with session_scope(engine) as session:
        gone = [n for n in range(1000) if STATES[n % 10] == "on_time"][:100]
        gone += [n for n in range(1000) if STATES[n % 10] == "nothing"][:50]
        for number in gone:
            participant_store.delete_participant(session, f"person-{number:04d}")
    counts = loop_of(engine)
    assert counts.agreed_to_updates == 650
    assert counts.closed == 400
    assert counts.rate == pytest.approx(400 / 650)


def test_the_report_counts_people_by_channel_language_and_help(engine: Engine) -> None:
    seed_thousand(engine)
    with session_scope(engine) as session:
        consultation, _ = consultation_and_question(session)
        report = evidence.consultation_report(session, consultation, TODAY)
    [item] = report.consultations
    assert item.people == 1000 and item.by_channel == {"telegram": 500, "webchat": 500}
    assert item.by_language == {"en": 666, "pl": 334}
    assert item.helped_by_a_worker == 200
    assert (
        item.days_to_first_outcome
        == (date.fromisoformat(item.first_outcome_on) - date.fromisoformat(item.closes_on)).days
    )
    assert report.median_days_to_first_outcome == item.days_to_first_outcome
    assert report.as_data()["closed_loop"]["rate"] == 0.625


def test_bad_input_gets_a_plain_answer(engine: Engine) -> None:
    with pytest.raises(evidence.BadRange, match="before the start date"):
        evidence.parse_range("2027-05-01", "2027-01-01")
    with pytest.raises(evidence.BadRange, match="year-month-day"):
        evidence.parse_range("yesterday", "2027-01-01")
    with session_scope(engine) as session:
        consultation, _ = consultation_and_question(session)
        report = evidence.consultation_report(session, consultation, TODAY)
    [item] = report.consultations
    assert item.outcomes == [] and item.days_to_first_outcome is None and item.overdue
    assert report.loop.rate is None and report.median_days_to_first_outcome is None


@pytest.fixture()
def staff(engine: Engine) -> StaffVisitor:
    add_account(engine, "sam@example.org", "staff")
    visitor = StaffVisitor(engine)
    visitor.log_in("sam@example.org")
    return visitor


def test_the_staff_pages_and_the_home_panel(engine: Engine, staff: StaffVisitor) -> None:
    empty = staff.get("/consultations/hostel-food/evidence").text
    assert "No outcomes yet" in empty and "no one to tell yet" in empty
    seed_thousand(engine)
    page = staff.get("/consultations/hostel-food/evidence").text
    assert "Closed-loop rate: <strong>62%</strong>" in page or "63%" in page
    assert 'role="img"' in page and "People by channel" in page
    assert "How people heard back" in page and "What changed" in page
    wrong = staff.get("/evidence?from=2027-05-01&to=2027-01-01")
    assert wrong.status_code == 400 and "before the start date" in wrong.text
    ranged = staff.get("/evidence?from=2026-01-01&to=2027-12-31")
    assert ranged.status_code == 200 and "Food at the hostel" in ranged.text
    assert "No consultation was open" in staff.get("/evidence?from=2001-01-01&to=2001-02-01").text
    assert staff.get("/consultations/no-such/evidence").status_code == 404
    home = staff.get("/consultations").text
    assert "Loop health" in home and 'data-health="alerts">0<' in home


def test_the_json_api(engine: Engine, staff: StaffVisitor) -> None:
    from bot.staff import security
    from bot.store import staff_accounts

    seed_thousand(engine)
    token = security.new_secret()
    with session_scope(engine) as session:
        account = staff_accounts.get_account_by_email(session, "sam@example.org")
        staff_accounts.add_api_token(session, account, security.digest(token))
    headers = {"Authorization": f"Bearer {token}"}
    one = staff.client.get("/staff/api/consultations/hostel-food/evidence", headers=headers)
    assert one.status_code == 200 and one.json()["closed_loop"]["closed"] == 500
    wrong = staff.client.get("/staff/api/evidence?from=2027-05-01&to=2027-01-01", headers=headers)
    assert wrong.status_code == 422 and "before the start date" in wrong.json()["error"]
    ranged = staff.client.get("/staff/api/evidence?from=2026-01-01&to=2027-12-31", headers=headers)
    assert [c["slug"] for c in ranged.json()["consultations"]].count("hostel-food") == 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_has_the_report_in_it(engine: Engine, staff: StaffVisitor, tmp_path) -> None:
    seed_thousand(engine)
    response = staff.get("/consultations/hostel-food/evidence.pdf")
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    for expected in (
        "Evidence report: Food at the hostel",
        "How people heard back",
        "Closed-loop rate",
        "500 of 800",
        "What people said",
        "What changed",
        "Hot soup until 10pm.",
        "Who took part",
    ):
        assert expected in text, expected


def test_asking_what_happened_after_the_date_is_recorded_as_told_honestly(engine: Engine) -> None:
    from bot.feedback.what_happened import what_happened

    with session_scope(engine) as session:
        consultation, question = consultation_and_question(session)
        participant = participant_store.get_or_create_participant(session, "asker", "webchat")
        participant_store.record_updates_consent(session, participant, True, "v1")
        from bot.store.responses import save_answer

        save_answer(session, "asker", question, "more food", None, "webchat")
        early = what_happened(session, "asker", "en", consultation.feedback_due_on)
        assert loop_store.late_notices(session, consultation.id) == set()
        late = what_happened(session, "asker", "en", TODAY)
        assert [reply.response for reply in early] == ["utter_update_pending"]
        assert [reply.response for reply in late] == ["utter_update_late"]
        assert loop_store.late_notices(session, consultation.id) == {"asker"}
    counts = loop_of(engine)
    assert (counts.agreed_to_updates, counts.told_late_honestly) == (1, 1)

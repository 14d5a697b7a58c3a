"""Outcomes in the staff app: add one, see a gentle plain-language warning, publish, count."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.privacy.cipher import Cipher
from bot.staff import outcome_pages
from bot.store.database import session_scope
from bot.store.schema import OutboxMessage, Outcome, Theme
from tests.support.report_back import THEME_LABEL, Someone, add_people
from tests.unit.test_staff_app import StaffVisitor, add_account

CIPHER = Cipher(Fernet.generate_key().decode())
LONG = (
    "We talked with the kitchen team and the managers and the council about the food and "
    "decided that there would be hot soup every night."
)


pytestmark = pytest.mark.usefixtures("quick_password_hashing")


@pytest.fixture()
def staff(engine: Engine) -> StaffVisitor:
    add_account(engine, "sam@example.org", "staff")
    visitor = StaffVisitor(engine)
    visitor.log_in("sam@example.org")
    return visitor


def theme_of(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.execute(select(Theme.id).where(Theme.label == THEME_LABEL)).scalar_one()


def form(theme_id: int, **changes: str) -> dict[str, object]:
    return {
        "theme_ids": [str(theme_id)],
        "what_was_done": "The kitchen serves hot soup until 10pm.",
        "status": "done",
        "decided_on": "2027-02-10",
        **changes,
    }


def page_of(redirect: httpx.Response) -> str:
    """The staff page a redirect goes to, without its confirmation code."""
    return redirect.headers["location"].split("/staff", 1)[1].split("?", 1)[0]


def add_outcome(staff: StaffVisitor, data: dict[str, object]) -> httpx.Response:
    page = "/consultations/hostel-food/outcomes/new"
    return staff.submit(page, page, data)


def test_staff_add_and_publish_an_outcome_and_see_the_messages_counted(
    engine: Engine, staff: StaffVisitor
) -> None:
    with session_scope(engine) as session:
        add_people(session, [Someone("a", chat_id=1), Someone("b", chat_id=2)], CIPHER)
    saved = add_outcome(staff, form(theme_of(engine)))
    assert saved.status_code == 303
    outcome_page = page_of(saved)

    draft = staff.get(outcome_page).text
    assert "What we did: The kitchen serves hot soup until 10pm." in draft
    published = staff.submit(outcome_page, f"{outcome_page}/publish")
    assert published.status_code == 303

    shown = staff.get(outcome_page).text
    assert 'data-count="owed">2<' in shown
    assert 'data-count="waiting">2<' in shown
    with session_scope(engine) as session:
        assert len(session.execute(select(OutboxMessage)).scalars().all()) == 2
    listing = staff.get("/consultations/hostel-food/outcomes").text
    assert "The kitchen serves hot soup until 10pm." in listing


def test_a_long_sentence_gets_a_warning_but_is_still_saved(
    engine: Engine, staff: StaffVisitor
) -> None:
    with session_scope(engine) as session:
        add_people(session, [], CIPHER)
    checked = staff.submit(
        "/consultations/hostel-food/outcomes/new", "/outcomes/check", {"what_was_done": LONG}
    )
    assert checked.json()["warnings"][0]["field"] == "what_was_done"

    saved = add_outcome(staff, form(theme_of(engine), what_was_done=LONG))
    assert saved.status_code == 303
    page = staff.get(page_of(saved)).text
    assert "more than 15 words" in page


def test_not_doing_needs_a_reason_and_a_theme_must_be_chosen(
    engine: Engine, staff: StaffVisitor
) -> None:
    with session_scope(engine) as session:
        add_people(session, [], CIPHER)
    refused = add_outcome(staff, form(theme_of(engine), status="not_doing") | {"theme_ids": []})

    assert refused.status_code == 400
    assert "Say why it is not being done" in refused.text
    assert "Choose at least one theme" in refused.text
    with session_scope(engine) as session:
        assert session.execute(select(Outcome)).first() is None


def test_an_overdue_consultation_is_flagged(
    engine: Engine, staff: StaffVisitor, monkeypatch
) -> None:

    monkeypatch.setattr(outcome_pages, "utcnow", lambda: datetime(2027, 2, 20, tzinfo=UTC))

    assert "Overdue: people were told" in staff.get("/consultations/hostel-food/outcomes").text
    overdue = staff.get("/outcomes").text
    assert "Food at the hostel" in overdue and "Overdue" in overdue

"""Priorities and the panel end to end, against the servers `sayso run` started.

A person on the REST channel answered a consultation and agreed to updates. Staff close it
with published themes and press the invite button on the staff page. The person comes back,
sees the invitation, picks a theme, joins the panel; the staff page, checked with axe-core
in a real headless Chromium, and the JSON API show the vote and the volunteer.
The consultation is a draft, so people in other tests are never offered it.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import sync_playwright

from bot.config import SECRETS_FILE, read_env_file
from bot.consultations.loader import parse_consultation
from bot.privacy.pseudonyms import participant_id
from bot.staff.priorities import volunteer_reference
from bot.store import participants as participant_store
from bot.store import themes as theme_store
from bot.store.consultations import save_consultation
from bot.store.database import make_engine, session_scope
from bot.store.responses import save_answer
from tests.integration.conftest import RunningSayso
from tests.support.browser import axe_violations, launch_chromium, log_in
from tests.support.rest_chat import button
from tests.support.staff_api import add_staff, staff_token

pytestmark = pytest.mark.integration

SLUG = "priorities-check"
EMAIL = "priorities-staff@example.org"
PASSWORD = "a long enough password"
THEMES = ("Warmer rooms", "Quiet space", "Longer hours")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(message.get("text", "") for message in messages)


def seed_answer_and_close(sayso: RunningSayso, person: str) -> None:
    """The person's answer and consent to updates, then the consultation closed and themed."""
    spec = parse_consultation(
        {
            "slug": SLUG, "title": "Checking priorities", "status": "draft",
            "summary": "We want to know what would help.", "ladder_rung": "consultation",
            "who_decides": "The service manager decides.", "opens_on": "2026-01-05",
            "closes_on": "2026-12-18", "feedback_due_on": "2027-01-29",
            "questions": [{"key": "ideas", "kind": "free_text", "prompt": "What would help?"}],
        },
        source="priorities test",
    )  # fmt: skip
    engine = make_engine(f"sqlite:///{sayso.database}")
    with session_scope(engine) as session:
        consultation = save_consultation(session, spec)
        [question] = consultation.questions
        participant = participant_store.get_participant(session, person)
        save_answer(session, person, question, "the rooms are cold", None, "rest")
        participant_store.record_updates_consent(session, participant, True, "test")
        for label in THEMES:
            theme = theme_store.add_theme(session, consultation.id, question.id, label)
            theme.status = "published"
        consultation.status = "closed"
    engine.dispose()


def staff_login(sayso: RunningSayso) -> httpx.Client:
    add_staff(sayso.database, EMAIL, password=PASSWORD)
    client = httpx.Client(base_url=f"{sayso.web_url}/staff", follow_redirects=False)
    token = _CSRF.search(client.get("/login").text).group(1)
    client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    return client


def violations_on(sayso: RunningSayso, path: str) -> list[str]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context().new_page()
        log_in(page, f"{sayso.web_url}/staff", EMAIL, PASSWORD)
        page.goto(f"{sayso.web_url}/staff{path}")
        violations = axe_violations(page)
        browser.close()
    return violations


def test_invited_person_comes_back_votes_joins_the_panel_and_staff_see_it(
    sayso: RunningSayso,
) -> None:
    sender = f"person-{uuid.uuid4().hex[:8]}"
    greeting = sayso.send(sender, "hi")
    sayso.send(sender, button(greeting, "Yes, that's OK"))
    key = read_env_file(SECRETS_FILE)["SAYSO_PARTICIPANT_ID_KEY"].encode()
    person = participant_id("rest", sender, key)
    seed_answer_and_close(sayso, person)
    staff = staff_login(sayso)
    page = f"/consultations/{SLUG}/priorities"

    before = staff.get(page).text
    assert "Invite people to choose priorities (1 person will be asked)" in before
    token = _CSRF.search(before).group(1)
    pressed = staff.post(f"{page}/invite", data={"csrf_token": token})
    assert pressed.status_code == 303
    assert sayso.rows("SELECT status FROM outbox WHERE idempotency_key LIKE 'priorities:%'") == [
        ("held",)
    ]

    back = sayso.send(sender, "hello")
    assert "Thank you for your views on Checking priorities." in texts(back)
    picked = sayso.send(sender, button(back, "Quiet space"))
    assert "You picked: Quiet space." in texts(picked)
    panel = sayso.send(sender, button(picked, "That's all"))
    assert "The panel meets a few times a year." in texts(panel)
    assert "You can leave at any time." in texts(panel)
    joined = sayso.send(sender, button(panel, "Yes"))
    assert "Thank you for joining." in texts(joined)
    assert "Thank you for your views" not in texts(sayso.send(sender, "hello"))

    shown = staff.get(page).text
    assert "Bar chart. Quiet space: 1 vote; Longer hours: 0 votes; Warmer rooms: 0 votes." in shown
    assert volunteer_reference(person) in shown
    assert person not in shown and sender not in shown
    assert violations_on(sayso, page) == []

    api_token = staff_token(sayso.database, EMAIL)
    summary = httpx.get(
        f"{sayso.web_url}/staff/api{page}", headers={"Authorization": f"Bearer {api_token}"}
    ).json()
    assert summary["invited"] == 1
    assert summary["votes"][0] == {"theme": "Quiet space", "votes": 1}
    assert [v["reference"] for v in summary["panel"]["volunteers"]] == [volunteer_reference(person)]

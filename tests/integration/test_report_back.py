"""'You said, we did', end to end: from an answer on Telegram to the update arriving once.

The first tests use the running Sayso (`sayso run`, with the stand-in Bot API): a person
answers on Telegram, a member of staff publishes an outcome through the staff app over HTTP,
and the person gets exactly one message, which "what happened?" then repeats. The crash test
runs its own Telegram worker on its own database, so it can kill it mid-batch.
"""

from __future__ import annotations

import html
import os
import re
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from bot.config import SECRETS_FILE, load_settings, read_env_file
from bot.consultations.loader import parse_consultation
from bot.ops import worker
from bot.privacy.cipher import Cipher
from bot.privacy.pseudonyms import participant_id
from bot.store import participants as participant_store
from bot.store.consultations import save_consultation
from bot.store.database import make_engine, session_scope
from bot.store.responses import save_answer
from tests.integration.conftest import RunningSayso
from tests.integration.test_telegram import Chat, texts
from tests.support.browser import axe_violations, launch_chromium, log_in
from tests.support.report_back import (
    WHAT_WAS_DONE,
    Someone,
    add_people,
    draft_outcome,
    new_database,
    publish_to,
    start_telegram_worker,
)
from tests.support.staff_api import add_staff
from tests.telegram_api import FakeTelegram

pytestmark = pytest.mark.integration

EMAIL = "report-back@example.org"
PASSWORD = "report back test password"
IDEA = "hot food late at night please the kitchen shuts too early"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class StaffBrowser:
    """The staff app over HTTP, as a browser uses it: a session cookie and each form's token."""

    def __init__(self, sayso: RunningSayso) -> None:
        self.client = httpx.Client(base_url=f"{sayso.web_url}/staff", timeout=120)
        login = self.client.get("/login").text
        response = self.client.post(
            "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": _token(login)}
        )
        assert response.status_code == 303, response.text

    def submit(self, page: str, action: str, data: dict[str, object] | None = None) -> str:
        """Post the form on `page`; returns where the app sent the browser next."""
        token = _token(self.client.get(page).text)
        response = self.client.post(action, data={**(data or {}), "csrf_token": token})
        assert response.status_code == 303, response.text
        return response.headers["location"].split("/staff", 1)[1]


def _token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form"
    return match.group(1)


@pytest.fixture(scope="module")
def staff(sayso: RunningSayso) -> StaffBrowser:
    add_staff(sayso.database, EMAIL, password=PASSWORD)
    return StaffBrowser(sayso)


@pytest.fixture()
def chat(sayso: RunningSayso, telegram_api: FakeTelegram) -> Chat:
    return Chat(sayso, telegram_api)


def answer_hostel_food_and_ask_for_updates(chat: Chat) -> None:
    chat.agrees()
    chat.taps("Food at the hostel")
    for title in ("OK", "Dinner", "Halal", "No"):
        chat.taps(title)
    chat.says(IDEA)
    chat.taps("No")
    assert "Yes" in [title for call in chat.messages()[-1:] for title, _ in call.buttons]
    chat.taps("Yes")


def updates(chat: Chat, words: str) -> list[str]:
    return [call.text for call in chat.messages() if words in call.text]


def wait_for(check, timeout: float = 90) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.2)


def test_an_answer_on_telegram_gets_one_update_when_staff_publish_and_what_happened_repeats_it(
    chat: Chat, staff: StaffBrowser
) -> None:
    answer_hostel_food_and_ask_for_updates(chat)
    staff.submit("/consultations/hostel-food/themes", "/consultations/hostel-food/themes/refresh")
    [(theme_id,)] = chat.sayso.rows(
        "SELECT m.theme_id FROM theme_memberships m JOIN responses r ON r.id = m.response_id "
        "WHERE r.participant_id = ? AND r.text = ?",
        chat.participant,
        IDEA,
    )
    what = f"Soup is now served until 10pm, from check {chat.chat_id}."
    page = "/consultations/hostel-food/outcomes/new"
    draft = staff.submit(
        page,
        page,
        {"theme_ids": [str(theme_id)], "what_was_done": what, "status": "done",
         "decided_on": "2027-02-10"},
    )  # fmt: skip
    outcome_page = draft.split("?", 1)[0]
    staff.submit(outcome_page, f"{outcome_page}/publish")

    wait_for(lambda: updates(chat, what))
    time.sleep(2)
    [update] = updates(chat, what)
    assert update.startswith("News about Food at the hostel.")
    assert "You told us about:" in update and "Who decided:" in update
    shown = staff.client.get(outcome_page).text
    assert re.search(r'data-count="sent">[1-9]', shown)

    answer = texts(chat.says("what happened to what i said"))
    assert f"What we did: {what}" in answer
    assert len(updates(chat, what)) == 2


# ---- "did it help?" on web chat and Telegram ---------------------------------------------------

FOLLOW_UP_QUESTION = "Has this made things better for you?"


class WebChatPerson:
    """Someone in the web chat: each message is the request the chat page sends to Rasa."""

    def __init__(self, sayso: RunningSayso) -> None:
        self.sayso = sayso
        self.sender = f"web-follow-up-{uuid.uuid4().hex[:8]}"
        self.last: list[dict] = []

    def says(self, text: str) -> list[dict]:
        response = httpx.post(
            self.sayso.rest_url,
            json={"sender": self.sender, "message": text, "input_channel": "webchat"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        self.last = response.json()
        return self.last

    def taps(self, title: str) -> list[dict]:
        for message in reversed(self.last):
            for button in message.get("buttons", []):
                if button["title"] == title:
                    return self.says(button["payload"])
        raise AssertionError(f"No button {title!r} in {self.last}")

    @property
    def participant(self) -> str:
        key = read_env_file(SECRETS_FILE)["SAYSO_PARTICIPANT_ID_KEY"].encode()
        return participant_id("webchat", self.sender, key)


def web_texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def answer_hostel_food_on_the_web_chat(person: WebChatPerson) -> None:
    person.says("hi")
    person.taps("Yes, that's OK")
    person.taps("Food at the hostel")
    for title in ("OK", "Dinner", "Halal", "No"):
        person.taps(title)
    person.says("the kitchen should stay open later for hot food")
    person.taps("No")
    person.taps("Yes")
    assert person.sayso.rows(
        "SELECT consent_updates FROM participants WHERE id = ?", person.participant
    ) == [(1,)]


def run_the_follow_up_job(sayso: RunningSayso, days_later: int) -> None:
    """The worker's hourly job, run on the running Sayso's database at a chosen day."""
    engine = make_engine(f"sqlite:///{sayso.database}")
    try:
        worker.queue_follow_ups(
            load_settings(), today=date.today() + timedelta(days=days_later), engine=engine
        )
    finally:
        engine.dispose()


def follow_up_answers(sayso: RunningSayso, *people: str) -> list[tuple[str, str, str | None]]:
    marks = ",".join("?" * len(people))
    return sayso.rows(
        f"SELECT participant_id, answer, words FROM follow_up_answers "
        f"WHERE participant_id IN ({marks}) ORDER BY id",
        *people,
    )


def test_did_it_help_reaches_a_web_chat_person_and_a_telegram_person_once(
    chat: Chat, staff: StaffBrowser, tmp_path: Path
) -> None:
    web = WebChatPerson(chat.sayso)
    answer_hostel_food_and_ask_for_updates(chat)
    answer_hostel_food_on_the_web_chat(web)
    staff.submit("/consultations/hostel-food/themes", "/consultations/hostel-food/themes/refresh")
    theme_ids = {
        str(theme_id)
        for (theme_id,) in chat.sayso.rows(
            "SELECT DISTINCT m.theme_id FROM theme_memberships m "
            "JOIN responses r ON r.id = m.response_id WHERE r.participant_id IN (?, ?)",
            chat.participant,
            web.participant,
        )
    }
    what = f"The kitchen now stays open until 9pm, from check {chat.chat_id}."
    page = "/consultations/hostel-food/outcomes/new"
    draft = staff.submit(
        page,
        page,
        {"theme_ids": sorted(theme_ids), "what_was_done": what, "status": "done",
         "decided_on": "2027-02-10"},
    )  # fmt: skip
    outcome_page = draft.split("?", 1)[0]
    staff.submit(outcome_page, f"{outcome_page}/publish")
    wait_for(lambda: updates(chat, what))
    assert what in web_texts(web.says("hello"))  # the update, at the web person's next turn

    days = load_settings().follow_up_days
    run_the_follow_up_job(chat.sayso, 0)  # the day it is first seen done
    run_the_follow_up_job(chat.sayso, days - 1)
    assert FOLLOW_UP_QUESTION not in web_texts(web.says("hello"))  # not due yet
    run_the_follow_up_job(chat.sayso, days)
    run_the_follow_up_job(chat.sayso, days)  # a second run owes nothing twice

    wait_for(lambda: updates(chat, FOLLOW_UP_QUESTION))
    [asked] = [call for call in chat.messages() if FOLLOW_UP_QUESTION in call.text]
    assert what in asked.text
    assert [title for title, _ in asked.buttons] == ["Yes", "A bit", "No"]
    typed = texts(chat.says("a bit"))
    assert "Do you want to tell us more?" in typed
    chat.says("the food is hot now but it runs out by nine")

    [shown] = [message for message in web.says("hi") if message.get("buttons")]
    assert shown["text"].endswith(FOLLOW_UP_QUESTION) and what in shown["text"]
    assert [button["title"] for button in shown["buttons"]] == ["Yes", "A bit", "No"]
    web.taps("Yes")
    web.taps("Skip")

    time.sleep(2)
    assert len(updates(chat, FOLLOW_UP_QUESTION)) == 1
    assert FOLLOW_UP_QUESTION not in web_texts(web.says("hello"))
    assert follow_up_answers(chat.sayso, chat.participant, web.participant) == [
        (chat.participant, "a_bit", "the food is hot now but it runs out by nine"),
        (web.participant, "yes", None),
    ]
    outcome = staff.client.get(outcome_page).text
    assert "the food is hot now but it runs out by nine" in outcome
    board = httpx.get(f"{chat.sayso.web_url}/said-did/hostel-food", timeout=60).text
    assert html.escape(what) in board and chat.participant not in board
    report = staff.client.get("/consultations/hostel-food/evidence.pdf")
    assert report.headers["content-type"] == "application/pdf"
    assert "Closed-loop rate" in pdf_text(report.content, tmp_path)


def pdf_text(pdf: bytes, folder: Path) -> str:
    (folder / "report.pdf").write_bytes(pdf)
    printed = subprocess.run(
        ["pdftotext", str(folder / "report.pdf"), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(printed.stdout.split())


# ---- a crash mid-batch ---------------------------------------------------------------------


@pytest.fixture()
def own_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram.running() as fake:
        yield fake


def owed_rows(database: Path, *statuses: str) -> int:
    marks = ",".join("?" * len(statuses))
    with sqlite3.connect(database) as connection:
        [(count,)] = connection.execute(
            f"SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'outcome:%' "
            f"AND status IN ({marks})",
            statuses,
        ).fetchall()
    return count


def test_killing_the_worker_mid_batch_then_starting_it_again_sends_each_update_once(
    tmp_path: Path, own_telegram: FakeTelegram
) -> None:
    people = [Someone(f"crash-{n}", chat_id=720_000_000 + n) for n in range(80)]
    database = tmp_path / "sayso.db"
    url, engine = new_database(database)
    publish_to(engine, people, Cipher(load_settings().address_key))
    engine.dispose()
    own_telegram.stall("sendMessage", after=25)
    log = tmp_path / "telegram.log"

    worker, port = start_telegram_worker(url, own_telegram, log)
    wait_for(lambda: own_telegram.stalled_calls >= 3, timeout=60)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    in_flight = owed_rows(database, "sending")
    own_telegram.release()
    worker, _ = start_telegram_worker(url, own_telegram, log, port)
    try:
        wait_for(lambda: owed_rows(database, "sent") == len(people), timeout=120)
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)

    assert in_flight >= 3
    arrived = [
        call.chat_id for call in own_telegram.recorded("sendMessage") if WHAT_WAS_DONE in call.text
    ]
    assert sorted(arrived) == sorted(someone.chat_id for someone in people)


# ---- overdue and late ----------------------------------------------------------------------


def seed_past_due_answer(sayso: RunningSayso, person: str, slug: str) -> None:
    """A closed draft consultation whose feedback date has passed, and this person's answer."""
    spec = parse_consultation(
        {
            "slug": slug, "title": "Checking late news", "status": "draft",
            "summary": "We wanted to know what would help.", "ladder_rung": "consultation",
            "who_decides": "The service manager decides.", "opens_on": "2026-01-05",
            "closes_on": "2026-02-18", "feedback_due_on": "2026-03-20",
            "questions": [{"key": "ideas", "kind": "free_text", "prompt": "What would help?"}],
        },
        source="report back test",
    )  # fmt: skip
    engine = make_engine(f"sqlite:///{sayso.database}")
    try:
        with session_scope(engine) as session:
            consultation = save_consultation(session, spec)
            participant_store.get_or_create_participant(session, person, "rest")
            save_answer(session, person, consultation.questions[0], "more staff", None, "rest")
    finally:
        engine.dispose()


def test_past_the_feedback_date_staff_see_overdue_and_the_person_hears_it_is_late(
    sayso: RunningSayso, staff: StaffBrowser
) -> None:
    sender = f"late-{uuid.uuid4().hex[:8]}"
    sayso.send(sender, "hi")
    key = read_env_file(SECRETS_FILE)["SAYSO_PARTICIPANT_ID_KEY"].encode()
    slug = f"late-news-{uuid.uuid4().hex[:6]}"
    seed_past_due_answer(sayso, participant_id("rest", sender, key), slug)

    answer = " ".join(message.get("text", "") for message in sayso.send(sender, "what happened"))

    assert "Checking late news: your update is late. It was due on 20 March 2026." in answer
    assert "Overdue: people were told" in staff.client.get(f"/consultations/{slug}/outcomes").text
    assert "Checking late news" in staff.client.get("/outcomes").text


# ---- the staff pages in a browser ----------------------------------------------------------

LONG_SENTENCE = (
    "We talked with the kitchen team and the managers and the council about the food and "
    "decided there would be hot soup every night"
)


def test_the_outcome_pages_pass_axe_and_warn_about_long_sentences_as_staff_type(
    sayso: RunningSayso, staff: StaffBrowser
) -> None:
    engine = make_engine(f"sqlite:///{sayso.database}")
    try:
        with session_scope(engine) as session:
            theme_id = add_people(session, [Someone(f"axe-{uuid.uuid4().hex[:8]}", "rest")])
            outcome_id = draft_outcome(session, [theme_id])
    finally:
        engine.dispose()
    base = f"{sayso.web_url}/staff"
    problems: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_context().new_page()
        log_in(page, base, EMAIL, PASSWORD)
        for path in ("/outcomes", "/consultations/hostel-food/outcomes", f"/outcomes/{outcome_id}"):
            page.goto(f"{base}{path}")
            problems[path] = axe_violations(page)

        page.goto(f"{base}/consultations/hostel-food/outcomes/new")
        page.fill("#what_was_done", LONG_SENTENCE)
        warning = page.locator("#what_was_done-warnings .govuk-warning-text")
        warning.wait_for(timeout=10_000)
        assert "more than 15 words" in warning.inner_text()
        problems["form with a warning"] = axe_violations(page)
        page.click("button:has-text('Save as a draft')")
        assert page.locator(".govuk-error-summary").is_visible()
        problems["form with mistakes"] = axe_violations(page)
        browser.close()
    assert {name: found for name, found in problems.items() if found} == {}

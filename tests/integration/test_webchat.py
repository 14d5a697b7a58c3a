"""The web chat in a real headless Chromium, against the running Sayso.

A person completes a consultation with the keyboard alone on a phone-sized screen; axe-core
checks the chat page, kiosk mode and the poster against WCAG 2.2 AA; a kiosk's "Finish and
clear" leaves nothing of the person in the page, the browser's storage or Rasa's tracker;
answers given with a drop-in worker are marked; switching language keeps the answers; and a
message typed while Sayso cannot be reached is sent once it can.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot import PROJECT_ROOT
from bot.config import SECRETS_FILE, read_env_file
from bot.privacy.pseudonyms import participant_id
from tests.integration.conftest import RunningSayso
from tests.support.browser import axe_violations, launch_chromium

pytestmark = pytest.mark.integration

PHONE = {"width": 360, "height": 740}
TABLET = {"width": 800, "height": 1100}
REPLY_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def open_chat(browser: Browser, url: str, viewport: dict[str, int] = PHONE) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(REPLY_TIMEOUT_MS)
    page.goto(url)
    return page


def bot_says(page: Page, text: str) -> None:
    expect(page.locator(".message.bot", has_text=text).last).to_be_visible()


def focused_text(page: Page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def press_choice(page: Page, title: str) -> None:
    """Tab through the choices to the one with this title, and press Enter: keyboard only."""
    expect(page.locator("#choice-buttons button").first).to_be_focused()
    for _ in range(10):
        if focused_text(page) == title:
            page.keyboard.press("Enter")
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Could not tab to {title!r}")


def type_answer(page: Page, text: str) -> None:
    expect(page.locator("#message")).to_be_focused()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def stored(page: Page, key: str, session: bool = False) -> object:
    storage = "sessionStorage" if session else "localStorage"
    value = page.evaluate(f"{storage}.getItem({json.dumps(key)})")
    return json.loads(value) if value else None


def person(page: Page, mode: str = "personal") -> str:
    """The participant id Sayso keeps for this browser's web chat."""
    sender = stored(page, f"sayso.{mode}.sender")
    key = read_env_file(SECRETS_FILE)["SAYSO_PARTICIPANT_ID_KEY"].encode()
    return participant_id("webchat", sender, key)


def answers_of(sayso: RunningSayso, participant: str) -> list[tuple[str, str, str | None, str]]:
    return sayso.rows(
        "SELECT q.key, r.text, r.assisted_by, r.channel FROM responses r "
        "JOIN questions q ON q.id = r.question_id WHERE r.participant_id = ? ORDER BY q.position",
        participant,
    )


def has_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def start_day_centre(page: Page) -> None:
    bot_says(page, "I am a bot, not a person")
    press_choice(page, "Yes, that's OK")
    bot_says(page, "What would you like to talk about?")
    press_choice(page, "Day centre opening hours")
    bot_says(page, "When would you most like the day centre to be open?")


def test_a_person_completes_a_consultation_by_keyboard_alone_on_a_phone(
    sayso: RunningSayso, browser: Browser
) -> None:
    page = open_chat(browser, f"{sayso.web_url}/chat/")
    start_day_centre(page)
    press_choice(page, "In the evening")
    bot_says(page, "How well do the opening times work for you now?")
    press_choice(page, "OK")
    bot_says(page, "Would you come to the day centre on a Saturday or Sunday?")
    press_choice(page, "Yes")
    bot_says(page, "Was the day centre ever shut when you needed it?")
    type_answer(page, "it was shut on boxing day so i went to the library")
    bot_says(page, "Is there anything else about the opening times you want to say?")
    type_answer(page, "open till 8 in winter please")
    bot_says(page, "That was the last question")
    press_choice(page, "No")
    bot_says(page, "I will not message you")

    assert answers_of(sayso, person(page)) == [
        ("best-time", "In the evening", None, "webchat"),
        ("hours-now", "OK", None, "webchat"),
        ("weekends", "Yes", None, "webchat"),
        ("shut-when-needed", "it was shut on boxing day so i went to the library", None, "webchat"),
        ("anything-else", "open till 8 in winter please", None, "webchat"),
    ]
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.context.close()


@pytest.mark.parametrize("path", ["/chat/", "/chat/kiosk", "/chat/poster/hostel-food"])
def test_axe_finds_no_wcag_violations(sayso: RunningSayso, browser: Browser, path: str) -> None:
    page = open_chat(browser, f"{sayso.web_url}{path}", TABLET)
    if "poster" not in path:
        bot_says(page, "I am a bot, not a person")
    assert axe_violations(page) == []
    page.context.close()


def test_the_kiosk_warning_before_clearing_passes_axe_and_lets_a_person_carry_on(
    sayso: RunningSayso, browser: Browser
) -> None:
    page = browser.new_context(viewport=TABLET).new_page()
    page.set_default_timeout(REPLY_TIMEOUT_MS)
    page.clock.install()
    page.goto(f"{sayso.web_url}/chat/kiosk")
    bot_says(page, "I am a bot, not a person")
    page.keyboard.press("Enter")
    bot_says(page, "What would you like to talk about?")
    page.locator("#message").fill("the tea urn is always empty")

    page.clock.fast_forward("02:01")
    expect(page.locator("#idle")).to_be_visible()
    expect(page.locator("#idle-carry-on")).to_be_focused()
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    expect(page.locator("#idle")).to_be_hidden()
    expect(page.locator("#message")).to_have_value("the tea urn is always empty")

    page.clock.fast_forward("02:01")
    expect(page.locator("#idle")).to_be_visible()
    page.clock.fast_forward("01:01")
    expect(page.locator("#status")).to_have_text(re.compile("ready for the next person"))
    expect(page.locator("#message")).to_have_value("")
    page.context.close()


@pytest.mark.parametrize("size", ["1", "3"])
@pytest.mark.parametrize("path", ["/chat/", "/chat/kiosk"])
def test_the_page_reflows_at_320_pixels_without_sideways_scrolling(
    sayso: RunningSayso, browser: Browser, path: str, size: str
) -> None:
    page = open_chat(browser, f"{sayso.web_url}{path}", {"width": 320, "height": 640})
    bot_says(page, "I am a bot, not a person")
    page.select_option("#text-size", size)
    page.keyboard.press("Tab")
    assert not has_horizontal_scroll(page)
    for target in page.locator("button:visible, select:visible").all():
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, target.inner_text()
    page.context.close()


def test_finish_and_clear_leaves_no_trace_of_the_person(
    sayso: RunningSayso, browser: Browser
) -> None:
    secret = f"it was shut one sunday in march, ref {uuid.uuid4().hex[:8]}"
    page = open_chat(browser, f"{sayso.web_url}/chat/kiosk", TABLET)
    start_day_centre(page)
    press_choice(page, "Early morning")
    bot_says(page, "How well do the opening times work for you now?")
    press_choice(page, "OK")
    bot_says(page, "Would you come to the day centre on a Saturday or Sunday?")
    press_choice(page, "No")
    bot_says(page, "Was the day centre ever shut when you needed it?")
    type_answer(page, secret)
    bot_says(page, "Is there anything else about the opening times you want to say?")
    old_sender = stored(page, "sayso.kiosk.sender")
    old_person = person(page, "kiosk")
    assert sayso.tracker_rows("SELECT COUNT(*) FROM events WHERE sender_id = ?", old_sender)[0][0]

    page.click("#finish")
    expect(page.locator("#status")).to_have_text(re.compile("ready for the next person"))
    bot_says(page, "I am a bot, not a person")

    html = page.content()
    storage = page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    assert secret not in html and old_sender not in html
    assert secret not in storage and old_sender not in storage
    assert page.context.cookies() == []
    assert page.locator(".message.me").count() == 0
    assert stored(page, "sayso.kiosk.sender") != old_sender
    assert sayso.tracker_rows("SELECT COUNT(*) FROM events WHERE sender_id = ?", old_sender) == [
        (0,)
    ]
    assert sayso.tracker_rows("SELECT COUNT(*) FROM events WHERE data LIKE ?", f"%{secret}%") == [
        (0,)
    ]
    assert [row[1] for row in answers_of(sayso, old_person)] == [
        "Early morning",
        "OK",
        "No",
        secret,
    ]
    page.context.close()


def make_dropin_code(sayso: RunningSayso, label: str) -> str:
    environment = {**os.environ, "SAYSO_DATABASE_URL": f"sqlite:///{sayso.database}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "dropin-code", "--label", label],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", result.stdout).group(0)


def test_answers_given_with_a_worker_are_marked_until_the_tablet_is_handed_back(
    sayso: RunningSayso, browser: Browser
) -> None:
    code = make_dropin_code(sayso, "drop-in worker Q")
    page = open_chat(browser, f"{sayso.web_url}/chat/kiosk", TABLET)
    bot_says(page, "I am a bot, not a person")
    page.fill("#dropin-code", "WRONG-CODE")
    page.click("#assist-form button")
    expect(page.locator("#dropin-code-error")).to_have_text(re.compile("did not work"))
    page.fill("#dropin-code", code.lower())
    page.click("#assist-form button")
    expect(page.locator("#assisted")).to_be_visible()
    expect(page.locator("#message")).to_be_focused()

    page.click("#choice-buttons button >> text=Yes, that's OK")
    bot_says(page, "What would you like to talk about?")
    page.click("#choice-buttons button >> text=Day centre opening hours")
    bot_says(page, "When would you most like the day centre to be open?")
    page.click("#choice-buttons button >> text=In the day")
    bot_says(page, "How well do the opening times work for you now?")
    page.click("#hand-back")
    expect(page.locator("#assisted")).to_be_hidden()
    expect(page.locator("#status")).to_have_text(re.compile("tablet back"))
    page.click("#choice-buttons button >> text=Well")
    bot_says(page, "Would you come to the day centre on a Saturday or Sunday?")

    assert [row[:3] for row in answers_of(sayso, person(page, "kiosk"))] == [
        ("best-time", "In the day", "drop-in worker Q"),
        ("hours-now", "Well", None),
    ]
    page.context.close()


def test_switching_language_mid_consultation_keeps_the_answers(
    sayso: RunningSayso, browser: Browser
) -> None:
    page = open_chat(browser, f"{sayso.web_url}/chat/kiosk", TABLET)
    start_day_centre(page)
    press_choice(page, "At weekends")
    bot_says(page, "How well do the opening times work for you now?")

    page.click("#languages button[lang=pl]")
    bot_says(page, "Dobrze, będę mówić po polsku.")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator("#composer button")).to_have_text("Wyślij")
    expect(page.locator(".message.bot").last).to_have_attribute("lang", "pl")
    bot_says(page, "Pytanie 2 z 5.")
    page.click('#choice-buttons button >> text="Dobrze"')
    bot_says(page, "Pytanie 3 z 5.")
    expect(page.locator("#choice-buttons button")).to_have_text(["Tak", "Nie"])
    page.click("#choice-buttons button >> text=Nie")
    bot_says(page, "Pytanie 4 z 5.")
    page.locator("#message").fill("nie, zawsze było otwarte")
    page.keyboard.press("Enter")
    bot_says(page, "Pytanie 5 z 5.")
    page.locator("#message").fill("nie")
    page.keyboard.press("Enter")
    bot_says(page, "To było ostatnie pytanie.")
    bot_says(page, "Odpowiemy ci do 5 lutego 2027.")

    participant = person(page, "kiosk")
    assert [row[:2] for row in answers_of(sayso, participant)] == [
        ("best-time", "At weekends"),
        ("hours-now", "Well"),
        ("weekends", "No"),
        ("shut-when-needed", "nie, zawsze było otwarte"),
        ("anything-else", "nie"),
    ]
    assert sayso.rows("SELECT language FROM participants WHERE id = ?", participant) == [("pl",)]

    page.locator("#message").fill("english")
    page.keyboard.press("Enter")
    bot_says(page, "OK, I will talk in English.")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.context.close()


def test_a_message_typed_while_sayso_cannot_be_reached_is_sent_when_it_can(
    sayso: RunningSayso, browser: Browser
) -> None:
    page = open_chat(browser, f"{sayso.web_url}/chat/")
    bot_says(page, "I am a bot, not a person")
    page.route("**/webhooks/rest/webhook", lambda route: route.abort())
    page.locator("#message").fill("yes")
    page.keyboard.press("Enter")
    page.locator("#message").fill("what happened to what i said")
    page.keyboard.press("Enter")

    expect(page.locator("#status")).to_have_text(re.compile("cannot be reached"))
    expect(page.locator(".message.me .pending")).to_have_count(2)
    queued = [item["message"] for item in stored(page, "sayso.personal.queue")]
    assert queued == ["yes", "what happened to what i said"]

    page.unroute("**/webhooks/rest/webhook")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    bot_says(page, "What would you like to talk about?")
    bot_says(page, "You have not answered any questions yet.")
    expect(page.locator(".message.me .pending")).to_have_count(0)
    assert stored(page, "sayso.personal.queue") == []
    expect(page.locator("#status")).to_have_text(re.compile("back"))
    page.context.close()


def test_carry_on_later_opens_the_same_conversation_on_a_phone(
    sayso: RunningSayso, browser: Browser
) -> None:
    tablet = open_chat(browser, f"{sayso.web_url}/chat/kiosk", TABLET)
    start_day_centre(tablet)
    tablet_sender = stored(tablet, "sayso.kiosk.sender")
    tablet.click("#later")
    expect(tablet.locator("#later-result")).to_be_focused()
    code = tablet.locator("#later-result .code").inner_text()
    assert tablet.locator("#later-result img").first.get_attribute("alt")
    tablet.click("#finish")
    expect(tablet.locator("#status")).to_have_text(re.compile("ready for the next person"))

    phone = open_chat(browser, f"{sayso.web_url}/chat/?code={code}")
    bot_says(phone, "You were answering questions about Day centre opening hours")
    assert stored(phone, "sayso.personal.sender") == tablet_sender
    assert "code=" not in phone.url
    tablet.context.close()
    phone.context.close()

"""The staff pages in a real headless Chromium: accessible, usable by keyboard alone, safe.

axe-core checks every staff page against WCAG 2.2 AA. Logging in and merging themes are done
with the keyboard only. Every route is walked without a session, forms are posted without
their CSRF token, an answer full of HTML is stored, and every page and the export are checked
for the personal details in the seeded answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.engine import Engine

from bot.consultations.loader import parse_consultation
from bot.staff.app import routes
from bot.store import participants as participant_store
from bot.store.consultations import save_consultation
from bot.store.database import make_engine, session_scope
from bot.store.responses import save_answer, save_free_comment
from tests.integration.conftest import RunningSayso
from tests.support.browser import axe_violations, launch_chromium, log_in
from tests.support.staff_api import add_staff

pytestmark = pytest.mark.integration

EMAIL = "browser-admin@example.org"
PASSWORD = "a long enough password"
SLUG = "staff-browser-check"
XSS = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2"> food is cold'
PERSONAL = "my name is Gary Walsh ring me on 07700 900417 or gary.walsh@example.com"
DETAILS = ("Gary", "Walsh", "07700", "gary.walsh@example.com")
ANSWERS = (
    "the food is cold",
    "more food please",
    "food portions are too small",
    "better food choices",
    "the showers are cold",
    "more showers please",
    "fix the broken shower",
    "clean showers",
    PERSONAL,
    XSS,
)

#: Said outside any consultation, kept as general feedback.
GENERAL = (
    "the night shelter is always full",
    "the shelter had no beds left again",
    "my benefits were stopped",
    PERSONAL,
    XSS,
)


@dataclass
class StaffSite:
    sayso: RunningSayso
    base: str
    browser: Browser

    def logged_in_page(self) -> Page:
        page = self.browser.new_context().new_page()
        log_in(page, self.base, EMAIL, PASSWORD)
        return page


def add_admin(sayso: RunningSayso) -> None:
    add_staff(sayso.database, EMAIL, "admin", PASSWORD)


def seed(engine: Engine) -> None:
    """A draft consultation with answers, stored as the conversation stores them."""
    spec = parse_consultation(
        {
            "slug": SLUG, "title": "Checking the staff pages", "status": "draft",
            "summary": "We want to know what would help.", "ladder_rung": "consultation",
            "who_decides": "The service manager decides.", "opens_on": "2026-01-05",
            "closes_on": "2026-12-18", "feedback_due_on": "2027-01-29",
            "questions": [
                {"key": "rating", "kind": "yes_no", "prompt": "Is it good?"},
                {"key": "ideas", "kind": "free_text", "prompt": "What would help?"},
            ],
        },
        source="browser test",
    )  # fmt: skip
    with session_scope(engine) as session:
        consultation = save_consultation(session, spec)
        rating, ideas = consultation.questions
        for number, text in enumerate(ANSWERS):
            person = f"staff-browser-{number}"
            participant_store.get_or_create_participant(session, person, "telegram")
            save_answer(session, person, ideas, text, None, "telegram")
            save_answer(session, person, rating, "Yes", "yes", "telegram")
        for number, text in enumerate(GENERAL):
            person = f"staff-browser-general-{number}"
            participant_store.get_or_create_participant(session, person, "webchat")
            save_free_comment(session, person, None, text, "webchat")


@pytest.fixture(scope="module")
def site(sayso: RunningSayso) -> Iterator[StaffSite]:
    add_admin(sayso)
    engine = make_engine(f"sqlite:///{sayso.database}")
    seed(engine)
    engine.dispose()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        site = StaffSite(sayso, f"{sayso.web_url}/staff", browser)
        page = site.logged_in_page()
        page.goto(f"{site.base}/consultations/{SLUG}/themes")
        page.click("button:has-text('Find themes')")
        page.wait_for_url(re.compile(r".*done=themed"), timeout=120_000)
        page.context.close()
        yield site
        browser.close()


def tab_to(page: Page, selector: str, most: int = 200) -> None:
    """Press Tab until the element has focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_keyboard_user_can_log_in(site: StaffSite) -> None:
    page = site.browser.new_context().new_page()
    page.goto(f"{site.base}/consultations")
    tab_to(page, "#email")
    page.keyboard.type(EMAIL)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.base}/consultations")
    assert page.locator("h1").inner_text() == "Consultations"
    page.context.close()


def test_every_staff_page_passes_axe(site: StaffSite) -> None:
    page = site.browser.new_context().new_page()
    page.goto(f"{site.base}/login")
    problems = {"login": axe_violations(page)}
    page.fill("#email", EMAIL)
    page.fill("#password", "not the password")
    page.click("button:has-text('Log in')")
    problems["login with an error"] = axe_violations(page)
    page.context.close()
    page = site.logged_in_page()
    for path in (
        "/",
        "/consultations",
        "/consultations/new",
        f"/consultations/{SLUG}",
        f"/consultations/{SLUG}/edit",
        f"/consultations/{SLUG}/responses",
        f"/consultations/{SLUG}/themes",
        f"/consultations/{SLUG}/reach",
        "/general/",
        "/alerts",
        "/consultations/no-such-thing",
        f"/consultations/{SLUG}/evidence",
        "/consultations/hostel-food/evidence",
        "/evidence",
        "/evidence?from=2027-05-01&to=2027-01-01",
    ):
        page.goto(f"{site.base}{path}")
        problems[path] = axe_violations(page)
    page.goto(f"{site.base}/consultations/{SLUG}/themes")
    page.locator("a:has-text('See all')").first.click()
    problems["one theme"] = axe_violations(page)
    page.goto(f"{site.base}/consultations/{SLUG}/responses")
    page.locator("button:has-text('Show')").first.click()
    problems["an original"] = axe_violations(page)
    page.goto(f"{site.base}/general/")
    page.locator("button:has-text('Show')").first.click()
    problems["an original of general feedback"] = axe_violations(page)
    page.goto(f"{site.base}/consultations/new")
    page.click("button:has-text('Save the consultation')")
    assert page.locator(".govuk-error-summary").is_visible()
    problems["form with mistakes"] = axe_violations(page)
    page.context.close()
    assert {name: found for name, found in problems.items() if found} == {}


def test_a_keyboard_user_can_merge_two_themes(site: StaffSite) -> None:
    page = site.logged_in_page()
    page.goto(f"{site.base}/consultations/{SLUG}/themes")
    boxes = page.locator("form.sayso-merge input[name=theme_ids]")
    assert boxes.count() >= 2
    first_id, second_id = boxes.nth(0).get_attribute("id"), boxes.nth(1).get_attribute("id")
    counts = [
        int(re.search(r"\((\d+)\)$", page.locator(f"label[for={box_id}]").inner_text()).group(1))
        for box_id in (first_id, second_id)
    ]
    tab_to(page, f"#{first_id}")
    page.keyboard.press("Space")
    tab_to(page, f"#{second_id}")
    page.keyboard.press("Space")
    tab_to(page, "form.sayso-merge input[name=label]")
    page.keyboard.type("Merged by keyboard")
    tab_to(page, "form.sayso-merge button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*done=merged"))
    assert "The themes were merged." in page.locator(".govuk-notification-banner").inner_text()
    row = page.locator("table tr", has=page.locator("th", has_text="Merged by keyboard"))
    assert row.locator("td").inner_text() == str(sum(counts))
    page.context.close()


def test_every_route_without_a_session_goes_to_login_or_is_refused(site: StaffSite) -> None:
    public = {"/login", "/api/openapi.json", "/api/openapi.yaml"}
    with httpx.Client(base_url=site.base, follow_redirects=False) as anonymous:
        for route in routes():
            if not getattr(route, "methods", None) or route.path in public:
                continue
            if route.path.startswith("/assets/"):
                continue
            path = route.path.format(slug=SLUG, response_id=1, theme_id=1, alert_id=1, outcome_id=1)
            for method in route.methods - {"HEAD"}:
                response = anonymous.request(method, path)
                if path.startswith("/api/"):
                    assert response.status_code == 401, (method, path)
                else:
                    assert response.status_code == 303, (method, path)
                    assert response.headers["location"].startswith("/staff/login"), path
                for detail in (*DETAILS, "food", "Checking the staff pages"):
                    assert detail not in response.text, (method, path)


def test_a_form_posted_without_its_csrf_token_changes_nothing(site: StaffSite) -> None:
    page = site.logged_in_page()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=site.base, cookies=cookies, follow_redirects=False) as client:
        for token in ({}, {"csrf_token": "guessed"}):
            response = client.post(f"/consultations/{SLUG}/close", data=token)
            assert response.status_code == 403
        assert client.get(f"/consultations/{SLUG}").status_code == 200
    status = site.sayso.rows("SELECT status FROM consultations WHERE slug = ?", SLUG)
    assert status == [("draft",)]
    page.context.close()


def test_html_in_an_answer_shows_as_text_and_never_runs(site: StaffSite) -> None:
    page = site.logged_in_page()
    for path in (f"/consultations/{SLUG}/responses", f"/consultations/{SLUG}/themes", "/general/"):
        page.goto(f"{site.base}{path}")
        assert page.evaluate("window.__xss") is None, path
    page.goto(f"{site.base}/consultations/{SLUG}/responses")
    cell = page.locator(".sayso-answer-text", has_text="window.__xss = 1")
    assert cell.first.inner_text().startswith("<script>window.__xss = 1</script>")
    page.context.close()


def test_personal_details_are_masked_on_every_page_and_in_the_export(site: StaffSite) -> None:
    page = site.logged_in_page()
    page.goto(f"{site.base}/consultations/{SLUG}/themes")
    theme_pages = [
        link.get_attribute("href") for link in page.locator("a:has-text('See all')").all()
    ]
    for path in (
        "/",
        "/consultations",
        f"/consultations/{SLUG}",
        f"/consultations/{SLUG}/edit",
        f"/consultations/{SLUG}/responses",
        f"/consultations/{SLUG}/themes",
        f"/consultations/{SLUG}/reach",
        "/general/",
    ):
        page.goto(f"{site.base}{path}")
        for detail in DETAILS:
            assert detail not in page.content(), (path, detail)
    for href in theme_pages:
        page.goto(f"{site.sayso.web_url}{href}")
        for detail in DETAILS:
            assert detail not in page.content(), (href, detail)
    page.goto(f"{site.base}/consultations/{SLUG}/responses")
    assert page.get_by_text("my name is [name] ring me on [phone] or [email]").is_visible()
    export = page.request.get(f"{site.base}/consultations/{SLUG}/export.csv")
    assert export.status == 200
    assert "[phone]" in export.text()
    for detail in DETAILS:
        assert detail not in export.text()
    page.goto(f"{site.base}/general/")
    assert page.get_by_text("my name is [name] ring me on [phone] or [email]").is_visible()
    general = page.request.get(f"{site.base}/general/export.csv")
    assert general.status == 200 and "[phone]" in general.text()
    for detail in DETAILS:
        assert detail not in general.text()
    page.context.close()

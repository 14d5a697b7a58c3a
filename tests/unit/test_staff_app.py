"""The staff app in process: who gets in, what they see, and what a form post can change."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import UTC, date, datetime
from html import unescape

import httpx
import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.config import Settings, load_settings
from bot.nlp import get_nlp
from bot.staff.app import create_app, routes
from bot.staff.context import SESSION_COOKIE
from bot.staff.login import (
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_EMAIL,
    TOO_MANY_TRIES,
    WRONG_DETAILS,
)
from bot.staff.security import digest, hash_password, new_secret
from bot.store import outcomes as outcome_store
from bot.store import participants as participant_store
from bot.store import safety, staff_accounts
from bot.store import themes as theme_store
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import session_scope
from bot.store.responses import save_answer, save_free_comment
from bot.store.staff_audit import original_views
from bot.themes.service import theme_question
from bot.web import Part

PASSWORD = "a long enough password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def staff_settings(**changes: object) -> Settings:
    return dataclasses.replace(
        load_settings(), staff_session_key="unit-test-key-" + "x" * 32, **changes
    )


def add_account(engine: Engine, email: str, role: str = "staff") -> None:
    with session_scope(engine) as session:
        staff_accounts.save_account(session, email, hash_password(PASSWORD), role)


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class StaffVisitor:
    """The staff app mounted at /staff, as bot/web.py mounts it, seen through one browser."""

    def __init__(
        self, engine: Engine, base_url: str = "http://localhost", settings: Settings | None = None
    ) -> None:
        app = Starlette(
            routes=[Part("/staff", app=create_app(settings or staff_settings(), engine))]
        )
        self.client = TestClient(app, base_url=base_url, follow_redirects=False)

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.client.get(f"/staff{path}", **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs: object) -> httpx.Response:
        return self.client.post(f"/staff{path}", data=data, **kwargs)

    def log_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        token = csrf_token(self.get("/login").text)
        return self.post("/login", {"email": email, "password": password, "csrf_token": token})

    def submit(self, page: str, action: str, data: dict | None = None) -> httpx.Response:
        """Post a form from `page` the way a browser would: with that page's CSRF token."""
        token = csrf_token(self.get(page).text)
        return self.post(action, {**(data or {}), "csrf_token": token})


@pytest.fixture(scope="module", autouse=True)
def _load_model_once() -> None:
    get_nlp()


pytestmark = pytest.mark.usefixtures("quick_password_hashing")


@pytest.fixture()
def staff(engine) -> StaffVisitor:
    add_account(engine, "sam@example.org", "staff")
    add_account(engine, "ali@example.org", "admin")
    return StaffVisitor(engine)


def hostel_food_answers(engine, texts: list[str]) -> list[int]:
    """Store answers to the hostel-food free-text question, one person each."""
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        question = next(q for q in consultation.questions if q.key == "food-ideas")
        ids = []
        for number, text in enumerate(texts):
            person = f"person-{number}"
            participant_store.get_or_create_participant(session, person, "telegram")
            ids.append(save_answer(session, person, question, text, None, "telegram").id)
        return ids


PERSONAL = "my name is Gary Walsh ring me on 07700 900417 or gary.walsh@example.com"
FOOD = ["the food is cold", "more food please", "food portions are too small", PERSONAL]


def general_feedback(engine, texts: list[str], channel: str = "telegram") -> list[int]:
    """Store things said outside any consultation, one person each, a day apart (oldest
    first), as the conversation keeps them: no consultation, no question."""
    with session_scope(engine) as session:
        ids = []
        for number, text in enumerate(texts):
            person = f"general-{number}"
            participant_store.get_or_create_participant(session, person, channel)
            response = save_free_comment(session, person, None, text, channel)
            response.created_at = datetime(2026, 11, 1 + number, 9, 30, tzinfo=UTC)
            ids.append(response.id)
        return ids


def page_paths(engine) -> list[tuple[str, str]]:
    """(method, path) for every staff page route, with real ids and slugs filled in."""
    answer_id = hostel_food_answers(engine, FOOD)[0]
    general_feedback(engine, [PERSONAL])
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        theme_question(session, next(q for q in consultation.questions if q.kind == "free_text"))
        theme = theme_store.themes_for_consultation(session, consultation.id)[0]
        alert = safety.raise_alert(session, "person-0", consultation.id, "self_harm", "telegram")
        draft = outcome_store.OutcomeDraft([theme.id], "Soup at night.", "done", date(2027, 2, 10))
        outcome = outcome_store.save_outcome(session, consultation, draft)
        values = {
            "outcome_id": outcome.id,
            "slug": "hostel-food",
            "response_id": answer_id,
            "theme_id": theme.id,
            "alert_id": alert.id,
        }
    paths = []
    for route in routes():
        if not isinstance(route, Route) or route.path in PUBLIC_PATHS:
            continue
        for method in sorted(route.methods - {"HEAD"}):
            paths.append((method, route.path.format(**values)))
    return paths


PUBLIC_PATHS = {
    "/login",
    "/api/openapi.json",
    "/api/openapi.yaml",
    "/assets/govuk-frontend.min.css",
    "/assets/govuk-frontend.min.js",
}


def test_every_route_without_a_session_or_token_shows_nothing(engine) -> None:
    visitor = StaffVisitor(engine)
    for method, path in page_paths(engine):
        response = visitor.client.request(method, f"/staff{path}")
        if path.startswith("/api/"):
            assert response.status_code == 401, path
            assert response.json() == {"error": "Send a token: Authorization: Bearer <token>"}
        else:
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/staff/login"), path
            assert "Gary" not in response.text and "food" not in response.text.lower()


@pytest.mark.parametrize(
    "path", ["/api/consultations/%0A", "/api/consultations/%0A/reach", "/api/themes/1%0A2"]
)
def test_an_api_path_holding_a_newline_still_asks_for_a_token(engine, path: str) -> None:
    response = StaffVisitor(engine).get(path)

    assert response.status_code == 401
    assert response.json() == {"error": "Send a token: Authorization: Bearer <token>"}


def test_a_page_asked_for_before_login_opens_after_login(staff) -> None:
    first = staff.get("/consultations/hostel-food/reach")
    assert first.headers["location"] == "/staff/login?next=/staff/consultations/hostel-food/reach"
    token = csrf_token(staff.get("/login").text)
    response = staff.post(
        "/login?next=/staff/consultations/hostel-food/reach",
        {"email": "sam@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["location"] == "/staff/consultations/hostel-food/reach"


def test_after_login_the_app_never_sends_anyone_to_another_site(engine, staff) -> None:
    for target in ("https://evil.example/", "//evil.example/staff/", "/staff/../../evil"):
        visitor = StaffVisitor(engine)
        token = csrf_token(visitor.get("/login").text)
        response = visitor.post(
            "/login",
            {"email": "sam@example.org", "password": PASSWORD, "csrf_token": token},
            params={"next": target},
        )
        assert response.headers["location"] == "/staff/consultations"


def test_wrong_email_and_wrong_password_get_the_same_words(staff) -> None:
    wrong_password = staff.log_in("sam@example.org", "not the password at all")
    no_account = staff.log_in("nobody@example.org", "not the password at all")
    assert wrong_password.status_code == no_account.status_code == 401
    assert WRONG_DETAILS in wrong_password.text and WRONG_DETAILS in no_account.text
    assert (
        "set-cookie" not in wrong_password.headers
        or SESSION_COOKIE not in (wrong_password.headers["set-cookie"])
    )


def test_too_many_wrong_passwords_lock_the_account_even_after_a_restart(engine, staff) -> None:
    for _ in range(MAX_FAILURES_PER_EMAIL):
        assert staff.log_in("sam@example.org", "wrong password here").status_code == 401
    locked = staff.log_in("sam@example.org")
    assert locked.status_code == 429 and TOO_MANY_TRIES in locked.text
    restarted = StaffVisitor(engine)
    assert restarted.log_in("sam@example.org").status_code == 429
    assert restarted.log_in("ali@example.org").status_code == 303


def test_one_address_trying_many_accounts_is_locked_out(engine, staff) -> None:
    for number in range(MAX_FAILURES_PER_ADDRESS):
        staff.log_in(f"guess{number}@example.org", "wrong password here")
    assert staff.log_in("ali@example.org").status_code == 429


def test_session_cookie_is_httponly_samesite_and_secure_off_this_machine(engine, staff) -> None:
    local = staff.log_in("sam@example.org").headers["set-cookie"]
    assert "HttpOnly" in local and "SameSite=lax" in local and "Secure" not in local
    remote = StaffVisitor(engine, base_url="https://staff.example.org")
    cookie = remote.log_in("sam@example.org").headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "Secure" in cookie and "HttpOnly" in cookie


def test_logging_out_ends_the_session_for_good(staff) -> None:
    staff.log_in("sam@example.org")
    stolen = dict(staff.client.cookies)
    assert staff.submit("/consultations", "/logout").headers["location"].endswith("logged-out")
    staff.client.cookies.clear()
    staff.client.cookies.update(stolen)
    assert staff.get("/consultations").status_code == 303


def test_a_form_post_with_a_missing_or_wrong_csrf_token_changes_nothing(engine, staff) -> None:
    staff.log_in("sam@example.org")
    for token in ("", "made-up-token"):
        response = staff.post("/consultations/hostel-food/close", {"csrf_token": token})
        assert response.status_code == 403
    login_without_token = StaffVisitor(engine).post(
        "/login", {"email": "sam@example.org", "password": PASSWORD}
    )
    assert login_without_token.status_code == 403
    with session_scope(engine) as session:
        assert get_consultation_by_slug(session, "hostel-food").status == "open"


def test_the_consultation_form_links_every_mistake_to_its_field(engine, staff) -> None:
    staff.log_in("sam@example.org")
    response = staff.submit(
        "/consultations/new",
        "/consultations/new",
        {
            "slug": "Bad Slug",
            "title": "",
            "summary": "We want to know.",
            "ladder_rung": "consultation",
            "who_decides": "The manager decides.",
            "opens_on": "2027-02-01",
            "closes_on": "2027-01-01",
            "feedback_due_on": "2027-03-01",
            "question_slots": "3",
            "questions-0-key": "first",
            "questions-0-kind": "choice",
            "questions-0-prompt": "",
        },
    )
    assert response.status_code == 400
    assert "There is a problem" in response.text
    for field in ("slug", "title", "closes_on", "questions-0-prompt", "questions-0-options"):
        assert f'href="#{field}"' in response.text, field
        assert f'id="{field}-error"' in response.text, field
    with session_scope(engine) as session:
        assert get_consultation_by_slug(session, "bad-slug") is None


def test_staff_create_edit_and_close_a_consultation_by_the_yaml_rules(engine, staff) -> None:
    staff.log_in("sam@example.org")
    created = staff.submit(
        "/consultations/new",
        "/consultations/new",
        {
            "slug": "garden",
            "title": "The garden",
            "summary": "What should we grow?",
            "ladder_rung": "co-design",
            "who_decides": "Residents and the garden team decide together.",
            "opens_on": "2027-03-01",
            "closes_on": "2027-04-01",
            "feedback_due_on": "2027-04-15",
            "status": "draft",
            "keywords": "garden, plants",
            "question_slots": "3",
            "questions-0-key": "grow",
            "questions-0-kind": "choice",
            "questions-0-prompt": "What should we grow?",
            "questions-0-options": "Flowers\nveg | Vegetables",
            "questions-0-required": "yes",
            "questions-1-key": "ideas",
            "questions-1-kind": "free_text",
            "questions-1-prompt": "Any other ideas?",
        },
    )
    assert created.headers["location"] == "/staff/consultations/garden?done=created"
    assert "The consultation was saved." in staff.get("/consultations/garden?done=created").text
    edit_page = staff.get("/consultations/hostel-food/edit").text
    assert "none | No, I do not" in edit_page
    form = {name: value for name, value in _form_fields(edit_page)}
    form["title"] = "Food at the hostel (new menu)"
    assert (
        staff.submit(
            "/consultations/hostel-food/edit", "/consultations/hostel-food/edit", form
        ).status_code
        == 303
    )
    staff.submit("/consultations/garden", "/consultations/garden/close")
    with session_scope(engine) as session:
        garden = get_consultation_by_slug(session, "garden")
        assert garden.status == "closed" and garden.ladder_rung == "co-design"
        assert [o["value"] for o in garden.questions[0].options] == ["flowers", "veg"]
        food = get_consultation_by_slug(session, "hostel-food")
        assert food.title == "Food at the hostel (new menu)"
        needs = next(q for q in food.questions if q.key == "food-needs")
        assert needs.options[-1] == {"value": "none", "label": "No, I do not"}


def _form_fields(html: str) -> list[tuple[str, str]]:
    """The values a browser would send for a form page's inputs, textareas, checked boxes."""
    fields = []
    for match in re.finditer(r"<input ([^>]*)>", html):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        kind = attributes.get("type", "text")
        if "name" not in attributes or attributes["name"] == "csrf_token":
            continue
        if kind in ("radio", "checkbox") and "checked" not in match.group(1).split():
            continue
        fields.append((attributes["name"], unescape(attributes.get("value", ""))))
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        fields.append((name, unescape(value)))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields.append((name, chosen.group(1) if chosen else ""))
    return fields


def test_names_numbers_and_emails_are_masked_on_every_page_and_in_the_export(engine, staff) -> None:
    staff.log_in("sam@example.org")
    paths = [path for method, path in page_paths(engine) if method == "GET"]
    staff.submit("/consultations/hostel-food/themes", "/consultations/hostel-food/themes/refresh")
    for path in paths:
        text = staff.get(path).text
        for detail in ("Gary", "Walsh", "07700", "gary.walsh@example.com"):
            assert detail not in text, (path, detail)
    responses = staff.get("/consultations/hostel-food/responses").text
    assert "my name is [name] ring me on [phone] or [email]" in responses


def test_only_allowed_roles_see_originals_and_each_view_is_logged(engine, staff) -> None:
    answer_id = hostel_food_answers(engine, [PERSONAL])[0]
    staff.log_in("sam@example.org")
    refused = staff.submit(
        "/consultations/hostel-food/responses", f"/responses/{answer_id}/original"
    )
    assert refused.status_code == 403 and "Gary" not in refused.text
    admin = StaffVisitor(engine)
    admin.log_in("ali@example.org")
    shown = admin.submit("/consultations/hostel-food/responses", f"/responses/{answer_id}/original")
    assert shown.status_code == 200 and "07700 900417" in shown.text
    export = admin.submit(
        "/consultations/hostel-food", "/consultations/hostel-food/export.csv", {"originals": "yes"}
    )
    assert "07700 900417" in export.text
    with session_scope(engine) as session:
        views = original_views(session, answer_id)
    assert [(v.staff_email, v.seen_through) for v in views] == [
        ("ali@example.org", "export"),
        ("ali@example.org", "page"),
    ]
    nobody = StaffVisitor(engine, settings=staff_settings(show_originals_to=()))
    nobody.log_in("ali@example.org")
    page = nobody.get("/consultations/hostel-food/responses").text
    assert "/original" not in page


def test_html_in_an_answer_is_shown_as_text(engine, staff) -> None:
    hostel_food_answers(engine, ['<script>alert("x")</script> <b>food</b> is cold'])
    staff.log_in("sam@example.org")
    page = staff.get("/consultations/hostel-food/responses").text
    assert "<script>alert" not in page and "<b>food</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &lt;b&gt;food&lt;/b&gt;" in page


def test_theme_counts_are_a_labelled_chart_with_a_table_beside_it(engine, staff) -> None:
    hostel_food_answers(engine, [*FOOD, "the showers are cold", "fix the shower", "clean showers"])
    staff.log_in("sam@example.org")
    staff.submit("/consultations/hostel-food/themes", "/consultations/hostel-food/themes/refresh")
    page = staff.get("/consultations/hostel-food/themes").text
    svg = re.search(r"<svg role=\"img\" aria-labelledby=\"([^\"]+)\".*?</svg>", page, re.S)
    assert svg, "no chart"
    title_id, desc_id = svg.group(1).split()
    assert f'<title id="{title_id}">Answers in each theme:' in svg.group(0)
    description = re.search(rf'<desc id="{desc_id}">(.*?)</desc>', svg.group(0)).group(1)
    table = page[page.index("Answers in each theme</caption>") :]
    for label, count in re.findall(
        r"([^.;:]+): (\d+) answers?", description.removeprefix("Bar chart. ")
    ):
        assert re.search(rf">{re.escape(label.strip())}</th>\s*<td[^>]*>{count}</td>", table)


def test_the_security_headers_keep_pages_out_of_caches_and_frames(staff) -> None:
    staff.log_in("sam@example.org")
    headers = staff.get("/consultations").headers
    assert headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_alerts_say_what_kind_of_risk_and_when_and_can_be_marked_dealt_with(engine, staff) -> None:
    with session_scope(engine) as session:
        participant_store.get_or_create_participant(session, "person-9", "telegram")
        consultation = get_consultation_by_slug(session, "hostel-food")
        alert_id = safety.raise_alert(session, "person-9", consultation.id, "cold", "telegram").id
    staff.log_in("sam@example.org")

    page = unescape(staff.get("/alerts").text)
    assert "Sleeping out in dangerous cold" in page
    assert "Food at the hostel" in page and "Telegram" in page
    assert "person-9" not in page

    staff.submit("/alerts", f"/alerts/{alert_id}/handled")
    assert "Yes, by sam@example.org" in unescape(staff.get("/alerts").text)


# ---- general feedback -------------------------------------------------------------------------

MASKED = "my name is [name] ring me on [phone] or [email]"
GENERAL = [
    "the night shelter is always full",
    "the shelter had no beds left again",
    "my benefits were stopped and nobody told me why",
    "universal credit payment is late again",
    "the bus to the day centre is too expensive",
    PERSONAL,
]


def api_headers(engine, email: str) -> dict[str, str]:
    token = new_secret()
    with session_scope(engine) as session:
        account = staff_accounts.get_account_by_email(session, email)
        staff_accounts.add_api_token(session, account, digest(token))
    return {"Authorization": f"Bearer {token}"}


def test_general_feedback_is_listed_masked_newest_first(engine, staff) -> None:
    general_feedback(engine, ["the night shelter is always full", PERSONAL])
    hostel_food_answers(engine, ["the food is cold"])
    staff.log_in("sam@example.org")

    home = staff.get("/consultations").text
    assert 'href="/staff/general/"' in home and "2 pieces so far" in home
    response = staff.get("/general/")
    page = unescape(response.text)

    assert response.status_code == 200
    assert "Things people told us that are not about an open consultation." in page
    assert 'aria-current="true">General feedback</a>' in page
    assert MASKED in page
    for detail in ("Gary", "Walsh", "07700", "900417", "gary.walsh@example.com"):
        assert detail not in page, detail
    assert page.index(MASKED) < page.index("the night shelter is always full")
    assert "2 November 2026" in page and "1 November 2026" in page and "Telegram" in page
    assert "the food is cold" not in page, "answers to a consultation are not general feedback"
    assert "Themes" not in page, "fewer than 4 are just listed"
    assert "/original" not in page, "a staff role cannot see originals"
    assert staff.get("/general").headers["location"].endswith("/staff/general/")


def test_general_feedback_is_grouped_into_themes_on_the_page_and_in_the_api(engine, staff) -> None:
    ids = general_feedback(engine, GENERAL)
    staff.log_in("sam@example.org")
    page = unescape(staff.get("/general/").text)
    body = staff.get("/api/general-feedback", headers=api_headers(engine, "sam@example.org"))

    assert body.status_code == 200
    data = body.json()
    assert data["total"] == data["shown"] == len(GENERAL)
    assert [item["id"] for item in data["items"]] == list(reversed(ids))
    newest = data["items"][0]
    assert newest["text"] == MASKED and newest["channel"] == "telegram"
    assert newest["created_at"] == "2026-11-06T09:30:00"
    assert "Feedback in each theme" in page and data["themes"]
    assert sorted(i for theme in data["themes"] for i in theme["answer_ids"]) == sorted(ids)
    for theme in data["themes"]:
        assert theme["count"] == len(theme["answer_ids"])
        assert re.search(
            rf">{re.escape(theme['label'])}</a></th>\s*<td[^>]*>{theme['count']}<", page
        )
    for item in data["items"]:
        assert item["text"] in page
    for detail in ("Gary", "Walsh", "07700", "900417", "gary.walsh@example.com"):
        assert detail not in page and detail not in body.text, detail


def test_general_feedback_csv_is_masked_and_originals_are_for_allowed_roles_only(
    engine, staff
) -> None:
    [feedback_id] = general_feedback(engine, [PERSONAL])
    staff.log_in("sam@example.org")
    download = staff.get("/general/export.csv")
    assert download.status_code == 200
    assert "general-feedback.csv" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(row["person"], row["feedback"], row["channel"]) for row in rows] == [
        ("1", MASKED, "telegram")
    ]
    refused = staff.submit("/general/", "/general/export.csv", {"originals": "yes"})
    assert refused.status_code == 403 and "07700" not in refused.text

    admin = StaffVisitor(engine)
    admin.log_in("ali@example.org")
    page = admin.get("/general/").text
    assert f'action="/staff/responses/{feedback_id}/original"' in page
    original = admin.submit("/general/", f"/responses/{feedback_id}/original")
    assert "07700 900417" in original.text and 'href="/staff/general/"' in original.text
    export = admin.submit("/general/", "/general/export.csv", {"originals": "yes"})
    assert (
        "07700 900417" in export.text and "with-originals" in export.headers["content-disposition"]
    )
    api = admin.get(
        "/api/general-feedback/export.csv",
        params={"originals": "true"},
        headers=api_headers(engine, "ali@example.org"),
    )
    assert "07700 900417" in api.text
    with session_scope(engine) as session:
        views = original_views(session, feedback_id)
    assert sorted(v.seen_through for v in views) == ["export", "export", "page"]

"""The staff JSON API over HTTP, against the web server that `sayso run` started.

Accounts and tokens are made with the real `sayso staff` commands; answers are stored through
the store, as the conversation stores them. The consultations here are drafts, so people
talking to Sayso in other tests are never offered them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.staff.app import routes
from bot.store.database import make_engine
from tests.integration.conftest import RunningSayso
from tests.support.staff_api import add_staff, draft_consultation, staff_token, store_answers

pytestmark = pytest.mark.integration

PASSWORD = "a long enough password"
SLUG = "staff-api-check"
PERSONAL = "my name is Gary Walsh ring me on 07700 900417 or gary.walsh@example.com"
DETAILS = ("Gary", "Walsh", "07700", "gary.walsh@example.com")
ANSWERS = (
    "the food is cold",
    "more food please",
    "food portions are too small",
    "hot food at night",
    "the showers are cold",
    "more showers please",
    "fix the broken shower",
    "clean showers",
    PERSONAL,
)


def new_token(sayso: RunningSayso, email: str, role: str) -> str:
    add_staff(sayso.database, email, role, PASSWORD)
    return staff_token(sayso.database, email)


@dataclass
class StaffApi:
    sayso: RunningSayso
    engine: Engine
    admin: httpx.Client
    staff: httpx.Client
    answer_ids: list[int]

    def themes(self) -> list[dict]:
        response = self.staff.get(f"/api/consultations/{SLUG}/themes")
        assert response.status_code == 200, response.text
        (question,) = response.json()["questions"]
        return question["themes"]


@pytest.fixture(scope="module")
def api(sayso: RunningSayso) -> Iterator[StaffApi]:
    base = f"{sayso.web_url}/staff"
    admin_token = new_token(sayso, "api-admin@example.org", "admin")
    staff_token = new_token(sayso, "api-staff@example.org", "staff")
    admin = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admin_token}"})
    staff = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {staff_token}"})
    created = staff.post("/api/consultations", json=draft_consultation(SLUG))
    assert created.status_code == 201, created.text
    engine = make_engine(f"sqlite:///{sayso.database}")
    ids = store_answers(engine, SLUG, ANSWERS, "staff-api")
    refreshed = staff.post(f"/api/consultations/{SLUG}/themes/refresh", json={}, timeout=120)
    assert refreshed.status_code == 200, refreshed.text
    yield StaffApi(sayso, engine, admin, staff, ids)
    admin.close()
    staff.close()
    engine.dispose()


def test_the_api_refuses_calls_without_a_known_token(sayso: RunningSayso) -> None:
    base = f"{sayso.web_url}/staff/api"
    for headers in ({}, {"Authorization": "Bearer made-up"}, {"Authorization": "Basic eDp5"}):
        response = httpx.get(f"{base}/consultations", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "consultations" not in response.json()


def test_the_openapi_file_describes_every_api_route(api: StaffApi) -> None:
    document = httpx.get(f"{api.sayso.web_url}/staff/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    described = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        for method in operations
        if method != "parameters"
    }
    served = {
        (route.path, method)
        for route in routes()
        if getattr(route, "methods", None) and route.path.startswith("/api/")
        and "openapi" not in route.path
        for method in route.methods - {"HEAD"}
    }  # fmt: skip
    assert described == served


def test_mistakes_in_a_consultation_come_back_field_by_field(api: StaffApi) -> None:
    broken = {**draft_consultation("staff-api-broken"), "ladder_rung": "co-produce", "title": ""}
    response = api.staff.post("/api/consultations", json=broken)
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["problems"]}
    assert fields == {"ladder_rung", "title"}
    assert api.staff.get("/api/consultations/staff-api-broken").status_code == 404
    again = api.staff.post("/api/consultations", json=draft_consultation(SLUG))
    assert again.status_code == 422 and "already used" in again.text


def test_a_consultation_can_be_changed_and_closed(api: StaffApi) -> None:
    slug = "staff-api-close"
    assert api.staff.post("/api/consultations", json=draft_consultation(slug)).status_code == 201
    changed = {**draft_consultation(slug), "title": "A clearer title"}
    assert api.staff.put(f"/api/consultations/{slug}", json=changed).status_code == 200
    closed = api.staff.post(f"/api/consultations/{slug}/close").json()["consultation"]
    assert (closed["title"], closed["status"]) == ("A clearer title", "closed")
    listed = {
        c["slug"]: c["status"] for c in api.staff.get("/api/consultations").json()["consultations"]
    }
    assert listed[slug] == "closed"


def test_answers_themes_and_export_never_show_personal_details(api: StaffApi) -> None:
    for path in ("responses", "themes", "reach", "export.csv"):
        text = api.staff.get(f"/api/consultations/{SLUG}/{path}").text
        for detail in DETAILS:
            assert detail not in text, (path, detail)
    responses = api.staff.get(f"/api/consultations/{SLUG}/responses").json()["questions"]
    ideas = next(q for q in responses if q["key"] == "ideas")
    assert "my name is [name] ring me on [phone] or [email]" in [
        a["text"] for a in ideas["answers"]
    ]
    rows = list(
        csv.DictReader(io.StringIO(api.staff.get(f"/api/consultations/{SLUG}/export.csv").text))
    )
    assert len(rows) == len(ANSWERS)
    assert {row["person"] for row in rows} == {str(n) for n in range(1, len(ANSWERS) + 1)}
    assert "original_answer" not in rows[0]


def test_every_answer_is_themed_and_themes_can_be_shaped(api: StaffApi) -> None:
    themes = api.themes()
    assert sum(theme["count"] for theme in themes) == len(ANSWERS)
    first, second = themes[0], themes[1]
    merged = api.staff.post(
        "/api/themes/merge", json={"theme_ids": [first["id"], second["id"]], "label": "Daily life"}
    )
    assert merged.status_code == 200, merged.text
    merged_theme = merged.json()["theme"]
    assert merged_theme["count"] == first["count"] + second["count"]
    renamed = api.staff.patch(
        f"/api/themes/{merged_theme['id']}",
        json={"label": "Food and showers", "status": "published"},
    ).json()["theme"]
    assert (renamed["label"], renamed["status"], renamed["staff_named"]) == (
        "Food and showers", "published", True,
    )  # fmt: skip
    members = [a["id"] for a in api.staff.get(f"/api/themes/{renamed['id']}").json()["answers"]]
    split = api.staff.post(
        f"/api/themes/{renamed['id']}/split",
        json={"response_ids": members[:1], "label": "Split off"},
    )
    assert split.status_code == 201 and split.json()["theme"]["count"] == 1
    moved = api.staff.put(f"/api/responses/{members[0]}/theme", json={"theme_id": renamed["id"]})
    assert moved.status_code == 200
    labels = {theme["label"]: theme["count"] for theme in api.themes()}
    assert labels["Food and showers"] == renamed["count"] and "Split off" not in labels


def test_new_answers_join_existing_themes_and_staff_work_stays(api: StaffApi) -> None:
    before = {theme["id"]: theme for theme in api.themes()}
    store_answers(api.engine, SLUG, ("food is cold at night", "the showers are cold"), "late")
    report = api.staff.post(f"/api/consultations/{SLUG}/themes/refresh", json={"fresh": True})
    (question_report,) = report.json()["reports"]
    assert question_report["answers"] == len(ANSWERS) + 2
    after = {theme["id"]: theme for theme in api.themes()}
    for theme_id, theme in before.items():
        if theme["staff_named"] or theme["status"] == "published":
            assert after[theme_id]["label"] == theme["label"]
            assert after[theme_id]["count"] >= theme["count"]
    assert sum(theme["count"] for theme in after.values()) == len(ANSWERS) + 2


def test_shaping_mistakes_come_back_with_the_field(api: StaffApi) -> None:
    theme_id = api.themes()[0]["id"]
    response = api.staff.post("/api/themes/merge", json={"theme_ids": [theme_id]})
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "theme_ids", "reason": "Choose at least 2 themes to merge"}
    ]
    assert api.staff.patch(f"/api/themes/{theme_id}", json={}).status_code == 422
    assert api.staff.patch("/api/themes/999999", json={"label": "x"}).status_code == 404
    assert api.staff.post("/api/themes/merge", content=b"not json").status_code == 400


def test_originals_are_for_allowed_roles_only_and_every_view_is_logged(api: StaffApi) -> None:
    personal = api.answer_ids[ANSWERS.index(PERSONAL)]
    refused = api.staff.get(f"/api/responses/{personal}/original")
    assert refused.status_code == 403 and "Gary" not in refused.text
    assert api.staff.get(f"/api/consultations/{SLUG}/export.csv?originals=true").status_code == 403
    shown = api.admin.get(f"/api/responses/{personal}/original").json()
    assert shown == {
        "id": personal,
        "original": PERSONAL,
        "redacted": "my name is [name] ring me on [phone] or [email]",
    }
    export = api.admin.get(f"/api/consultations/{SLUG}/export.csv?originals=true").text
    assert PERSONAL in export
    logged = api.sayso.rows(
        "SELECT staff_email, seen_through FROM original_text_views WHERE response_id = ? "
        "ORDER BY id",
        personal,
    )
    assert logged == [("api-admin@example.org", "api"), ("api-admin@example.org", "export")]
    assert api.sayso.rows(
        "SELECT COUNT(*) FROM original_text_views WHERE staff_email = 'api-staff@example.org'"
    ) == [(0,)]


def test_reach_gives_counts_and_never_participant_ids(api: StaffApi) -> None:
    reach = api.staff.get(f"/api/consultations/{SLUG}/reach")
    body = reach.text
    assert reach.json()["participants"] == len(ANSWERS) + 2
    assert reach.json()["by_channel"] == {"web": len(ANSWERS) + 2}
    for path in ("reach", "responses", "themes"):
        assert "staff-api-0" not in api.staff.get(f"/api/consultations/{SLUG}/{path}").text
    assert "staff-api-0" not in body


def test_a_polish_answer_joins_the_english_theme_it_means_the_same_as(api: StaffApi) -> None:
    slug = "meaning-themes-check"
    created = api.staff.post("/api/consultations", json=draft_consultation(slug))
    assert created.status_code == 201, created.text
    english_food = ("the food is cold", "more hot food please", "bigger portions of food")
    showers = ("the showers are cold", "fix the broken shower", "clean the showers")
    polish_food = "chcemy więcej ciepłego jedzenia"
    ids = store_answers(api.engine, slug, (*english_food, *showers, polish_food), "pl")
    food_ids, shower_ids, polish_id = set(ids[:3]), set(ids[3:6]), ids[6]
    refreshed = api.staff.post(f"/api/consultations/{slug}/themes/refresh", json={})
    assert refreshed.status_code == 200, refreshed.text

    (question,) = api.staff.get(f"/api/consultations/{slug}/themes").json()["questions"]
    members = [
        {
            answer["id"]: answer
            for answer in api.staff.get(f"/api/themes/{t['id']}").json()["answers"]
        }
        for t in question["themes"]
    ]
    [home] = [answers for answers in members if polish_id in answers]
    assert food_ids & set(home), "the Polish answer sits with the English answers about food"
    assert not shower_ids & set(home)
    assert home[polish_id].get("language") == "Polish"


def test_a_misspelt_option_is_refused_not_quietly_ignored(api: StaffApi) -> None:
    misspelt = api.admin.get(f"/api/consultations/{SLUG}/export.csv?orignals=true")
    assert misspelt.status_code == 422
    assert misspelt.json()["problems"] == [
        {"field": "orignals", "reason": "This call has no option called 'orignals'"}
    ]
    assert PERSONAL not in misspelt.text
    assert api.admin.get("/api/general-feedback/export.csv?=true").status_code == 422
    assert api.admin.get("/api/evidence?form=2026-01-01").status_code == 422
    assert api.admin.get("/api/evidence?from=2026-01-01&to=2026-12-01").status_code == 200
    # A call that takes no options ignores any, as caches and link checkers add their own.
    assert api.admin.get(f"/api/consultations/{SLUG}/reach?cache=1").status_code == 200

"""A staff account, a token and some stored data, for checking the staff API against its
OpenAPI description (tests/integration/test_staff_schema.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import Engine

from bot import PROJECT_ROOT
from bot.store import participants, safety
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import make_engine, session_scope
from bot.store.responses import save_answer, save_free_comment

#: Whether an answer keeps the description's promises: never a server error, and only the
#: statuses, content types, headers and JSON shapes it lists. Not checked: that every request
#: fitting the description is accepted, since the API also applies the consultation rules
#: (dates in order, option counts) that a JSON schema cannot say.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SLUG = "staff-schema-check"
PASSWORD = "a long enough password for the schema check"
ANSWERS = (
    "the food is cold",
    "more hot food please",
    "food portions are too small",
    "the showers are cold",
    "more showers please",
    "fix the broken shower",
    "ring me on 07700 900417",
)

#: Said outside any consultation: general feedback, enough to be grouped into themes.
GENERAL_FEEDBACK = (
    "the night shelter is always full",
    "the shelter had no beds left again",
    "my benefits were stopped",
    "text me on 07700 900418 about a room",
)


class Sayso(Protocol):
    """What is needed of the running Sayso (tests/integration/conftest.py)."""

    web_url: str
    database: Any


@dataclass(frozen=True)
class StaffData:
    """An admin's token, and an existing thing for each kind of id in the API's paths."""

    auth: dict[str, str] = field(repr=False)
    path_values: dict[str, Any]


def sayso_command(database: Any, *arguments: str, stdin: str = "") -> str:
    """Run `sayso ...` against the running Sayso's database; return what it printed."""
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        cwd=PROJECT_ROOT,
        env={**os.environ, "SAYSO_DATABASE_URL": f"sqlite:///{database}"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def add_staff(database: Any, email: str, role: str = "staff", password: str = PASSWORD) -> None:
    """A staff account, made as an admin makes one: `sayso staff add`."""
    sayso_command(database, "staff", "add", email, "--role", role, "--password-stdin",
                  stdin=password)  # fmt: skip


def staff_token(database: Any, email: str) -> str:
    """An API token for the account, as `sayso staff token` prints it."""
    return sayso_command(database, "staff", "token", email).strip().splitlines()[-1]


def admin_token(database: Any, email: str) -> str:
    add_staff(database, email, "admin")
    return staff_token(database, email)


def draft_consultation(slug: str) -> dict[str, Any]:
    """A draft, so people talking to Sayso in other tests are never offered it."""
    return {
        "slug": slug,
        "title": "Checking the API description",
        "summary": "We want to know what would help.",
        "ladder_rung": "consultation",
        "who_decides": "The service manager decides.",
        "opens_on": "2026-01-05",
        "closes_on": "2026-12-18",
        "feedback_due_on": "2027-01-29",
        "status": "draft",
        "questions": [
            {"key": "rating", "kind": "scale", "prompt": "How is it?",
             "options": ["Bad", "OK", "Good"]},
            {"key": "ideas", "kind": "free_text", "prompt": "What would help?"},
        ],
    }  # fmt: skip


def store_answers(engine: Engine, slug: str, texts: Sequence[str], prefix: str) -> list[int]:
    """Answers to the consultation's free-text question, one person each, as a chat stores them."""
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, slug)
        question = next(q for q in consultation.questions if q.kind == "free_text")
        ids = []
        for number, text in enumerate(texts):
            person = f"{prefix}-{number}"
            participants.get_or_create_participant(session, person, "web")
            ids.append(save_answer(session, person, question, text, None, "web").id)
        return ids


def store_general_feedback(engine: Engine, texts: Sequence[str], prefix: str) -> list[int]:
    """Things said outside any consultation, one person each, as a chat keeps them."""
    with session_scope(engine) as session:
        ids = []
        for number, text in enumerate(texts):
            person = f"{prefix}-{number}"
            participants.get_or_create_participant(session, person, "web")
            ids.append(save_free_comment(session, person, None, text, "web").id)
        return ids


def seed_staff_data(sayso: Sayso) -> StaffData:
    """An admin token, a draft consultation with themed answers, general feedback, and one
    alert."""
    auth = {"Authorization": f"Bearer {admin_token(sayso.database, 'schema@example.org')}"}
    with httpx.Client(base_url=f"{sayso.web_url}/staff/api", headers=auth, timeout=120) as api:
        created = api.post("/consultations", json=draft_consultation(SLUG))
        assert created.status_code == 201, created.text
        engine = make_engine(f"sqlite:///{sayso.database}")
        try:
            answer_ids = store_answers(engine, SLUG, ANSWERS, "schema-check")
            store_general_feedback(engine, GENERAL_FEEDBACK, "schema-general")
            with session_scope(engine) as session:
                consultation = get_consultation_by_slug(session, SLUG)
                alert_id = safety.raise_alert(session, None, consultation.id, "abuse", "web").id
        finally:
            engine.dispose()
        themed = api.post(f"/consultations/{SLUG}/themes/refresh", json={})
        assert themed.status_code == 200, themed.text
    [question] = themed.json()["questions"]
    theme_id = question["themes"][0]["id"]
    return StaffData(
        auth=auth,
        path_values={
            "slug": SLUG,
            "theme_id": theme_id,
            "response_id": answer_ids[0],
            "alert_id": alert_id,
        },
    )


def keep_consultations_in_draft(case: Any) -> None:
    """A generated consultation is made a draft, so no one talking to Sayso is offered it.

    "open" and "draft" are both allowed values, so the request keeps whatever it was testing.
    """
    body = case.body
    if isinstance(body, dict) and "questions" in body and body.get("status", "open") == "open":
        body["status"] = "draft"

"""The staff JSON API against its own OpenAPI description, with requests generated from it.

Schemathesis reads bot/staff/openapi.yml as the running web server serves it, and sends
requests that fit it and requests that break it, with no token and with an admin's token.
With no token every call must be refused; with one, nothing may fail on the server and every
answer must have the status, type and shape the description promises.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.integration.conftest import RunningSayso
from tests.support.staff_api import (
    CHECKS,
    StaffData,
    keep_consultations_in_draft,
    seed_staff_data,
)

pytestmark = pytest.mark.integration

schema = schemathesis.pytest.from_fixture("staff_schema")

FEW = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
MORE = settings(FEW, max_examples=20)


@pytest.fixture(scope="module")
def staff_schema(sayso: RunningSayso) -> BaseSchema:
    return schemathesis.openapi.from_url(f"{sayso.web_url}/staff/api/openapi.json")


@pytest.fixture(scope="module")
def staff_data(sayso: RunningSayso) -> StaffData:
    return seed_staff_data(sayso)


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@schema.parametrize()
@FEW
def test_without_a_token_every_call_is_refused(case: Any, http: requests.Session) -> None:
    response = case.call(session=http, timeout=60)

    if case.method.upper() == case.operation.method.upper():
        assert response.status_code == 401, response.text
        case.validate_response(response, checks=CHECKS)
    else:
        # A method the description does not list: routing turns it away, or it reaches a
        # path whose handler needs a token too (PATCH /api/themes/merge is theme "merge").
        assert response.status_code in (401, 405), response.text


@schema.parametrize()
@MORE
def test_with_a_token_nothing_fails_and_every_answer_matches_the_description(
    case: Any, http: requests.Session, staff_data: StaffData
) -> None:
    keep_consultations_in_draft(case)

    case.call_and_validate(
        session=http,
        headers=staff_data.auth,
        checks=[*CHECKS, negative_data_rejection],
        timeout=120,
    )


def test_every_read_of_stored_data_matches_the_description(
    staff_schema: BaseSchema, staff_data: StaffData, http: requests.Session
) -> None:
    """Generated ids rarely name anything, so each read also runs on things that exist:
    every GET whose path needs only ids of the kinds seeded here."""
    read = 0
    for operation in staff_schema.get_all_operations():
        operation = operation.ok()
        names = [parameter.name for parameter in operation.path_parameters]
        if operation.method.upper() != "GET" or not set(names) <= staff_data.path_values.keys():
            continue
        case = operation.Case(
            path_parameters={name: staff_data.path_values[name] for name in names},
            query={"originals": "true"} if operation.path.endswith("export.csv") else None,
        )
        response = case.call_and_validate(session=http, headers=staff_data.auth, checks=CHECKS)
        assert response.status_code == 200, f"{operation.label}: {response.text}"
        read += 1
    assert read >= 10

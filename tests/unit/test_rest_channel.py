"""The REST channel refuses bad bodies in plain words before Rasa reads them."""

from __future__ import annotations

import pytest

from bot.channels.rest import MAX_MESSAGE_LENGTH, request_problem


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (None, "Send a JSON object"),
        ([1, 2], "Send a JSON object"),
        ({"message": "hi"}, "The sender must be text"),
        ({"sender": "", "message": "hi"}, "The sender must be text"),
        ({"sender": "x" * 256, "message": "hi"}, "The sender must be text"),
        ({"sender": 7, "message": "hi"}, "The sender must be text"),
        ({"sender": "me"}, "The message must be text"),
        ({"sender": "me", "message": ["hi"]}, "The message must be text"),
        ({"sender": "me", "message": "x" * (MAX_MESSAGE_LENGTH + 1)}, "too long"),
        ({"sender": "me", "message": "hi", "metadata": "x"}, "metadata must be"),
    ],
)
def test_bad_bodies_get_a_plain_reason(body: object, problem: str) -> None:
    assert problem in (request_problem(body) or "")


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "me", "message": "hi"},
        {"sender": "me", "message": ""},
        {"sender": "me", "message": "hi", "metadata": {"assisted": "A"}},
        {"sender": "me", "message": "hi", "metadata": None},
    ],
)
def test_good_bodies_pass(body: dict) -> None:
    assert request_problem(body) is None

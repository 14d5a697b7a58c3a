"""Routing unprompted words by meaning, with the real encoder and the example consultations."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.consultations.routing import RoutingCandidate, best_consultation, candidate_for, route
from bot.store.database import session_scope
from bot.store.schema import Consultation


@pytest.fixture()
def candidates(engine: Engine) -> list[RoutingCandidate]:
    with session_scope(engine) as session:
        return [candidate_for(session, item) for item in session.query(Consultation).all()]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("breakfast is just toast every single morning", "hostel-food"),
        ("jedzenie w hostelu jest zimne i porcje są małe", "hostel-food"),
        ("they lock the doors at 4 and i have nowhere to go in the evening", "day-centre-hours"),
        ("been waiting two years for a flat of my own", "moving-on"),
    ],
)
def test_words_go_to_the_consultation_they_are_about(
    candidates: list[RoutingCandidate], text: str, slug: str
) -> None:
    assert best_consultation(text, candidates) == slug


@pytest.mark.parametrize(
    "text",
    [
        "the showers have been cold for a week",
        "the night staff play loud music at 3am",
        "my phone got nicked and i cant get online",
    ],
)
def test_words_about_no_open_consultation_go_nowhere(
    candidates: list[RoutingCandidate], text: str
) -> None:
    assert best_consultation(text, candidates) is None


def test_a_general_topic_an_open_consultation_covers_no_longer_holds_its_words_back() -> None:
    words = (("The showers", "en"), ("Tell us about the showers and hot water", "en"))
    showers = RoutingCandidate(
        slug="showers",
        references=(*words, ("Are the showers clean and warm?", "en")),
        main=words,
    )
    assert route("the showers are broken or cold", [showers]).slug == "showers"


@pytest.mark.parametrize("text", ["", "   "])
def test_nothing_to_route_goes_nowhere(candidates: list[RoutingCandidate], text: str) -> None:
    assert best_consultation(text, candidates) is None

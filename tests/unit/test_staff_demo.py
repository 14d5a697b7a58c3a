"""`sayso demo-data` gives a fresh install themed, masked answers, and takes them away again."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.staff.demo import DEMO_CHANNEL, load_demo_answers, remove_demo_answers
from bot.staff.summaries import themed_summary
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import session_scope
from bot.store.schema import Participant, Response, Theme

KEY = b"demo-test-key"


def counts(engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return (
            session.execute(select(func.count(Participant.id))).scalar_one(),
            session.execute(select(func.count(Response.id))).scalar_one(),
            session.execute(select(func.count(Theme.id))).scalar_one(),
        )


def test_demo_answers_arrive_themed_with_details_masked(engine) -> None:
    with session_scope(engine) as session:
        reports, skipped = load_demo_answers(session, KEY)
    assert skipped == []
    assert {r.consultation for r in reports} == {"hostel-food", "day-centre-hours", "moving-on"}
    with session_scope(engine) as session:
        channels = set(session.execute(select(Participant.channel)).scalars())
        summary = themed_summary(session, get_consultation_by_slug(session, "hostel-food"))
    assert channels == {DEMO_CHANNEL}
    (food_ideas,) = summary
    assert food_ideas.unthemed == 0 and len(food_ideas.themes) >= 2
    shown = " ".join(
        [t.label for t in food_ideas.themes]
        + [quote.text for t in food_ideas.themes for quote in t.quotes]
    )
    assert "Gary" not in shown and "07700" not in shown and "example.com" not in shown


def test_loading_twice_replaces_and_removing_leaves_nothing(engine) -> None:
    with session_scope(engine) as session:
        load_demo_answers(session, KEY)
    once = counts(engine)
    with session_scope(engine) as session:
        load_demo_answers(session, KEY)
    assert counts(engine) == once
    with session_scope(engine) as session:
        removed = remove_demo_answers(session)
    assert removed == once[0]
    assert counts(engine) == (0, 0, 0)

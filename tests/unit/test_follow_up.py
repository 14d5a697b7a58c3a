""" "Did it help?": weeks after an outcome is done, each person told about it is asked once."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.config import load_settings
from bot.conversation.words import words
from bot.feedback.evidence import consultation_evidence
from bot.feedback.publishing import publish
from bot.ops import worker
from bot.privacy.cipher import Cipher
from bot.store import follow_ups
from bot.store import outcomes as outcome_store
from bot.store import participants as participant_store
from bot.store.database import make_engine, session_scope
from bot.store.schema import FollowUpAnswer, OutboxMessage, OutcomeDone, Response
from tests.support.report_back import (
    THEME_LABEL,
    WHAT_WAS_DONE,
    Someone,
    add_people,
    consultation_and_question,
    draft_outcome,
    publish_to,
)
from tests.unit.chat import Chat, names
from tests.unit.test_staff_app import StaffVisitor, add_account, api_headers

CIPHER = Cipher(Fernet.generate_key().decode())
SETTINGS = load_settings()
DAYS = SETTINGS.follow_up_days


def follow_up_rows(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        return list(
            session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.idempotency_key.startswith("followup:"))
                .order_by(OutboxMessage.id)
            ).scalars()
        )


def done_on(engine: Engine, outcome_id: int) -> date:
    with session_scope(engine) as session:
        done = session.get(OutcomeDone, outcome_id)
        assert done is not None
        return done.done_on


def run_job(engine: Engine, today: date) -> int:
    return worker.queue_follow_ups(SETTINGS, today=today, engine=engine)


def answers(engine: Engine) -> list[tuple[str, str, str | None]]:
    with session_scope(engine) as session:
        rows = session.execute(select(FollowUpAnswer).order_by(FollowUpAnswer.id)).scalars()
        return [(row.participant_id, row.answer, row.words) for row in rows]


# ---- who is asked, when, and how often ------------------------------------------------------


def test_a_done_outcome_is_followed_up_once_per_person_told_only_after_the_days(
    engine: Engine,
) -> None:
    outcome_id = publish_to(engine, [Someone("tg-1"), Someone("tg-2")], CIPHER)
    day = done_on(engine, outcome_id)

    assert run_job(engine, day + timedelta(days=DAYS - 1)) == 0
    assert follow_up_rows(engine) == []

    assert run_job(engine, day + timedelta(days=DAYS)) == 2
    assert run_job(engine, day + timedelta(days=DAYS + 1)) == 0
    rows = follow_up_rows(engine)
    assert sorted(row.idempotency_key for row in rows) == [
        f"followup:{outcome_id}:tg-1",
        f"followup:{outcome_id}:tg-2",
    ]
    assert all(row.status == "queued" for row in rows)
    text = rows[0].body["text"]
    assert text == (
        f"You told us about: {THEME_LABEL}. {WHAT_WAS_DONE} Has this made things better for you?"
    )
    assert [title for title, _ in rows[0].body["buttons"]] == ["Yes", "A bit", "No"]


def test_a_restart_owes_nothing_twice(engine: Engine, database_url: str) -> None:
    outcome_id = publish_to(engine, [Someone("tg-1")], CIPHER)
    due = done_on(engine, outcome_id) + timedelta(days=DAYS)
    assert run_job(engine, due) == 1
    engine.dispose()

    again = make_engine(database_url)  # a new process: a new engine on the same file
    try:
        with session_scope(again) as session:
            session.execute(  # even if the "followed up" note were lost, the key holds
                OutcomeDone.__table__.update().values(followed_up_at=None)
            )
        assert run_job(again, due) == 0
        assert len(follow_up_rows(again)) == 1
    finally:
        again.dispose()


def test_an_outcome_not_done_is_not_followed_up_until_it_is(engine: Engine) -> None:
    with session_scope(engine) as session:
        theme_id = add_people(session, [Someone("tg-1")])
        outcome_id = draft_outcome(session, [theme_id], status=outcome_store.PLANNED)
    with session_scope(engine) as session:
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")
    today = date(2027, 3, 1)
    assert run_job(engine, today + timedelta(days=365)) == 0

    with session_scope(engine) as session:  # later, staff change it to done
        outcome_store.get_outcome(session, outcome_id).status = outcome_store.DONE
    assert run_job(engine, today) == 0
    assert done_on(engine, outcome_id) == today
    assert run_job(engine, today + timedelta(days=DAYS)) == 1


def test_nobody_who_stopped_updates_or_deleted_their_data_is_asked(engine: Engine) -> None:
    outcome_id = publish_to(
        engine, [Someone("stays"), Someone("stopped"), Someone("deleted")], CIPHER
    )
    with session_scope(engine) as session:
        participant = participant_store.get_participant(session, "stopped")
        participant_store.record_updates_consent(session, participant, False, "v1")
        participant_store.delete_participant(session, "deleted")

    run_job(engine, done_on(engine, outcome_id) + timedelta(days=DAYS))

    assert [row.recipient for row in follow_up_rows(engine)] == ["stays"]


def test_stopping_updates_cancels_a_follow_up_still_owed(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_people(session, [Someone("web-1", channel="rest")])
    chat = Chat(engine, participant_id="web-1")
    chat.agree()
    outcome_id = _publish_existing_theme(engine)
    run_job(engine, done_on(engine, outcome_id) + timedelta(days=DAYS))
    assert len(follow_up_rows(engine)) == 1

    chat.say("no more updates", "no_more_updates")

    assert follow_up_rows(engine) == []


def _publish_existing_theme(engine: Engine) -> int:
    from bot.store.schema import Theme

    with session_scope(engine) as session:
        theme_id = session.execute(select(Theme.id).where(Theme.label == THEME_LABEL)).scalar_one()
        outcome_id = draft_outcome(session, [theme_id])
    with session_scope(engine) as session:
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")
    return outcome_id


# ---- asking, in the chat ----------------------------------------------------------------------


def asked_web_person(engine: Engine) -> tuple[Chat, int]:
    """A web chat person told about a done outcome; the follow-up is now due and held."""
    with session_scope(engine) as session:
        add_people(session, [Someone("web-1", channel="rest")])
    chat = Chat(engine, participant_id="web-1")
    chat.agree()
    outcome_id = _publish_existing_theme(engine)
    chat.say("hello", "greet")  # sees the update itself
    run_job(engine, done_on(engine, outcome_id) + timedelta(days=DAYS))
    return chat, outcome_id


def test_a_web_chat_person_is_asked_at_their_next_turn_and_their_place_is_kept(
    engine: Engine,
) -> None:
    chat, outcome_id = asked_web_person(engine)

    asked = chat.say("hello", "greet")

    assert asked[-1].text.endswith("Has this made things better for you?")
    assert chat.button_titles() == ["Yes", "A bit", "No"]
    more = chat.tap("A bit")
    assert names(more) == ["utter_follow_up_thanks", "utter_follow_up_more"]
    assert words("utter_follow_up_more") == (
        "Do you want to tell us more? You can type it, or say skip."
    )
    back = chat.say("the soup is good but it runs out by nine", "share_view")
    assert names(back)[0] == "utter_follow_up_words_kept"
    assert names(back)[-1] == "utter_choose_consultation"  # where they were
    assert answers(engine) == [("web-1", "a_bit", "the soup is good but it runs out by nine")]
    assert follow_up_rows(engine)[0].status == "sent"
    with session_scope(engine) as session:
        assert follow_ups.answer_counts(session, _consultation_id(session)) == {"A bit": 1}
        assert follow_ups.outcome_answer_counts(session, outcome_id) == {
            "Yes": 0,
            "A bit": 1,
            "No": 0,
        }


def _consultation_id(session) -> int:  # type: ignore[no-untyped-def]
    consultation, _ = consultation_and_question(session)
    return consultation.id


def test_no_and_their_words_become_an_answer_for_the_next_theming(engine: Engine) -> None:
    chat, _ = asked_web_person(engine)
    chat.say("hello", "greet")

    chat.say("no", "deny")
    chat.say("the soup stops at eight not ten so nothing changed", "share_view")

    assert answers(engine) == [
        ("web-1", "no", "the soup stops at eight not ten so nothing changed")
    ]
    with session_scope(engine) as session:
        kept = session.execute(
            select(Response).where(
                Response.text == "the soup stops at eight not ten so nothing changed"
            )
        ).scalar_one()
        assert kept.consultation_id == _consultation_id(session)
        assert kept.question_id is None  # a comment under the consultation, themed next round


def test_yes_with_skip_keeps_the_answer_and_no_words(engine: Engine) -> None:
    chat, _ = asked_web_person(engine)
    chat.say("hello", "greet")

    chat.tap("Yes")
    back = chat.tap("Skip")

    assert names(back)[0] == "utter_no_problem"
    assert answers(engine) == [("web-1", "yes", None)]
    with session_scope(engine) as session:
        comments = session.execute(
            select(Response).where(
                Response.participant_id == "web-1", Response.question_id.is_(None)
            )
        ).all()
    assert comments == []


def test_an_unclear_reply_is_asked_again_plainly(engine: Engine) -> None:
    chat, _ = asked_web_person(engine)
    chat.say("hello", "greet")

    again = chat.say("what do you mean", "nlu_fallback", 0.4)
    unsure = chat.say("maybe", "stop", 0.99)

    for replies in (again, unsure):
        assert names(replies)[0] == "utter_follow_up_unclear"
        assert replies[-1].text.endswith("Has this made things better for you?")
    assert answers(engine) == []
    typed = chat.say("a bit", "nlu_fallback", 0.5)
    assert names(typed) == ["utter_follow_up_thanks", "utter_follow_up_more"]
    assert answers(engine) == [("web-1", "a_bit", None)]


def test_help_and_stop_still_work_at_the_question(engine: Engine) -> None:
    chat, _ = asked_web_person(engine)
    chat.say("hello", "greet")

    helped = chat.say("help", "help")
    assert names(helped)[0] == "utter_help"
    assert helped[-1].text.endswith("Has this made things better for you?")
    stopped = chat.say("stop", "stop")
    assert names(stopped) == ["utter_stopped"]


def test_a_telegram_person_can_tap_the_pushed_buttons_from_anywhere(engine: Engine) -> None:
    outcome_id = publish_to(engine, [Someone("tg-1")], CIPHER)
    run_job(engine, done_on(engine, outcome_id) + timedelta(days=DAYS))
    chat = Chat(engine, participant_id="tg-1")

    replies = chat.send_payload(f'/choose{{"option":"followup:{outcome_id}:no"}}')
    assert names(replies) == ["utter_follow_up_thanks", "utter_follow_up_more"]
    stranger = Chat(engine, participant_id="tg-2")
    stranger.agree()
    refused = stranger.send_payload(f'/choose{{"option":"followup:{outcome_id}:yes"}}')
    assert names(refused)[0] == "utter_old_button"
    assert answers(engine) == [("tg-1", "no", None)]


def mark_sent(engine: Engine) -> None:
    """What the Telegram sender does once the Bot API has taken the message."""
    with session_scope(engine) as session:
        for row in session.execute(
            select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith("followup:"))
        ).scalars():
            row.status = "sent"


def test_a_telegram_person_can_type_their_answer_to_the_pushed_question(engine: Engine) -> None:
    outcome_id = publish_to(engine, [Someone("tg-1"), Someone("tg-pl", language="pl")], CIPHER)
    Chat(engine, participant_id="tg-1").agree()
    polish_reader = Chat(engine, participant_id="tg-pl")
    polish_reader.say("cześć", "greet")
    polish_reader.tap("Tak, zgadzam się")
    run_job(engine, done_on(engine, outcome_id) + timedelta(days=DAYS))
    before = Chat(engine, participant_id="tg-1").say("yes", "affirm")
    assert "utter_follow_up_thanks" not in names(before)  # not sent yet: nothing was asked
    mark_sent(engine)

    typed = Chat(engine, participant_id="tg-1").say("a bit", "inform")
    assert names(typed) == ["utter_follow_up_thanks", "utter_follow_up_more"]
    Chat(engine, participant_id="tg-1").say("skip", "skip")
    polish = Chat(engine, participant_id="tg-pl").say("nie", "deny")
    assert names(polish) == ["utter_follow_up_thanks", "utter_follow_up_more"]
    assert sorted(answers(engine)) == [("tg-1", "a_bit", None), ("tg-pl", "no", None)]
    again = Chat(engine, participant_id="tg-1").say("yes", "affirm")
    assert "utter_follow_up_thanks" not in names(again)  # answered: "yes" is not taken twice


def test_polish_readers_get_the_question_and_buttons_in_polish(engine: Engine) -> None:
    outcome_id = publish_to(engine, [Someone("tg-pl", language="pl")], CIPHER)
    run_job(engine, done_on(engine, outcome_id) + timedelta(days=DAYS))
    [row] = follow_up_rows(engine)
    assert row.body["text"].endswith("Czy teraz jest ci lepiej?")
    assert [title for title, _ in row.body["buttons"]] == ["Tak", "Trochę", "Nie"]


# ---- what staff see -------------------------------------------------------------------------


@pytest.mark.usefixtures("quick_password_hashing")
def test_staff_see_the_answers_on_the_outcome_page_in_the_api_and_the_evidence(
    engine: Engine,
) -> None:
    chat, outcome_id = asked_web_person(engine)
    chat.say("hello", "greet")
    chat.tap("No")
    chat.say("it is still cold, ask Gary Walsh on 07700 900417", "share_view")
    add_account(engine, "sam@example.org", "staff")
    staff = StaffVisitor(engine)
    staff.log_in("sam@example.org")

    page = unescape(staff.get(f"/outcomes/{outcome_id}").text)
    assert "Did it help?" in page
    assert 'data-answer="No">1<' in page
    assert "it is still cold" in page and "07700" not in page

    api = staff.get(
        "/api/consultations/hostel-food/outcomes", headers=api_headers(engine, "sam@example.org")
    ).json()
    [outcome] = [item for item in api["outcomes"] if item["id"] == outcome_id]
    assert outcome["did_it_help"] == {"Yes": 0, "A bit": 0, "No": 1}
    assert outcome["follow_up_words"][0]["answer"] == "No"
    with session_scope(engine) as session:
        consultation, _ = consultation_and_question(session)
        report = consultation_evidence(session, consultation, date(2027, 6, 1))
    assert report.did_it_help == {"No": 1}

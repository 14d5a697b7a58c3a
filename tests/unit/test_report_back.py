"""'You said, we did': who an outcome is owed to, the words they get, and where they get them."""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.conversation.replies import Button
from bot.conversation.words import words
from bot.feedback import delivery
from bot.feedback.publishing import AlreadyPublished, publish
from bot.feedback.update_message import as_text, update_replies
from bot.plain_language import long_sentences
from bot.privacy.cipher import Cipher
from bot.store import outcomes as outcome_store
from bot.store import participants as participant_store
from bot.store import responses as response_store
from bot.store import themes as theme_store
from bot.store.database import session_scope
from bot.store.schema import OutboxMessage, Theme
from tests.support.report_back import (
    THEME_LABEL,
    WHAT_WAS_DONE,
    Someone,
    add_people,
    consultation_and_question,
    draft_outcome,
    publish_to,
)
from tests.unit.chat import Chat

CIPHER = Cipher(Fernet.generate_key().decode())


def owed_rows(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        return list(
            session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.idempotency_key.startswith("outcome:"))
                .order_by(OutboxMessage.id)
            ).scalars()
        )


def update_text(engine: Engine, outcome_id: int, themes: list[str], language: str = "en") -> str:
    with session_scope(engine) as session:
        outcome = outcome_store.get_outcome(session, outcome_id)
        consultation, _ = consultation_and_question(session)
        return as_text(update_replies(session, consultation, outcome, themes, language))


# ---- who is owed ---------------------------------------------------------------------------


def test_publishing_owes_one_message_to_each_person_in_a_linked_theme_who_wants_updates(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        linked = add_people(
            session,
            [
                Someone("yes-1", chat_id=1),
                Someone("yes-2", chat_id=2),
                Someone("no-1", wants_updates=False),
            ],
            CIPHER,
        )
        add_people(session, [Someone("elsewhere", chat_id=3)], CIPHER, label="Cooking")
        outcome_id = draft_outcome(session, [linked])
    with session_scope(engine) as session:
        owed = publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")

    assert owed == 2
    assert sorted(row.recipient for row in owed_rows(engine)) == ["yes-1", "yes-2"]


def test_someone_in_two_linked_themes_gets_one_message_naming_both(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = add_people(session, [Someone("both", chat_id=1)], CIPHER)
        consultation, _ = consultation_and_question(session)
        second = add_people(session, [], CIPHER, label="Breakfast")
        extra = response_store.save_answer(
            session, "both", consultation.questions[0], "3", "3", "telegram"
        )
        theme_store.place_answer(session, extra.id, theme_store.get_theme(session, second), "staff")
        outcome_id = draft_outcome(session, [first, second])
    with session_scope(engine) as session:
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")

    [row] = owed_rows(engine)
    assert f"You told us about: {THEME_LABEL}, Breakfast." in row.body["text"]


def test_an_outcome_is_published_once(engine: Engine) -> None:
    outcome_id = publish_to(engine, [Someone("p", chat_id=1)], CIPHER)
    with session_scope(engine) as session, pytest.raises(AlreadyPublished):
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")
    assert len(owed_rows(engine)) == 1


def test_owing_the_same_message_twice_queues_it_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_people(session, [Someone("p", chat_id=1)], CIPHER)
    with session_scope(engine) as session:
        first = delivery.owe_message(session, participant_id="p", idempotency_key="k", text="hi")
        again = delivery.owe_message(session, participant_id="p", idempotency_key="k", text="hi")
        nobody = delivery.owe_message(
            session, participant_id="gone", idempotency_key="k2", text="hi"
        )
    assert (first, again, nobody) == (True, False, False)


# ---- the words -----------------------------------------------------------------------------


def test_the_update_says_what_you_said_what_was_done_who_decided_and_how_to_ask_more(
    engine: Engine,
) -> None:
    outcome_id = publish_to(engine, [Someone("p", chat_id=1)], CIPHER)
    [row] = owed_rows(engine)
    text = row.body["text"]

    assert text.startswith("News about Food at the hostel.")
    assert f"You told us about: {THEME_LABEL}." in text
    assert f"What we did: {WHAT_WAS_DONE}" in text
    assert "Date: 10 February 2027." in text
    assert "Who decided:" in text
    assert words("utter_rung_co_design") in text
    assert words("utter_outcome_ask_more") in text
    assert row.channel == "telegram" and row.address is None and row.status == "queued"
    assert outcome_id


def test_not_doing_says_why(engine: Engine) -> None:
    with session_scope(engine) as session:
        theme = add_people(session, [], CIPHER)
        outcome_id = draft_outcome(
            session,
            [theme],
            status=outcome_store.NOT_DOING,
            what_was_done="We will not open the kitchen at night.",
            reason="There is no staff to keep it safe.",
        )
    text = update_text(engine, outcome_id, [THEME_LABEL])
    assert "What we will not do: We will not open the kitchen at night." in text
    assert "Why: There is no staff to keep it safe." in text


def test_a_polish_reader_gets_polish_frames_and_the_staff_translation_where_there_is_one(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        theme = add_people(
            session,
            [Someone("pl-1", chat_id=1, language="pl"), Someone("ro-1", chat_id=2, language="ro")],
            CIPHER,
        )
        outcome_id = draft_outcome(
            session, [theme], translations={"pl": {"what_was_done": "Kuchnia serwuje zupę do 22."}}
        )
    with session_scope(engine) as session:
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")

    texts = {row.recipient: row.body["text"] for row in owed_rows(engine)}
    assert "Co zrobiliśmy: Kuchnia serwuje zupę do 22." in texts["pl-1"]
    assert "Kto zdecydował:" in texts["pl-1"]
    assert f"Ce am făcut: {WHAT_WAS_DONE}" in texts["ro-1"]


@pytest.mark.parametrize("language", ["en", "pl", "ro"])
@pytest.mark.parametrize("status", ["planned", "in_progress", "done", outcome_store.NOT_DOING])
@pytest.mark.parametrize(
    ("what", "reason"),
    [
        ("We now have hot dinners until 8pm.", "There is no money for it."),
        ("We now have hot dinners until 8pm", "There is no money for it"),
        ("Hot dinners until 8pm!!", "No money..."),
    ],
)
def test_every_update_names_what_people_said_with_one_full_stop_a_sentence(
    engine: Engine, language: str, status: str, what: str, reason: str
) -> None:
    with session_scope(engine) as session:
        theme = add_people(session, [], CIPHER)
        outcome_id = draft_outcome(
            session, [theme], status=status, what_was_done=what, reason=reason
        )
    for themes in (["Other"], [], [THEME_LABEL, "Other"]):
        text = update_text(engine, outcome_id, themes, language)
        assert "Other" not in text
        assert ".." not in text and "!." not in text and "?." not in text
        for line in text.splitlines():
            assert line.rstrip()[-1] in ".?!", line
            assert long_sentences(line) == [], line
    assert THEME_LABEL in update_text(engine, outcome_id, [THEME_LABEL, "Other"], language)


def test_an_update_from_the_other_theme_names_the_consultation_instead(engine: Engine) -> None:
    with session_scope(engine) as session:
        outcome_id = draft_outcome(session, [add_people(session, [], CIPHER)])
    assert "You told us about: Food at the hostel." in update_text(engine, outcome_id, ["Other"])


# ---- people with no push channel -----------------------------------------------------------


def test_a_web_chat_person_sees_the_update_once_at_the_start_of_their_next_turn(
    engine: Engine,
) -> None:
    chat = Chat(engine, participant_id="web-1")
    chat.start("Food at the hostel")
    with session_scope(engine) as session:
        add_people(session, [Someone("web-1", channel="rest")], CIPHER)
    with session_scope(engine) as session:
        outcome_id = draft_outcome(session, [_theme_id(session)])
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")

    first = chat.say("hello", "greet")
    second = chat.say("hello", "greet")

    assert first[0].text and first[0].text.startswith("News about Food at the hostel.")
    assert not any((reply.text or "").startswith("News about") for reply in second)
    assert owed_rows(engine)[0].status == "sent"


def _theme_id(session: Session) -> int:
    return session.execute(select(Theme.id).where(Theme.label == THEME_LABEL)).scalar_one()


def test_held_buttons_keep_their_payloads(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_people(session, [Someone("web-2", channel="webchat")], CIPHER)
    with session_scope(engine) as session:
        delivery.owe_message(
            session,
            participant_id="web-2",
            idempotency_key="priorities:1:web-2",
            text="Pick up to three.",
            buttons=[Button("Hot food", '/choose{"option":"hot-food"}')],
        )
    with session_scope(engine) as session:
        [reply] = delivery.collect_held(session, "web-2")
        assert delivery.collect_held(session, "web-2") == []
    assert reply.buttons == (Button("Hot food", '/choose{"option":"hot-food"}'),)


def test_stopping_updates_drops_what_was_owed_and_not_yet_sent(engine: Engine) -> None:
    chat = Chat(engine, participant_id="web-3")
    chat.start("Food at the hostel")
    with session_scope(engine) as session:
        add_people(session, [Someone("web-3", channel="rest")], CIPHER)
    with session_scope(engine) as session:
        outcome_id = draft_outcome(session, [_theme_id(session)])
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")

    replies = chat.say("no more updates", "no_more_updates")

    assert not any((reply.text or "").startswith("News about") for reply in replies)
    assert owed_rows(engine) == []


def test_saying_no_to_updates_after_another_consultation_drops_what_was_owed(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        add_people(session, [Someone("tg-5", chat_id=5005)], CIPHER)
    with session_scope(engine) as session:
        outcome_id = draft_outcome(session, [_theme_id(session)])
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")
    assert len(owed_rows(engine)) == 1
    chat = Chat(engine, participant_id="tg-5")
    chat.start("Day centre opening hours")
    chat.tap("Early morning")
    chat.tap("Badly")
    chat.tap("Yes")
    chat.say("it was shut on boxing day which was hard", "share_view")
    chat.say("more hours in winter please", "share_view")

    replies = chat.tap("No")

    assert replies[0].response == "utter_updates_no"
    assert owed_rows(engine) == []


def test_deleted_data_means_an_old_held_update_is_never_shown(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_people(session, [Someone("web-4", channel="rest")], CIPHER)
    with session_scope(engine) as session:
        outcome_id = draft_outcome(session, [_theme_id(session)])
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")
    with session_scope(engine) as session:
        participant_store.delete_participant(session, "web-4")
    with session_scope(engine) as session:
        add_people(session, [Someone("web-4", channel="rest")], CIPHER, label="Again")

    with session_scope(engine) as session:
        assert delivery.collect_held(session, "web-4") == []


# ---- counts and overdue --------------------------------------------------------------------


def test_the_staff_counts_show_owed_and_where_each_message_is(engine: Engine) -> None:
    outcome_id = publish_to(engine, [Someone(f"p{n}", chat_id=n) for n in range(1, 4)], CIPHER)
    with session_scope(engine) as session:
        rows = list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())
        rows[0].status, rows[1].status = "sent", "unreachable"
    with session_scope(engine) as session:
        counts = outcome_store.delivery_counts(
            session, outcome_store.get_outcome(session, outcome_id)
        )
    assert (counts.owed, counts.sent, counts.unreachable, counts.waiting, counts.failed) == (
        3,
        1,
        1,
        1,
        0,
    )


def test_a_consultation_past_its_feedback_date_with_nothing_published_is_overdue(
    engine: Engine,
) -> None:
    after_due = date(2027, 2, 20)
    with session_scope(engine) as session:
        consultation, _ = consultation_and_question(session)
        assert consultation in outcome_store.overdue_consultations(session, after_due)
        assert not outcome_store.is_overdue(session, consultation, date(2027, 2, 19))
        theme = add_people(session, [], CIPHER)
        draft_outcome(session, [theme])
        assert outcome_store.is_overdue(session, consultation, after_due)
    publish_to(engine, [Someone("p", chat_id=1)], CIPHER)
    with session_scope(engine) as session:
        consultation, _ = consultation_and_question(session)
        assert not outcome_store.is_overdue(session, consultation, after_due)
        assert consultation not in outcome_store.overdue_consultations(session, after_due)


# ---- what happened to what I said ----------------------------------------------------------


def test_what_happened_lists_published_outcomes_in_the_same_words(engine: Engine) -> None:
    chat = Chat(engine, participant_id="asker")
    chat.start("Food at the hostel")
    chat.tap("Bad")
    with session_scope(engine) as session:
        add_people(session, [Someone("asker", channel="rest", wants_updates=False)], CIPHER)
    with session_scope(engine) as session:
        outcome_id = draft_outcome(session, [_theme_id(session)])
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")

    replies = chat.say("what happened to what i said", "what_happened")

    assert replies[0].response == "utter_outcome_news"
    assert ("utter_outcome_done", {"what": WHAT_WAS_DONE}) in [
        (reply.response, dict(reply.params)) for reply in replies
    ]
    assert ("utter_outcome_you_said", {"themes": THEME_LABEL}) in [
        (reply.response, dict(reply.params)) for reply in replies
    ]


def test_what_happened_with_a_draft_only_is_still_honest_and_late_after_the_date(
    engine: Engine,
) -> None:
    chat = Chat(engine, participant_id="waiting")
    chat.start("Food at the hostel")
    chat.tap("Bad")
    with session_scope(engine) as session:
        draft_outcome(session, [add_people(session, [], CIPHER)])

    assert chat.say("any news", "what_happened")[0].response == "utter_update_pending"
    chat.today = date(2027, 3, 1)
    late = chat.say("any news", "what_happened")[0]
    assert late.response == "utter_update_late"
    assert late.params["feedback_due"] == "19 February 2027"


def test_deleting_my_data_before_the_update_is_seen_means_it_is_never_shown(
    engine: Engine,
) -> None:
    chat = Chat(engine, participant_id="web-5")
    chat.start("Food at the hostel")
    chat.tap("Bad")
    chat.say("delete my data", "delete_data")
    with session_scope(engine) as session:
        add_people(session, [Someone("web-5", channel="rest")], CIPHER)
    with session_scope(engine) as session:
        outcome_id = draft_outcome(session, [_theme_id(session)])
        publish(session, outcome_store.get_outcome(session, outcome_id), "staff@example.org")

    replies = chat.tap("Yes, delete it all")

    assert not any((reply.text or "").startswith("News about") for reply in replies)
    assert owed_rows(engine) == []

"""Choosing priorities and the panel: who is invited, and the conversation, turn by turn.

The consultation is "Food at the hostel", closed, with four published themes. Each person
answered it; the test person talks through tests/unit/chat.py as they would through Rasa.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.conversation.replies import intent_payload
from bot.feedback import priorities
from bot.store import participants as participant_store
from bot.store import priorities as priority_store
from bot.store import themes as theme_store
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import session_scope
from bot.store.outbox import status_of
from bot.store.responses import save_answer
from bot.store.schema import (
    ConversationState,
    OutboxMessage,
    Participant,
    PriorityInvitation,
    PriorityVote,
)
from tests.unit.chat import Chat, names

THEMES = ["Hot dinners", "More fruit", "Halal meals", "Later breakfast"]
PUBLISHED = ["Hot dinners", "More fruit", "Halal meals", "Later breakfast"]


def add_person(
    engine,
    person: str,
    updates: bool = True,
    language: str = "en",
    answered: bool = True,
    channel: str = "rest",
) -> None:
    """Someone who took part in the hostel food consultation (or not)."""
    with session_scope(engine) as session:
        participant = participant_store.get_or_create_participant(session, person, channel)
        participant_store.record_take_part_consent(session, participant, "v")
        participant_store.record_updates_consent(session, participant, updates, "v")
        participant.language = language
        participant_store.set_state(session, person, "finished")
        if answered:
            consultation = get_consultation_by_slug(session, "hostel-food")
            question = next(q for q in consultation.questions if q.key == "food-ideas")
            save_answer(session, person, question, "hot food please", None, "rest")


def close_with_themes(engine, published: list[str] = PUBLISHED) -> int:
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        consultation.status = "closed"
        question = next(q for q in consultation.questions if q.key == "food-ideas")
        for label in THEMES:
            theme = theme_store.add_theme(session, consultation.id, question.id, label)
            theme.status = "published" if label in published else "draft"
        return consultation.id


def invite(engine, **details: object) -> int:
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        return priorities.invite(session, consultation, **details)


def votes(engine, person: str = "p-1") -> list[str]:
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        return priority_store.picked_labels(session, consultation.id, person)


def invitation(engine, person: str = "p-1") -> PriorityInvitation | None:
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        return priority_store.get_invitation(session, consultation.id, person)


def stage(engine, person: str = "p-1") -> str:
    with session_scope(engine) as session:
        return session.get(ConversationState, person).stage


@pytest.fixture()
def invited(engine) -> Chat:
    """p-1 answered, agreed to updates, and was invited; their next message shows the invite."""
    add_person(engine, "p-1")
    close_with_themes(engine)
    assert invite(engine) == 1
    return Chat(engine)


def open_invitation(chat: Chat) -> None:
    """The invitation takes the place of the topics, so only one thing is asked."""
    replies = chat.say("hi", "greet")
    assert names(replies)[0] == "utter_hello_again"
    assert replies[-1].text.startswith("Thank you for your views on Food at the hostel.")
    assert "utter_choose_consultation" not in names(replies)


# ---- who is invited ---------------------------------------------------------------------------


def test_only_people_who_answered_and_agreed_to_updates_are_owed_one_invitation(engine) -> None:
    add_person(engine, "agreed")
    add_person(engine, "said-no-to-updates", updates=False)
    add_person(engine, "never-answered", answered=False)
    consultation_id = close_with_themes(engine)

    assert invite(engine) == 1
    assert invite(engine) == 0

    with session_scope(engine) as session:
        rows = list(session.execute(select(OutboxMessage)).scalars())
        assert [row.idempotency_key for row in rows] == [f"priorities:{consultation_id}:agreed"]
        assert status_of(session, f"priorities:{consultation_id}:agreed") == "held"
        body = rows[0].body
    assert [title for title, _ in body["buttons"]] == PUBLISHED
    assert "Tap up to three." in body["text"]


def test_a_telegram_person_is_owed_a_message_the_sender_will_push(engine) -> None:
    add_person(engine, "on-telegram", channel="telegram")
    consultation_id = close_with_themes(engine)

    assert invite(engine) == 1

    with session_scope(engine) as session:
        assert status_of(session, f"priorities:{consultation_id}:on-telegram") == "queued"
        [row] = session.execute(select(OutboxMessage)).scalars()
        assert [title for title, _ in row.body["buttons"]] == PUBLISHED


def test_only_published_themes_are_offered(engine) -> None:
    add_person(engine, "p-1")
    close_with_themes(engine, published=["Hot dinners", "Halal meals"])
    invite(engine)
    chat = Chat(engine)

    chat.say("hi", "greet")

    assert chat.button_titles()[:2] == ["Hot dinners", "Halal meals"]
    assert "More fruit" not in chat.button_titles()


def test_an_open_consultation_or_one_with_no_published_themes_cannot_invite(engine) -> None:
    add_person(engine, "p-1")
    with pytest.raises(priorities.NotReady, match="Close the consultation first"):
        invite(engine)
    close_with_themes(engine, published=[])
    with pytest.raises(priorities.NotReady, match="Publish some themes first"):
        invite(engine)


def test_the_invitation_is_in_the_persons_language(engine) -> None:
    add_person(engine, "p-1", language="pl")
    close_with_themes(engine)
    invite(engine)

    replies = Chat(engine).say("hi", "greet")

    assert replies[-1].text.startswith("Dziękujemy za twoje zdanie o: Jedzenie w hostelu.")


# ---- choosing ---------------------------------------------------------------------------------


def test_three_picks_one_tap_each_then_that_is_all_then_the_panel(invited: Chat) -> None:
    open_invitation(invited)

    first = invited.tap("Hot dinners")
    assert names(first) == ["utter_priority_picked", "utter_priorities_left"]
    assert first[1].params == {"left": "2"}
    assert invited.button_titles() == [
        "More fruit",
        "Halal meals",
        "Later breakfast",
        "That's all",
        "Start again",
    ]
    invited.tap("Halal meals")
    third = invited.tap("More fruit")
    assert names(third) == ["utter_priority_picked", "utter_priorities_three"]
    assert invited.button_titles() == ["That's all", "Start again"]

    panel = invited.tap("That's all")

    assert names(panel) == [
        "utter_priorities_thanks",
        "utter_panel_intro",
        "utter_panel_details",
        "utter_panel_leave",
        "utter_panel_ask",
    ]
    assert votes(invited.engine) == ["Hot dinners", "Halal meals", "More fruit"]


def test_a_fourth_pick_is_kindly_refused(invited: Chat) -> None:
    open_invitation(invited)
    late_breakfast = next(b for r in invited.last for b in r.buttons if b.title == THEMES[3])
    for title in ("Hot dinners", "More fruit", "Halal meals"):
        invited.tap(title)

    refused = invited.send_payload(late_breakfast.payload)

    assert names(refused) == ["utter_priorities_too_many", "utter_priorities_three"]
    assert votes(invited.engine) == ["Hot dinners", "More fruit", "Halal meals"]


def test_starting_again_forgets_the_picks(invited: Chat) -> None:
    open_invitation(invited)
    invited.tap("Hot dinners")
    invited.tap("More fruit")

    again = invited.tap("Start again")

    assert names(again) == ["utter_priorities_again", "utter_priorities_choose"]
    assert votes(invited.engine) == []
    invited.tap("Later breakfast")
    assert votes(invited.engine) == ["Later breakfast"]


def test_typed_theme_names_and_typed_that_is_all_work_like_taps(invited: Chat) -> None:
    open_invitation(invited)
    invited.say("hot dinners!!", "share_view")
    invited.say("Halal meals", "nlu_fallback")
    assert votes(invited.engine) == ["Hot dinners", "Halal meals"]

    replies = invited.say("thats all", "goodbye")

    assert names(replies)[0] == "utter_priorities_thanks"
    assert stage(invited.engine) == "panel_offer"


def test_a_theme_name_typed_straight_after_the_invitation_is_a_pick(invited: Chat) -> None:
    open_invitation(invited)

    replies = invited.say("more fruit", "share_view")

    assert names(replies)[0] == "utter_priority_picked"
    assert votes(invited.engine) == ["More fruit"]


def test_words_that_name_no_theme_get_a_gentle_nudge(invited: Chat) -> None:
    open_invitation(invited)
    invited.tap("Hot dinners")

    replies = invited.say("dunno really", "nlu_fallback")

    assert names(replies) == ["utter_priorities_not_understood", "utter_priorities_left"]


def test_saying_yes_to_the_panel_is_recorded_with_its_time(invited: Chat) -> None:
    open_invitation(invited)
    invited.tap("Hot dinners")
    invited.tap("That's all")

    replies = invited.tap("Yes")

    assert names(replies)[0] == "utter_panel_joined"
    found = invitation(invited.engine)
    assert found.panel_joined is True and found.panel_answered_at is not None
    assert found.status == "done"


def test_saying_no_to_the_panel_is_recorded_and_the_person_carries_on(invited: Chat) -> None:
    open_invitation(invited)
    invited.tap("Later breakfast")
    invited.tap("That's all")

    replies = invited.tap("No")

    assert names(replies) == ["utter_panel_declined", "utter_choose_consultation"]
    found = invitation(invited.engine)
    assert found.panel_joined is False and found.panel_answered_at is not None
    assert stage(invited.engine) == "finished"


def test_the_panel_words_can_be_the_services_own_and_say_it_pays(engine) -> None:
    add_person(engine, "p-1")
    close_with_themes(engine)
    invite(engine, panel_details="We meet at the day centre in March and June.", panel_paid=True)
    chat = Chat(engine)
    chat.say("hi", "greet")
    chat.tap("Hot dinners")

    replies = chat.tap("That's all")

    assert names(replies) == [
        "utter_priorities_thanks",
        "utter_panel_intro",
        "text:We meet at the day centre in March and June.",
        "utter_panel_paid",
        "utter_panel_leave",
        "utter_panel_ask",
    ]


def test_inviting_again_never_changes_what_people_already_invited_are_told(engine) -> None:
    add_person(engine, "p-1")
    close_with_themes(engine)
    invite(engine, panel_details="We meet twice a year at the hostel.", panel_paid=True)
    add_person(engine, "p-2")
    assert invite(engine, panel_details="", panel_paid=False) == 1
    chat = Chat(engine)
    chat.say("hi", "greet")
    chat.tap("Hot dinners")

    replies = chat.tap("That's all")

    assert names(replies)[2:4] == ["text:We meet twice a year at the hostel.", "utter_panel_paid"]
    later = Chat(engine, participant_id="p-2", sender_id="p-2")
    later.say("hi", "greet")
    later.tap("Hot dinners")
    assert "utter_panel_details" in names(later.tap("That's all"))


@pytest.mark.parametrize(
    ("text", "intent"), [("maybe", "stop"), ("not sure", "affirm"), ("nie wiem", "deny")]
)
def test_unsure_at_the_panel_question_asks_again_and_keeps_no_answer(
    invited: Chat, text: str, intent: str
) -> None:
    """Issue #17: "maybe" here used to stop the conversation, and the panel never came back."""
    open_invitation(invited)
    invited.tap("Hot dinners")
    invited.tap("That's all")

    replies = invited.say(text, intent)

    assert names(replies) == ["utter_yes_or_no_is_fine", "utter_panel_ask"]
    assert stage(invited.engine) == "panel_offer"
    assert invitation(invited.engine).panel_answered_at is None
    assert names(invited.tap("Yes"))[0] == "utter_panel_joined"


# ---- mid-anything -------------------------------------------------------------------------------


def test_a_tap_mid_question_comes_back_to_the_question_afterwards(invited: Chat) -> None:
    open_invitation(invited)
    invite_buttons = list(invited.last)
    invited.send_payload(intent_payload("choose", option="day-centre-hours"))  # an older topic tap
    assert stage(invited.engine) == "question"

    invited.last = invite_buttons
    invited.tap("Hot dinners")
    invited.tap("That's all")
    replies = invited.tap("No")

    assert names(replies)[:2] == ["utter_panel_declined", "utter_question_number"]
    assert stage(invited.engine) == "question"


def test_help_while_choosing_says_help_then_asks_again(invited: Chat) -> None:
    open_invitation(invited)
    invited.tap("Hot dinners")

    replies = invited.say("help", "help")

    assert names(replies) == ["utter_help", "utter_priorities_left"]


def test_stop_while_choosing_still_stops(invited: Chat) -> None:
    open_invitation(invited)
    invited.tap("Hot dinners")

    assert names(invited.say("stop", "stop")) == ["utter_stopped"]


def test_deleting_my_data_while_choosing_removes_votes_and_panel_answer(invited: Chat) -> None:
    open_invitation(invited)
    invite_buttons = list(invited.last)
    invited.tap("Hot dinners")
    invited.tap("That's all")
    invited.tap("Yes")
    invited.last = invite_buttons
    invited.tap("More fruit")
    assert stage(invited.engine) == "priorities"

    assert names(invited.say("delete my data", "delete_data")) == ["utter_confirm_delete"]
    assert names(invited.tap("Yes, delete it all")) == ["utter_deleted"]

    with session_scope(invited.engine) as session:
        assert session.get(Participant, "p-1") is None
        assert list(session.execute(select(PriorityVote)).scalars()) == []
        assert list(session.execute(select(PriorityInvitation)).scalars()) == []


def test_cancelling_a_delete_while_choosing_goes_back_to_choosing(invited: Chat) -> None:
    open_invitation(invited)
    invited.tap("Hot dinners")
    invited.say("delete my data", "delete_data")

    replies = invited.tap("No, keep it")

    assert names(replies) == ["utter_delete_cancelled", "utter_priorities_left"]
    assert votes(invited.engine) == ["Hot dinners"]


# ---- what staff see -----------------------------------------------------------------------------


def test_vote_counts_are_ordered_and_panel_answers_are_listed(engine) -> None:
    for person in ("a", "b", "c"):
        add_person(engine, person)
    consultation_id = close_with_themes(engine)
    invite(engine)
    picks = {"a": ["More fruit", "Halal meals"], "b": ["More fruit"], "c": ["Halal meals"]}
    for person, labels in picks.items():
        chat = Chat(engine, participant_id=person, sender_id=person)
        chat.say("hi", "greet")
        for label in labels:
            chat.tap(label)
        chat.tap("That's all")
        chat.tap("Yes" if person != "c" else "No")

    with session_scope(engine) as session:
        counts = priority_store.vote_counts(session, consultation_id)
        answers = priority_store.panel_answers(session, consultation_id)
    assert [(count.label, count.votes) for count in counts] == [
        ("Halal meals", 2),
        ("More fruit", 2),
        ("Hot dinners", 0),
        ("Later breakfast", 0),
    ]
    assert [(answer.participant_id, answer.joined) for answer in answers] == [
        ("a", True),
        ("b", True),
        ("c", False),
    ]

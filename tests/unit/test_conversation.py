"""The participant conversation, turn by turn, against a real SQLite database.

Each test reads as a short conversation and checks what the person saw and what was stored.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.store.database import session_scope
from bot.store.schema import ConversationState, Participant, Response, SafeguardingAlert
from tests.unit.chat import Chat, names


@pytest.fixture()
def chat(engine) -> Chat:
    return Chat(engine)


def stored(chat: Chat) -> list[Response]:
    with session_scope(chat.engine) as session:
        return list(session.execute(select(Response).order_by(Response.id)).scalars())


def participant(chat: Chat) -> Participant | None:
    with session_scope(chat.engine) as session:
        return session.get(Participant, chat.participant_id)


# ---- greeting and consent --------------------------------------------------------------------


def test_greeting_says_it_is_a_bot_and_asks_consent_before_anything(chat: Chat) -> None:
    replies = chat.say("hiya", "greet")

    assert names(replies) == ["utter_greet", "utter_consent"]
    assert chat.button_titles() == ["Yes, that's OK", "No thanks"]
    assert stored(chat) == []


def test_agreeing_records_consent_with_its_wording_version_and_offers_topics(chat: Chat) -> None:
    chat.say("hi", "greet")
    replies = chat.tap("Yes, that's OK")

    assert names(replies) == ["utter_consent_thanks", "utter_choose_consultation"]
    assert chat.button_titles() == [
        "Day centre opening hours",
        "Food at the hostel",
        "Moving on to your own home",
    ]
    person = participant(chat)
    assert person.consent_take_part_at is not None
    assert person.consent_take_part_version == "2026-11-v1"


def test_saying_no_to_consent_keeps_nothing(chat: Chat) -> None:
    chat.say("hi", "greet")
    replies = chat.tap("No thanks")

    assert names(replies) == ["utter_consent_declined"]
    assert participant(chat) is None


def test_something_said_before_consent_is_kept_only_after_consent_and_asked_about(
    chat: Chat,
) -> None:
    chat.say("the dinners at the hostel are always cold and there is no veg", "share_view")
    assert stored(chat) == []

    replies = chat.tap("Yes, that's OK")

    assert names(replies) == ["utter_consent_thanks", "utter_route_confirm"]
    assert replies[1].params == {"title": "Food at the hostel"}
    assert chat.button_titles() == ["Yes", "No, something else"]
    [comment] = stored(chat)
    assert comment.text.startswith("the dinners at the hostel")
    assert comment.consultation_id is None, "kept as general feedback until the person agrees"

    replies = chat.tap("Yes")

    assert names(replies) == ["utter_routed", "utter_offer_questions"]
    [comment] = stored(chat)
    assert comment.question_id is None and comment.consultation_id is not None


def test_no_something_else_keeps_the_words_as_general_feedback(chat: Chat) -> None:
    chat.agree()
    replies = chat.say("breakfast is just toast and the tea is cold every morning", "share_view")
    assert names(replies) == ["utter_route_confirm"]

    replies = chat.tap("No, something else")

    assert names(replies) == ["utter_kept_as_general", "utter_choose_consultation"]
    [comment] = stored(chat)
    assert comment.consultation_id is None and comment.question_id is None


def test_words_that_fit_no_consultation_are_kept_as_general_feedback_without_asking(
    chat: Chat,
) -> None:
    chat.agree()
    replies = chat.say("the showers on the second floor have been broken for weeks", "share_view")

    assert names(replies) == ["utter_kept_as_general", "utter_choose_consultation"]
    [comment] = stored(chat)
    assert comment.consultation_id is None


def test_an_unclear_reply_to_is_this_about_asks_again_and_files_nothing(chat: Chat) -> None:
    chat.agree()
    chat.say("the dinners here are tiny and always cold", "share_view")

    replies = chat.say("hmm", "nlu_fallback")

    assert names(replies) == ["utter_please_yes_or_no", "utter_route_confirm"]
    [comment] = stored(chat)
    assert comment.consultation_id is None


# ---- answering a consultation ------------------------------------------------------------------


def test_choosing_a_topic_says_what_it_can_change_then_asks_question_one(chat: Chat) -> None:
    replies = chat.start("Food at the hostel")

    assert names(replies) == [
        "text:Food at the hostel. We want to plan the hostel meals with you. You and the kitchen "
        "team will make a new menu together. Tell us what food you like and what you need.",
        "utter_rung_co_design",
        "text:People who live here and the kitchen team plan the menu together. "
        "The hostel manager agrees how much money there is.",
        "utter_hear_back_by",
        "utter_question_number",
        "text:How good is the food at the hostel now?",
    ]
    assert replies[3].params == {"feedback_due": "19 February 2027"}
    assert replies[4].params == {"number": "1", "total": "6"}
    assert chat.button_titles() == ["Very bad", "Bad", "OK", "Good", "Very good"]


def test_a_tapped_answer_is_stored_with_its_value_before_the_next_question(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.tap("Good")

    [answer] = stored(chat)
    assert (answer.text, answer.value) == ("Good", "4")
    assert names(replies) == ["utter_question_number", "text:Which meal matters most to you?"]


def test_typing_instead_of_tapping_works_by_number_or_words(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.say("2", "choose")
    chat.say("dinner", "share_view")

    assert [(row.text, row.value) for row in stored(chat)] == [("2", "2"), ("dinner", "dinner")]


def test_a_bare_no_picks_the_one_option_that_says_no(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.tap("Dinner")
    chat.say("nope", "deny")

    answer = stored(chat)[-1]
    assert (answer.text, answer.value) == ("nope", "none")


def test_a_longer_no_is_kept_as_the_persons_own_words(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.tap("Dinner")
    chat.say("no pork please", "deny")

    answer = stored(chat)[-1]
    assert (answer.text, answer.value) == ("no pork please", None)


def test_free_text_that_matches_no_button_is_still_kept(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.say("honestly any meal as long as its hot", "share_view")

    answer = stored(chat)[-1]
    assert answer.value is None
    assert answer.text == "honestly any meal as long as its hot"


def test_whole_consultation_ends_with_thanks_when_we_will_hear_back_and_updates_consent(
    chat: Chat,
) -> None:
    chat.start("Day centre opening hours")
    chat.tap("Early morning")
    chat.tap("Badly")
    chat.tap("Yes")
    chat.say("it was shut on boxing day which was hard", "share_view")
    replies = chat.say("more hours in winter please", "share_view")

    assert names(replies) == ["utter_all_done", "utter_ask_updates"]
    assert replies[0].params == {"feedback_due": "5 February 2027"}
    assert len(stored(chat)) == 5

    replies = chat.tap("Yes")
    assert names(replies) == ["utter_updates_yes", "utter_anything_else"]
    assert len(chat.button_titles()) == 3
    assert participant(chat).consent_updates is True


def test_answering_the_same_question_again_replaces_rather_than_duplicates(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("Bad")
    chat.say("start again", "start_again")
    chat.tap("Food at the hostel")
    chat.tap("Very good")

    answers = stored(chat)
    assert [(row.text, row.value) for row in answers] == [("Very good", "5")]


# ---- help, repeat, simpler, skip, stop, start again, a person ---------------------------------


def test_a_long_answer_to_a_choice_question_is_an_answer_whatever_nlu_guessed(
    chat: Chat,
) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.say("Jedzenie jest zimne i nie ma warzyw każdego dnia", "goodbye", 0.9)

    assert stored(chat)[-1].text.startswith("Jedzenie")


def test_a_short_unsure_request_on_a_button_question_is_still_a_request(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.say("wat do i do", "help", 0.6)

    assert names(replies)[0] == "utter_help"
    assert stored(chat) == []


def test_typing_a_button_label_answers_even_if_nlu_reads_it_as_a_request(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    chat.say("breakfast", "goodbye", 0.9)

    assert (stored(chat)[-1].text, stored(chat)[-1].value) == ("breakfast", "breakfast")


def test_help_mid_question_explains_then_asks_the_same_question(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.say("help", "help")

    assert names(replies) == [
        "utter_help",
        "utter_question_number",
        "text:How good is the food at the hostel now?",
    ]
    assert stored(chat) == []


def test_simpler_words_uses_the_easy_read_prompt(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.say("i dont understand", "simpler")

    assert names(replies)[-1] == "text:Is the food good?"


def test_repeat_before_consent_repeats_the_consent_question(chat: Chat) -> None:
    chat.say("hi", "greet")
    assert names(chat.say("what", "repeat")) == ["utter_consent"]


def test_skip_moves_on_without_storing_anything(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.say("skip", "skip")

    assert names(replies) == [
        "utter_skipped",
        "utter_question_number",
        "text:Which meal matters most to you?",
    ]
    assert stored(chat) == []


def test_stop_then_coming_back_offers_to_carry_on_where_they_left_off(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    assert names(chat.say("stop", "stop")) == ["utter_stopped"]

    replies = chat.say("hello", "greet")
    assert names(replies) == ["utter_welcome_back"]
    assert replies[0].params == {"title": "Food at the hostel"}

    replies = chat.tap("Yes")
    assert names(replies)[-1] == "text:Which meal matters most to you?"


def test_start_again_goes_back_to_the_topics_and_keeps_answers(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    replies = chat.say("start over", "start_again")

    assert names(replies) == ["utter_start_again", "utter_choose_consultation"]
    assert len(stored(chat)) == 1


def test_talk_to_a_person_gives_the_service_contact(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.say("can i talk to a real person", "talk_to_person")

    assert replies[0].response == "utter_talk_to_person"
    assert replies[0].params == {"contact": chat.settings.service_contact}
    assert names(replies)[-1] == "text:How good is the food at the hostel now?"


def test_a_long_free_text_answer_is_an_answer_even_if_it_sounds_like_a_request(
    chat: Chat,
) -> None:
    chat.start("Day centre opening hours")
    for title in ("Early morning", "Badly", "Yes"):
        chat.tap(title)
    chat.say("i needed help with forms and the door was locked at lunch", "help", 0.9)

    assert stored(chat)[-1].text.startswith("i needed help")


# ---- what happened to what I said ----------------------------------------------------------------


def test_what_happened_is_honest_when_nothing_is_decided_yet(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("Bad")
    replies = chat.say("any news", "what_happened")

    assert replies[0].response == "utter_update_pending"
    assert replies[0].params == {"title": "Food at the hostel", "feedback_due": "19 February 2027"}


def test_what_happened_says_the_update_is_late_once_the_date_has_passed(engine) -> None:
    chat = Chat(engine)
    chat.start("Food at the hostel")
    chat.tap("Bad")
    chat.today = date(2027, 3, 1)

    replies = chat.say("did anyone listen", "what_happened")
    assert replies[0].response == "utter_update_late"


def test_what_happened_before_answering_anything(chat: Chat) -> None:
    chat.agree()
    assert chat.say("any update", "what_happened")[0].response == "utter_no_answers_yet"


def test_no_more_updates_withdraws_that_consent_at_any_point_and_keeps_answers(
    chat: Chat,
) -> None:
    chat.start("Food at the hostel")
    for title in ("OK", "Dinner", "Halal", "No"):
        chat.tap(title)
    chat.say("more rice", "share_view")
    chat.tap("No")
    chat.tap("Yes")
    assert participant(chat).consent_updates is True

    replies = chat.say("stop sending me updates", "no_more_updates")

    assert names(replies)[0] == "utter_no_more_updates"
    person = participant(chat)
    assert person.consent_updates is False and person.consent_updates_at is not None
    assert len(stored(chat)) == 6


# ---- delete my data ---------------------------------------------------------------------------


def test_delete_my_data_asks_first_then_removes_every_row(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("Bad")
    assert names(chat.say("delete my data", "delete_data")) == ["utter_confirm_delete"]

    replies = chat.tap("Yes, delete it all")

    assert names(replies) == ["utter_deleted"]
    assert stored(chat) == []
    assert participant(chat) is None
    with session_scope(chat.engine) as session:
        assert session.get(ConversationState, chat.participant_id) is None


def test_saying_no_to_delete_keeps_everything_and_returns_to_the_question(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("Bad")
    chat.say("delete everything", "delete_data")
    replies = chat.tap("No, keep it")

    assert names(replies)[0] == "utter_delete_cancelled"
    assert names(replies)[-1] == "text:Which meal matters most to you?"
    assert len(stored(chat)) == 1


# ---- safeguarding -------------------------------------------------------------------------------


def test_crisis_inside_an_answer_gets_help_at_once_and_the_answer_is_still_kept(
    chat: Chat,
) -> None:
    chat.start("Food at the hostel")
    chat.tap("Bad")
    replies = chat.say("food is ok but honestly i want to end it all", "share_view")

    assert names(replies) == ["utter_crisis_help", "utter_talk_to_person", "utter_ask_carry_on"]
    assert stored(chat)[-1].text == "food is ok but honestly i want to end it all"

    replies = chat.tap("Yes")
    assert names(replies)[-1] == "text:Do you need a special kind of food?"


def test_crisis_before_consent_still_gets_help(chat: Chat) -> None:
    replies = chat.say("i want to kill myself", "crisis")

    assert names(replies)[0] == "utter_crisis_help"
    assert stored(chat) == []


def test_the_english_crisis_intent_is_not_trusted_on_another_language(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    replies = chat.say("Jedzenie jest zimne i nie ma warzyw każdego dnia", "crisis", 0.93)

    assert "utter_crisis_help" not in names(replies)
    assert stored(chat)[-1].text.startswith("Jedzenie")


def test_a_risk_said_in_no_expected_words_gets_help_at_once_by_its_meaning(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    replies = chat.say("everything feels pointless lately", "share_view", 0.6)

    assert names(replies)[0] == "utter_crisis_help"
    assert stored(chat)[-1].text == "everything feels pointless lately"


def test_a_polish_crisis_mid_consultation_gets_help_in_polish_and_an_alert(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    replies = chat.say("nie chcę już żyć, mam dość wszystkiego", "nlu_fallback", 0.4)

    assert names(replies)[0] == "utter_crisis_help"
    assert {reply.language for reply in replies} == {"pl"}
    with session_scope(chat.engine) as session:
        [alert] = session.execute(select(SafeguardingAlert)).scalars().all()
        assert alert.category
    assert participant(chat).language == "en", "help comes in Polish without switching for good"


def test_saying_no_to_carrying_on_after_a_crisis_message_pauses_kindly(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.say("he hits me every night", "share_view")
    replies = chat.tap("No")

    assert names(replies) == ["utter_take_care"]
    assert names(chat.say("hi", "greet")) == ["utter_welcome_back"]


# ---- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_input_gets_a_kind_reply_and_nothing_changes(chat: Chat, text: str) -> None:
    chat.start("Food at the hostel")
    replies = chat.say(text, None, 0.0)

    assert names(replies)[0] == "utter_empty"
    assert stored(chat) == []


def test_emoji_only_asks_for_words_and_stores_nothing(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.say("👍👍🙂", "affirm")

    assert names(replies)[0] == "utter_emoji_only"
    assert stored(chat) == []


def test_polish_is_kept_and_sayso_offers_polish_in_polish_without_switching(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    replies = chat.say("Chcę ciepłe śniadanie każdego dnia", "out_of_scope", 0.5)

    assert names(replies) == ["utter_offer_language"]
    assert replies[0].language == "pl"
    assert chat.button_titles() == ["Tak, po polsku", "English"]
    assert stored(chat)[-1].text == "Chcę ciepłe śniadanie każdego dnia"
    assert participant(chat).language == "en"

    replies = chat.tap("Tak, po polsku")

    assert names(replies)[:2] == ["utter_language_changed", "utter_question_number"]
    assert participant(chat).language == "pl"
    assert replies[-1].language == "pl"


def test_choosing_english_at_the_language_offer_carries_on_and_is_not_asked_again(
    chat: Chat,
) -> None:
    chat.agree()
    chat.say("jedzenie w hostelu jest okropne i zimne", "share_view")
    replies = chat.tap("English")

    assert names(replies) == ["utter_language_changed", "utter_route_confirm"]
    assert participant(chat).language == "en"
    replies = chat.tap("Yes")
    assert names(replies) == ["utter_routed", "utter_offer_questions"]
    assert "utter_offer_language" not in names(chat.say("nie wiem co jeszcze", "nlu_fallback"))


def test_html_and_script_text_is_stored_exactly_as_typed(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    script = "<script>alert('x')</script><b>more veg</b>"
    chat.say(script, "nlu_fallback", 0.3)

    assert stored(chat)[-1].text == script


def test_five_thousand_characters_are_stored_in_full(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("OK")
    long_text = ("the food is cold and there is never enough of it " * 110)[:5000]
    chat.say(long_text, "share_view")

    assert stored(chat)[-1].text == long_text


def test_a_payload_naming_no_button_is_refused_kindly(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.send_payload('/choose{"option":"pizza-party"}')

    assert names(replies)[0] == "utter_not_a_button"
    assert stored(chat) == []


def test_an_old_button_does_not_answer_the_current_question(chat: Chat) -> None:
    chat.start("Food at the hostel")
    old_buttons = list(chat.last)
    chat.tap("Bad")
    chat.last = old_buttons
    replies = chat.tap("Very good")

    assert names(replies)[0] == "utter_old_button"
    assert [(row.text, row.value) for row in stored(chat)] == [("Bad", "2")]


def test_a_topic_word_while_choosing_opens_that_consultation(chat: Chat) -> None:
    chat.agree()
    replies = chat.say("food", "share_view")

    assert names(replies)[-1] == "text:How good is the food at the hostel now?"
    assert stored(chat) == []


def test_off_topic_chat_while_choosing_is_not_stored(chat: Chat) -> None:
    chat.agree()
    replies = chat.say("tell me a joke about football", "out_of_scope")

    assert names(replies)[0] == "utter_out_of_scope"
    assert stored(chat) == []


# ---- no dead ends (issue #17; every step and input is in tests/conversation_table.md) ----------


def test_hi_after_stopping_while_choosing_a_topic_carries_on(chat: Chat) -> None:
    chat.agree()
    assert names(chat.say("stop", "stop")) == ["utter_stopped"]

    replies = chat.say("hi", "greet")

    assert names(replies) == ["utter_hello_again", "utter_choose_consultation"]
    assert names(chat.say("hi", "greet")) == ["utter_hello_again", "utter_choose_consultation"]


def test_hi_after_stopping_at_the_updates_question_asks_it_again(chat: Chat) -> None:
    chat.start("Day centre opening hours")
    for title in ("Early morning", "Badly", "Yes"):
        chat.tap(title)
    chat.say("it was shut on boxing day", "share_view")
    chat.say("more hours in winter", "share_view")
    chat.say("stop", "stop")

    assert names(chat.say("hi", "greet")) == ["utter_hello_again", "utter_ask_updates"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [("not sure", "affirm"), ("maybe", "stop"), ("nie wiem", "deny"), ("👍", "affirm")],
)
def test_only_a_clear_yes_is_consent(chat: Chat, text: str, intent: str) -> None:
    chat.say("hi", "greet")

    replies = chat.say(text, intent)

    assert names(replies)[-1] == "utter_consent_simple"
    assert participant(chat).consent_take_part_at is None
    assert names(chat.say("yes", "affirm"))[0] == "utter_consent_thanks"


@pytest.mark.parametrize(
    ("text", "intent"), [("maybe", "stop"), ("poate", "skip"), ("nie wiem", "deny")]
)
def test_unsure_at_a_yes_no_question_asks_again_in_plain_words(
    chat: Chat, text: str, intent: str
) -> None:
    chat.start("Day centre opening hours")
    chat.tap("Early morning")
    chat.tap("Badly")

    replies = chat.say(text, intent)

    assert names(replies) == [
        "utter_yes_no_or_skip",
        "utter_question_number",
        "text:Would you come to the day centre on a Saturday or Sunday?",
    ]
    assert len(stored(chat)) == 2


def test_a_thumbs_up_does_not_delete_everything(chat: Chat) -> None:
    chat.start("Food at the hostel")
    chat.tap("Bad")
    chat.say("delete my data", "delete_data")

    replies = chat.say("👍", "affirm")

    assert names(replies) == ["utter_please_yes_or_no", "utter_confirm_delete"]
    assert len(stored(chat)) == 1


def test_an_old_answer_button_at_a_yes_no_step_is_refused_kindly(chat: Chat) -> None:
    chat.start("Food at the hostel")
    old_buttons = list(chat.last)
    chat.tap("Bad")
    chat.say("delete my data", "delete_data")
    chat.last = old_buttons

    replies = chat.tap("Very good")

    assert names(replies) == ["utter_old_button", "utter_confirm_delete"]
    assert [(row.text, row.value) for row in stored(chat)] == [("Bad", "2")]


def test_a_yes_from_an_earlier_step_never_answers_delete_everything(chat: Chat) -> None:
    chat.start("Day centre opening hours")
    for title in ("Early morning", "Badly", "Yes"):
        chat.tap(title)
    chat.say("it was shut on boxing day", "share_view")
    chat.say("more hours in winter", "share_view")
    updates_yes = chat.last[-1].buttons[0].payload
    chat.say("delete my data", "delete_data")

    replies = chat.send_payload(updates_yes)

    assert names(replies) == ["utter_old_button", "utter_confirm_delete"]
    assert len(stored(chat)) == 5


def test_an_old_yes_button_does_not_answer_a_choice_question(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.send_payload("/affirm")

    assert names(replies)[0] == "utter_old_button"
    assert stored(chat) == []


def test_a_number_with_no_button_is_asked_again_not_kept(chat: Chat) -> None:
    chat.start("Food at the hostel")
    replies = chat.say("7", "choose")

    assert names(replies)[0] == "utter_not_a_button"
    assert stored(chat) == []


def test_delete_before_anything_is_kept_says_how_to_start(chat: Chat) -> None:
    replies = chat.say("delete my data", "delete_data")

    assert names(replies) == ["utter_nothing_to_delete"]
    assert names(chat.say("hi", "greet")) == ["utter_greet", "utter_consent"]


def test_help_as_the_first_message_says_hello_before_asking_consent(chat: Chat) -> None:
    replies = chat.say("help", "help")

    assert names(replies) == ["utter_help", "utter_greet", "utter_consent"]
    assert names(chat.tap("Yes, that's OK"))[0] == "utter_consent_thanks"

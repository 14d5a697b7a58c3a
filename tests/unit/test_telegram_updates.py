"""Reading Telegram updates and shaping Telegram messages, without any server.

Updates are built as Telegram sends them (tests/telegram_api.py) and parsed with
python-telegram-bot's own `Update.de_json`, as the channel does.
"""

from __future__ import annotations

import json

import pytest
from telegram import Update

from bot.channels.telegram import callback_data
from bot.channels.telegram.commands import command_payload
from bot.channels.telegram.outgoing import (
    TEXT_LIMIT,
    TelegramMessage,
    from_rasa,
    message_bodies,
    split_text,
    utf16_length,
    with_preface,
)
from bot.channels.telegram.updates import Kind, read_unparsed, read_update
from bot.channels.telegram.webhook import parse_update_json, secret_matches
from tests.telegram_api import Person, group_message

person = Person(4242)


def read(data: dict) -> object:
    return read_update(Update.de_json(data, None))


# ---- what each kind of update asks for --------------------------------------------------------


def test_text_goes_to_rasa_as_typed() -> None:
    incoming = read(person.says("the food is cold"))

    assert incoming.kind is Kind.MESSAGE
    assert incoming.text == "the food is cold" and incoming.chat_id == 4242


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        ("/start", "/greet"),
        ("/start hostel-food", '/choose{"option":"hostel-food"}'),
        ("/start NOT a slug!", "/greet"),
        ("/help", "/help"),
        ("/stop", "/stop"),
        ("/delete", "/delete_data"),
        ("/start@sayso_test_bot", "/greet"),
    ],
)
def test_commands_become_their_payloads(typed: str, payload: str) -> None:
    assert read(person.says(typed)).text == payload


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ('/choose{"option":"x","question":1}', 'choose{"option":"x","question":1}'),
        ("/i want to end it all", "i want to end it all"),
        ("/", "/help"),
    ],
)
def test_typed_text_is_never_read_as_a_button_so_safeguarding_sees_it(
    typed: str, words: str
) -> None:
    assert read(person.says(typed)).text == words


def test_a_tap_gives_its_data_the_button_title_and_the_message_to_clear() -> None:
    markup = {"inline_keyboard": [[{"text": "Breakfast", "callback_data": "/choose{}"}]]}
    incoming = read(person.taps_data("/choose{}", message_id=77, markup=markup))

    assert incoming.kind is Kind.BUTTON
    assert (incoming.text, incoming.picked, incoming.keyboard_message_id) == (
        "/choose{}",
        "Breakfast",
        77,
    )
    assert incoming.callback_query_id


@pytest.mark.parametrize(
    ("content", "notice"),
    [
        ({"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
                      "height": 1, "is_animated": False, "is_video": False}},
         "utter_cannot_see_pictures"),
        ({"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
         "utter_cannot_see_pictures"),
        ({"document": {"file_id": "d", "file_unique_id": "d"}}, "utter_cannot_open_files"),
        ({"video_note": {"file_id": "v", "file_unique_id": "v", "length": 1, "duration": 1}},
         "utter_cannot_open_files"),
        ({"location": {"latitude": 51.5, "longitude": -0.1}}, "utter_location_not_kept"),
        ({"contact": {"phone_number": "07700900123", "first_name": "Jo"}},
         "utter_contact_not_kept"),
        ({"dice": {"emoji": "🎲", "value": 3}}, "utter_cannot_read_this"),
    ],
)  # fmt: skip
def test_other_content_gets_a_notice_and_nothing_for_rasa(content: dict, notice: str) -> None:
    incoming = read(person.sends(**content))

    assert (incoming.kind, incoming.notice, incoming.text) == (Kind.NOTICE, notice, "")


def test_an_update_too_new_for_the_library_still_gets_a_kind_reply() -> None:
    poll = {"id": "1", "question": "?", "options": [], "total_voter_count": 0,
            "is_closed": False, "is_anonymous": True, "type": "regular",
            "allows_multiple_answers": False}  # fmt: skip
    incoming = read_unparsed(person.sends(poll=poll))

    assert (incoming.kind, incoming.notice, incoming.chat_id) == (
        Kind.NOTICE,
        "utter_cannot_read_this",
        4242,
    )


@pytest.mark.parametrize(
    "broken",
    [{"chat": "private"}, {"from": [1]}, {"from": {"id": 1}}],
    ids=["chat not an object", "sender not an object", "sender not said to be a person"],
)
def test_an_unreadable_message_is_let_go_without_a_reply(broken: dict) -> None:
    update = person.says("hello")
    update["message"].update(broken)

    assert read_unparsed(update).kind is Kind.IGNORE


def test_a_caption_is_read_as_words_after_the_notice() -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    incoming = read(person.sends(photo=photo, caption="no veg again"))

    assert (incoming.kind, incoming.notice, incoming.text) == (
        Kind.MESSAGE,
        "utter_cannot_see_pictures",
        "no veg again",
    )


def test_a_voice_note_is_described_for_fetching() -> None:
    incoming = read(
        person.sends(voice={"file_id": "v1", "file_unique_id": "u", "duration": 12,
                            "mime_type": "audio/ogg", "file_size": 3000})
    )  # fmt: skip

    assert incoming.kind is Kind.VOICE
    assert (incoming.voice.file_id, incoming.voice.duration_seconds) == ("v1", 12)


def test_groups_get_the_private_chat_notice_and_nothing_for_rasa() -> None:
    incoming = read(group_message(-100, "hello bot"))

    assert (incoming.kind, incoming.notice, incoming.chat_id) == (
        Kind.NOTICE,
        "utter_private_chat_only",
        -100,
    )


def test_other_bots_edited_messages_and_blocks() -> None:
    from_bot = person.says("hello")
    from_bot["message"]["from"]["is_bot"] = True

    assert read(from_bot).kind is Kind.IGNORE
    assert read(person.edits("typo fixed")).notice == "utter_edited_message"
    assert read(person.blocks_the_bot()).kind is Kind.BLOCKED


# ---- messages out -----------------------------------------------------------------------------


def test_a_turns_replies_become_one_message_up_to_each_set_of_buttons() -> None:
    replies = [
        {"text": "Thank you."},
        {"text": "Question 1 of 5."},
        {"text": "Which meal?", "buttons": [{"title": "Lunch", "payload": "/choose{}"}]},
        {"text": "Say stop at any time."},
    ]

    messages = from_rasa(replies, "Please pick one.")

    assert messages == [
        TelegramMessage("Thank you.\n\nQuestion 1 of 5.\n\nWhich meal?", (("Lunch", "/choose{}"),)),
        TelegramMessage("Say stop at any time."),
    ]


def test_buttons_with_no_text_above_them_still_get_some() -> None:
    replies = [{"buttons": [{"title": "Yes", "payload": "/affirm"}]}]

    assert from_rasa(replies, "Please pick one.")[0].text == "Please pick one."


def test_the_tapped_choice_is_shown_at_the_top() -> None:
    messages = with_preface([TelegramMessage("Question 2 of 5.")], "You picked: Lunch")

    assert messages[0].text == "You picked: Lunch\n\nQuestion 2 of 5."


def test_long_text_is_split_at_breaks_within_telegrams_limit() -> None:
    paragraph = "The food is cold and there is never enough of it. " * 30
    text = "\n\n".join([paragraph.strip()] * 8)

    parts = split_text(text)

    assert len(parts) > 1
    assert all(utf16_length(part) <= TEXT_LIMIT for part in parts)
    assert " ".join(parts).split() == text.split()


def test_emoji_count_twice_towards_the_limit_as_telegram_counts() -> None:
    parts = split_text("😀" * 3000)

    assert [utf16_length(part) for part in parts] == [4096, 1904]


def test_buttons_go_on_the_last_part_and_free_text_clears_any_reply_keyboard() -> None:
    long_question = TelegramMessage("x " * 3000, (("Yes", "/affirm"),))
    bodies = message_bodies([long_question, TelegramMessage("Tell me more.")], lambda p: p)

    assert [("buttons" in body, body.get("remove_keyboard", False)) for body in bodies] == [
        (False, False),
        (True, False),
        (False, True),
    ]


def test_callback_data_stays_within_64_bytes_and_long_payloads_use_a_stable_token() -> None:
    short = '/choose{"option":"early-morning","question":12}'
    long = '/choose{"option":"somewhere-warm-to-sleep-when-it-is-freezing","question":1234}'

    assert callback_data.encode(short) == (short, False)
    token, must_store = callback_data.encode(long)
    assert must_store and callback_data.is_token(token)
    assert len(token.encode()) <= 64 and token == callback_data.encode(long)[0]


def test_an_unknown_command_payload_name_gets_help() -> None:
    assert command_payload("/launch_rockets") == "/help"


# ---- the webhook's checks ---------------------------------------------------------------------


def test_the_secret_must_match_exactly() -> None:
    assert secret_matches("s3cret", "s3cret")
    assert not secret_matches("s3cret ", "s3cret")
    assert not secret_matches(None, "s3cret")
    assert not secret_matches("", "")


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1]",
        b'{"update_id": "7"}',
        b'{"update_id": true}',
        b"\xff",
        b'{"update_id": 9223372036854775808}',
        b'{"update_id": 1, "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["broken", "list", "text id", "true id", "not utf-8", "id too big", "nested too deep"],
)
def test_bodies_that_are_not_updates_are_refused(body: bytes) -> None:
    assert parse_update_json(body) is None


def test_a_real_update_is_accepted() -> None:
    update = person.says("hi")

    assert parse_update_json(json.dumps(update).encode()) == update

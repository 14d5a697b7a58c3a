"""Sayso on Telegram, end to end: updates as Telegram sends them, to the real running Sayso.

The Bot API is a stand-in on loopback (tests/telegram_api.py) that records what Sayso sent.
Sayso runs in polling mode, as `make run` does with no public address; most tests post to
the webhook directly, as Telegram would in webhook mode, and one goes through getUpdates.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from bot.channels.telegram.identity import chat_participant_id
from bot.config import SECRETS_FILE, read_env_file
from bot.store import voice_notes
from bot.store.database import make_engine, session_scope
from tests.integration.conftest import TELEGRAM_SECRET, RunningSayso
from tests.telegram_api import Call, FakeTelegram, Person, group_message, next_update_id

pytestmark = pytest.mark.integration

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_chat_ids = itertools.count(510_000_001)


def webhook_url(sayso: RunningSayso) -> str:
    return f"{sayso.rasa_url}/webhooks/telegram/webhook"


def post(sayso: RunningSayso, update: dict[str, Any], secret: str | None = TELEGRAM_SECRET):
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return httpx.post(webhook_url(sayso), json=update, headers=headers, timeout=30)


def unfinished(sayso: RunningSayso) -> int:
    [(updates,)] = sayso.rows("SELECT count(*) FROM telegram_updates WHERE status != 'handled'")
    [(messages,)] = sayso.rows(
        "SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending') "
        "AND next_attempt_at <= datetime('now', '+60 seconds')"
    )
    return updates + messages


def settle(sayso: RunningSayso, timeout: float = 60) -> None:
    """Wait until every update is handled and everything owed has been sent."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if unfinished(sayso) == 0:
                return
        except sqlite3.OperationalError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("Telegram updates or messages were still waiting")
        time.sleep(0.1)


@dataclass
class Chat:
    """One person in a private chat with Sayso."""

    sayso: RunningSayso
    telegram: FakeTelegram
    person: Person = field(default_factory=lambda: Person(next(_chat_ids)))

    @property
    def chat_id(self) -> int:
        return self.person.chat_id

    @property
    def participant(self) -> str:
        """The participant id Sayso keeps for this chat (a keyed hash of it)."""
        key = read_env_file(SECRETS_FILE)["SAYSO_PARTICIPANT_ID_KEY"].encode()
        return chat_participant_id(self.chat_id, key)

    def messages(self) -> list[Call]:
        return self.telegram.recorded("sendMessage", self.chat_id)

    def send(self, update: dict[str, Any]) -> list[Call]:
        """Post an update and return the messages Sayso sent back because of it."""
        before = len(self.messages())
        response = post(self.sayso, update)
        assert response.status_code == 200, response.text
        settle(self.sayso)
        return self.messages()[before:]

    def says(self, text: str) -> list[Call]:
        return self.send(self.person.says(text))

    def taps(self, title: str) -> list[Call]:
        with_buttons = [call for call in self.messages() if call.buttons]
        assert with_buttons, "Sayso has not sent any buttons"
        return self.send(self.person.taps(with_buttons[-1], title))

    def agrees(self) -> list[Call]:
        self.says("/start")
        return self.taps("Yes, that's OK")


def texts(calls: list[Call]) -> str:
    return "\n".join(call.text for call in calls)


@pytest.fixture()
def chat(sayso: RunningSayso, telegram_api: FakeTelegram) -> Chat:
    return Chat(sayso, telegram_api)


def answers_of(sayso: RunningSayso, participant: str) -> list[tuple[str, str, str | None, str]]:
    return sayso.rows(
        "SELECT q.key, r.text, r.value, r.channel FROM responses r "
        "JOIN questions q ON q.id = r.question_id WHERE r.participant_id = ? ORDER BY q.position",
        participant,
    )


# ---- a whole consultation ------------------------------------------------------------------


def test_a_person_completes_a_consultation_by_tapping_and_typing(chat: Chat) -> None:
    greeting = chat.says("/start")
    assert "I am a bot, not a person" in texts(greeting)
    assert greeting[-1].buttons[0][0] == "Yes, that's OK"

    topics = chat.taps("Yes, that's OK")
    assert "What would you like to talk about?" in topics[-1].text

    intro = chat.taps("Day centre opening hours")
    assert "Staff make the final choice" in texts(intro)
    assert intro[-1].text.endswith("When would you most like the day centre to be open?")

    step = chat.taps("Early morning")
    assert step[-1].text.startswith("You picked: Early morning")
    assert step[-1].text.endswith("How well do the opening times work for you now?")
    chat.says("2")
    chat.says("yes")
    chat.says("it was shut on christmas day and i had to wait in the rain")
    done = chat.says("open at 7 please")
    assert "That was the last question" in texts(done)
    chat.taps("Yes")

    rows = answers_of(chat.sayso, chat.participant)
    assert [row[0] for row in rows] == [
        "best-time",
        "hours-now",
        "weekends",
        "shut-when-needed",
        "anything-else",
    ]
    assert rows[0][1:] == ("Early morning", "early-morning", "telegram")
    assert rows[1][2] == "2" and rows[2][2] == "yes"
    assert str(chat.chat_id) not in chat.participant


def test_text_goes_out_plain_with_one_button_a_row_and_no_parse_mode(chat: Chat) -> None:
    greeting = chat.says("/start")

    markup = greeting[-1].params["reply_markup"]
    assert all(len(row) == 1 for row in markup["inline_keyboard"])
    assert all("parse_mode" not in call.params for call in chat.messages())


def test_tapped_buttons_are_taken_away_so_they_cannot_be_pressed_twice(chat: Chat) -> None:
    topics = chat.agrees()
    chat.taps("Food at the hostel")

    edits = chat.telegram.recorded("editMessageReplyMarkup", chat.chat_id)
    assert topics[-1].message_id in [int(call.params["message_id"]) for call in edits]
    answered = chat.telegram.recorded("answerCallbackQuery")
    assert len(answered) >= 2


def test_typing_instead_of_tapping_also_takes_the_old_buttons_away(chat: Chat) -> None:
    chat.agrees()
    question = chat.taps("Food at the hostel")

    chat.says("good")

    edits = chat.telegram.recorded("editMessageReplyMarkup", chat.chat_id)
    assert question[-1].message_id in [int(call.params["message_id"]) for call in edits]


def test_an_old_button_for_a_closed_question_gets_a_follow_up_not_an_answer(chat: Chat) -> None:
    chat.agrees()
    question = chat.taps("Food at the hostel")
    chat.taps("Bad")

    replies = chat.send(chat.person.taps(question[-1], "Very good"))

    assert "That button was for an earlier question" in texts(replies)
    assert [row[1] for row in answers_of(chat.sayso, chat.participant)] == ["Bad"]


def test_button_data_fits_in_64_bytes_and_a_tap_reads_back_the_choice(chat: Chat) -> None:
    chat.agrees()
    chat.taps("Food at the hostel")
    meals = chat.taps("OK")

    assert all(len(data.encode()) <= 64 for _, data in meals[-1].buttons)
    chat.taps("Snacks late at night")

    assert answers_of(chat.sayso, chat.participant)[-1][2] == "snacks-late-at-night"


# ---- links and commands ----------------------------------------------------------------------


def test_a_start_link_greets_asks_consent_then_opens_its_consultation(chat: Chat) -> None:
    greeting = chat.says("/start moving-on")

    assert "I am a bot, not a person" in texts(greeting)
    assert "Is that OK?" in greeting[-1].text
    assert chat.sayso.rows(
        "SELECT consent_take_part_at FROM participants WHERE id = ?", chat.participant
    ) == [(None,)]

    opened = chat.taps("Yes, that's OK")

    assert "Moving on to your own home" in texts(opened)
    assert opened[-1].text.endswith("How ready do you feel to move to your own home?")


def test_a_start_link_to_an_unknown_topic_just_greets(chat: Chat) -> None:
    greeting = chat.says("/start no-such-topic")

    assert "I am a bot, not a person" in texts(greeting)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/help", "You can tap a button or type your answer."),
        ("/stop", "OK, we have stopped."),
        ("/delete", "Do you want me to delete everything you told me?"),
    ],
)
def test_commands_do_what_their_names_say(chat: Chat, command: str, expected: str) -> None:
    chat.agrees()
    chat.taps("Food at the hostel")

    assert expected in texts(chat.says(command))


def test_the_commands_menu_and_the_polling_set_up_are_registered_at_start(
    sayso: RunningSayso, telegram_api: FakeTelegram
) -> None:
    [menu] = telegram_api.recorded("setMyCommands")[-1:]
    assert [item["command"] for item in menu.params["commands"]] == [
        "start",
        "help",
        "stop",
        "delete",
    ]
    assert telegram_api.recorded("deleteWebhook")


def test_updates_fetched_with_get_updates_take_the_same_path(
    chat: Chat, telegram_api: FakeTelegram
) -> None:
    telegram_api.queue_update(chat.person.says("hello"))

    deadline = time.monotonic() + 30
    while not chat.messages() and time.monotonic() < deadline:
        time.sleep(0.1)

    assert "I am a bot, not a person" in texts(chat.messages())


# ---- the webhook ----------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["not-the-secret", "", None])
def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_kept(
    chat: Chat, secret: str | None
) -> None:
    update = chat.person.says("hi")

    response = post(chat.sayso, update, secret=secret)

    assert response.status_code == 403
    assert (
        chat.sayso.rows("SELECT * FROM telegram_updates WHERE update_id = ?", update["update_id"])
        == []
    )


def test_a_body_that_is_not_an_update_gets_400_not_a_server_error(sayso: RunningSayso) -> None:
    for body in (b"{not json", b"[1, 2]", b'{"message": {}}'):
        response = httpx.post(
            webhook_url(sayso),
            content=body,
            headers={SECRET_HEADER: TELEGRAM_SECRET, "Content-Type": "application/json"},
            timeout=10,
        )
        assert response.status_code == 400


def test_the_same_update_twice_is_answered_and_stored_once(chat: Chat) -> None:
    chat.agrees()
    chat.taps("Food at the hostel")
    chat.taps("Good")
    update = chat.person.says("more hot dinners with veg")

    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(lambda _: post(chat.sayso, update), range(3)))
    settle(chat.sayso)
    later = post(chat.sayso, update)
    settle(chat.sayso)

    assert [item.status_code for item in [*answers, later]] == [200] * 4
    stored = chat.sayso.rows("SELECT id FROM responses WHERE text = ?", "more hot dinners with veg")
    assert len(stored) == 1
    asked = [call for call in chat.messages() if "Which meal matters most" in call.text]
    assert len(asked) == 1


# ---- every other kind of update -------------------------------------------------------------

PHOTO = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {"sticker": {"file_id": "s1", "file_unique_id": "s1", "type": "regular",
                         "width": 512, "height": 512, "is_animated": False, "is_video": False}},
            "I cannot see pictures or stickers.",
        ),
        ({"photo": PHOTO}, "I cannot see pictures or stickers."),
        (
            {"document": {"file_id": "d1", "file_unique_id": "d1", "file_name": "letter.pdf"}},
            "I cannot open files or videos.",
        ),
        ({"location": {"latitude": 51.5, "longitude": -0.12}}, "I do not need to know where"),
        (
            {"contact": {"phone_number": "07700900123", "first_name": "Jo"}},
            "I do not need contact details",
        ),
        ({"dice": {"emoji": "🎲", "value": 4}}, "I can only read words and voice notes."),
        (
            {"poll": {"id": "p", "question": "Newer than the library knows?", "options": [],
                      "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                      "type": "regular", "allows_multiple_answers": False}},
            "I can only read words and voice notes.",
        ),
    ],
)  # fmt: skip
def test_each_other_kind_of_message_gets_a_kind_reply_and_stores_nothing(
    chat: Chat, content: dict[str, Any], expected: str
) -> None:
    chat.agrees()
    question = chat.taps("Food at the hostel")
    before = chat.sayso.rows("SELECT count(*) FROM responses")

    replies = chat.send(chat.person.sends(**content))

    assert expected in texts(replies)
    assert chat.sayso.rows("SELECT count(*) FROM responses") == before
    assert chat.sayso.rows("SELECT count(*) FROM telegram_updates WHERE payload IS NOT NULL") == [
        (0,)
    ]
    edits = chat.telegram.recorded("editMessageReplyMarkup", chat.chat_id)
    assert question[-1].message_id not in [int(call.params["message_id"]) for call in edits]


def test_a_photo_with_a_caption_is_read_as_words(chat: Chat) -> None:
    chat.agrees()

    replies = chat.send(
        chat.person.sends(photo=PHOTO, caption="the breakfast at the hostel is tiny and cold")
    )

    assert "I cannot see pictures" in replies[0].text
    assert "Is this about Food at the hostel?" in texts(replies)


def test_an_edited_message_is_explained_and_the_first_answer_stands(chat: Chat) -> None:
    chat.agrees()
    chat.taps("Food at the hostel")
    chat.taps("Good")
    chat.says("Dinner")

    replies = chat.send(chat.person.edits("Breakfast"))

    assert "I cannot see changes to a message" in texts(replies)
    assert chat.sayso.rows("SELECT count(*) FROM responses WHERE text = 'Breakfast'") == [(0,)]


def test_a_group_message_gets_a_polite_reply_and_nothing_is_stored(
    sayso: RunningSayso, telegram_api: FakeTelegram
) -> None:
    group = -next(_chat_ids)
    participants = sayso.rows("SELECT count(*) FROM participants")
    conversations = sayso.tracker_rows("SELECT count(DISTINCT sender_id) FROM events")

    assert post(sayso, group_message(group, "/start@sayso_test_bot")).status_code == 200
    settle(sayso)

    assert "I only talk with one person at a time" in texts(
        telegram_api.recorded("sendMessage", group)
    )
    assert sayso.rows("SELECT count(*) FROM participants") == participants
    assert sayso.tracker_rows("SELECT count(DISTINCT sender_id) FROM events") == conversations


def test_messages_from_other_bots_get_no_reply(chat: Chat) -> None:
    update = chat.person.says("hello")
    update["message"]["from"]["is_bot"] = True

    assert chat.send(update) == []


def test_an_update_sayso_does_not_handle_is_acknowledged(sayso: RunningSayso) -> None:
    update = {
        "update_id": next_update_id(),
        "inline_query": {
            "id": "q1",
            "from": {"id": 9, "is_bot": False, "first_name": "Kim"},
            "query": "food",
            "offset": "",
        },
    }
    assert post(sayso, update).status_code == 200


# ---- voice notes ----------------------------------------------------------------------------

AUDIO = b"OggS" + bytes(range(256)) * 8


def voice(file_id: str, duration: int = 7) -> dict[str, Any]:
    return {
        "voice": {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(AUDIO),
        }
    }


def test_a_voice_note_answers_the_current_question_and_staff_can_play_it(
    chat: Chat, telegram_api: FakeTelegram
) -> None:
    file_id = f"voice-{chat.chat_id}"
    telegram_api.add_file(file_id, AUDIO, f"voice/{file_id}.oga")
    chat.says("/start moving-on")
    chat.taps("Yes, that's OK")
    question = chat.taps("Quite ready")

    replies = chat.send(chat.person.sends(**voice(file_id)))

    assert "I have kept your voice note as your answer" in texts(replies)
    assert replies[-1].text != question[-1].text
    [(response_id, text)] = chat.sayso.rows(
        "SELECT r.id, r.text FROM responses r JOIN questions q ON q.id = r.question_id "
        "WHERE q.key = 'biggest-worry' AND r.participant_id = ?",
        chat.participant,
    )
    assert text == voice_notes.VOICE_NOTE_TEXT
    engine = make_engine(f"sqlite:///{chat.sayso.database}")
    with session_scope(engine) as session:
        played = voice_notes.audio_for_response(session, response_id)
    engine.dispose()
    assert played is not None and played.audio == AUDIO and played.mime_type == "audio/ogg"


def test_a_voice_note_before_consent_is_not_kept(chat: Chat, telegram_api: FakeTelegram) -> None:
    file_id = f"voice-{chat.chat_id}"
    telegram_api.add_file(file_id, AUDIO, f"voice/{file_id}.oga")
    before = chat.sayso.rows("SELECT count(*) FROM voice_notes")

    replies = chat.send(chat.person.sends(**voice(file_id)))

    assert "Is that OK?" in replies[-1].text
    assert chat.sayso.rows("SELECT count(*) FROM voice_notes") == before


def test_a_voice_note_that_is_too_long_is_not_fetched(
    chat: Chat, telegram_api: FakeTelegram
) -> None:
    chat.agrees()
    downloads = len(telegram_api.recorded("download"))

    replies = chat.send(chat.person.sends(**voice("long-one", duration=3600)))

    assert "too long" in texts(replies)
    assert len(telegram_api.recorded("download")) == downloads


# ---- reaching people ------------------------------------------------------------------------


def finish_with_updates(chat: Chat) -> str:
    """Complete a consultation saying yes to updates; returns the participant id."""
    chat.says("/start moving-on")
    chat.taps("Yes, that's OK")
    chat.taps("Quite ready")
    for _ in range(6):
        if "last question" in texts(chat.messages()[-1:]):
            break
        chat.says("skip")
    chat.taps("Yes")
    return chat.participant


def address_rows(chat: Chat) -> list[tuple[str, Any]]:
    return chat.sayso.rows(
        "SELECT chat, unreachable_at FROM telegram_addresses WHERE participant_id = ?",
        chat.participant,
    )


def test_the_chat_address_is_kept_encrypted_only_for_people_who_want_updates(chat: Chat) -> None:
    finish_with_updates(chat)
    [(sealed, _)] = address_rows(chat)
    assert str(chat.chat_id) not in sealed

    other = Chat(chat.sayso, chat.telegram)
    other.agrees()
    other.taps("Food at the hostel")
    assert address_rows(other) == []


def test_deleting_my_data_deletes_the_address_too(chat: Chat) -> None:
    finish_with_updates(chat)

    chat.says("/delete")
    replies = chat.taps("Yes, delete it all")

    assert address_rows(chat) == []
    assert "I have deleted everything" in texts(replies)


def test_someone_who_blocked_the_bot_is_marked_unreachable(
    chat: Chat, telegram_api: FakeTelegram
) -> None:
    finish_with_updates(chat)
    telegram_api.fail("sendMessage", 403, chat_id=chat.chat_id)

    chat.says("what happened to what i said")

    [(_, unreachable)] = address_rows(chat)
    assert unreachable is not None
    [(given_up,)] = chat.sayso.rows(
        "SELECT count(*) FROM outbox WHERE recipient = ? AND status = 'unreachable'",
        chat.participant,
    )
    assert given_up >= 1


def test_blocking_the_bot_in_telegram_marks_the_person_unreachable(chat: Chat) -> None:
    finish_with_updates(chat)

    assert chat.send(chat.person.blocks_the_bot()) == []

    [(_, unreachable)] = address_rows(chat)
    assert unreachable is not None


# ---- load -----------------------------------------------------------------------------------


def test_a_burst_of_200_updates_from_50_chats_loses_nothing_and_keeps_each_chat_in_order(
    sayso: RunningSayso, telegram_api: FakeTelegram
) -> None:
    chats = [Chat(sayso, telegram_api) for _ in range(50)]

    def one_chat(chat: Chat) -> list[int]:
        person = chat.person
        updates = [
            person.says("/start"),
            person.taps_data("/affirm"),
            person.taps_data('/choose{"option":"hostel-food"}'),
            person.says(str(1 + chat.chat_id % 5)),
        ]
        return [post(sayso, update).status_code for update in updates]

    with concurrent.futures.ThreadPoolExecutor(max_workers=25) as pool:
        statuses = [status for result in pool.map(one_chat, chats) for status in result]
    settle(sayso, timeout=180)

    assert statuses == [200] * 200
    for chat in chats:
        sent = [call.text for call in chat.messages()]
        assert len(sent) == 4, sent
        assert "I am a bot, not a person" in sent[0]
        assert "What would you like to talk about?" in sent[1]
        assert sent[2].endswith("How good is the food at the hostel now?")
        assert sent[3].endswith("Which meal matters most to you?")
        [(_, _, value, _)] = answers_of(sayso, chat.participant)
        assert value == str(1 + chat.chat_id % 5)


def test_a_429_storm_slows_sending_down_and_every_message_arrives(
    sayso: RunningSayso, telegram_api: FakeTelegram
) -> None:
    people = [Chat(sayso, telegram_api) for _ in range(5)]
    telegram_api.fail("sendMessage", 429, times=6, retry_after=1)
    started = time.monotonic()

    for person in people:
        assert post(sayso, person.person.says("/start")).status_code == 200
    settle(sayso, timeout=120)

    for person in people:
        assert "I am a bot, not a person" in texts(person.messages())
    refused = [
        call for call in telegram_api.recorded("sendMessage", ok_only=False) if call.status == 429
    ]
    refused = [call for call in refused if call.at >= started]
    assert len(refused) == 6
    first_refusal = min(call.at for call in refused)
    delivered_after = [
        call.at for person in people for call in person.messages() if call.at > first_refusal
    ]
    assert delivered_after and min(delivered_after) - first_refusal >= 0.9

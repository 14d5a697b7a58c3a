"""Handling Telegram updates inside the Rasa server, with Rasa replaced by a recorder.

Checks what reaches Rasa, what is queued to send, and what is kept, for each kind of update,
for redeliveries and for a restart part-way through.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.channels.telegram import callback_data
from bot.channels.telegram.handling import TelegramHandler
from bot.channels.telegram.identity import chat_participant_id, chat_sender_id
from bot.config import Settings, load_settings
from bot.conversation.words import words
from bot.privacy.cipher import Cipher
from bot.store import telegram_addresses, telegram_updates
from bot.store.database import session_scope
from bot.store.participants import get_or_create_participant
from bot.store.schema import OutboxMessage, VoiceNote
from tests.telegram_api import FakeTelegram, Person, group_message

KEY = b"participant-key-for-tests"
person = Person(9001)
PARTICIPANT = chat_participant_id(9001, KEY)


@dataclass
class FakeRasa:
    """Records what Rasa was sent and answers with canned replies."""

    replies: list[dict[str, Any]] = field(default_factory=lambda: [{"text": "Hello."}])
    received: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    fails: bool = False

    async def __call__(
        self, sender_id: str, text: str, metadata: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        self.received.append((sender_id, text, metadata))
        if self.fails:
            raise RuntimeError("Rasa is down")
        return self.replies

    @property
    def texts(self) -> list[str]:
        return [text for _, text, _ in self.received]


@pytest.fixture()
def settings(telegram: FakeTelegram) -> Settings:
    return replace(
        load_settings(),
        participant_id_key=KEY,
        address_key=Fernet.generate_key().decode(),
        telegram_token=telegram.token,
        telegram_api_base_url=telegram.base_url,
    )


def deliver(
    settings: Settings, engine: Engine, rasa: FakeRasa, *updates: dict[str, Any]
) -> list[bool]:
    """Post updates to a fresh handler, as the webhook does, and wait until all are handled."""

    async def run() -> list[bool]:
        handler = TelegramHandler(settings, rasa, engine)
        accepted = [await handler.accept(update) for update in updates]
        await handler.queues.join()
        return accepted

    return asyncio.run(run())


def queued(engine: Engine) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        return list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def sent_texts(engine: Engine) -> list[str]:
    return [row.body["text"] for row in queued(engine) if row.method == "sendMessage"]


# ---- once and in order ------------------------------------------------------------------------


def test_a_message_reaches_rasa_under_a_keyed_hash_and_the_reply_is_queued(
    settings: Settings, engine: Engine
) -> None:
    rasa = FakeRasa()

    deliver(settings, engine, rasa, person.says("hi there"))

    assert rasa.received == [(chat_sender_id(9001, KEY), "hi there", None)]
    [reply] = queued(engine)
    assert (reply.recipient, reply.body["text"]) == (PARTICIPANT, "Hello.")
    assert Cipher(settings.address_key).open_chat(reply.address) == 9001
    assert "9001" not in reply.address


def test_a_redelivered_update_is_acknowledged_but_handled_once(
    settings: Settings, engine: Engine
) -> None:
    rasa = FakeRasa()
    update = person.says("more veg please")

    accepted = deliver(settings, engine, rasa, update, update, update)

    assert accepted == [True, False, False]
    assert rasa.texts == ["more veg please"]
    assert len(queued(engine)) == 1


def test_a_chats_updates_reach_rasa_in_the_order_they_came(
    settings: Settings, engine: Engine
) -> None:
    rasa = FakeRasa()
    words = [f"message {number}" for number in range(8)]

    deliver(settings, engine, rasa, *(person.says(text) for text in words))

    assert rasa.texts == words


def test_a_restart_finishes_what_was_waiting_and_replays_nothing_half_done(
    settings: Settings, engine: Engine
) -> None:
    cipher = Cipher(settings.address_key)
    half_done, waiting = person.says("was being handled"), person.says("never started")
    with session_scope(engine) as session:
        for update in (half_done, waiting):
            telegram_updates.record(session, update["update_id"], cipher.seal(json.dumps(update)))
        telegram_updates.mark_handling(session, half_done["update_id"])
    rasa = FakeRasa()

    async def restart() -> None:
        handler = TelegramHandler(settings, rasa, engine)
        assert await handler.recover() == 2
        await handler.queues.join()

    asyncio.run(restart())

    assert rasa.texts == ["/repeat", "never started"]
    with session_scope(engine) as session:
        assert telegram_updates.unfinished(session) == []


# ---- buttons ----------------------------------------------------------------------------------


def test_a_tap_is_answered_its_buttons_removed_and_its_choice_shown(
    settings: Settings, engine: Engine
) -> None:
    markup = {"inline_keyboard": [[{"text": "Dinner", "callback_data": "/choose{}"}]]}
    rasa = FakeRasa(replies=[{"text": "Question 3 of 5."}])

    deliver(settings, engine, rasa, person.taps_data("/choose{}", message_id=55, markup=markup))

    assert rasa.texts == ["/choose{}"]
    answer, edit, reply = queued(engine)
    assert answer.method == "answerCallbackQuery"
    assert (edit.method, edit.body) == ("editMessageReplyMarkup", {"message_id": 55})
    assert reply.body["text"] == "You picked: Dinner\n\nQuestion 3 of 5."


def test_a_long_payload_goes_out_as_a_token_and_comes_back_as_the_payload(
    settings: Settings, engine: Engine
) -> None:
    long_payload = '/choose{"option":"somewhere-warm-to-sleep-when-it-is-freezing","question":987}'
    rasa = FakeRasa(
        replies=[{"text": "Pick one", "buttons": [{"title": "Warm", "payload": long_payload}]}]
    )
    deliver(settings, engine, rasa, person.says("hi"))
    [[_, data]] = queued(engine)[-1].body["buttons"]
    assert len(data.encode()) <= 64 and callback_data.is_token(data)

    deliver(settings, engine, rasa, person.taps_data(data))

    assert rasa.texts[-1] == long_payload


def test_a_button_too_old_to_read_shows_where_the_person_is(
    settings: Settings, engine: Engine
) -> None:
    rasa = FakeRasa()

    deliver(settings, engine, rasa, person.taps_data("#AAAAAAAAAAAAAAAAAAAA"))

    assert rasa.texts == ["/repeat"]


# ---- everything else --------------------------------------------------------------------------


def test_when_rasa_fails_the_person_is_told_sorry_not_left_waiting(
    settings: Settings, engine: Engine
) -> None:
    deliver(settings, engine, FakeRasa(fails=True), person.says("hello"))

    assert sent_texts(engine) == [
        "Sorry, something went wrong on my side. Your answers so far are safe. Please try again."
    ]


@pytest.mark.parametrize(
    "broken",
    [
        {"chat": {"id": 2**80, "type": "private"}},
        {"chat": {"id": True, "type": "private"}},
        {"chat": ["private"]},
    ],
    ids=["chat id too big", "chat id not a number", "chat not an object"],
)
def test_an_update_no_real_chat_could_send_is_finished_and_answers_nobody(
    settings: Settings, engine: Engine, broken: dict[str, Any]
) -> None:
    update = person.says("hello")
    update["message"].update(broken)
    rasa = FakeRasa()

    deliver(settings, engine, rasa, update)

    assert rasa.received == [] and queued(engine) == []
    with session_scope(engine) as session:
        assert telegram_updates.unfinished(session) == []


def test_a_message_the_library_cannot_read_still_gets_a_kind_reply(
    settings: Settings, engine: Engine
) -> None:
    update = person.says("hello")
    update["message"]["date"] = 10**20
    rasa = FakeRasa()

    deliver(settings, engine, rasa, update)

    assert rasa.received == []
    assert sent_texts(engine) == [words("utter_cannot_read_this", "en")]


def test_a_group_gets_a_notice_and_rasa_never_hears_of_it(
    settings: Settings, engine: Engine
) -> None:
    rasa = FakeRasa()

    deliver(settings, engine, rasa, group_message(-4000, "hello bot"))

    assert rasa.received == []
    [notice] = queued(engine)
    assert "I only talk with one person at a time" in notice.body["text"]
    assert Cipher(settings.address_key).open_chat(notice.address) == -4000


def test_a_voice_note_is_fetched_held_and_handed_over_by_id(
    settings: Settings, engine: Engine, telegram: FakeTelegram
) -> None:
    telegram.add_file("voice-9001", b"OggS-audio", "voice/file_9001.oga")
    rasa = FakeRasa()
    update = person.sends(
        voice={"file_id": "voice-9001", "file_unique_id": "u", "duration": 5,
               "mime_type": "audio/ogg", "file_size": 10}
    )  # fmt: skip

    deliver(settings, engine, rasa, update)

    [(_, text, metadata)] = rasa.received
    with session_scope(engine) as session:
        note = session.get(VoiceNote, metadata["voice_note"])
        assert (note.participant_id, note.audio, note.response_id) == (
            PARTICIPANT,
            b"OggS-audio",
            None,
        )
    assert text == "/share_view"


def test_a_voice_note_that_cannot_be_fetched_is_explained(
    settings: Settings, engine: Engine
) -> None:
    rasa = FakeRasa()
    update = person.sends(
        voice={"file_id": "missing", "file_unique_id": "m", "duration": 5,
               "mime_type": "audio/ogg", "file_size": 10}
    )  # fmt: skip

    deliver(settings, engine, rasa, update)

    assert rasa.received == []
    assert "I could not get your voice note" in sent_texts(engine)[0]


def test_the_address_is_kept_only_while_the_person_wants_updates(
    settings: Settings, engine: Engine
) -> None:
    with session_scope(engine) as session:
        participant = get_or_create_participant(session, PARTICIPANT, "telegram")
        participant.consent_updates = True
    deliver(settings, engine, FakeRasa(), person.says("yes please"))
    with session_scope(engine) as session:
        assert (
            telegram_addresses.address_of(session, PARTICIPANT, Cipher(settings.address_key))
            == 9001
        )
        get_or_create_participant(session, PARTICIPANT, "telegram").consent_updates = False

    deliver(settings, engine, FakeRasa(), person.says("actually no"))

    with session_scope(engine) as session:
        assert not telegram_addresses.has_address(session, PARTICIPANT)


def test_someone_new_leaves_no_address(settings: Settings, engine: Engine) -> None:
    deliver(settings, engine, FakeRasa(), person.says("hi"))

    with session_scope(engine) as session:
        assert not telegram_addresses.has_address(session, PARTICIPANT)


def test_the_channels_own_words_are_in_the_persons_language(
    settings: Settings, engine: Engine
) -> None:
    with session_scope(engine) as session:
        get_or_create_participant(session, PARTICIPANT, "telegram").language = "pl"

    deliver(settings, engine, FakeRasa(), person.sends(location={"latitude": 51, "longitude": 0}))

    [notice] = sent_texts(engine)
    assert notice == words("utter_location_not_kept", "pl")
    assert notice != words("utter_location_not_kept")

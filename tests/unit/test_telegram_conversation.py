"""Two conversation rules channels rely on: start links and voice notes.

A link such as t.me/<bot>?start=hostel-food asks to open a consultation, but consent still
comes first. A voice note answers the question being asked, and is kept nowhere else.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.conversation.engine import take_turn
from bot.conversation.replies import Reply
from bot.conversation.turn import Turn
from bot.store import voice_notes
from bot.store.database import session_scope
from bot.store.schema import Participant, Response, VoiceNote
from tests.unit.chat import Chat, names

AUDIO = b"OggS-a-short-voice-note"


@pytest.fixture()
def chat(engine) -> Chat:
    return Chat(engine)


def stored(chat: Chat) -> list[Response]:
    with session_scope(chat.engine) as session:
        return list(session.execute(select(Response).order_by(Response.id)).scalars())


def notes(chat: Chat) -> list[VoiceNote]:
    with session_scope(chat.engine) as session:
        return list(session.execute(select(VoiceNote).order_by(VoiceNote.id)).scalars())


def pending_note(chat: Chat, participant_id: str | None = None) -> int:
    with session_scope(chat.engine) as session:
        return voice_notes.keep_pending(
            session, participant_id or chat.participant_id, AUDIO, "audio/ogg", 4
        )


def send_voice(chat: Chat, note_id: int) -> list[Reply]:
    """What a channel hands over for a voice note: a payload and the pending note's id."""
    turn = Turn(
        chat.participant_id,
        "telegram",
        "/share_view",
        "share_view",
        1.0,
        from_button=True,
        voice_note_id=note_id,
    )
    with session_scope(chat.engine) as session:
        replies = take_turn(session, chat.settings, turn, chat.today)
    if any(reply.buttons for reply in replies):
        chat.last = replies
    return replies


# ---- start links ----------------------------------------------------------------------------


def test_a_start_link_from_someone_new_greets_and_asks_consent_first(chat: Chat) -> None:
    replies = chat.send_payload('/choose{"option":"hostel-food"}')

    assert names(replies) == ["utter_greet", "utter_consent"]
    assert stored(chat) == []
    with session_scope(chat.engine) as session:
        assert session.get(Participant, chat.participant_id).consent_take_part_at is None


def test_after_consent_the_linked_consultation_opens_straight_away(chat: Chat) -> None:
    chat.send_payload('/choose{"option":"hostel-food"}')

    replies = chat.tap("Yes, that's OK")

    assert names(replies)[0] == "utter_consent_thanks"
    assert names(replies)[-1] == "text:How good is the food at the hostel now?"


def test_saying_no_after_a_start_link_keeps_nothing(chat: Chat) -> None:
    chat.send_payload('/choose{"option":"hostel-food"}')

    assert names(chat.tap("No thanks")) == ["utter_consent_declined"]
    with session_scope(chat.engine) as session:
        assert session.get(Participant, chat.participant_id) is None


def test_a_start_link_from_someone_who_agreed_opens_the_consultation(chat: Chat) -> None:
    chat.start("Day centre opening hours")

    replies = chat.send_payload('/choose{"option":"moving-on"}')

    assert names(replies)[-1] == "text:How ready do you feel to move to your own home?"


def test_a_start_link_to_a_topic_that_is_not_open_just_greets(chat: Chat) -> None:
    replies = chat.send_payload('/choose{"option":"closed-last-year"}')

    assert names(replies) == ["utter_greet", "utter_consent"]
    assert names(chat.tap("Yes, that's OK"))[-1] == "utter_choose_consultation"


# ---- voice notes ----------------------------------------------------------------------------


def test_a_voice_note_answers_the_current_question_and_moves_on(chat: Chat) -> None:
    chat.start("Moving on to your own home")
    chat.tap("Quite ready")

    replies = send_voice(chat, pending_note(chat))

    assert names(replies)[0] == "utter_voice_note_saved"
    assert names(replies)[-1] == "text:Would you like a support worker to visit after you move?"
    answer = stored(chat)[-1]
    assert answer.text == voice_notes.VOICE_NOTE_TEXT and answer.value is None
    with session_scope(chat.engine) as session:
        played = voice_notes.audio_for_response(session, answer.id)
    assert played is not None and played.audio == AUDIO and played.mime_type == "audio/ogg"


def test_a_second_voice_note_for_the_same_question_replaces_the_first(chat: Chat) -> None:
    chat.start("Moving on to your own home")
    chat.tap("Quite ready")
    send_voice(chat, pending_note(chat))
    chat.say("start again", "start_again")
    chat.tap("Moving on to your own home")
    chat.tap("Quite ready")

    send_voice(chat, pending_note(chat))

    assert [note.response_id is not None for note in notes(chat)] == [True]


def test_a_voice_note_before_consent_is_not_kept(chat: Chat) -> None:
    replies = send_voice(chat, pending_note(chat))

    assert names(replies) == ["utter_greet", "utter_consent"]
    assert notes(chat) == [] and stored(chat) == []


def test_a_voice_note_while_choosing_a_topic_is_not_kept(chat: Chat) -> None:
    chat.agree()

    replies = send_voice(chat, pending_note(chat))

    assert names(replies) == ["utter_voice_note_not_now", "utter_choose_consultation"]
    assert notes(chat) == [] and stored(chat) == []


def test_someone_elses_voice_note_is_never_attached(chat: Chat) -> None:
    chat.start("Moving on to your own home")
    someone_else = pending_note(chat, participant_id="p-somebody-else")

    replies = send_voice(chat, someone_else)

    assert names(replies)[0] == "utter_voice_note_not_now"
    assert stored(chat) == []
    [note] = notes(chat)
    assert note.participant_id == "p-somebody-else" and note.response_id is None


def test_deleting_my_data_deletes_my_voice_notes(chat: Chat) -> None:
    chat.start("Moving on to your own home")
    chat.tap("Quite ready")
    send_voice(chat, pending_note(chat))

    chat.say("delete my data", "delete_data")
    chat.tap("Yes, delete it all")

    assert notes(chat) == []

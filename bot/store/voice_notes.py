"""Voice notes: many people find talking easier than typing, so a voice note can be an answer.

A channel keeps the audio as pending, bound to the participant who sent it, and tells the
conversation its id. The conversation attaches it to an answer or discards it in the same
turn, so nothing is kept from someone who has not agreed, or outside a question. Staff play
it back through `audio_for_response`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.schema import VoiceNote

#: What the answer's text says, so every list of answers shows there is audio to play.
VOICE_NOTE_TEXT = "[Voice note]"


@dataclass(frozen=True)
class VoiceAudio:
    audio: bytes
    mime_type: str
    duration_seconds: int | None


def keep_pending(
    session: Session,
    participant_id: str,
    audio: bytes,
    mime_type: str,
    duration_seconds: int | None,
) -> int:
    """Hold a voice note until the conversation decides what it is. Returns its id."""
    note = VoiceNote(
        participant_id=participant_id,
        audio=audio,
        mime_type=mime_type,
        duration_seconds=duration_seconds,
    )
    session.add(note)
    session.flush()
    return int(note.id)


def _pending(session: Session, note_id: int, participant_id: str) -> VoiceNote | None:
    """Only the sender's own pending note: an id from elsewhere attaches nothing."""
    note = session.get(VoiceNote, note_id)
    if note is None or note.participant_id != participant_id or note.response_id is not None:
        return None
    return note


def is_pending(session: Session, note_id: int, participant_id: str) -> bool:
    return _pending(session, note_id, participant_id) is not None


def attach(session: Session, note_id: int, participant_id: str, response_id: int) -> bool:
    """Make the note the audio of an answer, replacing audio the answer had before."""
    note = _pending(session, note_id, participant_id)
    if note is None:
        return False
    session.execute(
        delete(VoiceNote)
        .where(VoiceNote.response_id == response_id)
        .execution_options(synchronize_session=False)
    )
    note.response_id = response_id
    session.flush()
    return True


def discard(session: Session, note_id: int, participant_id: str) -> None:
    """Delete a pending note that did not become an answer."""
    note = _pending(session, note_id, participant_id)
    if note is not None:
        session.delete(note)
        session.flush()


def audio_for_response(session: Session, response_id: int) -> VoiceAudio | None:
    """The audio of an answer given as a voice note, with its mime type, for playing back."""
    note = session.execute(
        select(VoiceNote).where(VoiceNote.response_id == response_id)
    ).scalar_one_or_none()
    if note is None:
        return None
    return VoiceAudio(bytes(note.audio), note.mime_type, note.duration_seconds)


def purge_unclaimed(session: Session, before: datetime) -> int:
    """Delete pending notes left behind by a turn that never finished."""
    result = session.execute(
        delete(VoiceNote)
        .where(VoiceNote.response_id.is_(None), VoiceNote.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def purge_older_than(session: Session, before: datetime) -> int:
    """Delete audio kept since before `before`: the retention limit for original words."""
    result = session.execute(
        delete(VoiceNote)
        .where(VoiceNote.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount

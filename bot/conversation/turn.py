"""One incoming message, as the conversation needs it, whatever channel it came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Turn:
    participant_id: str
    channel: str
    text: str
    intent: str | None = None
    confidence: float = 0.0
    option: str | None = None
    question_id: int | None = None
    from_button: bool = False
    #: A label such as "drop-in worker A" when a worker is helping; never a name.
    assisted_by: str | None = None
    #: A voice note the channel holds as pending; the conversation decides if it is an answer.
    voice_note_id: int | None = None
    #: The channel's own conversation id (Rasa's sender id), only to erase Rasa's copy on delete.
    sender_id: str = ""

    @property
    def word_count(self) -> int:
        return len(self.text.split())

"""One incoming message, as the conversation needs it, whatever channel it came from."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.input_checks import is_emoji_only, is_unsure


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

    @property
    def is_unsure(self) -> bool:
        """Typed words that say "I don't know", whatever intent NLU gave them."""
        return not self.from_button and is_unsure(self.text)

    @property
    def yes_or_no(self) -> bool | None:
        """True for a clear yes, False for a clear no, None for anything else.

        A tap is clear. Typed words count only when NLU read yes or no and they are neither
        unsure ("not sure" reads as yes to NLU, "nie wiem" as no) nor only emoji: a thumbs-up
        must not give consent or delete someone's data.
        """
        if self.intent not in ("affirm", "deny"):
            return None
        if self.is_unsure or (not self.from_button and is_emoji_only(self.text)):
            return None
        return self.intent == "affirm"

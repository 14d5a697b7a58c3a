"""A small driver that talks to the conversation engine the way Rasa would, for readable tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine

from bot.config import Settings, load_settings
from bot.conversation.engine import take_turn
from bot.conversation.replies import Reply
from bot.conversation.turn import Turn
from bot.store.database import session_scope

TODAY = date(2026, 11, 22)


@dataclass
class Chat:
    engine: Engine
    participant_id: str = "p-1"
    sender_id: str = "sender-1"
    today: date = TODAY
    settings: Settings = field(default_factory=load_settings)
    last: list[Reply] = field(default_factory=list)

    def say(
        self,
        text: str,
        intent: str | None = "nlu_fallback",
        confidence: float = 0.95,
    ) -> list[Reply]:
        """Type a message that NLU read as `intent`."""
        return self._turn(
            Turn(self.participant_id, "rest", text, intent, confidence, sender_id=self.sender_id)
        )

    def tap(self, title: str) -> list[Reply]:
        """Tap the button with this title on the last reply that had buttons."""
        for reply in reversed(self.last):
            for button in reply.buttons:
                if button.title == title:
                    return self.send_payload(button.payload)
        raise AssertionError(f"No button {title!r} in {self.button_titles()}")

    def send_payload(self, payload: str) -> list[Reply]:
        """Send a button payload, parsed as Rasa's payload reader does."""
        import json

        intent, _, entities_json = payload[1:].partition("{")
        entities = json.loads("{" + entities_json) if entities_json else {}
        turn = Turn(
            self.participant_id,
            "rest",
            payload,
            intent,
            1.0,
            option=entities.get("option"),
            question_id=entities.get("question"),
            from_button=True,
            sender_id=self.sender_id,
        )
        return self._turn(turn)

    def _turn(self, turn: Turn) -> list[Reply]:
        with session_scope(self.engine) as session:
            replies = take_turn(session, self.settings, turn, self.today)
        if any(reply.buttons for reply in replies):
            self.last = replies
        return replies

    def button_titles(self) -> list[str]:
        return [button.title for reply in self.last for button in reply.buttons]

    def agree(self) -> None:
        self.say("hi", "greet")
        self.tap("Yes, that's OK")

    def start(self, title: str) -> list[Reply]:
        self.agree()
        return self.tap(title)


def names(replies: list[Reply]) -> list[str]:
    """Response names, or the text for content replies."""
    return [reply.response or f"text:{reply.text}" for reply in replies]

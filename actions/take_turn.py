"""The custom action: hand the latest message to `bot.conversation` and say its replies.

Consultations live in the database, so Rasa only needs to understand the message; what to ask
next is decided by the bot package. Keeping the action this thin means every dialogue rule is
tested without Rasa.

Replies are rendered here from domain.yml in the person's language (`bot.conversation.words`),
so a person who asks for Polish is answered in Polish in the same turn, with one action call
per message. The `language` slot is kept in step for Rasa's own tools.

A turn (database work, spaCy, the meaning model) runs in a worker thread, not on the action
server's event loop: one slow turn then holds only itself, and the server goes on taking
other people's messages and answering its health check. Rasa's lock store already keeps each
conversation to one message at a time, so turns for one person never overlap.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.config import get_settings
from bot.conversation.replies import Reply
from bot.conversation.runner import run_turn
from bot.conversation.turn import Turn
from bot.conversation.words import words
from bot.languages import DEFAULT_LANGUAGE
from bot.ops.metrics import timed_turn
from bot.privacy.pseudonyms import participant_id
from bot.webchat import WEBCHAT_CHANNEL
from bot.webchat.assist import assisted_by

#: Turns taken at once in one action server. Each mostly waits on the database or runs numpy
#: (which lets other threads run); more than this on 2 cores only queues for the database.
TURN_THREADS = 4
_turns = ThreadPoolExecutor(max_workers=TURN_THREADS, thread_name_prefix="turn")


def turn_from_tracker(tracker: Tracker) -> Turn:
    """Read the latest user message the way the conversation needs it."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    intent = message.get("intent") or {}
    entities = {entity.get("entity"): entity.get("value") for entity in message.get("entities", [])}
    channel = tracker.get_latest_input_channel() or "rest"
    question = entities.get("question")
    settings = get_settings()
    return Turn(
        participant_id=participant_id(channel, tracker.sender_id, settings.participant_id_key),
        channel=channel,
        text=text,
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        option=None if entities.get("option") is None else str(entities["option"]),
        question_id=int(question) if str(question).isdigit() else None,
        from_button=text.startswith("/"),
        sender_id=tracker.sender_id,
        assisted_by=assisted_by(settings, message.get("metadata"), tracker.sender_id),
        voice_note_id=voice_note_id(message.get("metadata")),
    )


def voice_note_id(metadata: object) -> int | None:
    """The pending voice note a channel attached to this message, if any."""
    value = metadata.get("voice_note") if isinstance(metadata, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def say(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    buttons = [{"title": button.title, "payload": button.payload} for button in reply.buttons]
    text = words(reply.response, reply.language, **reply.params) if reply.response else reply.text
    dispatcher.utter_message(text=text, buttons=buttons)


class ActionTakeTurn(Action):
    def name(self) -> str:
        return "action_take_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        turn = turn_from_tracker(tracker)
        with timed_turn(turn.channel):
            replies = await asyncio.get_running_loop().run_in_executor(_turns, run_turn, turn)
        for reply in replies:
            say(dispatcher, reply)
        language = replies[-1].language if replies else DEFAULT_LANGUAGE
        if turn.channel == WEBCHAT_CHANNEL:  # the page marks each reply with its language
            dispatcher.utter_message(json_message={"language": language})
        if tracker.get_slot("language") == language:
            return []
        return [SlotSet("language", language)]

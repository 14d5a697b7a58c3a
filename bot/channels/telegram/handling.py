"""Taking Telegram updates in, and turning each into queued replies, exactly once.

Receiving: an update is recorded (its id, and its contents encrypted) before Telegram gets
its answer, so Telegram can be answered at once and a redelivery is recognised. Handling,
chat by chat in order: first the quick things are queued (answer the tapped button, take old
buttons away, a notice such as "I cannot see pictures"), then Rasa gets the message, then the
replies are queued in the same transaction that marks the update handled.

After a restart, updates never started are handled as usual. An update that was being handled
may already have changed the conversation, so it is not replayed: the person is shown where
they are instead ("/repeat"), and replies already queued for it are not queued twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from telegram import Bot, Update
from telegram.error import TelegramError

from bot.channels.telegram import callback_data
from bot.channels.telegram.bot_api import make_bot
from bot.channels.telegram.chat_queues import ChatQueues
from bot.channels.telegram.identity import CHANNEL, chat_participant_id, chat_sender_id
from bot.channels.telegram.outgoing import (
    TelegramMessage,
    from_rasa,
    message_bodies,
    take_buttons_away,
    with_preface,
)
from bot.channels.telegram.updates import (
    Incoming,
    Kind,
    VoiceFile,
    chat_id_in,
    read_unparsed,
    read_update,
)
from bot.channels.telegram.webhook import is_telegram_id
from bot.config import Settings
from bot.conversation.replies import intent_payload
from bot.conversation.words import ENGLISH, words
from bot.privacy.cipher import Cipher
from bot.store import outbox, telegram_addresses, telegram_buttons, telegram_updates, voice_notes
from bot.store.database import get_engine, session_scope
from bot.store.participants import get_participant

logger = logging.getLogger(__name__)

#: Sends Rasa a message as (sender id, text, metadata) and returns what Rasa said.
Converse = Callable[[str, str, dict[str, Any] | None], Awaitable[list[dict[str, Any]]]]

REPEAT = intent_payload("repeat")
VOICE_NOTE = intent_payload("share_view")
MAX_VOICE_SECONDS = 10 * 60
MAX_VOICE_BYTES = 5 * 1024 * 1024
#: Chats whose updates are handled at the same time; more wait their turn.
CHATS_AT_ONCE = 16

Result = TypeVar("Result")


@dataclass(frozen=True)
class Chat:
    chat_id: int
    recipient: str
    sender_id: str
    address: str


class TelegramHandler:
    """Receives and handles updates for one Rasa server process."""

    def __init__(
        self, settings: Settings, converse: Converse, engine: Engine | None = None
    ) -> None:
        self.settings = settings
        self.cipher = Cipher(settings.address_key)
        self.converse = converse
        self.engine = engine
        self.queues: ChatQueues[tuple[dict[str, Any], bool]] = ChatQueues(self._work, CHATS_AT_ONCE)
        self._bot: Bot | None = None
        self._bot_lock = asyncio.Lock()

    # ---- receiving --------------------------------------------------------------------------

    async def accept(self, data: dict[str, Any]) -> bool:
        """Record an update (a JSON object with an update id) and queue it.

        Returns False for an update seen before; nothing is queued for it.
        """
        update_id = int(data["update_id"])
        sealed = self.cipher.seal(json.dumps(data, separators=(",", ":")))
        try:
            fresh = await self._db(telegram_updates.record, update_id, sealed)
        except IntegrityError:
            fresh = False
        if fresh:
            self._queue(data, replay=False)
        return fresh

    async def recover(self) -> int:
        """Queue what a stopped process had not finished. Returns how many updates."""
        unfinished = await self._db(telegram_updates.unfinished)
        for row in unfinished:
            data = json.loads(self.cipher.open(row.payload))
            self._queue(data, replay=row.status == telegram_updates.HANDLING)
        return len(unfinished)

    def _queue(self, data: dict[str, Any], replay: bool) -> None:
        chat_id = chat_id_in(data)
        key = (
            self._chat(chat_id).recipient if chat_id is not None else f"update:{data['update_id']}"
        )
        self.queues.put(key, (data, replay))

    async def _work(self, item: tuple[dict[str, Any], bool]) -> None:
        data, replay = item
        await self.handle(data, replay)

    # ---- handling ---------------------------------------------------------------------------

    async def handle(self, data: dict[str, Any], replay: bool = False) -> None:
        update_id = int(data["update_id"])
        incoming = self._read(data)
        if incoming.kind is Kind.IGNORE or not is_telegram_id(incoming.chat_id):
            await self._db(telegram_updates.mark_handled, update_id)
            return
        chat = self._chat(incoming.chat_id)
        await self._db(self._begin, update_id, incoming, chat)
        if incoming.kind in (Kind.NOTICE, Kind.BLOCKED):
            return
        text, metadata, picked = await self._message_for_rasa(update_id, incoming, chat, replay)
        if text is None:
            await self._db(telegram_updates.mark_handled, update_id)
            return
        replies = await self._converse(chat.sender_id, text, metadata)
        await self._db(self._finish, update_id, chat, replies, picked)

    @staticmethod
    def _read(data: dict[str, Any]) -> Incoming:
        """What the update asks. Anyone can post any JSON here with the secret leaked, and
        python-telegram-bot fails on broken fields in many ways (a date past the year 9999,
        a list where an object belongs), so any failure falls back to a plain reading.
        """
        try:
            return read_update(Update.de_json(data, None))
        except Exception:
            return read_unparsed(data)

    def _chat(self, chat_id: int) -> Chat:
        key = self.settings.participant_id_key
        return Chat(
            chat_id=chat_id,
            recipient=chat_participant_id(chat_id, key),
            sender_id=chat_sender_id(chat_id, key),
            address=self.cipher.seal_chat(chat_id),
        )

    def _begin(self, session: Session, update_id: int, incoming: Incoming, chat: Chat) -> None:
        """Queue the quick replies; a notice or a block finishes the update here."""
        items: list[outbox.Outgoing] = []
        if incoming.callback_query_id:
            items.append(
                outbox.Outgoing(
                    "answerCallbackQuery",
                    {"callback_query_id": incoming.callback_query_id},
                    f"telegram-update:{update_id}:answer",
                )
            )
        if incoming.kind in (Kind.MESSAGE, Kind.BUTTON, Kind.VOICE):
            stale = {
                incoming.keyboard_message_id,
                telegram_buttons.take_live_keyboard(session, chat.recipient),
            }
            items += [take_buttons_away(chat.recipient, item) for item in sorted(stale - {None})]
        if incoming.notice:
            items.append(
                outbox.Outgoing(
                    "sendMessage",
                    {"text": words(incoming.notice, self._language(session, chat))},
                    f"telegram-update:{update_id}:notice",
                )
            )
        if incoming.kind is Kind.BLOCKED:
            telegram_addresses.mark_unreachable(session, chat.recipient)
        outbox.enqueue(session, CHANNEL, chat.recipient, items, chat.address)
        if incoming.kind in (Kind.NOTICE, Kind.BLOCKED):
            telegram_updates.mark_handled(session, update_id)
        else:
            telegram_updates.mark_handling(session, update_id)

    async def _message_for_rasa(
        self, update_id: int, incoming: Incoming, chat: Chat, replay: bool
    ) -> tuple[str | None, dict[str, Any] | None, str | None]:
        """The text (or payload) for Rasa, its metadata, and the title of a tapped button."""
        if replay:
            return REPEAT, None, None
        if incoming.kind is Kind.BUTTON:
            payload = await self._db(self._payload_for_button, incoming.text)
            if payload is None:
                return REPEAT, None, None
            return payload, None, incoming.picked
        if incoming.kind is Kind.VOICE and incoming.voice is not None:
            note_id = await self._keep_voice_note(incoming.voice, chat, update_id)
            if note_id is None:
                return None, None, None
            return VOICE_NOTE, {"voice_note": note_id}, None
        return incoming.text, None, None

    @staticmethod
    def _payload_for_button(session: Session, data: str) -> str | None:
        if callback_data.is_token(data):
            return telegram_buttons.payload_for(session, data)
        return data if data.startswith("/") else None

    async def _keep_voice_note(self, voice: VoiceFile, chat: Chat, update_id: int) -> int | None:
        """Fetch the audio and hold it for the conversation; on a problem, tell the person."""
        too_long = (voice.duration_seconds or 0) > MAX_VOICE_SECONDS or (
            voice.size_bytes or 0
        ) > MAX_VOICE_BYTES
        audio = None
        if not too_long:
            audio = await self._download(voice.file_id)
            too_long = audio is not None and len(audio) > MAX_VOICE_BYTES
        if audio is None or too_long:
            notice = "utter_voice_note_too_long" if too_long else "utter_voice_note_failed"
            await self._db(self._say, chat, notice, f"telegram-update:{update_id}:notice")
            return None
        return await self._db(
            voice_notes.keep_pending,
            chat.recipient,
            audio,
            voice.mime_type,
            voice.duration_seconds,
        )

    async def _download(self, file_id: str) -> bytes | None:
        try:
            bot = await self._get_bot()
            telegram_file = await bot.get_file(file_id)
            return bytes(await telegram_file.download_as_bytearray())
        except TelegramError:
            logger.warning("A voice note could not be fetched from the Bot API.", exc_info=True)
            return None

    async def _get_bot(self) -> Bot:
        async with self._bot_lock:
            if self._bot is None:
                bot = make_bot(self.settings)
                await bot.initialize()
                self._bot = bot
            return self._bot

    def _say(self, session: Session, chat: Chat, notice: str, key: str) -> None:
        text = words(notice, self._language(session, chat))
        outbox.enqueue(
            session,
            CHANNEL,
            chat.recipient,
            [outbox.Outgoing("sendMessage", {"text": text}, key)],
            chat.address,
        )

    @staticmethod
    def _language(session: Session, chat: Chat) -> str:
        participant = get_participant(session, chat.recipient)
        return participant.language if participant is not None else ENGLISH

    async def _converse(
        self, sender_id: str, text: str, metadata: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        """What Rasa said; nothing if it failed, so the person is told sorry, not left waiting."""
        try:
            return await self.converse(sender_id, text, metadata)
        except Exception:
            logger.exception("Rasa could not handle a Telegram message.")
            return []

    def _finish(
        self,
        session: Session,
        update_id: int,
        chat: Chat,
        replies: list[dict[str, Any]],
        picked: str | None,
    ) -> None:
        """Queue Rasa's replies as Telegram messages and mark the update handled, together."""
        language = self._language(session, chat)
        messages = from_rasa(replies, words("utter_pick_one", language))
        if not messages:
            messages = [TelegramMessage(words("utter_something_went_wrong", language))]
        if picked:
            messages = with_preface(messages, words("utter_you_picked", language, choice=picked))

        def data_for(payload: str) -> str:
            data, must_store = callback_data.encode(payload)
            if must_store:
                telegram_buttons.remember_payload(session, data, payload)
            return data

        items = [
            outbox.Outgoing("sendMessage", body, f"telegram-update:{update_id}:reply:{index}")
            for index, body in enumerate(message_bodies(messages, data_for))
        ]
        outbox.enqueue(session, CHANNEL, chat.recipient, items, chat.address)
        self._keep_address(session, chat)
        telegram_updates.mark_handled(session, update_id)

    def _keep_address(self, session: Session, chat: Chat) -> None:
        """Keep where to reach someone only while they want to hear what happens."""
        participant = get_participant(session, chat.recipient)
        if participant is not None and participant.consent_updates:
            telegram_addresses.save_address(session, chat.recipient, chat.chat_id, self.cipher)
        else:
            telegram_addresses.delete_address(session, chat.recipient)

    # ---- database ---------------------------------------------------------------------------

    async def _db(self, work: Callable[..., Result], *arguments: Any) -> Result:
        """Run store work in a thread, so a busy database never stalls the Rasa server."""
        return await asyncio.to_thread(self._in_session, work, *arguments)

    def _in_session(self, work: Callable[..., Result], *arguments: Any) -> Result:
        with session_scope(self.engine or get_engine()) as session:
            return work(session, *arguments)

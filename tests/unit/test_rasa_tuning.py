"""The fixes Sayso puts into Rasa's message path give exactly what Rasa's own code gives."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import yaml
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import SQLTrackerStore
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig
from spacy.tokens import Doc
from sqlalchemy.pool import QueuePool

from bot import PROJECT_ROOT
from bot.nlp import get_nlp
from bot.nlu.spacy_entities import SpacyEntitiesOnly
from bot.ops import rasa_tuning
from bot.ops.tracker_store import SaysoTrackerStore
from bot.store.database import sqlite_file_engine_options

GOOD_REPLY = {
    "events": [{"event": "slot", "name": "language", "value": "pl", "timestamp": None}],
    "responses": [{"text": "Hi", "buttons": [{"title": "Yes", "payload": "/affirm"}]}],
}
BAD_REPLIES = [
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": "not a list"},
    {"events": "not a list"},
]


def rasa_error(reply: dict) -> str:
    with pytest.raises(ValidationError) as raised:
        RemoteAction("action_take_turn", None)._validate_action_result(reply)
    return raised.value.message


def test_a_good_action_reply_is_accepted() -> None:
    assert rasa_tuning.validate_action_reply(RemoteAction("action_take_turn", None), GOOD_REPLY)


@pytest.mark.parametrize("reply", BAD_REPLIES)
def test_a_bad_action_reply_is_refused_with_rasas_own_message(reply: dict) -> None:
    expected = rasa_error(reply)
    with pytest.raises(ValidationError) as raised:
        rasa_tuning.validate_action_reply(RemoteAction("action_take_turn", None), reply)
    assert raised.value.message == expected


def test_every_event_name_reads_back_as_the_class_rasa_would_choose() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)} | {"topic"}
    for name in names:
        assert rasa_tuning.event_class(name) is rasa_tuning.rasa_event_class(name)


def test_an_unknown_event_name_fails_as_in_rasa() -> None:
    with pytest.raises(ValueError, match="Unknown event name"):
        rasa_tuning.event_class("no_such_event")
    assert rasa_tuning.event_class("no_such_event", Event) is Event


def test_sqlite_files_keep_connections_open_but_memory_databases_do_not() -> None:
    assert sqlite_file_engine_options("sqlite:////tmp/tracker.db")["poolclass"] is QueuePool
    assert sqlite_file_engine_options("sqlite://") == {}
    assert sqlite_file_engine_options("sqlite:///:memory:") == {}
    assert sqlite_file_engine_options("postgresql://sayso@localhost/sayso") == {}


PHONE_TEXTS = [
    "my bag got nicked while i was asleep",
    "there's no point ringing them, they never answer",
    "ask Sarah at St Mungo's about the room in Leeds",
    "I sleep by the Tyne Bridge in Newcastle. Its freezing",
    "it opens at 10 but i have to be at the jobcentre at 9 so i miss everything",
    "My name is John Smith and I live at 9 Mill Close",
]


#: The entity kinds config.yml keeps.
ENTITY_KINDS = next(
    part["dimensions"]
    for part in yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())["pipeline"]
    if part["name"].endswith("SpacyEntitiesOnly")
)


def tokens_of(doc: Doc) -> list[tuple[str, int, str, str, str]]:
    """What Rasa's spaCy tokenizer keeps from a doc: text, position, lemma and tag."""
    return [(token.text, token.idx, token.lemma_, token.tag_, token.pos_) for token in doc]


def test_the_tokens_pass_gives_the_same_tokens_lemmas_and_tags() -> None:
    nlp = get_nlp()
    component = SpacyNLP(SpacyModel(nlp, "sayso"), {"case_sensitive": False})
    for text in PHONE_TEXTS:
        tuned = rasa_tuning.tokens_doc(component, nlp, text)
        assert tokens_of(tuned) == tokens_of(nlp(text.lower()))


def test_the_entity_pass_finds_the_same_entities_as_rasas_own_extractor() -> None:
    model = SpacyModel(get_nlp(), "sayso")
    config = {**SpacyEntityExtractor.get_default_config(), "dimensions": ENTITY_KINDS}
    ours, rasas = SpacyEntitiesOnly(config), SpacyEntityExtractor(config)
    for text in PHONE_TEXTS:
        found = [
            [
                {key: value for key, value in entity.items() if key != "extractor"}
                for entity in extractor.process([Message({TEXT: text})], model)[0].get(ENTITIES, [])
            ]
            for extractor in (ours, rasas)
        ]
        assert found[0] == found[1], text
    assert any(
        ours.process([Message({TEXT: text})], model)[0].get(ENTITIES) for text in PHONE_TEXTS
    )


def test_calls_to_the_action_server_share_a_connection_and_keep_their_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(EndpointConfig, "session", rasa_tuning.kept_client)
    seen: list[tuple[object, str | None, str | None]] = []

    async def answer(request: web.Request) -> web.Response:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        seen.append((peer, request.headers.get("X-Service"), request.headers.get("Authorization")))
        return web.json_response({"events": [], "responses": []})

    async def three_calls() -> list[object]:
        app = web.Application()
        app.router.add_post("/webhook", answer)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        endpoint = EndpointConfig(
            f"http://127.0.0.1:{port}/webhook",
            headers={"X-Service": "day-centre"},
            basic_auth={"username": "rasa", "password": "secret"},
        )
        try:
            return [await endpoint.request(json={"next_action": "x"}) for _ in range(3)]
        finally:
            for client in endpoint.__dict__["_sayso_clients"].values():
                await client.close()
            await runner.cleanup()

    replies = asyncio.run(three_calls())

    assert replies == [{"events": [], "responses": []}] * 3
    assert len({peer for peer, _, _ in seen}) == 1
    assert {(service, auth) for _, service, auth in seen} == {
        ("day-centre", aiohttp.BasicAuth("rasa", "secret").encode())
    }


@dataclass(frozen=True)
class LoadedModel:
    """The one thing the parse memory reads from Rasa's message processor."""

    model_id: str


@dataclass
class Processor:
    model_metadata: LoadedModel


class CountingParse:
    """Stands for Rasa's language pipeline: a fresh parse of the text, counted."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(
        self, _processor: object, message: UserMessage, _tracker: object, _only_output: bool
    ) -> dict:
        self.texts.append(message.text)
        return {"text": message.text, "intent": {"name": "affirm", "confidence": 0.99}}


def parse(memory: rasa_tuning.ParseMemory, text: str, model: str = "model-1") -> dict:
    tracker = DialogueStateTracker.from_events("person", [])
    return memory(Processor(LoadedModel(model)), UserMessage(text), tracker, True)


def test_a_short_text_is_parsed_once_and_every_message_gets_its_own_copy() -> None:
    pipeline = CountingParse()
    memory = rasa_tuning.ParseMemory(pipeline)

    first = parse(memory, "yes")
    first["intent"]["name"] = "changed by whoever read it"
    second = parse(memory, "yes")

    assert pipeline.texts == ["yes"]
    assert second == {"text": "yes", "intent": {"name": "affirm", "confidence": 0.99}}


def test_a_new_model_parses_the_same_text_again() -> None:
    pipeline = CountingParse()
    memory = rasa_tuning.ParseMemory(pipeline)
    parse(memory, "yes", model="model-1")
    parse(memory, "yes", model="model-2")
    assert pipeline.texts == ["yes", "yes"]


def test_a_persons_longer_words_are_parsed_every_time_and_not_kept() -> None:
    pipeline = CountingParse()
    memory = rasa_tuning.ParseMemory(pipeline)
    words = "the dinners are cold by the time the late shift gets back from work"
    parse(memory, words)
    parse(memory, words)
    assert pipeline.texts == [words, words]
    assert not memory.parses


def test_the_text_used_least_recently_is_forgotten_first() -> None:
    pipeline = CountingParse()
    memory = rasa_tuning.ParseMemory(pipeline, size=2)
    for text in ("yes", "no", "yes", "dinner", "yes", "no"):
        parse(memory, text)
    assert pipeline.texts == ["yes", "no", "dinner", "no"]


def turn(moment: float, text: str, intent: str) -> list[Event]:
    """One message and Sayso's answer, as Rasa records them."""
    return [
        UserUttered(text, {"name": intent, "confidence": 0.99}, timestamp=moment),
        ActionExecuted("action_take_turn", timestamp=moment + 0.1),
        BotUttered("Thank you.", timestamp=moment + 0.2),
        SlotSet("language", "en", timestamp=moment + 0.3),
        ActionExecuted("action_listen", timestamp=moment + 0.4),
    ]


def session_start(moment: float) -> list[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=moment),
        SessionStarted(timestamp=moment + 0.01),
        ActionExecuted("action_listen", timestamp=moment + 0.02),
    ]


class StoreUse:
    """Reads and saves through one tracker store: Rasa's own, or Sayso's."""

    def __init__(self, store: SQLTrackerStore) -> None:
        self.store = store

    async def retrieve(self, sender: str) -> DialogueStateTracker | None:
        return await self.store.retrieve(sender)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.store.save(tracker)

    def rows(self) -> list[tuple]:
        with self.store.engine.connect() as connection:
            return connection.exec_driver_sql(
                "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                "FROM events ORDER BY id"
            ).fetchall()


def tracker_store(path: Path, tuned: bool) -> StoreUse:
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    if tuned:
        return StoreUse(SaysoTrackerStore(domain, host=f"sqlite:///{path}"))
    return StoreUse(SQLTrackerStore(domain, dialect="sqlite", db=str(path)))


async def two_sessions(use: StoreUse) -> list[list[dict]]:
    """A person's first session of two turns, then a second session a day later."""
    tracker = DialogueStateTracker.from_events("person", session_start(1.0))
    await use.save(tracker)
    read_back: list[list[dict]] = []
    for events in [
        turn(10.0, "hi", "greet"),
        turn(20.0, "yes", "affirm"),
        session_start(90000.0) + turn(90001.0, "hello again", "greet"),
    ]:
        tracker = await use.retrieve("person")
        assert tracker is not None
        for new in events:
            tracker.update(new)
        await use.save(tracker)
        read_back.append([stored.as_dict() for stored in tracker.events])
    again = await use.retrieve("person")
    assert again is not None
    read_back.append([stored.as_dict() for stored in again.events])
    return read_back


def test_the_tuned_tracker_store_writes_and_reads_exactly_what_rasas_own_does(
    tmp_path: Path,
) -> None:
    own = tracker_store(tmp_path / "own.db", tuned=False)
    tuned = tracker_store(tmp_path / "tuned.db", tuned=True)

    own_read, tuned_read = asyncio.run(two_sessions(own)), asyncio.run(two_sessions(tuned))

    assert tuned.rows() == own.rows()
    assert len(tuned.rows()) == 3 + 5 + 5 + 3 + 5
    assert tuned_read == own_read
    latest_session = tuned_read[-1]
    assert latest_session[0]["event"] == "session_started"
    assert [event["text"] for event in latest_session if event["event"] == "user"] == [
        "hello again"
    ]


def test_sayso_tracker_store_keeps_connections_open_with_sayso_pragmas(tmp_path: Path) -> None:
    """What makes it quicker and what makes erasure reach the disk, on Rasa's own store."""
    store = tracker_store(tmp_path / "tracker.db", tuned=True).store
    assert isinstance(store.engine.pool, QueuePool)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_events_erased_during_a_turn_are_not_written_back(tmp_path: Path) -> None:
    use = tracker_store(tmp_path / "tracker.db", True)

    async def erased_mid_turn() -> None:
        await use.save(DialogueStateTracker.from_events("person", session_start(1.0)))
        tracker = await use.retrieve("person")
        assert tracker is not None
        for new in turn(10.0, "delete my data", "delete_data"):
            tracker.update(new)
        with use.store.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM events WHERE sender_id = 'person'")
        await use.save(tracker)

    asyncio.run(erased_mid_turn())

    assert [row[1] for row in use.rows()] == ["user", "action", "bot", "slot", "action"]


# ---- the guard: never run on a Rasa the fixes were not written for --------------------------


def test_every_fix_finds_its_target_in_the_installed_rasa() -> None:
    import rasa

    rasa_tuning.check_rasa(rasa.__version__, rasa_tuning.replacements())


def test_another_rasa_version_is_refused_in_plain_words() -> None:
    with pytest.raises(rasa_tuning.RasaMismatch) as refused:
        rasa_tuning.check_rasa("3.7.0", rasa_tuning.replacements())
    assert str(refused.value) == (
        "Sayso needs Rasa 3.6.21, but Rasa 3.7.0 is installed. "
        "Run `make install` to put back the versions in requirements/lock.txt."
    )


def test_a_missing_target_is_named() -> None:
    fixes = [*rasa_tuning.replacements(), (SQLTrackerStore, "_renamed_in_a_new_rasa", None)]
    with pytest.raises(rasa_tuning.RasaMismatch) as refused:
        rasa_tuning.check_rasa(rasa_tuning.RASA_VERSION, fixes)
    named = "Rasa 3.6.21 has no SQLTrackerStore._renamed_in_a_new_rasa."
    assert str(refused.value).startswith(named)


def test_the_rasa_server_stops_with_the_message_and_nothing_patched() -> None:
    """Another Rasa cannot be installed here, so the version Rasa reports is changed."""
    script = (
        "import rasa; rasa.__version__ = '3.7.0'\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "stock = RemoteAction._validate_action_result\n"
        "from bot.ops import rasa_server\n"
        "try:\n"
        "    rasa_server.main()\n"
        "finally:\n"
        "    assert RemoteAction._validate_action_result is stock\n"
    )
    stopped = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert stopped.returncode == 1
    assert stopped.stderr.strip().endswith(
        "Sayso cannot start Rasa. Sayso needs Rasa 3.6.21, but Rasa 3.7.0 is installed. "
        "Run `make install` to put back the versions in requirements/lock.txt."
    )
    assert "Traceback" not in stopped.stderr

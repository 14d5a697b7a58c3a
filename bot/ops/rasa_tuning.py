"""Behaviour-preserving fixes to the slow parts of Rasa 3.6's message path, measured with cProfile.

`bot.ops.rasa_server` applies them in the Rasa server process before it starts. Each one gives
the same result as Rasa's own code, only sooner (figures from `make bench` on 2 cores):

- Action replies: Rasa calls `jsonschema.validate` on every custom-action reply, which first
  checks Rasa's own fixed schema against the JSON Schema meta-schema: about 19 ms a message.
  The schema is now checked once; each reply is validated as before, with the same error.
- Tracker store: not a patch. endpoints.yml names Sayso's own subclass of Rasa's SQL tracker
  store (bot/ops/tracker_store.py); its start-up check is made here with the others.
- Stored events: reading a conversation turns each event's name into its class by walking
  every subclass of `Event`, for every event, so it grew with the conversation. The class for
  a name never changes while Rasa runs, so each name is looked up once.
- Action calls: Rasa made a new HTTP client, and a new connection, for every call to the
  action server. Each endpoint now keeps one client per event loop, with the same headers,
  auth and timeout, and reuses its connections for up to 2 seconds: under the action server's
  own 5-second keep-alive, so Rasa never sends on a connection the server is closing.
- spaCy: Rasa ran the whole spaCy pipeline twice a message, once for tokens and lemmas and
  once for named entities. The tokens pass now skips the entity recogniser, whose output it
  never reads (the parser stays: its dependencies decide some lemmas). Tokens, tags and lemmas
  are unchanged. (The entity pass is a component of Sayso's own, bot/nlu/spacy_entities.py.
  This one stays a patch: Rasa 3.6's recipe finds the spaCy model by the class name
  `SpacyNLP`, so a tuned component in its place would have to take over that name.)
- Loading: to load a DIET model, Rasa trains a new one for one step on an example, which
  builds its layers, then puts the saved weights in: 35 of the 44 seconds Rasa took to
  start. The layers are now built by one prediction (which Rasa makes next anyway), each
  saved weight going in as its layer is built, and loading fails if a weight is not found.
  On the 1,410 texts in data/nlu, every intent, confidence and entity was the same.
- Parsing: the language pipeline (spaCy, features, DIET) gives the same result for the same
  text while the same model is loaded, and was half of Rasa's time for each message. People
  send the same short messages again and again ("yes", "no", a button's payload), so each
  short text is parsed once per model and the result copied after that. The texts stay only
  in this process's memory, as the conversations do, and the oldest are forgotten first.
"""

from __future__ import annotations

import asyncio
import copy
from collections import OrderedDict
from collections.abc import Callable
from functools import cache
from typing import Any

import aiohttp
import rasa
import tensorflow as tf
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import SQLTrackerStore
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel
from spacy.language import Language
from spacy.tokens import Doc

from bot.ops import tracker_store as sayso_tracker_store

ENTITY_RECOGNISER = "ner"
#: Idle connections to an endpoint are closed after this long: under Sanic's 5 seconds.
KEEPALIVE_SECONDS = 2.0
#: How many parsed texts each Rasa process remembers, and the longest text it remembers:
#: longer messages are a person's own words, seldom sent twice.
REMEMBERED_PARSES = 4096
REMEMBERED_TEXT_CHARS = 60

rasa_event_class = Event.resolve_by_type
rasa_parse = MessageProcessor._parse_message_with_graph
rasa_model_load = RasaModel.load.__func__  # type: ignore[attr-defined]


# ---- action replies -----------------------------------------------------------------------


@cache
def action_reply_validator() -> Validator:
    """Rasa's schema for action-server replies, checked once and ready to validate with."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_reply(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result`, without re-checking the fixed schema each time."""
    error = best_match(action_reply_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        "the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


# ---- action calls -----------------------------------------------------------------------------


class KeptClient:
    """Stands where Rasa opens a new `aiohttp.ClientSession` for one request, and hands out
    the endpoint's open one instead; leaving the `async with` leaves it open."""

    def __init__(self, client: aiohttp.ClientSession) -> None:
        self.client = client

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.client

    async def __aexit__(self, *_exc: object) -> None:
        return None


def kept_client(endpoint: EndpointConfig) -> KeptClient:
    """`EndpointConfig.session`, made once per endpoint and event loop and then reused."""
    loop = asyncio.get_running_loop()
    clients: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = endpoint.__dict__.setdefault(
        "_sayso_clients", {}
    )
    client = clients.get(loop)
    if client is None or client.closed:
        basic = endpoint.basic_auth
        client = aiohttp.ClientSession(
            headers=endpoint.headers,
            auth=aiohttp.BasicAuth(basic["username"], basic["password"]) if basic else None,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        clients[loop] = client
    return KeptClient(client)


# ---- stored events ----------------------------------------------------------------------------


@cache
def known_event_class(type_name: str) -> type[Event] | None:
    """The event class with this name, or None when Rasa has no such event."""
    try:
        return rasa_event_class(type_name)
    except ValueError:
        return None


def event_class(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """`Event.resolve_by_type`, remembering each name that Rasa knows."""
    return known_event_class(type_name) or rasa_event_class(type_name, default)


# ---- spaCy ------------------------------------------------------------------------------------


def tokens_doc(component: SpacyNLP, model: Language, text: str | None) -> Doc:
    """`SpacyNLP._doc_for_text` without the entity recogniser: the tokenizer reads no entity."""
    return model(component._preprocess_text(text), disable=[ENTITY_RECOGNISER])


# ---- loading ----------------------------------------------------------------------------------


def load_for_prediction(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load`, building the layers with one prediction instead of a training step."""
    if finetune_mode or predict_data_example is None:
        return rasa_model_load(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
            *args, **kwargs,
        )  # fmt: skip
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
        run_eagerly=config.get(RUN_EAGERLY),
    )
    saved = model.load_weights(model_file_name)
    model.run_inference(predict_data_example)
    saved.assert_existing_objects_matched()
    saved.expect_partial()  # the optimiser's saved state is for training on
    return model


# ---- parsing ----------------------------------------------------------------------------------


Parse = Callable[[MessageProcessor, UserMessage, DialogueStateTracker, bool], dict[str, Any]]


class ParseMemory:
    """The parse of each short text, per model, forgetting the least recently used first."""

    def __init__(self, parse: Parse, size: int = REMEMBERED_PARSES) -> None:
        self.rasa_parse = parse
        self.size = size
        self.parses: OrderedDict[tuple[str, str, bool], dict[str, Any]] = OrderedDict()

    def __call__(
        self,
        processor: MessageProcessor,
        message: UserMessage,
        tracker: DialogueStateTracker,
        only_output_properties: bool = True,
    ) -> dict[str, Any]:
        """`MessageProcessor._parse_message_with_graph`, run once for each short text."""
        text = message.text
        if not isinstance(text, str) or len(text) > REMEMBERED_TEXT_CHARS:
            return self.rasa_parse(processor, message, tracker, only_output_properties)
        key = (processor.model_metadata.model_id, text, only_output_properties)
        remembered = self.parses.get(key)
        if remembered is None:
            remembered = self.rasa_parse(processor, message, tracker, only_output_properties)
            self.parses[key] = remembered
            if len(self.parses) > self.size:
                self.parses.popitem(last=False)
        else:
            self.parses.move_to_end(key)
        return copy.deepcopy(remembered)


parse_memory = ParseMemory(rasa_parse)


def parse_with_graph(
    processor: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    """`MessageProcessor._parse_message_with_graph`, through the memory above."""
    return parse_memory(processor, message, tracker, only_output_properties)


#: The Rasa these fixes were written for and checked against. Each one replaces a function by
#: name, so another version could rename a target, or change what it does, without an error.
RASA_VERSION = "3.6.21"


class RasaMismatch(RuntimeError):
    """The installed Rasa is not the one these fixes were written for; the message says so."""


def replacements() -> list[tuple[object, str, object]]:
    """Each fix as (where it goes, the name it replaces, the replacement)."""
    return [
        (RemoteAction, "_validate_action_result", validate_action_reply),
        (EndpointConfig, "session", kept_client),
        (Event, "resolve_by_type", staticmethod(event_class)),
        (SpacyNLP, "_doc_for_text", tokens_doc),
        (MessageProcessor, "_parse_message_with_graph", parse_with_graph),
        (RasaModel, "load", classmethod(load_for_prediction)),
    ]


def check_rasa(version: str, fixes: list[tuple[object, str, object]]) -> None:
    """Refuse to start on a Rasa these fixes were not written for, or one missing a target:
    Sayso must never run half-fixed, or silently without them."""
    if version != RASA_VERSION:
        raise RasaMismatch(
            f"Sayso needs Rasa {RASA_VERSION}, but Rasa {version} is installed. "
            "Run `make install` to put back the versions in requirements/lock.txt."
        )
    needed = [(owner, name) for owner, name, _ in fixes]
    needed += [(SQLTrackerStore, name) for name in sayso_tracker_store.RELIES_ON]
    missing = [
        f"{getattr(owner, '__name__', owner)}.{name}"
        for owner, name in needed
        if not hasattr(owner, name)
    ]
    if missing:
        raise RasaMismatch(
            f"Rasa {version} has no {', '.join(missing)}. Sayso's changes to Rasa "
            "(bot/ops/rasa_tuning.py) must be checked against this Rasa before it can run."
        )


def apply() -> None:
    """Put every fix above in place; call once, before Rasa loads the model.

    Raises RasaMismatch, having changed nothing, when Rasa is not the version they are for."""
    fixes = replacements()
    check_rasa(rasa.__version__, fixes)
    for owner, name, replacement in fixes:
        setattr(owner, name, replacement)

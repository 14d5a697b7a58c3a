"""Generated inputs for fuzzing Sayso's HTTP endpoints, shared by the tests and the bench scripts.

The REST channel gets message texts and request bodies; the Telegram webhook gets updates as
people send them, the same updates broken field by field, kinds of update Sayso does not
handle, and bodies that are not updates at all.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

#: Any text a phone or a broken client might send: control characters, emoji, other scripts.
message_texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=6000
)

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=200),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=20,
)


def _nested(opener: str, depth: int) -> bytes:
    closer = {"[": "]", '{"a":': "}"}[opener]
    return f"{opener * depth}1{closer * depth}".encode()


#: JSON nested deeper than Python's own parser can follow (it stops near 1,000 levels).
_deeply_nested = st.builds(
    _nested, st.sampled_from(["[", '{"a":']), st.integers(min_value=500, max_value=200_000)
)

#: Request bodies: well-formed with wrong types, nested too deep, and bytes that are not JSON.
rest_bodies = st.one_of(
    st.builds(
        lambda sender, message: json.dumps({"sender": sender, "message": message}).encode(),
        _json_values,
        _json_values,
    ),
    st.builds(lambda value: json.dumps(value).encode(), _json_values),
    st.builds(lambda nested: b'{"sender": "deep", "message": ' + nested + b"}", _deeply_nested),
    st.binary(max_size=2000),
)


# ---- Telegram webhook bodies ---------------------------------------------------------------

#: Stand-ins written into a body's JSON, and replaced by a fresh number just before it is sent,
#: so every case has its own update and its own chat whatever Hypothesis replays or shrinks.
UPDATE_ID = "<update-id>"
CHAT_ID = "<chat-id>"
#: The biggest number SQLite and Telegram ids can hold; one past it must be refused politely.
LARGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class WebhookBody:
    """One body for the Telegram webhook, and whether Sayso owes the chat a reply to it.

    A reply is owed for every message a person sends in a private chat: words (of any length,
    with any characters), a photo, sticker, voice note, file, place or contact, and edits.
    """

    kind: str
    content: Any
    answered: bool = False
    ascii_only: bool = True

    def encode(self, update_id: int, chat_id: int) -> bytes:
        if isinstance(self.content, bytes):
            return self.content
        text = json.dumps(self.content, ensure_ascii=self.ascii_only)
        text = text.replace(json.dumps(UPDATE_ID), str(update_id))
        return text.replace(json.dumps(CHAT_ID), str(chat_id)).encode("utf-8")


_names = st.text(max_size=64)
_file_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=40)


def _photo(file_id: str) -> list[dict[str, Any]]:
    return [{"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 90, "height": 90}]


_texts = st.one_of(
    message_texts,
    st.sampled_from(["/start", "/help", "/delete", "/repeat", "/start hostel-food", "/stop"]),
)
#: What a person can send in a private chat, as the "message" object's content fields.
_message_contents = st.one_of(
    st.builds(lambda text: {"text": text}, _texts),
    st.builds(
        lambda file_id, caption: {"photo": _photo(file_id), "caption": caption},
        _file_ids,
        message_texts,
    ),
    st.builds(lambda file_id: {"photo": _photo(file_id)}, _file_ids),
    st.builds(
        lambda file_id: {
            "sticker": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        _file_ids,
    ),
    st.builds(
        lambda file_id, seconds: {
            "voice": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "duration": seconds,
                "mime_type": "audio/ogg",
            }
        },
        _file_ids,
        st.integers(min_value=0, max_value=100_000),
    ),
    st.builds(
        lambda file_id, name: {
            "document": {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name}
        },
        _file_ids,
        _names,
    ),
    st.builds(
        lambda lat, lon: {"location": {"latitude": lat, "longitude": lon}},
        st.floats(min_value=-90, max_value=90),
        st.floats(min_value=-180, max_value=180),
    ),
    st.builds(
        lambda phone, name: {"contact": {"phone_number": phone, "first_name": name}},
        st.text(alphabet="0123456789+ ", min_size=1, max_size=20),
        _names,
    ),
    st.builds(lambda value: {"dice": {"emoji": "🎲", "value": value}}, st.integers(1, 6)),
)


def _message(content: dict[str, Any], first_name: str) -> dict[str, Any]:
    return {
        "message_id": 1,
        "from": {"id": CHAT_ID, "is_bot": False, "first_name": first_name},
        "chat": {"id": CHAT_ID, "type": "private", "first_name": first_name},
        "date": 1_790_000_000,
        **content,
    }


def _person_update(content: dict[str, Any], first_name: str, edited: bool) -> dict[str, Any]:
    message = _message(content, first_name)
    if edited:
        message["edit_date"] = 1_790_000_100
    return {"update_id": UPDATE_ID, "edited_message" if edited else "message": message}


_person_updates = st.builds(_person_update, _message_contents, _names, st.booleans())

#: Messages a person sends in a private chat: each is owed a reply.
answered_bodies = st.builds(
    lambda update, ascii_only: WebhookBody("person", update, True, ascii_only),
    _person_updates,
    st.booleans(),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value a field could be dropped or changed."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


_odd_values = st.one_of(
    _json_values,
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([LARGEST_ID, LARGEST_ID + 1, -LARGEST_ID - 2, 0, -1, 1e308, "", True]),
    st.builds(
        lambda text, times: text * times, st.text(min_size=1, max_size=8), st.integers(2_000, 8_000)
    ),
    st.text(alphabet=st.characters(max_codepoint=31), max_size=200),
)


@st.composite
def _broken_updates(draw: st.DrawFn) -> WebhookBody:
    """A person's message with one field dropped or given a value of the wrong kind."""
    update = copy.deepcopy(draw(_person_updates))
    path = draw(st.sampled_from(_paths(update)))
    *parents, last = path
    holder: Any = update
    for step in parents:
        holder = holder[step]
    if isinstance(holder, dict) and draw(st.booleans()):
        del holder[last]
        kind = f"missing {'.'.join(map(str, path))}"
    else:
        holder[last] = draw(_odd_values)
        kind = f"wrong {'.'.join(map(str, path))}"
    return WebhookBody(kind, update)


_kinds_of_update = st.one_of(
    st.sampled_from([
        "message_reaction", "message_reaction_count", "business_message", "poll_answer",
        "chat_join_request", "chat_boost", "purchased_paid_media", "channel_post",
        "inline_query", "shipping_query", "pre_checkout_query", "callback_query",
        "my_chat_member", "chat_member", "deleted_business_messages", "message",
    ]),
    st.text(max_size=30),
)  # fmt: skip

#: Updates of kinds Sayso does not handle, or never heard of, with any content.
unknown_kind_bodies = st.builds(
    lambda kind, value: WebhookBody(f"kind {kind[:30]!r}", {"update_id": UPDATE_ID, kind: value}),
    _kinds_of_update,
    _json_values,
)


def _group_update(text: str, is_bot: bool) -> dict[str, Any]:
    message = _message({"text": text}, "Alex")
    message["chat"] = {"id": -1_000_000_001, "type": "group", "title": "Day centre"}
    message["from"]["is_bot"] = is_bot
    return {"update_id": UPDATE_ID, "message": message}


def _button_tap(data: str) -> dict[str, Any]:
    return {
        "update_id": UPDATE_ID,
        "callback_query": {
            "id": "query-1",
            "from": {"id": CHAT_ID, "is_bot": False, "first_name": "Sam"},
            "message": _message({"text": "…"}, "Sam"),
            "chat_instance": "instance-1",
            "data": data,
        },
    }


#: Bodies no real Telegram would send, or not for a person: each must be refused or ignored
#: without a server error, and must never stop the next person's message being answered.
unanswered_bodies = st.one_of(
    _broken_updates(),
    unknown_kind_bodies,
    st.builds(
        lambda text, is_bot: WebhookBody("group or bot", _group_update(text, is_bot)),
        message_texts,
        st.booleans(),
    ),
    st.builds(lambda data: WebhookBody("button", _button_tap(data)), st.text(max_size=300)),
    st.builds(
        lambda update_id: WebhookBody("update id", {"update_id": update_id, "message": {}}),
        _odd_values,
    ),
    st.builds(lambda value: WebhookBody("json", value), _json_values),
    st.builds(lambda raw: WebhookBody("bytes", raw), st.binary(max_size=2000)),
    st.builds(
        lambda nested: WebhookBody("deep", b'{"update_id": 1, "message": ' + nested + b"}"),
        _deeply_nested,
    ),
)

#: Everything the webhook may be sent: half of it messages people send, half of it not.
webhook_bodies = st.booleans().flatmap(
    lambda from_a_person: answered_bodies if from_a_person else unanswered_bodies
)


def wrong_secrets(right: str) -> st.SearchStrategy[str | None]:
    """Secret headers that are not the right one: missing, empty, near misses, anything."""
    # HTTP cannot carry a header value that starts or ends with a space.
    printable = st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80
    ).map(str.strip)
    return st.one_of(
        st.none(),
        st.just(""),
        st.just(right.upper()),
        st.just(right[:-1]),
        st.just(f"{right}x"),
        printable,
    ).filter(lambda secret: secret != right)

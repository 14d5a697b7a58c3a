"""Generated inputs for fuzzing Sayso's HTTP endpoints, shared by tests and bench/fuzz_rest.py."""

from __future__ import annotations

import json

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

#: Request bodies: well-formed with wrong types, and bytes that are not JSON at all.
rest_bodies = st.one_of(
    st.builds(
        lambda sender, message: json.dumps({"sender": sender, "message": message}).encode(),
        _json_values,
        _json_values,
    ),
    st.builds(lambda value: json.dumps(value).encode(), _json_values),
    st.binary(max_size=2000),
)

"""Redacted answers, worked out once and kept until the answer's text changes.

Finding names and places takes spaCy a few milliseconds an answer; a themed summary shows
hundreds, so each answer is redacted once and the result kept beside it. The hash of the
original text says whether the kept copy is still the answer's: answering again replaces it.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.schema import Response, ResponseRedaction

Redactor = Callable[[list[str]], list[str]]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# One spaCy pipeline serves the whole web process; its threads take turns with it.
_PIPELINE_LOCK = threading.Lock()


def _default_redactor(texts: list[str]) -> list[str]:
    from bot.privacy.redaction import redact_many

    with _PIPELINE_LOCK:
        return redact_many(texts)


def redacted_texts(
    session: Session, responses: Sequence[Response], redactor: Redactor | None = None
) -> dict[int, str]:
    """Response id to its redacted text, redacting (in one batch) only what is not kept yet."""
    if not responses:
        return {}
    ids = [response.id for response in responses]
    kept = {
        row.response_id: row
        for row in session.execute(
            select(ResponseRedaction).where(ResponseRedaction.response_id.in_(ids))
        ).scalars()
    }
    result: dict[int, str] = {}
    stale: list[Response] = []
    for response in responses:
        row = kept.get(response.id)
        if row is not None and row.source_hash == _hash(response.text):
            result[response.id] = row.text
        else:
            stale.append(response)
    if stale:
        fresh = (redactor or _default_redactor)([response.text for response in stale])
        for response, text in zip(stale, fresh, strict=True):
            row = kept.get(response.id)
            if row is None:
                row = ResponseRedaction(response_id=response.id)
                session.add(row)
            row.source_hash = _hash(response.text)
            row.text = text
            result[response.id] = text
        session.flush()
    return result

"""Retention enforced by a job, not a promise: old words are removed after a set number of days.

Answers older than `SAYSO_RETENTION_DAYS` lose their original words. With
`SAYSO_RETENTION_KEEP_REDACTED` (the default) the redacted form stays, so themes and counts
still add up; without it the answers are deleted. Rasa's tracker events older than the same
cutoff are deleted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.privacy.erasure import erase_events_before
from bot.privacy.redaction import redact_many
from bot.store.schema import Response

BATCH_SIZE = 500


@dataclass(frozen=True)
class RetentionReport:
    redacted: int
    deleted: int
    tracker_events_deleted: int


def apply_retention(
    session: Session,
    tracker_url: str,
    days: int,
    keep_redacted: bool,
    now: datetime,
) -> RetentionReport:
    """Remove original words older than `days`; keep redacted words if asked to."""
    cutoff = now - timedelta(days=days)
    old = (
        select(Response)
        .where(Response.created_at < cutoff)
        .where(Response.original_removed_at.is_(None))
    )
    redacted = deleted = 0
    if keep_redacted:
        while batch := list(session.execute(old.limit(BATCH_SIZE)).scalars()):
            for response, text in zip(batch, redact_many([row.text for row in batch]), strict=True):
                response.text = text
                response.original_removed_at = now
            session.flush()
            redacted += len(batch)
    else:
        deleted = session.execute(delete(Response).where(Response.created_at < cutoff)).rowcount
    events = erase_events_before(tracker_url, cutoff.timestamp())
    return RetentionReport(redacted, deleted, events)

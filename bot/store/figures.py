"""Figures about a running Sayso that live in its database, for /metrics and /healthz.

They are read afresh each time they are asked for, so every process that shows them (the web
process, the worker) shows the same numbers, whichever process did the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store import outbox
from bot.store.outcomes import overdue_consultations
from bot.store.schema import OutboxMessage, SafeguardingAlert

#: Why a message could not be sent, from what the sender recorded (`bot.channels.telegram`).
#: The keys are (status, the first three characters of the error).
FAILURE_REASONS = {
    (outbox.UNREACHABLE, "403"): "blocked",
    (outbox.UNREACHABLE, "no "): "no address",
    (outbox.FAILED, "400"): "refused",
}
#: Failed after every retry (network faults, Telegram's server errors), or anything else.
GAVE_UP = "gave up"
ALL_REASONS = (*FAILURE_REASONS.values(), GAVE_UP)


@dataclass(frozen=True)
class OutboxFigures:
    #: Messages queued or being sent.
    backlog: int
    #: How long the oldest of them has been waiting, in seconds (0 when none is).
    oldest_owed_seconds: float
    #: Messages given up on, by reason, among those kept (finished ones go after 30 days).
    failed: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    #: Safeguarding alerts ever raised, by kind of risk; alerts are never deleted.
    alerts_by_category: dict[str, int]
    alerts_unhandled: int
    outbox: OutboxFigures
    consultations_overdue: int


def outbox_figures(session: Session, now: datetime) -> OutboxFigures:
    backlog, oldest = session.execute(
        select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status.in_((outbox.QUEUED, outbox.SENDING))
        )
    ).one()
    failed = dict.fromkeys(ALL_REASONS, 0)
    error_start = func.substr(func.coalesce(OutboxMessage.last_error, ""), 1, 3)
    for status, start, count in session.execute(
        select(OutboxMessage.status, error_start, func.count(OutboxMessage.id))
        .where(OutboxMessage.status.in_((outbox.FAILED, outbox.UNREACHABLE)))
        .group_by(OutboxMessage.status, error_start)
    ):
        failed[FAILURE_REASONS.get((status, start), GAVE_UP)] += count
    age = 0.0 if oldest is None else (now - _aware(oldest, now)).total_seconds()
    return OutboxFigures(backlog=backlog, oldest_owed_seconds=max(age, 0.0), failed=failed)


def _aware(moment: datetime, now: datetime) -> datetime:
    """SQLite gives times back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def read_figures(session: Session, now: datetime) -> Figures:
    by_category = dict(
        session.execute(
            select(SafeguardingAlert.category, func.count(SafeguardingAlert.id)).group_by(
                SafeguardingAlert.category
            )
        ).all()
    )
    unhandled = session.execute(
        select(func.count(SafeguardingAlert.id)).where(SafeguardingAlert.handled_at.is_(None))
    ).scalar_one()
    return Figures(
        alerts_by_category=by_category,
        alerts_unhandled=unhandled,
        outbox=outbox_figures(session, now),
        consultations_overdue=len(overdue_consultations(session, now.date())),
    )

"""Safeguarding alerts and pending tracker erasures."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.schema import SafeguardingAlert, TrackerErasure, utcnow


def raise_alert(
    session: Session,
    participant_id: str | None,
    consultation_id: int | None,
    category: str,
    channel: str,
) -> SafeguardingAlert:
    """Record that someone may be in danger: what kind, when, where; never their words."""
    alert = SafeguardingAlert(
        participant_id=participant_id,
        consultation_id=consultation_id,
        category=category,
        channel=channel,
    )
    session.add(alert)
    session.flush()
    return alert


def alerts_to_notify(session: Session) -> list[SafeguardingAlert]:
    return list(
        session.execute(
            select(SafeguardingAlert)
            .where(SafeguardingAlert.notified_at.is_(None))
            .order_by(SafeguardingAlert.id)
        ).scalars()
    )


def mark_notified(alert: SafeguardingAlert) -> None:
    alert.notified_at = utcnow()


def request_tracker_erasure(session: Session, sender_encrypted: str) -> None:
    session.add(TrackerErasure(sender_encrypted=sender_encrypted))
    session.flush()


def due_tracker_erasures(session: Session, older_than: timedelta) -> list[TrackerErasure]:
    """Erasures whose turn has had time to be saved by Rasa."""
    cutoff: datetime = utcnow() - older_than
    return list(
        session.execute(
            select(TrackerErasure).where(TrackerErasure.requested_at <= cutoff)
        ).scalars()
    )


def forget_erasure(session: Session, erasure: TrackerErasure) -> None:
    session.execute(delete(TrackerErasure).where(TrackerErasure.id == erasure.id))


def recent_alerts(session: Session, limit: int = 200) -> list[SafeguardingAlert]:
    """Newest first, so a duty worker sees what came in last at the top."""
    return list(
        session.execute(
            select(SafeguardingAlert).order_by(SafeguardingAlert.id.desc()).limit(limit)
        ).scalars()
    )


def get_alert(session: Session, alert_id: int) -> SafeguardingAlert | None:
    return session.get(SafeguardingAlert, alert_id)


def mark_handled(alert: SafeguardingAlert, by: str) -> None:
    if alert.handled_at is None:
        alert.handled_at = utcnow()
        alert.handled_by = by

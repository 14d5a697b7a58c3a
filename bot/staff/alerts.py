"""Safeguarding alerts for staff: what kind of risk, when, in which topic; never the words.

The words stay with the answer they came in (redacted like any other); the alert only says
that someone needs a person to look, so the duty worker can follow the service's own process.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.store import safety
from bot.store.schema import Consultation

CATEGORY_LABELS = {
    "self_harm": "Self-harm or suicide",
    "abuse": "Abuse",
    "danger": "In danger now",
    "medical": "Medical emergency",
    "cold": "Sleeping out in dangerous cold",
    "unspecified": "May be in danger",
}
CHANNEL_LABELS = {"rest": "Web or app", "webchat": "Web chat", "telegram": "Telegram"}


def alert_list(db: Session) -> list[dict[str, Any]]:
    rows = []
    for alert in safety.recent_alerts(db):
        consultation = (
            db.get(Consultation, alert.consultation_id) if alert.consultation_id else None
        )
        rows.append(
            {
                "id": alert.id,
                "category": alert.category,
                "what": CATEGORY_LABELS.get(alert.category, "May be in danger"),
                "channel": CHANNEL_LABELS.get(alert.channel, alert.channel),
                "consultation": consultation.title if consultation else None,
                "raised_at": alert.created_at.strftime("%d %B %Y at %H:%M"),
                "handled": alert.handled_at is not None,
                "handled_by": alert.handled_by,
            }
        )
    return rows


def mark_handled(db: Session, alert_id: int, by: str) -> bool:
    """Record who dealt with an alert; False if there is no such alert."""
    alert = safety.get_alert(db, alert_id)
    if alert is None:
        return False
    safety.mark_handled(alert, by)
    return True

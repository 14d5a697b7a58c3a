"""Sayso's background jobs, in one process started by `sayso run`.

- Erase a deleted person's Rasa conversation once the turn that asked for it is saved.
- Tell the duty worker about safeguarding alerts, when a webhook is configured.
- Enforce retention: remove original words older than the configured number of days.
- Owe "did it help?" follow-ups that have fallen due (SAYSO_FOLLOW_UP_DAYS after done).

Each job reads its work from the database, so nothing is lost if this process stops.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
from sqlalchemy.engine import Engine

from bot.config import Settings, get_settings
from bot.feedback import follow_up
from bot.ops.worker_server import Heartbeat, serve_in_background
from bot.privacy.cipher import Cipher
from bot.privacy.erasure import RASA_EVENTS_TABLE, erase_sender, tracker_engine
from bot.privacy.retention import apply_retention
from bot.privacy.scrub import personal_tables, scrub
from bot.store import safety
from bot.store.database import get_engine, session_scope
from bot.store.schema import Base, Consultation, utcnow

logger = logging.getLogger(__name__)

#: Long enough for Rasa to save the turn in which the person confirmed deletion.
ERASURE_DELAY = timedelta(seconds=5)


def erase_due_trackers(settings: Settings) -> int:
    """Erase Rasa's copy of each deleted conversation, then push it out of the files.

    An erasure is forgotten only once both databases' files are scrubbed, so one that could
    not be scrubbed yet (a reader was busy) is tried again on the next round.
    """
    cipher = Cipher(settings.address_key)
    with session_scope() as session:
        due = safety.due_tracker_erasures(session, ERASURE_DELAY)
        for erasure in due:
            erase_sender(settings.tracker_url, cipher.open(erasure.sender_encrypted))
    if not due:
        return 0
    if not scrub_databases(settings):
        logger.warning("A database file was busy, so an erasure will be finished on disk later.")
        return 0
    with session_scope() as session:
        for erasure in due:
            safety.forget_erasure(session, erasure)
    return len(due)


def scrub_databases(settings: Settings) -> bool:
    """Scrub Sayso's database and Rasa's tracker store after words were deleted from them."""
    sayso = scrub(get_engine(), personal_tables(Base.metadata))
    tracker = scrub(tracker_engine(settings.tracker_url), [RASA_EVENTS_TABLE])
    return sayso and tracker


def alert_payload(alert: safety.SafeguardingAlert, consultation: Consultation | None) -> dict:
    """Only what the duty worker needs: what kind of risk, when, where. Never the words."""
    return {
        "alert_id": alert.id,
        "category": alert.category,
        "channel": alert.channel,
        "consultation": consultation.slug if consultation else None,
        "raised_at": alert.created_at.isoformat(),
    }


def notify_alerts(settings: Settings) -> int:
    if not settings.alert_webhook_url:
        return 0
    sent = 0
    with session_scope() as session:
        for alert in safety.alerts_to_notify(session):
            consultation = (
                session.get(Consultation, alert.consultation_id) if alert.consultation_id else None
            )
            try:
                response = httpx.post(
                    settings.alert_webhook_url, json=alert_payload(alert, consultation), timeout=10
                )
            except httpx.HTTPError:
                logger.warning("The alert webhook could not be reached; will try again.")
                break
            if response.is_success:
                safety.mark_notified(alert)
                sent += 1
    return sent


def enforce_retention(settings: Settings) -> int:
    with session_scope() as session:
        report = apply_retention(
            session,
            settings.tracker_url,
            settings.retention_days,
            settings.retention_keep_redacted,
            utcnow(),
        )
    if not scrub_databases(settings):
        logger.warning("A database file was busy; retention finishes on disk at its next run.")
    return report.redacted + report.deleted + report.tracker_events_deleted


def queue_follow_ups(
    settings: Settings, today: date | None = None, engine: Engine | None = None
) -> int:
    """Owe each due "did it help?" message through the outbox; the keys make it once only."""
    with session_scope(engine) as session:
        return follow_up.queue_due(session, today or utcnow().date(), settings.follow_up_days)


@dataclass
class Job:
    name: str
    every: timedelta
    run: Callable[[Settings], int]
    next_run: float = 0.0


def jobs() -> list[Job]:
    return [
        Job("tracker erasure", timedelta(seconds=2), erase_due_trackers),
        Job("alert webhook", timedelta(seconds=5), notify_alerts),
        Job("retention", timedelta(hours=6), enforce_retention),
        Job("did it help follow-ups", timedelta(hours=1), queue_follow_ups),
    ]


def run_due(all_jobs: list[Job], settings: Settings, now: float) -> None:
    """Run every job whose time has come; one failing job never stops the others."""
    for job in all_jobs:
        if now < job.next_run:
            continue
        job.next_run = now + job.every.total_seconds()
        try:
            done = job.run(settings)
        except Exception:
            logger.exception("The %s job failed; it will run again.", job.name)
            continue
        if done:
            logger.info("%s: %d done", job.name, done)


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Sayso's background jobs.")
    parser.add_argument("--host", default="127.0.0.1", help="where /metrics and /healthz listen")
    host = parser.parse_args(arguments).host
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = get_settings()
    all_jobs = jobs()
    heartbeat = Heartbeat()
    serve_in_background(host, settings.worker_port, heartbeat)
    logger.info("Sayso worker started; /metrics and /healthz on port %d.", settings.worker_port)
    while True:
        run_due(all_jobs, settings, time.monotonic())
        heartbeat.beat()
        time.sleep(1)


if __name__ == "__main__":
    main()

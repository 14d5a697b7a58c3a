"""Prometheus figures for the web process's and the worker's /metrics.

Figures come from two places, so that what each process shows is true of the whole Sayso:

- What the database holds (safeguarding alerts, the outbox, overdue consultations) is read
  from it at each scrape (`DatabaseFigures`), so the web process and the worker give the
  same numbers, whichever process raised the alert or sent the message.
- Messages and turn times happen in the action server, which has no /metrics of its own and
  may run as several processes. Each process writes its counts to files in prometheus-client's
  shared directory (`bot.ops.shared_metrics`: `sayso run` sets it to `<log dir>/metrics` and
  empties it at start), and /metrics adds up every process's files. Without that directory
  (a test, a process started by hand, containers), /metrics shows only its own process's
  counts, and each action server can serve its own (`serve_action_server_counts`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from bot.config import Settings
from bot.ops.shared_metrics import SHARED_DIRECTORY
from bot.store.database import get_engine, session_scope
from bot.store.figures import read_figures
from bot.store.schema import utcnow

MESSAGES = Counter(
    "sayso_messages", "Messages people sent that Sayso took a turn on, by channel.", ["channel"]
)
#: From 10 ms to 10 s: a turn is about 20 ms when quiet, and a person waits for it.
TURN_SECONDS = Histogram(
    "sayso_turn_seconds",
    "How long the action server took over one turn of a conversation, in seconds.",
    ["channel"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


@contextmanager
def timed_turn(channel: str) -> Iterator[None]:
    """Count one message on this channel and time the turn taken on it."""
    started = time.perf_counter()
    try:
        yield
    finally:
        MESSAGES.labels(channel).inc()
        TURN_SECONDS.labels(channel).observe(time.perf_counter() - started)


class DatabaseFigures(Collector):
    """What the database says now: alerts, the outbox and overdue consultations."""

    def collect(self) -> Iterator[Metric]:
        with session_scope(get_engine()) as session:
            figures = read_figures(session, utcnow())
        alerts = CounterMetricFamily(
            "sayso_safeguarding_alerts",
            "Safeguarding alerts raised, by kind of risk (alerts are never deleted).",
            labels=["category"],
        )
        for category, count in sorted(figures.alerts_by_category.items()):
            alerts.add_metric([category], count)
        yield alerts
        yield GaugeMetricFamily(
            "sayso_safeguarding_alerts_unhandled",
            "Safeguarding alerts no member of staff has marked as handled.",
            value=figures.alerts_unhandled,
        )
        yield GaugeMetricFamily(
            "sayso_outbox_backlog",
            "Messages owed to people and not yet sent (queued or being sent).",
            value=figures.outbox.backlog,
        )
        yield GaugeMetricFamily(
            "sayso_outbox_oldest_owed_seconds",
            "How long the oldest message owed has waited, in seconds (0 when none is owed).",
            value=figures.outbox.oldest_owed_seconds,
        )
        failed = GaugeMetricFamily(
            "sayso_outbox_failed_messages",
            "Messages that could not be sent, by reason, among the messages kept "
            "(finished messages are forgotten after 30 days).",
            labels=["reason"],
        )
        for reason, count in figures.outbox.failed.items():
            failed.add_metric([reason], count)
        yield failed
        yield GaugeMetricFamily(
            "sayso_consultations_overdue",
            "Consultations whose 'people hear back by' date has passed with no outcome published.",
            value=figures.consultations_overdue,
        )


class ThisProcess(Collector):
    """This process's own counts, when there is no shared directory to add up."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def serve_action_server_counts(settings: Settings) -> None:
    """Where processes share no folder (each in its own container), an action server serves
    its own counts on `SAYSO_ACTION_METRICS_PORT`, and Prometheus scrapes each one. It listens
    where the action server does (`SANIC_HOST`)."""
    if not settings.action_metrics_port or os.environ.get(SHARED_DIRECTORY):
        return
    start_http_server(settings.action_metrics_port, addr=os.environ.get("SANIC_HOST", "127.0.0.1"))


def metrics_registry() -> CollectorRegistry:
    """Everything /metrics shows: the database's figures and every process's counts."""
    registry = CollectorRegistry()
    registry.register(DatabaseFigures())
    directory = os.environ.get(SHARED_DIRECTORY)
    if directory:
        MultiProcessCollector(registry, directory)
    else:
        registry.register(ThisProcess())
    return registry

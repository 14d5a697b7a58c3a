"""The background worker's own small web server: /metrics, and /healthz for its job loop.

The worker is one plain loop, with no web framework. Its server runs in a thread beside the
loop, on `SAYSO_WORKER_PORT` (127.0.0.1 unless `--host` says otherwise). /healthz says whether
the loop itself still goes round, which a thread answering alone would not show.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

from bot.ops.metrics import metrics_registry

#: The loop waits a second between rounds; the retention job can take minutes on a big
#: database. Longer than this without a round means the loop is stuck or gone.
STALE_AFTER_SECONDS = 300.0

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class Heartbeat:
    """When the job loop last went round, shared with the server thread."""

    def __init__(self) -> None:
        self._last = time.monotonic()

    def beat(self) -> None:
        self._last = time.monotonic()

    def seconds_since(self) -> float:
        return time.monotonic() - self._last


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *_: object) -> None:
        """Scrapes come every few seconds; they are not worth a log line each."""


def worker_app(heartbeat: Heartbeat) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    metrics = make_wsgi_app(metrics_registry())

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return metrics(environ, start_response)
        if path != "/healthz":
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"Not found. The worker answers /metrics and /healthz.\n"]
        since = heartbeat.seconds_since()
        working = since <= STALE_AFTER_SECONDS
        status = "200 OK" if working else "503 Service Unavailable"
        words = f"The worker's jobs last ran {since:.0f} seconds ago.\n"
        start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [words.encode()]

    return app


def serve_in_background(host: str, port: int, heartbeat: Heartbeat) -> None:
    """Listen in a daemon thread; a taken port stops the worker at once, as it would any
    other Sayso process."""
    server = make_server(
        host, port, worker_app(heartbeat), server_class=_Server, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, name="worker-server", daemon=True).start()

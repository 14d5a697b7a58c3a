"""The one web process: the staff app at /staff, the participant web chat at /chat, and the
public "You said, we did" board at /said-did (no login); and for whoever runs Sayso, /healthz
(every part) and /metrics (Prometheus).

One uvicorn process serves both, so a laptop runs three processes in all (Rasa, actions, web).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from bot.config import get_settings
from bot.ops.health import check_all, report
from bot.ops.metrics import metrics_registry
from bot.staff.app import create_app as create_staff_app
from bot.staff.board import create_app as create_board_app
from bot.webchat.app import create_app as create_webchat_app


class Part(Mount):
    """Starlette's Mount, but for every path under its prefix, also one holding a newline.

    Mount's pattern ends in `.*`, which stops at a newline, so such a path fell through to a
    bare "Not Found" before the staff app could check the token or answer in JSON.
    """

    def __init__(self, path: str, app: ASGIApp) -> None:
        super().__init__(path, app=app)
        self.path_regex = re.compile(self.path_regex.pattern, re.DOTALL)


def came_through_a_proxy(request: Request) -> bool:
    """/healthz and /metrics are for whoever runs Sayso, from its own network. A request
    passed on by a proxy (the Kubernetes Ingress, a TLS front) came from outside it."""
    return "x-forwarded-for" in request.headers or "forwarded" in request.headers


async def health(request: Request) -> PlainTextResponse:
    """Each part of Sayso, in a line; 503 when any one is down."""
    if came_through_a_proxy(request):
        return PlainTextResponse("Not Found", status_code=404)
    parts = await check_all(get_settings())
    working = all(part.working for part in parts)
    return PlainTextResponse(report(parts), status_code=200 if working else 503)


async def web_health(_: Request) -> PlainTextResponse:
    """This process alone: what start-up and a load balancer wait for, so that another part
    being down never takes the staff pages away with it."""
    return PlainTextResponse("The web process is working.\n")


def metrics_endpoint() -> Callable[[Request], Awaitable[Response]]:
    registry = metrics_registry()

    async def metrics(request: Request) -> Response:
        if came_through_a_proxy(request):
            return PlainTextResponse("Not Found", status_code=404)
        body = await asyncio.to_thread(generate_latest, registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics


async def home(_: Request) -> RedirectResponse:
    return RedirectResponse("/chat/", status_code=302)


def create_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", health),
            Route("/healthz/web", web_health),
            Route("/metrics", metrics_endpoint()),
            Part("/staff", app=create_staff_app()),
            Part("/chat", app=create_webchat_app()),
            Part("/said-did", app=create_board_app()),
        ]
    )

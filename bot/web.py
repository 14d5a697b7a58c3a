"""The one web process: the staff app at /staff, the participant web chat at /chat, and the
public "You said, we did" board at /said-did (no login).

One uvicorn process serves both, so a laptop runs three processes in all (Rasa, actions, web).
"""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

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


async def health(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def home(_: Request) -> RedirectResponse:
    return RedirectResponse("/chat/", status_code=302)


def create_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", health),
            Part("/staff", app=create_staff_app()),
            Part("/chat", app=create_webchat_app()),
            Part("/said-did", app=create_board_app()),
        ]
    )

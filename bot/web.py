"""The one web process: the staff app at /staff and the participant web chat at /chat.

One uvicorn process serves both, so a laptop runs three processes in all (Rasa, actions, web).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Mount, Route

from bot.staff.app import create_app as create_staff_app
from bot.webchat.app import create_app as create_webchat_app


async def health(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


async def home(_: Request) -> RedirectResponse:
    return RedirectResponse("/chat/", status_code=302)


def create_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", health),
            Mount("/staff", app=create_staff_app()),
            Mount("/chat", app=create_webchat_app()),
        ]
    )

"""A stand-in for the Telegram Bot API: a real HTTP server on loopback, for tests and benchmarks.

It speaks enough of the Bot API for Sayso (getMe, sendMessage, answerCallbackQuery,
editMessageReplyMarkup, setWebhook, deleteWebhook, getUpdates, getFile, file downloads,
setMyCommands), records every call with the time it arrived, and can be told to answer the
next calls with 429 (and retry_after), 403 or 500, or leave calls unanswered (`stall`) so a
test can stop a sender mid-batch. `Person` builds updates the way Telegram sends them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123456:sayso-test-token"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Sayso",
    "username": "sayso_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
#: Parameters Telegram sends as JSON inside a form field.
JSON_FIELDS = {"reply_markup", "commands", "allowed_updates", "chat_id", "message_id", "offset"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(app: Starlette, port: int) -> Iterator[None]:
    """Serve an ASGI app on 127.0.0.1:`port` in a background thread."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("The test server did not start.")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int
    #: The id of the message sent, for sendMessage.
    message_id: int | None = None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


@dataclass
class Failure:
    method: str
    status: int
    times: int
    retry_after: int | None = None
    chat_id: int | None = None


@dataclass
class FakeTelegram:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    pending_updates: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))
    #: While stalled, calls of `_stalled_method` beyond `_let_through` wait unanswered.
    _stalled_method: str | None = None
    _let_through: int = 0
    _stall_generation: int = 0
    stalled_calls: int = 0

    # ---- set-up -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def environment(self, secret: str) -> dict[str, str]:
        return {
            "TELEGRAM_TOKEN": self.token,
            "TELEGRAM_SECRET_TOKEN": secret,
            "TELEGRAM_API_BASE_URL": self.base_url,
            "TELEGRAM_WEBHOOK_URL": "",
        }

    @classmethod
    @contextmanager
    def running(cls) -> Iterator[FakeTelegram]:
        fake = cls(port=free_port())
        with serving(fake.app(), fake.port):
            yield fake

    # ---- what tests ask for -----------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error."""
        with self._lock:
            self.failures.append(Failure(method, status, times, retry_after, chat_id))

    def stall(self, method: str, after: int = 0) -> None:
        """Let `after` more calls of `method` through, then leave the rest unanswered, as a
        network that has stopped answering. Calls left waiting are never handled or recorded:
        when `release` is called they get an error (their sender has usually gone by then)."""
        with self._lock:
            self._stalled_method = method
            self._let_through = after
            self.stalled_calls = 0

    def release(self) -> None:
        with self._lock:
            self._stalled_method = None
            self._stall_generation += 1

    async def _wait_if_stalled(self, method: str) -> bool:
        """True if the call was held and must now be dropped unhandled."""
        with self._lock:
            if method != self._stalled_method:
                return False
            if self._let_through > 0:
                self._let_through -= 1
                return False
            self.stalled_calls += 1
            generation = self._stall_generation
        while generation == self._stall_generation:
            await asyncio.sleep(0.02)
        return True

    def add_file(self, file_id: str, content: bytes, path: str = "voice/file_0.oga") -> None:
        with self._lock:
            self.files[file_id] = (path, content)

    def queue_update(self, update: dict[str, Any]) -> None:
        """Make an update available to getUpdates, as Telegram holds it for a polling bot."""
        with self._lock:
            self.pending_updates.append(update)

    def recorded(
        self, method: str | None = None, chat_id: int | None = None, ok_only: bool = True
    ) -> list[Call]:
        with self._lock:
            calls = list(self.calls)
        return [
            call
            for call in calls
            if (method is None or call.method == method)
            and (chat_id is None or call.chat_id == chat_id)
            and (not ok_only or call.status == 200)
        ]

    def sent_texts(self, chat_id: int) -> list[str]:
        return [call.text for call in self.recorded("sendMessage", chat_id)]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.failures.clear()

    # ---- the server -------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._method, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
            ]
        )

    async def _params(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query_params)
        content_type = request.headers.get("content-type", "")
        if "application/json" in content_type:
            params.update(await request.json())
        elif "form" in content_type:
            form = await request.form()
            params.update({key: value for key, value in form.items() if isinstance(value, str)})
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                with suppress(json.JSONDecodeError):
                    params[key] = json.loads(params[key])
        return params

    def _failure_for(self, method: str, params: dict[str, Any]) -> Failure | None:
        with self._lock:
            for failure in self.failures:
                if failure.method != method or failure.times <= 0:
                    continue
                if failure.chat_id is not None and str(failure.chat_id) != str(
                    params.get("chat_id")
                ):
                    continue
                failure.times -= 1
                return failure
        return None

    def _record(
        self, method: str, params: dict[str, Any], status: int, message_id: int | None = None
    ) -> None:
        with self._lock:
            self.calls.append(Call(method, params, time.monotonic(), status, message_id))

    async def _method(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401
            )
        method = request.path_params["method"]
        params = await self._params(request)
        if await self._wait_if_stalled(method):
            return JSONResponse(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status_code=502
            )
        failure = self._failure_for(method, params)
        if failure is not None:
            self._record(method, params, failure.status)
            return self._error(failure)
        if method == "getUpdates":
            result: Any = await self._updates(params)
        else:
            result = self._result(method, params)
            if result is None:
                self._record(method, params, 404)
                return JSONResponse(
                    {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
                )
        message_id = result.get("message_id") if method == "sendMessage" else None
        self._record(method, params, 200, message_id)
        return JSONResponse({"ok": True, "result": result})

    @staticmethod
    def _error(failure: Failure) -> JSONResponse:
        descriptions = {
            429: f"Too Many Requests: retry after {failure.retry_after}",
            403: "Forbidden: bot was blocked by the user",
            500: "Internal Server Error",
            400: "Bad Request: message is not modified",
        }
        body: dict[str, Any] = {
            "ok": False,
            "error_code": failure.status,
            "description": descriptions.get(failure.status, "Error"),
        }
        if failure.retry_after is not None:
            body["parameters"] = {"retry_after": failure.retry_after}
        return JSONResponse(body, status_code=failure.status)

    def _message(self, chat_id: Any, text: str | None = None) -> dict[str, Any]:
        chat = int(chat_id)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "from": BOT_USER,
            "chat": {"id": chat, "type": "private" if chat > 0 else "group"},
        }
        if text is not None:
            message["text"] = text
        return message

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "sendMessage":
            message = self._message(params["chat_id"], str(params.get("text", "")))
            if params.get("reply_markup", {}).get("inline_keyboard"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if method == "editMessageReplyMarkup":
            return self._message(params["chat_id"]) | {"message_id": int(params["message_id"])}
        if method in {"answerCallbackQuery", "setWebhook", "deleteWebhook", "setMyCommands"}:
            return True
        if method == "getFile":
            stored = self.files.get(str(params.get("file_id")))
            if stored is None:
                return None
            path, content = stored
            return {
                "file_id": params["file_id"],
                "file_unique_id": f"unique-{params['file_id']}",
                "file_size": len(content),
                "file_path": path,
            }
        return None

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long polling: wait up to `timeout` seconds (at most 2 here) for an update."""
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        while True:
            with self._lock:
                self.pending_updates = [
                    item for item in self.pending_updates if item["update_id"] >= offset
                ]
                ready = list(self.pending_updates)
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.05)

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        path = request.path_params["path"]
        for stored_path, content in self.files.values():
            if stored_path == path:
                self._record("download", {"path": path}, 200)
                return Response(content, media_type="application/octet-stream")
        return Response(status_code=404)


# ---- updates as Telegram sends them ---------------------------------------------------------

_update_ids = itertools.count(700_000_000)


def next_update_id() -> int:
    return next(_update_ids)


@dataclass
class Person:
    """Someone in a private chat with the bot; each method returns an update's JSON."""

    chat_id: int
    first_name: str = "Sam"

    @property
    def user(self) -> dict[str, Any]:
        return {"id": self.chat_id, "is_bot": False, "first_name": self.first_name}

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.chat_id, "type": "private", "first_name": self.first_name}

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(_update_ids) % 100_000,
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            **content,
        }

    def says(self, text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next_update_id(), "message": self._message(**content)}

    def sends(self, **content: Any) -> dict[str, Any]:
        """A message with other content: sticker=..., photo=[...], voice=..., and so on."""
        return {"update_id": next_update_id(), "message": self._message(**content)}

    def edits(self, text: str) -> dict[str, Any]:
        message = self._message(text=text, edit_date=int(time.time()))
        return {"update_id": next_update_id(), "edited_message": message}

    def taps(self, call: Call, title: str) -> dict[str, Any]:
        """Tap the button called `title` on a message the bot sent."""
        data = dict(call.buttons).get(title)
        if data is None:
            raise AssertionError(f"No button {title!r} in {call.buttons}")
        return self.taps_data(
            data, message_id=call.message_id or 1, markup=call.params.get("reply_markup")
        )

    def taps_data(
        self, data: str, message_id: int = 1, markup: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": BOT_USER,
            "chat": self.chat,
            "date": int(time.time()),
            "text": "…",
        }
        if markup:
            message["reply_markup"] = markup
        return {
            "update_id": next_update_id(),
            "callback_query": {
                "id": f"query-{next(_update_ids)}",
                "from": self.user,
                "message": message,
                "chat_instance": f"instance-{self.chat_id}",
                "data": data,
            },
        }

    def blocks_the_bot(self) -> dict[str, Any]:
        return {
            "update_id": next_update_id(),
            "my_chat_member": {
                "chat": self.chat,
                "from": self.user,
                "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": BOT_USER},
                "new_chat_member": {"status": "kicked", "user": BOT_USER, "until_date": 0},
            },
        }


def group_message(chat_id: int, text: str, sender_id: int = 555) -> dict[str, Any]:
    return {
        "update_id": next_update_id(),
        "message": {
            "message_id": 7,
            "from": {"id": sender_id, "is_bot": False, "first_name": "Alex"},
            "chat": {"id": chat_id, "type": "group", "title": "Day centre chat"},
            "date": int(time.time()),
            "text": text,
        },
    }

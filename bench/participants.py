"""Simulated people for the load and fault benchmarks: each one holds a whole consultation.

A person reads Sayso's last message and answers what it asks, so a person whose message was
lost or answered twice (a server killed mid-turn) carries on from where Sayso actually is,
as a real person would. Taps and typing are mixed, and the free-text answer carries a
marker, so the database can be compared with what was acknowledged.

Over REST the reply comes in the HTTP response. Over Telegram it comes later, through the
outbox, to the stand-in Bot API (tests/telegram_api.py); the person waits for it there.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

#: What Sayso asks in the hostel food consultation, and how this person answers:
#: (question key, "tap" or "type", what to tap or type). "{marker}" is this person's marker.
ANSWERS: dict[str, tuple[str, str, str]] = {
    "How good is the food at the hostel now?": ("food-now", "tap", "Bad"),
    "Which meal matters most to you?": ("most-important-meal", "type", "dinner"),
    "Do you need a special kind of food?": ("food-needs", "tap", "No, I do not"),
    "Would you like to use the kitchen to cook for yourself?": ("cook-for-yourself", "type", "yes"),
    "What food would you like to see on the new menu?": (
        "food-ideas",
        "type",
        "more fresh veg and less frozen stuff {marker}",
    ),
    "Would you like to help plan the new menu at a meeting?": ("join-menu-group", "tap", "No"),
}
#: Steps that are not answers: greeting, consent, topic, and the last "may I message you".
STEPS: dict[str, str] = {
    "I am a bot, not a person": "Yes, that's OK",
    "What would you like to talk about?": "Food at the hostel",
    "Can I message you here when we know what happens?": "No",
}
MAX_TURNS = 20
#: Sayso's reply when a turn failed (utter_something_went_wrong): nothing was taken.
SORRY = "Sorry, something went wrong on my side."
#: Telegram keeps re-sending an update that was not answered with 200; we stop sooner.
TELEGRAM_ATTEMPTS = 8
#: The stock assistant's script: each message one that its stories or rules answer, so an empty
#: reply is a fault, as it is for Sayso.
STOCK_SCRIPT = ("hi", "I am feeling great", "are you a bot?", "bye", "hello there", "I am sad",
                "yes", "good morning", "not very good", "no")  # fmt: skip


@dataclass
class Tally:
    """What every simulated person saw, shared between threads."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    conversations_done: int = 0
    #: sender -> question keys whose answer Sayso acknowledged.
    acknowledged: dict[str, set[str]] = field(default_factory=dict)
    #: (moment, ok) for each message, to see when a fault started and ended failing.
    outcomes: list[tuple[float, bool]] = field(default_factory=list)
    #: (moment, what went wrong) for REST messages that failed.
    failures: list[tuple[float, str]] = field(default_factory=list)
    #: Replies that said sorry, something went wrong: the answer was not taken.
    sorries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def said_sorry(self, texts: Iterable[str | None]) -> bool:
        """Count, and say, whether Sayso's reply was its "something went wrong" message."""
        if not any(SORRY in (text or "") for text in texts):
            return False
        with self.lock:
            self.sorries += 1
        return True

    def record(self, started: float, ok: bool, failure: str = "") -> None:
        now = time.monotonic()
        with self.lock:
            self.outcomes.append((now, ok))
            if failure:
                self.failures.append((now, failure))
            if ok:
                self.latencies.append(now - started)
            else:
                self.errors += 1

    def acknowledge(self, sender: str, key: str) -> None:
        with self.lock:
            self.acknowledged.setdefault(sender, set()).add(key)


@dataclass(frozen=True)
class Move:
    """The person's next message, and the question it answers (None: not an answer)."""

    kind: str
    value: str
    question: str | None


def next_move(shown: str, marker: str) -> Move | None:
    """What the person does after reading `shown`; None once they have finished."""
    for prompt, (key, kind, value) in ANSWERS.items():
        if prompt in shown:
            return Move(kind, value.format(marker=marker), key)
    for cue, title in STEPS.items():
        if cue in shown:
            return Move("tap", title, None)
    return None


def rest_payload(replies: list[dict[str, Any]], title: str) -> str:
    """A button's payload, or its title typed out if the button is not there."""
    for reply in replies:
        for button in reply.get("buttons") or []:
            if button.get("title") == title:
                return button["payload"]
    return title


def move_after(texts: list[str], marker: str) -> Move | None:
    """The move for the latest message that asks something, reading from the last back."""
    for text in reversed(texts):
        move = next_move(text, marker)
        if move is not None:
            return move
    return None


def after_reply(
    tally: Tally, person: str, question: str | None, texts: list[str], marker: str, last: bool
) -> Move | None:
    """Count the answer Sayso just acknowledged, then the person's next move.

    None once the conversation is over: Sayso asks nothing more, or the person has just
    answered the last step (which counts the conversation as finished).
    """
    if question is not None:
        tally.acknowledge(person, question)
    move = move_after(texts, marker)
    if move is None or last:
        if last:
            with tally.lock:
                tally.conversations_done += 1
        return None
    return move


def is_last_step(move: Move) -> bool:
    """Saying no to "Can I message you here..." ends the consultation."""
    return move.question is None and move.value == "No"


def rest_conversation(
    client: httpx.Client, pick_url: Callable[[], str], tally: Tally, stop_at: float
) -> None:
    """One person answers the whole hostel food consultation over REST."""
    sender = f"load-{uuid.uuid4().hex[:10]}"
    marker = f"mark{uuid.uuid4().hex[:8]}"
    message, question, last_step = "hi", None, False
    for _ in range(MAX_TURNS):
        started = time.monotonic()
        try:
            response = client.post(pick_url(), json={"sender": sender, "message": message})
            replies = response.json() if response.status_code == 200 else []
            failure = "" if replies else f"HTTP {response.status_code}"
            if tally.said_sorry(reply.get("text") for reply in replies):
                failure = "said sorry"
        except (httpx.HTTPError, ValueError) as error:
            failure = type(error).__name__
        ok = not failure
        tally.record(started, ok, failure)
        if not ok:
            if time.monotonic() > stop_at + 60:
                return
            time.sleep(0.5)
            continue  # the person sends the same message again
        texts = [reply.get("text") or "" for reply in replies]
        move = after_reply(tally, sender, question, texts, marker, last_step)
        if move is None:
            return
        last_step = is_last_step(move)
        message = rest_payload(replies, move.value) if move.kind == "tap" else move.value
        question = move.question


def stock_conversation(
    client: httpx.Client, pick_url: Callable[[], str], tally: Tally, _stop_at: float
) -> None:
    """One person talks through the stock `rasa init` assistant's own script."""
    sender = f"stock-{uuid.uuid4().hex[:10]}"
    for message in STOCK_SCRIPT:
        started = time.monotonic()
        try:
            response = client.post(pick_url(), json={"sender": sender, "message": message})
            response.raise_for_status()
            ok = bool(response.json())
        except (httpx.HTTPError, ValueError):
            ok = False
        tally.record(started, ok)
    with tally.lock:
        tally.conversations_done += 1


def run_people(
    conversation: Callable[[httpx.Client, Callable[[], str], Tally, float], None],
    urls: list[str],
    people: int,
    seconds: float,
) -> tuple[Tally, float]:
    """`people` at once, each starting a new conversation when one ends, for `seconds`.

    Each person sends each message to the next URL in turn, so a conversation's turns land on
    different servers when there are several. Returns the tally and the seconds it took.
    """
    tally = Tally()
    stop_at = time.monotonic() + seconds
    turn = iter(range(10**9))
    turn_lock = threading.Lock()

    def pick_url() -> str:
        with turn_lock:
            return urls[next(turn) % len(urls)]

    def person() -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop_at:
                conversation(client, pick_url, tally, stop_at)

    started = time.monotonic()
    threads = [threading.Thread(target=person) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def telegram_conversation(
    client: httpx.Client,
    webhook: str,
    secret: str,
    telegram: Any,
    person: Any,
    tally: Tally,
) -> None:
    """One person answers the consultation on Telegram; latency is post to delivered reply.

    `telegram` is the stand-in Bot API (tests/telegram_api.FakeTelegram) and `person` a
    tests/telegram_api.Person; replies arrive there through Sayso's outbox.
    """
    marker = f"mark{uuid.uuid4().hex[:8]}"
    update, question, last_step, retyped = person.says("/start"), None, False, "/start"
    for _ in range(MAX_TURNS):
        before = len(telegram.recorded("sendMessage", person.chat_id))
        started = time.monotonic()
        ok = deliver_update(client, webhook, secret, update, tally)
        delivered = wait_for_messages(telegram, person.chat_id, before) if ok else []
        if delivered and tally.said_sorry(call.text for call in delivered):
            with tally.lock:
                tally.errors += 1
                tally.outcomes.append((time.monotonic(), False))
            update = person.says(retyped)  # the person types their answer again
            continue
        if delivered:
            with tally.lock:
                tally.latencies.append(delivered[-1].at - started)
                tally.outcomes.append((time.monotonic(), True))
        else:
            with tally.lock:
                tally.errors += 1
                tally.outcomes.append((time.monotonic(), False))
            return
        texts = [call.text for call in delivered]
        move = after_reply(tally, str(person.chat_id), question, texts, marker, last_step)
        if move is None:
            return
        last_step = is_last_step(move)
        with_buttons = [call for call in delivered if call.buttons]
        titles = {title for call in with_buttons for title, _ in call.buttons}
        if move.kind == "tap" and move.value in titles:
            update = person.taps(with_buttons[-1], move.value)
        else:
            update = person.says(move.value)
        question, retyped = move.question, move.value


def deliver_update(
    client: httpx.Client, webhook: str, secret: str, update: dict[str, Any], tally: Tally
) -> bool:
    """Post an update as Telegram does: the same update again, a while later, until a 200."""
    for attempt in range(TELEGRAM_ATTEMPTS):
        try:
            response = client.post(
                webhook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            )
            if response.status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        with tally.lock:
            tally.errors += 1
            tally.outcomes.append((time.monotonic(), False))
        time.sleep(min(2**attempt, 10))
    return False


def wait_for_messages(telegram: Any, chat_id: int, before: int, timeout: float = 60) -> list:
    """The messages the Bot API received for this chat after the first `before` ones."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = telegram.recorded("sendMessage", chat_id)
        if len(calls) > before:
            time.sleep(0.05)  # the rest of the same turn, if it was split
            return telegram.recorded("sendMessage", chat_id)[before:]
        time.sleep(0.05)
    return []

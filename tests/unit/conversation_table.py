"""The state-by-input table: every step of the conversation against every kind of input.

Each state is reached by a short conversation through the real engine on SQLite; each input
is then tried on a copy of that database. What Sayso said and where the person ended up is
written to tests/conversation_table.md, which is checked in: tests/unit/
test_conversation_table.py runs every cell again and fails if any cell differs from the
table, or breaks a rule in tests/support/conversation_model.py.

To write the table again after changing the conversation on purpose:

    .venv/bin/python -m tests.unit.conversation_table
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from bot import PROJECT_ROOT
from bot.conversation.replies import Reply
from bot.feedback import follow_up
from bot.feedback.publishing import publish
from bot.store import outcomes as outcome_store
from bot.store import responses as response_store
from bot.store import themes as theme_store
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import make_engine, session_scope
from tests.support.conversation_model import (
    CRISIS,
    INPUTS,
    Action,
    Said,
    Snapshot,
    broken_rules,
    invite_to_priorities,
    name,
    snapshot,
    template_database,
)
from tests.unit.chat import TODAY, Chat

TABLE_FILE = PROJECT_ROOT / "tests" / "conversation_table.md"
VIEW = "the dinners at the hostel are always cold and there is no veg"
POLISH_VIEW = "jedzenie w hostelu jest okropne i zimne"


@dataclass
class RecordingChat(Chat):
    """A Chat that remembers every set of buttons it was shown, for stale taps."""

    seen: list[list[Reply]] = field(default_factory=list)
    latest: list[Reply] = field(default_factory=list)

    def _turn(self, turn):  # type: ignore[no-untyped-def]
        replies = super()._turn(turn)
        self.latest = replies
        if any(reply.buttons for reply in replies):
            self.seen.append(replies)
        return replies

    def tap_first(self) -> list[Reply]:
        return self.tap(self.button_titles()[0])

    def answer_all(self) -> None:
        """Answer every question of the current consultation: the first button, or words."""
        while snapshot(self.engine, self.participant_id).stage == "question":
            if any(reply.buttons for reply in self.latest):
                self.tap_first()
            else:
                self.say("more hot food please", "share_view")


# ---- how each state is reached --------------------------------------------------------------


def _start_day_centre(chat: RecordingChat, answered: int = 0) -> None:
    chat.start("Day centre opening hours")
    for _ in range(answered):
        chat.tap_first()


def _updates_consent(chat: RecordingChat) -> None:
    chat.start("Moving on to your own home")
    chat.answer_all()


def _finished(chat: RecordingChat) -> None:
    _updates_consent(chat)
    chat.tap("Yes")


def _priorities(chat: RecordingChat) -> None:
    chat.start("Food at the hostel")
    chat.answer_all()
    chat.tap("Yes")
    invite_to_priorities(chat.engine)
    chat.say("hi", "greet")
    chat.tap("Hot dinners")


def _panel_offer(chat: RecordingChat) -> None:
    _priorities(chat)
    chat.tap("That's all")


def _follow_up(chat: RecordingChat) -> None:
    """Finished, then told about an outcome that is done; weeks later: "did it help?"."""
    _finished(chat)
    follow_up_due(chat.engine, chat.participant_id)
    chat.say("hi", "greet")


def _follow_up_words(chat: RecordingChat) -> None:
    _follow_up(chat)
    chat.tap("A bit")


def follow_up_due(engine: Engine, participant_id: str) -> None:
    """Their words are in a theme; staff publish it done; the follow-up job runs 28 days on."""
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        question = next(item for item in consultation.questions if item.key == "food-ideas")
        theme = theme_store.add_theme(session, consultation.id, question.id, "Hot dinners")
        answer = response_store.save_answer(
            session, participant_id, question, "hot dinners please", None, "rest"
        )
        theme_store.place_answer(session, answer.id, theme, "staff")
        draft = outcome_store.OutcomeDraft(
            theme_ids=[theme.id],
            what_was_done="Dinners are now hot",
            status=outcome_store.DONE,
            decided_on=TODAY,
        )
        outcome = outcome_store.save_outcome(session, consultation, draft)
        publish(session, outcome, "staff@example.org")
    with session_scope(engine) as session:
        follow_up.queue_due(session, TODAY + timedelta(days=3650), 28)


def _paused_at_question(chat: RecordingChat) -> None:
    _start_day_centre(chat, answered=1)
    chat.say("stop", "stop")


def _resume_offer(chat: RecordingChat) -> None:
    _paused_at_question(chat)
    chat.say("hi", "greet")


def _paused_choosing(chat: RecordingChat) -> None:
    chat.agree()
    chat.say("stop", "stop")


def _route_confirm(chat: RecordingChat) -> None:
    chat.agree()
    chat.say(VIEW, "share_view")


def _routed_offer(chat: RecordingChat) -> None:
    _route_confirm(chat)
    chat.tap("Yes")


def _delete_confirm(chat: RecordingChat) -> None:
    _start_day_centre(chat, answered=1)
    chat.say("delete my data", "delete_data")


def _crisis_check(chat: RecordingChat) -> None:
    _start_day_centre(chat, answered=1)
    chat.say(CRISIS.text, CRISIS.intent, CRISIS.confidence)


def _language_offer(chat: RecordingChat) -> None:
    chat.agree()
    chat.say(POLISH_VIEW, "share_view")


STATES: dict[str, Callable[[RecordingChat], None]] = {
    "new: first message ever": lambda chat: None,
    "consent": lambda chat: chat.say("hi", "greet"),
    "choosing a topic": lambda chat: chat.agree(),
    "route confirm: Is this about Food at the hostel?": _route_confirm,
    "routed offer: answer a few questions?": _routed_offer,
    "what this can change, then question 1 (choice)": _start_day_centre,
    "question (scale)": lambda chat: _start_day_centre(chat, answered=1),
    "question (yes/no)": lambda chat: _start_day_centre(chat, answered=2),
    "question (free text)": lambda chat: _start_day_centre(chat, answered=3),
    "thanks, then updates yes/no": _updates_consent,
    "finished": _finished,
    "stopped at a question": _paused_at_question,
    "stopped while choosing a topic": _paused_choosing,
    "resume offer: carry on?": _resume_offer,
    "priorities vote": _priorities,
    "panel yes/no": _panel_offer,
    "delete confirmation": _delete_confirm,
    "crisis check: carry on?": _crisis_check,
    "language offer: Piszesz po polsku?": _language_offer,
    "did it help? [Yes | A bit | No]": _follow_up,
    "did it help, then tell us more?": _follow_up_words,
}


# ---- running the cells ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    state: str
    action: Action
    replies: list[Reply]
    before: Snapshot
    after: Snapshot

    @property
    def broken(self) -> list[str]:
        return broken_rules(self.before, self.action, self.replies, self.after)


@dataclass
class ReachedState:
    """A state's database file and what the person last saw there."""

    database: Path
    #: The replies of the last turn: their buttons are the ones shown now.
    last: list[Reply]
    seen: list[list[Reply]]


def _reach(state: str, template: Path, directory: Path) -> ReachedState:
    path = directory / f"state-{len(list(directory.iterdir()))}.db"
    shutil.copyfile(template, path)
    engine = make_engine(f"sqlite:///{path}")
    chat = RecordingChat(engine)
    STATES[state](chat)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return ReachedState(path, list(chat.latest), list(chat.seen))


def _actions(reached: ReachedState) -> Iterator[Action]:
    for said in INPUTS:
        yield Action(said=said)
    current = [button.payload for reply in reached.last for button in reply.buttons]
    if current:
        yield Action(payload=current[0])
    earlier = [
        button.payload
        for replies in reached.seen[:-1]
        for reply in replies
        for button in reply.buttons
        if button.payload not in current
    ]
    if earlier:
        yield Action(payload=earlier[-1], stale=True)


def _try(state: str, reached: ReachedState, action: Action, directory: Path) -> Cell:
    path = directory / "cell.db"
    shutil.copyfile(reached.database, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        chat = Chat(engine, last=list(reached.last))
        before = snapshot(engine, chat.participant_id)
        if action.said is not None:
            said: Said = action.said
            replies = chat.say(said.text, said.intent, said.confidence)
        else:
            replies = chat.send_payload(action.payload or "")
        return Cell(state, action, replies, before, snapshot(engine, chat.participant_id))
    finally:
        engine.dispose()


def run_table() -> list[Cell]:
    """Every cell of the table, in order: states as listed, inputs as listed."""
    cells = []
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        template = template_database(directory)
        for state in STATES:
            reached = _reach(state, template, directory)
            for action in _actions(reached):
                cells.append(_try(state, reached, action, directory))
    return cells


# ---- writing the table ----------------------------------------------------------------------


def _effects(cell: Cell) -> list[str]:
    before, after = cell.before, cell.after
    if before.exists and not after.exists:
        return ["everything deleted"]
    effects = []
    if after.consented and not before.consented:
        effects.append("consent recorded")
    if len(after.answers) > len(before.answers):
        effects.append("answer kept")
    elif after.answers != before.answers:
        effects.append("answer changed")
    if after.comments > before.comments:
        effects.append("words kept")
    if after.updates != before.updates and before.exists:
        effects.append(f"updates: {'yes' if after.updates else 'no'}")
    if after.panel_answers > before.panel_answers:
        effects.append("panel answer kept")
    if after.language != before.language and before.exists:
        effects.append(f"language: {after.language}")
    return effects


def _where(snapshot_: Snapshot) -> str:
    if not snapshot_.exists:
        return "(nothing kept)"
    stage = snapshot_.stage or "new"
    if stage == "question" and snapshot_.question_kind:
        return f"question ({snapshot_.question_kind})"
    return stage


def describe(cell: Cell) -> tuple[str, str]:
    """What Sayso said, and where the person is after, as table text."""
    said = ", ".join(name(reply) for reply in cell.replies) or "(nothing)"
    then = _where(cell.after)
    effects = _effects(cell)
    if effects:
        then += " · " + ", ".join(effects)
    return said, then


def _input_columns(action: Action) -> tuple[str, str]:
    if action.said is None:
        what = "tap a button from an earlier step" if action.stale else "tap the first button"
        return f"{what}: `{action.payload}`", "(button)"
    said = action.said
    text = f"`{said.text}`" if said.text else "(empty)"
    return f"{said.kind} ({said.language}): {text}", f"{said.intent} {said.confidence:.2f}"


def render(cells: list[Cell]) -> str:
    lines = [
        "# What Sayso does at every step, for every kind of input",
        "",
        "Written by `.venv/bin/python -m tests.unit.conversation_table`; checked, cell by cell,",
        "by tests/unit/test_conversation_table.py. Each input is typed (with the intent and",
        "confidence Sayso's NLU model gives it) or tapped, at the step named in the heading.",
        '"Sayso says" lists domain.yml responses in order; (consultation words) is a',
        'consultation\'s own text, such as a question. "Then" is the step the person is at',
        "afterwards, and what was stored.",
    ]
    state = None
    for cell in cells:
        if cell.state != state:
            state = cell.state
            lines += [
                "",
                f"## {state}",
                "",
                "| Input | NLU | Sayso says | Then |",
                "|---|---|---|---|",
            ]
        what, intent = _input_columns(cell.action)
        said, then = describe(cell)
        lines.append(f"| {what} | {intent} | {said} | {then} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    cells = run_table()
    TABLE_FILE.write_text(render(cells), encoding="utf-8")
    broken = [(cell.state, cell.action.label, rule) for cell in cells for rule in cell.broken]
    print(f"{len(cells)} cells written to {TABLE_FILE}; {len(broken)} broken rules")
    for state, label, rule in broken:
        print(f"- {state} | {label} | {rule}")


if __name__ == "__main__":
    main()

"""A stateful fuzz of the real conversation on SQLite: one person types and taps at random.

Each step types something from the shared vocabulary (or any text at all), taps a button
Sayso shows now, taps a button from an earlier step, or has staff invite people to choose
priorities with some panel words. After every step the rules in conversation_model.py are
checked, and the panel words the person is told must be the ones that stood when they were
invited. Hypothesis shrinks a broken run to the shortest steps that break the rule.

Used by tests/unit/test_conversation_fuzz.py (a few hundred steps) and
bench/conversation_fuzz.py (a long run).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from bot.conversation.replies import Reply, intent_payload
from bot.feedback.priorities import NotReady
from bot.store import priorities as priority_store
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import make_engine, session_scope
from tests.support.conversation_model import (
    CRISIS,
    INPUTS,
    Action,
    Said,
    broken_rules,
    invite_to_priorities,
    snapshot,
)
from tests.unit.chat import Chat

EXTRA = [
    CRISIS,
    Said("free_text", "en", "breakfast is just toast and the tea is cold", "share_view", 0.97),
    Said("free_text", "en", "food", "share_view", 0.9),
    Said("free_text", "pl", "Chcę ciepłe śniadanie każdego dnia", "out_of_scope", 0.5),
    Said("goodbye", "en", "bye", "goodbye", 0.99),
    Said("no_more_updates", "en", "stop sending me updates", "no_more_updates", 0.99),
    Said("theme", "en", "hot dinners", "share_view", 0.9),
    Said("done", "en", "thats all", "goodbye", 0.9),
]
VOCABULARY = [*INPUTS, *EXTRA]
PANEL_DETAILS = [None, "", "We meet twice a year at the hostel."]
PANEL_PAID = [None, True, False]
#: More than any shipped consultation has, so taking part always reaches the end.
QUESTIONS_AT_MOST = 12


@dataclass
class Tally:
    """What every run of the machine did, added up across runs."""

    steps: int = 0
    runs: int = 0
    stages: Counter = field(default_factory=Counter)


TALLY = Tally()


class ConversationMachine(RuleBasedStateMachine):
    """One person and the staff, on a database of their own."""

    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="sayso-fuzz-"))
        path = self.directory / "sayso.db"
        shutil.copyfile(self.template, path)
        self.engine = make_engine(f"sqlite:///{path}")
        self.chat = Chat(self.engine)
        self.latest: list[Reply] = []
        self.seen: list[str] = []
        #: What the person must be told about the panel: set when they are invited.
        self.panel_told: priority_store.PanelWords | None = None
        TALLY.runs += 1

    # ---- what the person does -------------------------------------------------------------

    @rule(said=st.sampled_from(VOCABULARY))
    def type_words(self, said: Said) -> None:
        self._step(Action(said=said))

    @rule(text=st.text(max_size=40))
    def type_anything(self, text: str) -> None:
        self._step(Action(said=Said("anything", "?", text, "nlu_fallback", 0.3)))

    @rule(index=st.integers(min_value=0, max_value=20))
    def tap_a_button_shown_now(self, index: int) -> None:
        current = self._current_payloads()
        if current:
            self._step(Action(payload=current[index % len(current)]))

    @rule(index=st.integers(min_value=0, max_value=200))
    def tap_a_button_from_before(self, index: int) -> None:
        current = set(self._current_payloads())
        earlier = [payload for payload in self.seen if payload not in current]
        if earlier:
            self._step(Action(payload=earlier[index % len(earlier)], stale=True))

    @rule()
    def take_part_in_hostel_food(self) -> None:
        """Greet, agree, answer every question and agree to updates: what staff can invite.

        Random steps rarely get this far, and priorities and the panel come only after it.
        """
        if not snapshot(self.engine, self.chat.participant_id).consented:
            self._step(Action(said=Said("greet", "en", "hi", "greet")))
            self._tap(intent_payload("affirm", option="consent"))
        self._tap(intent_payload("choose", option="hostel-food"))
        for _ in range(QUESTIONS_AT_MOST):
            stage = snapshot(self.engine, self.chat.participant_id).stage
            if stage == "updates_consent":
                self._tap(intent_payload("affirm", option="updates_consent"))
            if stage != "question":
                return
            if self._current_payloads():
                self._step(Action(payload=self._current_payloads()[0]))
            else:
                self._step(Action(said=Said("free_text", "en", "hot food", "share_view", 0.9)))

    # ---- what staff do ----------------------------------------------------------------------

    @rule(details=st.sampled_from(PANEL_DETAILS), paid=st.sampled_from(PANEL_PAID))
    def staff_invite(self, details: str | None, paid: bool | None) -> None:
        """Staff close the hostel food consultation and invite, with or without panel words."""
        was_invited = self._invitation_words() is not None
        try:
            invite_to_priorities(self.engine, panel_details=details, panel_paid=paid)
        except NotReady:
            return
        self.latest = []  # closing a consultation makes the buttons on screen old ones
        if not was_invited:
            self.panel_told = self._invitation_words()

    # ---- each step --------------------------------------------------------------------------

    def _step(self, action: Action) -> None:
        before = snapshot(self.engine, self.chat.participant_id)
        if action.said is not None:
            said = action.said
            replies = self.chat.say(said.text, said.intent, said.confidence)
        else:
            replies = self.chat.send_payload(action.payload or "")
        after = snapshot(self.engine, self.chat.participant_id)
        TALLY.steps += 1
        TALLY.stages[after.stage if after.exists else "(nothing kept)"] += 1
        self.latest = replies
        self.seen += [button.payload for reply in replies for button in reply.buttons]
        broken = broken_rules(before, action, replies, after) + self._panel_words_broken(replies)
        if not after.exists:
            self.panel_told = None
        assert not broken, f"{action.label} at {before.stage}: " + "; ".join(broken)

    def _tap(self, payload: str) -> None:
        """Tap a button, shown now or (when it is not) from an earlier message."""
        self._step(Action(payload=payload, stale=payload not in self._current_payloads()))

    def _current_payloads(self) -> list[str]:
        return [button.payload for reply in self.latest for button in reply.buttons]

    def _invitation_words(self) -> priority_store.PanelWords | None:
        with session_scope(self.engine) as session:
            consultation = get_consultation_by_slug(session, "hostel-food")
            participant_id = self.chat.participant_id
            if priority_store.get_invitation(session, consultation.id, participant_id) is None:
                return None
            return priority_store.panel_words(session, consultation.id, participant_id)

    def _panel_words_broken(self, replies: list[Reply]) -> list[str]:
        """The panel is described as it stood when the person was invited."""
        names = [reply.response for reply in replies]
        if "utter_panel_intro" not in names or self.panel_told is None:
            return []
        shown = replies[names.index("utter_panel_intro") + 1]
        told = self.panel_told
        details_ok = (
            shown.text == told.details
            if told.details
            else shown.response == ("utter_panel_details")
        )
        if not details_ok or ("utter_panel_paid" in names) != told.paid:
            return [f"panel words changed: told {told}, shown {names} {shown.text!r}"]
        return []

    def teardown(self) -> None:
        self.engine.dispose()
        shutil.rmtree(self.directory, ignore_errors=True)

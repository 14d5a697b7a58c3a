"""What people type and tap, as NLU reads it, and what must hold after every reply.

Shared by the state-by-input table (tests/unit/test_conversation_table.py), the stateful fuzz
(tests/unit/test_conversation_fuzz.py) and its long run (bench/conversation_fuzz.py), so all
three hold the engine to the same rules.

The intent and confidence of each text are what Sayso's trained model (models/sayso.tar.gz)
gave for it. They matter: NLU reads "maybe" as stop, "not sure" as yes and "nie wiem" as no,
so the engine must not take those intents at their word.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot import PROJECT_ROOT
from bot.consultations.sync import sync_consultations
from bot.conversation.replies import Reply
from bot.conversation.words import words
from bot.feedback import priorities
from bot.store import themes as theme_store
from bot.store.consultations import get_consultation_by_slug
from bot.store.database import make_engine, session_scope
from bot.store.schema import (
    ConversationState,
    Participant,
    PriorityInvitation,
    Question,
    Response,
)


@dataclass(frozen=True)
class Said:
    """One typed message: its words, what NLU made of them, and what kind of input it is."""

    kind: str
    language: str
    text: str
    intent: str | None
    confidence: float = 0.99

    @property
    def label(self) -> str:
        return f"{self.kind} ({self.language}): {self.text!r}" if self.text else self.kind


LANGUAGES = ("en", "pl", "ro")


def _meta(kind: str, en: str, pl: str, ro: str, confidences: tuple = (0.99,) * 3) -> list[Said]:
    return [
        Said(kind, language, text, kind, confidence)
        for language, text, confidence in zip(LANGUAGES, (en, pl, ro), confidences, strict=True)
    ]


GREETINGS = [Said("greet", "en", "hi", "greet"), Said("greet", "pl", "cześć", "greet")]
GREETINGS.append(Said("greet", "ro", "bună", "greet"))
YES = [Said("yes", lang, text, "affirm") for lang, text in (("en", "yes"), ("pl", "tak"))]
YES.append(Said("yes", "ro", "da", "affirm"))
NO = [Said("no", lang, text, "deny") for lang, text in (("en", "no"), ("pl", "nie"))]
NO.append(Said("no", "ro", "nu", "deny"))
#: Unsure words, with the intents the model really gives them.
UNSURE = [
    Said("unsure", "en", "maybe", "stop", 0.99),
    Said("unsure", "en", "not sure", "affirm", 0.92),
    Said("unsure", "pl", "może", "nlu_fallback", 0.4),
    Said("unsure", "pl", "nie wiem", "deny", 0.95),
    Said("unsure", "ro", "poate", "skip", 0.47),
    Said("unsure", "ro", "nu știu", "deny", 0.63),
]
META = [
    *_meta("help", "help", "pomoc", "ajutor"),
    *_meta("repeat", "repeat", "powtórz", "repetă"),
    *_meta("simpler", "simpler", "prościej", "mai simplu"),
    *_meta("skip", "skip", "pomiń", "sari"),
    *_meta("stop", "stop", "stój", "gata", (0.99, 0.62, 0.99)),
    *_meta("start_again", "start again", "od nowa", "de la capăt"),
    *_meta(
        "talk_to_person",
        "talk to a person",
        "chcę rozmawiać z człowiekiem",
        "vreau să vorbesc cu un om",
    ),
    *_meta(
        "what_happened",
        "what happened to what i said",
        "co się stało z tym co powiedziałem",
        "ce s-a întâmplat cu ce am spus",
    ),
    *_meta("delete_data", "delete my data", "usuń moje dane", "șterge datele mele"),
]
VIEW = "the dinners at the hostel are always cold and there is no veg"
ODD = [
    Said("free_text", "en", VIEW, "share_view", 1.0),
    Said("emoji", "en", "👍", "affirm", 0.99),
    Said("empty", "en", "", None, 0.0),
    Said("number", "en", "7", "choose", 0.99),
    Said("other_language", "pl", "jedzenie jest zimne", "goodbye", 0.58),
    Said("other_language", "ro", "mâncarea e rece", "nlu_fallback", 0.4),
]
#: Everything the table tries in every state (taps are added by the table itself).
INPUTS: list[Said] = [*GREETINGS, *YES, *NO, *UNSURE, *META, *ODD]
CRISIS = Said("crisis", "en", "he hits me every night", "share_view", 0.95)

#: Sayso's own yes/no steps, and the ones where typed yes/no also answer.
YES_NO_STAGES = {
    "consent",
    "route_confirm",
    "routed_offer",
    "updates_consent",
    "resume_offer",
    "delete_confirm",
    "crisis_check",
    "panel_offer",
    "language_offer",
}
REQUEST_KINDS = {"help", "talk_to_person", "what_happened", "delete_data", "stop"}
WHAT_HAPPENED = {
    "utter_no_answers_yet",
    "utter_update_pending",
    "utter_update_late",
    "utter_outcome_news",
}
SAY_HI = ("say hi", "napisz cześć", "scrie salut")


# ---- reading replies ------------------------------------------------------------------------


def english(reply: Reply) -> str:
    """The reply as an English reader sees it, for checks that read the words."""
    if reply.response is None:
        return reply.text or ""
    return words(reply.response, "en", **dict(reply.params))


def asking(replies: list[Reply]) -> list[Reply]:
    """The messages that want an answer: with buttons, ending with a question, or a
    consultation's question (which follows "Question 2 of 5" and may end "Tell us more.")."""
    found = []
    for index, reply in enumerate(replies):
        after_number = index > 0 and replies[index - 1].response == "utter_question_number"
        if reply.buttons or english(reply).rstrip().endswith("?") or after_number:
            found.append(reply)
    return found


def instructs(reply: Reply) -> bool:
    """A message that says what to do next, like "Say hi when you want to carry on"."""
    text = english(reply).lower()
    return any(words_ in text for words_ in ("say hi", "tell me", "you can ask me"))


def name(reply: Reply) -> str:
    return reply.response or "(consultation words)"


# ---- what the database holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Everything about one person that a turn may change."""

    exists: bool = False
    stage: str | None = None
    return_stage: str | None = None
    consultation_id: int | None = None
    question_id: int | None = None
    question_kind: str | None = None
    consented: bool = False
    updates: bool | None = None
    answers: dict[int, str] = field(default_factory=dict)
    duplicate_answers: int = 0
    comments: int = 0
    panel_answers: int = 0
    language: str = "en"


def snapshot(engine: Engine, participant_id: str) -> Snapshot:
    with session_scope(engine) as session:
        person = session.get(Participant, participant_id)
        if person is None:
            return Snapshot()
        state = session.get(ConversationState, participant_id)
        question = session.get(Question, state.question_id) if state and state.question_id else None
        rows = list(
            session.execute(
                select(Response).where(Response.participant_id == participant_id)
            ).scalars()
        )
        panel = session.execute(
            select(func.count()).where(
                PriorityInvitation.participant_id == participant_id,
                PriorityInvitation.panel_answered_at.is_not(None),
            )
        ).scalar_one()
        answered = [row.question_id for row in rows if row.question_id is not None]
        return Snapshot(
            exists=True,
            stage=state.stage if state else None,
            return_stage=state.return_stage if state else None,
            consultation_id=state.consultation_id if state else None,
            question_id=state.question_id if state else None,
            question_kind=question.kind if question else None,
            consented=person.consent_take_part_at is not None,
            updates=person.consent_updates,
            answers={row.question_id: row.text for row in rows if row.question_id is not None},
            duplicate_answers=len(answered) - len(set(answered)),
            comments=sum(1 for row in rows if row.question_id is None),
            panel_answers=panel,
            language=person.language or "en",
        )


# ---- the rules every turn must keep ---------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """What the person did: typed `said`, or tapped `payload` (stale: from an earlier step)."""

    said: Said | None = None
    payload: str | None = None
    stale: bool = False

    @property
    def label(self) -> str:
        if self.said is not None:
            return self.said.label
        return f"{'stale ' if self.stale else ''}tap {self.payload}"

    @property
    def kind(self) -> str:
        return self.said.kind if self.said else "tap"

    def payload_part(self, key: str) -> object:
        """The `option` or `question` a tapped payload names, if any."""
        if self.payload is None or "{" not in self.payload:
            return None
        return json.loads(self.payload[self.payload.index("{") :]).get(key)


def at_yes_no_step(before: Snapshot) -> bool:
    return before.stage in YES_NO_STAGES or (
        before.stage == "question" and before.question_kind == "yes_no"
    )


def offered_language(after: Snapshot, replies: list[Reply]) -> bool:
    """Someone writing Polish or Romanian is offered that language once, instead of a reply."""
    return after.stage == "language_offer" and "utter_offer_language" in map(name, replies)


def broken_rules(
    before: Snapshot, action: Action, replies: list[Reply], after: Snapshot
) -> list[str]:
    """Every rule this turn broke, in words; empty when the turn was fine."""
    names = [name(reply) for reply in replies]
    broken: list[str] = []
    asked = asking(replies)
    crisis = "utter_crisis_help" in names  # help first; the crisis path is checked elsewhere
    if not crisis and not asked and not any(instructs(reply) for reply in replies):
        broken.append(f"dead end: nothing asked and no way forward in {names}")
    if len(asked) > 1:
        broken.append(f"two questions in one reply: {names}")
    if after.duplicate_answers:
        broken.append("an answer is stored twice")
    if after.exists and after.comments > before.comments + 1:
        broken.append("the same words were kept twice")
    broken += _lost_answer(before, action, replies, after)
    broken += _requests(before, action, replies, after)
    broken += _unsure(before, action, replies, after)
    broken += _consent(before, action, after)
    broken += _stale(before, action, names, after)
    broken += _current_tap(action, names)
    broken += _greeting_after_stop(before, action, names, after)
    return broken


def _lost_answer(before: Snapshot, action: Action, replies: list[Reply], after: Snapshot) -> list:
    """Moving on from a question, other than by skip, means its answer is stored."""
    names = [name(reply) for reply in replies]
    if action.kind == "skip" and offered_language(after, replies):
        return []  # skipped, and the language offer was said instead of "OK, we can skip"
    if action.payload is not None and action.payload_part("question") is None:
        return []  # a topic or priorities button opens that on purpose, from anywhere
    moved_on = (
        before.stage == "question"
        and after.exists
        and after.consultation_id == before.consultation_id
        and after.question_id != before.question_id
        and after.stage in ("question", "updates_consent", "crisis_check", "language_offer")
    )
    if moved_on and "utter_skipped" not in names and before.question_id not in after.answers:
        return [f"answer lost: moved on from question {before.question_id} without keeping it"]
    return []


def _requests(before: Snapshot, action: Action, replies: list[Reply], after: Snapshot) -> list:
    """Help, a person, what happened, delete and stop work from every step."""
    said = action.said
    if said is None or said.kind not in REQUEST_KINDS or not before.exists:
        return []
    if before.stage == "question" and before.question_kind == "free_text" and said.confidence < 0.8:
        return []  # an unsure request at a free-text question is kept as the answer, by design
    if offered_language(after, replies):
        return []
    names = [name(reply) for reply in replies]
    expected = {
        "help": "utter_help" in names,
        "talk_to_person": "utter_talk_to_person" in names,
        "what_happened": bool(WHAT_HAPPENED & set(names)),
        "delete_data": "utter_confirm_delete" in names or "utter_nothing_to_delete" in names,
        "stop": ("utter_stopped" in names and after.stage == "paused")
        or ("utter_consent_declined" in names and not after.exists),
    }
    if not expected[said.kind]:
        return [f"{said.kind} did not work at {before.stage}: got {names}"]
    return []


def _unsure(before: Snapshot, action: Action, replies: list[Reply], after: Snapshot) -> list:
    """At a yes/no step, unsure words ask again in plain words and change nothing (the
    language offer may come first for words in Polish or Romanian)."""
    if action.kind != "unsure" or not before.exists or not at_yes_no_step(before):
        return []
    names = [name(reply) for reply in replies]
    offered = offered_language(after, replies) and before.stage in (
        after.return_stage,
        "language_offer",
    )
    unchanged = (
        after.exists
        and (after.stage == before.stage or offered)
        and after.consented == before.consented
        and after.updates == before.updates
        and after.answers == before.answers
        and after.panel_answers == before.panel_answers
    )
    if not unchanged or "utter_stopped" in names:
        return [f"unsure words were taken as an answer or a request at {before.stage}: {names}"]
    plain = before.stage == "consent" or any("yes or no" in english(r).lower() for r in replies)
    if not offered and not plain:
        return [f"unsure words at {before.stage} were not told plainly that yes or no will do"]
    return []


def _consent(before: Snapshot, action: Action, after: Snapshot) -> list:
    """Only a clear yes, typed or tapped, counts as consent."""
    own_button = not action.stale or action.payload_part("option") == "consent"
    tapped_yes = (action.payload or "").startswith("/affirm") and own_button
    clear_yes = action.kind == "yes" or tapped_yes
    if not before.consented and after.consented and not clear_yes:
        return [f"consent recorded from {action.label}"]
    return []


def _stale(before: Snapshot, action: Action, names: list[str], after: Snapshot) -> list:
    """A button from an earlier step is answered kindly, and nothing is stored from it."""
    if not action.stale or not before.exists:
        return []
    question = action.payload_part("question")
    old_answer = question is not None and not (
        before.stage == "question" and question == before.question_id
    )
    if not old_answer:
        return []
    if "utter_old_button" not in names or after.answers != before.answers:
        return [f"a stale answer button at {before.stage} was not refused kindly: {names}"]
    return []


def _current_tap(action: Action, names: list[str]) -> list:
    """ "Tap one": a button Sayso is showing now always works."""
    refused = {"utter_old_button", "utter_not_a_button", "utter_priorities_not_understood"}
    if action.payload is None or action.stale or not refused & set(names):
        return []
    return [f"a button shown now was refused: {action.payload} got {names}"]


def _greeting_after_stop(
    before: Snapshot, action: Action, names: list[str], after: Snapshot
) -> list:
    """ "Say hi when you want to carry on" must work."""
    if action.kind != "greet" or before.stage != "paused":
        return []
    if after.stage == "paused" or "utter_paused" in names:
        return [f"hi after stopping did not carry on: {names}"]
    return []


# ---- a fresh database -------------------------------------------------------------------------


THEMES = ("Hot dinners", "More fruit", "Halal meals")


def close_hostel_food_with_themes(engine: Engine) -> None:
    """Staff close the hostel food consultation and publish three themes, once."""
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        if consultation.status == "closed":
            return
        consultation.status = "closed"
        question = next(item for item in consultation.questions if item.key == "food-ideas")
        for label in THEMES:
            theme_store.add_theme(session, consultation.id, question.id, label).status = "published"


def invite_to_priorities(engine: Engine, **panel: object) -> int:
    """Staff press "Invite people to choose priorities", with the panel words given."""
    close_hostel_food_with_themes(engine)
    with session_scope(engine) as session:
        consultation = get_consultation_by_slug(session, "hostel-food")
        return priorities.invite(session, consultation, **panel)


def template_database(directory: Path) -> Path:
    """A database file holding the shipped consultations, to copy for each run."""
    path = directory / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        report = sync_consultations(session, PROJECT_ROOT / "consultations")
    assert not report.problems, report.problems
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path

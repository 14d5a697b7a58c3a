"""The participant conversation: given one message, decide what happens and what to say.

Rasa understands the message (intent, entities); this module decides what comes next from the
database, so a new or edited consultation needs no retraining. Order of checks on every turn:
blank input, safeguarding, meta requests (help, stop, delete...), then the current stage.
Everything is written in the caller's transaction; the caller sends replies only after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.consultations.answers import Interpretation, interpret_answer
from bot.consultations.routing import best_consultation, candidate_for
from bot.consultations.spec import RUNG_RESPONSES
from bot.conversation import stages
from bot.conversation.input_checks import is_blank, is_emoji_only, looks_like_another_language
from bot.conversation.priorities import STAGES as PRIORITY_STAGES
from bot.conversation.priorities import PriorityChoosing, is_priority_tap
from bot.conversation.replies import Button, Reply, intent_payload, yes_no_buttons
from bot.conversation.turn import Turn
from bot.feedback import delivery, follow_up
from bot.feedback.what_happened import what_happened
from bot.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    TRANSLATED_LANGUAGES,
    button_title,
    plain_date,
    requested_language,
)
from bot.meaning.language import guess_language
from bot.privacy.cipher import Cipher
from bot.safeguarding.layers import assess
from bot.store import consultations as consultation_store
from bot.store import follow_ups
from bot.store import outcomes as outcome_store
from bot.store import participants as participant_store
from bot.store import responses as response_store
from bot.store import safety as safety_store
from bot.store import translations as translation_store
from bot.store import voice_notes as voice_note_store
from bot.store.schema import Consultation, ConversationState, Outcome, Participant, Question

#: Bump when the consent wording in domain.yml changes, so each consent names what was shown.
CONSENT_VERSION = "2026-11-v1"

META_INTENTS = {
    "help", "repeat", "simpler", "skip", "stop", "start_again", "talk_to_person",
    "what_happened", "delete_data", "no_more_updates", "ask_if_bot", "goodbye", "greet",
}  # fmt: skip
#: While a question is open, a message is read as a request (help, stop...) only when it is
#: short; anything longer is an answer, whatever NLU guessed. A free-text answer must also be
#: clearly a request. With buttons, typed words that match a button are the answer, and short
#: words that do not are more likely a request than an answer.
META_MAX_WORDS_IN_FREE_TEXT = 6
META_MIN_CONFIDENCE_IN_FREE_TEXT = 0.8
META_MAX_WORDS_WITH_BUTTONS = 8
#: Intents of someone telling us something, as opposed to asking the bot to do something.
SUBSTANTIVE_INTENTS = {"share_view", "nlu_fallback", None}
#: Up to this many words, text while choosing a topic names a topic rather than saying a view.
TOPIC_NAME_MAX_WORDS = 3
#: The replies that ask "What would you like to talk about?", which a waiting question may replace.
TOPIC_PROMPTS = ("utter_choose_consultation", "utter_anything_else", "utter_nothing_open")
#: Requests whose answer must not wait behind the language offer.
ANSWERED_BEFORE_LANGUAGE_OFFER = frozenset(
    {"help", "talk_to_person", "what_happened", "delete_data", "no_more_updates", "stop"}
)
#: The "yes" of the language offer, in the language offered.
OFFER_BUTTON_TITLES = {"en": "English", "pl": "Tak, po polsku", "ro": "Da, în română"}
#: Typed words that mean "a bit" when asked "Has this made things better for you?".
A_BIT_WORDS = {
    "a bit", "bit", "a little", "little", "a little bit", "somewhat", "sort of", "kind of",
    "a bit better", "a little better", "trochę", "troche", "trochę lepiej", "troche lepiej",
    "puțin", "putin", "un pic", "un pic mai bine", "puțin mai bine", "putin mai bine",
}  # fmt: skip
SKIP_BUTTON = Button("Skip", intent_payload("skip"))


@dataclass(frozen=True)
class Step:
    """One stage of the conversation: what a message there does, and what is asked there
    (said again for "repeat", "help" or after a request; `simpler` for "say it simpler")."""

    handle: Callable[[], list[Reply]]
    prompt: Callable[[bool], list[Reply]]


class Conversation:
    """One participant's conversation during one turn."""

    def __init__(self, session: Session, settings: Settings, turn: Turn, today: date) -> None:
        self.session = session
        self.settings = settings
        self.turn = turn
        self.today = today
        self.participant: Participant = participant_store.get_or_create_participant(
            session, turn.participant_id, turn.channel
        )
        self.state: ConversationState = participant_store.get_state(
            session, turn.participant_id
        ) or participant_store.set_state(session, turn.participant_id, stages.NEW)
        #: Set for a turn whose replies must be in the language the person wrote in.
        self.reply_language: str | None = None

    # ---- the turn -------------------------------------------------------------------------

    def take_turn(self) -> list[Reply]:
        """Updates held for someone with no push channel come first, then this turn's replies.

        They are collected after the turn, so a turn that stops updates shows none. A held
        message that asks something (a priorities invitation) only takes the place of "What
        would you like to talk about?", so one reply never asks two things.
        """
        replies = self._respond()
        may_ask = self._asks_for_a_topic(replies)
        held = delivery.collect_held(self.session, self.participant.id, may_ask=may_ask)
        news = [reply for reply in held if not reply.buttons]
        asked = [reply for reply in held if reply.buttons]
        if asked:
            replies = [*replies[:-1], *asked]
            if follow_up.outcome_of_buttons(asked[0].buttons) is not None:
                self._detour(stages.FOLLOW_UP)
            else:
                self._priorities().open_delivered(asked[0])
        return [self._in_language(reply) for reply in [*news, *replies]]

    def _asks_for_a_topic(self, replies: list[Reply]) -> bool:
        return (
            self.state.stage in stages.RESTING
            and bool(replies)
            and replies[-1].response in TOPIC_PROMPTS
        )

    def _respond(self) -> list[Reply]:
        turn = self.turn
        if turn.voice_note_id is not None:
            return self._on_voice_note(turn.voice_note_id)
        if is_blank(turn.text) and not turn.from_button:
            return [Reply("utter_empty"), *self.current_prompt()]
        plain_request = turn.from_button or requested_language(turn.text) is not None
        assessment = None if plain_request else assess(turn.text, turn.intent, turn.confidence)
        if assessment is not None and assessment.crisis:
            return self._on_concern(assessment.category)
        needs_answer = self._is_meta_request() and turn.intent in ANSWERED_BEFORE_LANGUAGE_OFFER
        replies = self._respond_to_request_or_answer()
        if not needs_answer and self._should_offer_language():
            replies = self._offer_language()
        return replies if assessment is None else [*replies, Reply("utter_check_in")]

    def _respond_to_request_or_answer(self) -> list[Reply]:
        turn = self.turn
        language = None if turn.from_button else requested_language(turn.text)
        if language is not None:
            return self._on_language(language)
        if self._is_meta_request():
            return self._meta_handlers()[turn.intent]()
        if self._is_stale_button():
            return [Reply("utter_old_button"), *self.current_prompt()]
        if is_priority_tap(turn):
            return self._choosing_priorities(self._priorities().on_tap())
        tapped = follow_up.tapped_answer(turn.option) if turn.from_button else None
        if tapped is not None and turn.intent == "choose":
            return self._on_follow_up_tap(*tapped)
        if self._typed_answer_to_pushed_follow_up() is not None:
            return self._on_follow_up()
        linked = self._linked_consultation()
        if linked is not None:
            return self._on_linked_consultation(linked)
        if self.state.stage in (stages.CHOOSING, stages.FINISHED) and not turn.from_button:
            typed_theme = self._priorities().typed_a_theme()
            if typed_theme is not None:
                return self._choosing_priorities(typed_theme)
        return self._step().handle()

    def _is_meta_request(self) -> bool:
        turn = self.turn
        if turn.intent not in META_INTENTS:
            return False
        if turn.from_button:
            return True
        if turn.is_unsure or self._priorities().reads_as_choice():
            return False
        question = self._current_question()
        consultation = self._current_consultation()
        if self.state.stage == stages.FOLLOW_UP_WORDS:  # optional words: a word or two is a request
            return turn.word_count <= TOPIC_NAME_MAX_WORDS or (
                turn.word_count <= META_MAX_WORDS_IN_FREE_TEXT
                and turn.confidence >= META_MIN_CONFIDENCE_IN_FREE_TEXT
            )
        if self.state.stage == stages.FOLLOW_UP and self._follow_up_answer() is not None:
            return False
        if self._typed_answer_to_pushed_follow_up() is not None:
            return False
        if self.state.stage != stages.QUESTION or question is None or consultation is None:
            return True
        if question.kind == "free_text":
            return (
                turn.word_count <= META_MAX_WORDS_IN_FREE_TEXT
                and turn.confidence >= META_MIN_CONFIDENCE_IN_FREE_TEXT
            )
        if self._read_answer(consultation, question).value is not None:
            return False
        return turn.word_count <= META_MAX_WORDS_WITH_BUTTONS

    def _is_stale_button(self) -> bool:
        """A button from an earlier step: an answer to a question not being asked now, a yes
        or no from another step, or a yes or no where nothing asks yes or no. Topic,
        language and priority buttons work from anywhere, on purpose."""
        turn = self.turn
        if not turn.from_button:
            return False
        if turn.question_id is not None:
            asked = (
                self.state.stage == stages.QUESTION and turn.question_id == self.state.question_id
            )
            return not asked
        if turn.intent not in ("affirm", "deny"):
            return False
        other_step = turn.option is not None and turn.option != self.state.stage
        return other_step or not self._asks_yes_or_no()

    def _asks_yes_or_no(self) -> bool:
        stage = self.state.stage
        if stage in (*stages.YES_NO, stages.NEW, stages.PAUSED):
            return True
        question = self._current_question()
        return stage == stages.QUESTION and question is not None and question.kind == "yes_no"

    def _steps(self) -> dict[str, Step]:
        """Every stage of the conversation: what a message there does, and what is asked."""
        choosing = Step(self._on_choosing, self._prompt_choosing)
        priorities = Step(self._on_priorities_message, self._prompt_priorities)
        return {
            stages.NEW: Step(self._on_new, self._prompt_new),
            stages.CONSENT: Step(self._on_consent, lambda simpler: [self._consent_prompt(simpler)]),
            stages.CHOOSING: choosing,
            stages.FINISHED: choosing,
            stages.ROUTE_CONFIRM: Step(self._on_route_confirm, self._prompt_route_confirm),
            stages.ROUTED_OFFER: Step(self._on_routed_offer, self._prompt_routed_offer),
            stages.LANGUAGE_OFFER: Step(
                self._on_language_offer, lambda _: self._language_question()
            ),
            stages.QUESTION: Step(self._on_answer, self._prompt_question),
            stages.UPDATES_CONSENT: Step(
                self._on_updates_consent,
                lambda _: [
                    Reply("utter_ask_updates", buttons=yes_no_buttons(stages.UPDATES_CONSENT))
                ],
            ),
            stages.PAUSED: Step(self._on_return, lambda _: [Reply("utter_paused")]),
            stages.RESUME_OFFER: Step(self._on_resume_offer, lambda _: self._resume_offer()),
            stages.DELETE_CONFIRM: Step(self._on_delete_confirm, lambda _: [self._delete_prompt()]),
            stages.CRISIS_CHECK: Step(self._on_crisis_check, lambda _: [self._ask_carry_on()]),
            stages.PRIORITIES: priorities,
            stages.PANEL_OFFER: priorities,
            stages.FOLLOW_UP: Step(self._on_follow_up, self._prompt_follow_up),
            stages.FOLLOW_UP_WORDS: Step(
                self._on_follow_up_words,
                lambda _: [Reply("utter_follow_up_more", buttons=(SKIP_BUTTON,))],
            ),
        }

    def _step(self) -> Step:
        """The current stage's step; a stage no longer known starts afresh."""
        return self._steps().get(self.state.stage) or Step(self._on_new, self._prompt_choosing)

    def _meta_handlers(self) -> dict[str | None, Callable[[], list[Reply]]]:
        return {
            "help": lambda: [Reply("utter_help"), *self.current_prompt()],
            "repeat": self.current_prompt,
            "simpler": lambda: self.current_prompt(simpler=True),
            "skip": self._on_skip,
            "stop": self._on_stop,
            "start_again": self._on_start_again,
            "talk_to_person": lambda: [
                Reply("utter_talk_to_person", params={"contact": self.settings.service_contact}),
                *self.current_prompt(),
            ],
            "what_happened": lambda: [*self._what_happened(), *self.current_prompt()],
            "no_more_updates": self._on_no_more_updates,
            "delete_data": self._on_delete_request,
            "ask_if_bot": lambda: [Reply("utter_i_am_a_bot"), *self.current_prompt()],
            "goodbye": self._on_goodbye,
            "greet": self._on_greet,
        }

    # ---- state helpers --------------------------------------------------------------------

    def _move(
        self,
        stage: str,
        consultation: Consultation | None = None,
        question: Question | None = None,
        pending_text: str | None = None,
    ) -> None:
        participant_store.set_state(
            self.session,
            self.participant.id,
            stage,
            consultation.id if consultation else None,
            question.id if question else None,
            pending_text,
        )

    def _current_consultation(self) -> Consultation | None:
        if self.state.consultation_id is None:
            return None
        return self.session.get(Consultation, self.state.consultation_id)

    def _current_question(self) -> Question | None:
        if self.state.question_id is None:
            return None
        return self.session.get(Question, self.state.question_id)

    def _has_consented(self) -> bool:
        return self.participant.consent_take_part_at is not None

    def _detour(self, stage: str) -> None:
        """Ask a yes/no question of our own, remembering where to come back to."""
        if self.state.stage not in stages.DETOURS:
            self.state.return_stage = self.state.stage
        self.state.stage = stage

    def _return_from_detour(self) -> None:
        self.state.stage = self.state.return_stage or stages.CHOOSING
        self.state.return_stage = None

    # ---- prompts --------------------------------------------------------------------------

    def current_prompt(self, simpler: bool = False) -> list[Reply]:
        """What the person is being asked right now, said again."""
        return self._step().prompt(simpler)

    def _prompt_new(self, simpler: bool) -> list[Reply]:
        self.state.stage = stages.CONSENT
        return [self._greeting(), self._consent_prompt(simpler)]

    def _prompt_choosing(self, _: bool = False) -> list[Reply]:
        return self._choose_prompt()

    def _prompt_question(self, simpler: bool) -> list[Reply]:
        question = self._current_question()
        consultation = self._current_consultation()
        if question and consultation:
            return self._ask(consultation, question, simpler)
        return self._choose_prompt()

    def _prompt_route_confirm(self, _: bool) -> list[Reply]:
        consultation = self._current_consultation()
        return [self._route_question(consultation)] if consultation else self._choose_prompt()

    def _prompt_routed_offer(self, _: bool) -> list[Reply]:
        consultation = self._current_consultation()
        return [self._offer_questions(consultation)] if consultation else self._choose_prompt()

    def _prompt_priorities(self, _: bool) -> list[Reply]:
        """The themes still to pick, or the panel question; once nothing is under way, the
        person is between things again."""
        asked = self._priorities().prompt()
        if asked:
            return asked
        self.state.stage = stages.FINISHED
        return self._choose_prompt()

    def _prompt_follow_up(self, simpler: bool) -> list[Reply]:
        asked = self._follow_up_question()
        if asked:
            return asked
        self._return_from_detour()
        return self.current_prompt(simpler)

    def _greeting(self) -> Reply:
        """Hello, and that Sayso is a bot: said before consent is ever asked."""
        return Reply("utter_greet", params={"service": self.settings.service_name})

    def _unclear(self) -> list[Reply]:
        """A yes/no step asked again; someone unsure hears plainly that yes or no will do."""
        line = "utter_yes_or_no_is_fine" if self.turn.is_unsure else "utter_please_yes_or_no"
        return [Reply(line), *self.current_prompt()]

    def _consent_prompt(self, simpler: bool = False) -> Reply:
        buttons = yes_no_buttons(stages.CONSENT, "Yes, that's OK", "No thanks")
        return Reply("utter_consent_simple" if simpler else "utter_consent", buttons=buttons)

    def _ask_carry_on(self) -> Reply:
        return Reply("utter_ask_carry_on", buttons=yes_no_buttons(stages.CRISIS_CHECK))

    def _delete_prompt(self) -> Reply:
        buttons = yes_no_buttons(stages.DELETE_CONFIRM, "Yes, delete it all", "No, keep it")
        return Reply("utter_confirm_delete", buttons=buttons)

    def _open_consultations(self) -> list[Consultation]:
        return consultation_store.open_consultations(self.session, self.today)

    def _choose_prompt(self, lead: str = "utter_choose_consultation") -> list[Reply]:
        consultations = self._open_consultations()
        if not consultations:
            return [Reply("utter_nothing_open")]
        buttons = tuple(
            Button(self._words(item).title, intent_payload("choose", option=item.slug))
            for item in consultations
        )
        return [Reply(lead, buttons=buttons)]

    def _ask(self, consultation: Consultation, question: Question, simpler: bool) -> list[Reply]:
        number, total = consultation_store.question_number(consultation, question)
        words = self._words(consultation)
        prompt = words.question(question, simpler)
        buttons = tuple(
            Button(
                words.option_label(question, option),
                intent_payload("choose", option=option["value"], question=question.id),
            )
            for option in question.options
        )
        return [
            Reply("utter_question_number", params={"number": str(number), "total": str(total)}),
            Reply(text=prompt, buttons=buttons),
        ]

    def _intro(self, consultation: Consultation) -> list[Reply]:
        words = self._words(consultation)
        return [
            Reply(text=f"{words.title}. {words.summary}"),
            Reply(RUNG_RESPONSES[consultation.ladder_rung]),
            Reply(text=words.who_decides),
            Reply(
                "utter_hear_back_by",
                params={"feedback_due": self._date(consultation.feedback_due_on)},
            ),
        ]

    def _route_question(self, consultation: Consultation) -> Reply:
        buttons = yes_no_buttons(stages.ROUTE_CONFIRM, no="No, something else")
        return Reply(
            "utter_route_confirm",
            params={"title": self._words(consultation).title},
            buttons=buttons,
        )

    def _offer_questions(self, consultation: Consultation) -> Reply:
        return Reply(
            "utter_offer_questions",
            params={"title": self._words(consultation).title},
            buttons=yes_no_buttons(stages.ROUTED_OFFER),
        )

    def _resume_offer(self) -> list[Reply]:
        consultation = self._current_consultation()
        if consultation is None:
            return self._choose_prompt()
        return [
            Reply(
                "utter_welcome_back",
                params={"title": self._words(consultation).title},
                buttons=yes_no_buttons(stages.RESUME_OFFER),
            )
        ]

    # ---- starting and moving through a consultation ---------------------------------------

    def _start(self, consultation: Consultation) -> list[Reply]:
        question = consultation_store.first_question(consultation)
        if question is None:
            self._move(stages.CHOOSING)
            return self._choose_prompt()
        self._move(stages.QUESTION, consultation, question)
        return [*self._intro(consultation), *self._ask(consultation, question, simpler=False)]

    def _advance(self, consultation: Consultation, question: Question) -> list[Reply]:
        following = consultation_store.question_after(consultation, question)
        if following is not None:
            self._move(stages.QUESTION, consultation, following)
            return self._ask(consultation, following, simpler=False)
        self._move(stages.UPDATES_CONSENT, consultation)
        return [
            Reply(
                "utter_all_done",
                params={"feedback_due": self._date(consultation.feedback_due_on)},
            ),
            Reply("utter_ask_updates", buttons=yes_no_buttons(stages.UPDATES_CONSENT)),
        ]

    # ---- stage handlers -------------------------------------------------------------------

    def _on_new(self) -> list[Reply]:
        pending = None
        if self._is_substantive() and self.turn.word_count > TOPIC_NAME_MAX_WORDS:
            pending = self.turn.text
        self._move(stages.CONSENT, pending_text=pending)
        return [self._greeting(), self._consent_prompt()]

    def _on_consent(self) -> list[Reply]:
        """Only a clear yes is consent; anything else is asked again in plainer words."""
        answer = self.turn.yes_or_no
        if answer is None:
            line = "utter_consent_unsure" if self.turn.is_unsure else "utter_please_yes_or_no"
            return [Reply(line), self._consent_prompt(simpler=True)]
        if answer:
            participant_store.record_take_part_consent(
                self.session, self.participant, CONSENT_VERSION
            )
            pending = self.state.pending_text
            linked = self._current_consultation()
            self._move(stages.CHOOSING)
            if linked is not None:
                return [Reply("utter_consent_thanks"), *self._start(linked)]
            if pending:
                return [Reply("utter_consent_thanks"), *self._route(pending)]
            return [Reply("utter_consent_thanks"), *self._choose_prompt()]
        participant_store.delete_participant(self.session, self.participant.id)
        return [Reply("utter_consent_declined")]

    def _on_choosing(self) -> list[Reply]:
        consultations = self._open_consultations()
        chosen = self._pick_consultation(consultations)
        if chosen is not None:
            return self._start(chosen)
        if self.turn.from_button:
            return [Reply("utter_not_a_button"), *self._choose_prompt()]
        if self.turn.word_count <= TOPIC_NAME_MAX_WORDS and not self._is_other_language():
            return self._on_few_words(consultations)
        if not self._is_substantive():
            return [Reply("utter_out_of_scope"), *self._choose_prompt()]
        return self._route(self.turn.text)

    def _on_few_words(self, consultations: list[Consultation]) -> list[Reply]:
        """A few words while choosing: yes shows the topics, no says goodbye, and only words
        that could name a topic are matched to one, so "maybe" or "7" open nothing."""
        answer = self.turn.yes_or_no
        if answer is not None:
            return self._choose_prompt() if answer else self._on_goodbye()
        could_name = not self.turn.is_unsure and any(char.isalpha() for char in self.turn.text)
        named = self._best_match(self.turn.text, consultations) if could_name else None
        if named is not None:
            return self._start(named)
        return [Reply("utter_not_understood"), *self._choose_prompt()]

    def _is_substantive(self) -> bool:
        return self.turn.intent in SUBSTANTIVE_INTENTS or self._is_other_language()

    def _is_other_language(self) -> bool:
        return not self.turn.from_button and looks_like_another_language(self.turn.text)

    def _pick_consultation(self, consultations: list[Consultation]) -> Consultation | None:
        options = [{"value": item.slug, "label": item.title} for item in consultations]
        option = self.turn.option if self.turn.from_button else None
        picked = interpret_answer("choice", options, self.turn.text, option=option)
        return next((item for item in consultations if item.slug == picked.value), None)

    def _best_match(self, text: str, consultations: list[Consultation]) -> Consultation | None:
        candidates = [candidate_for(self.session, item) for item in consultations]
        slug = best_consultation(text, candidates)
        return next((item for item in consultations if item.slug == slug), None)

    def _route(self, text: str) -> list[Reply]:
        """Keep unprompted words as general feedback at once; ask before filing them elsewhere.

        They are stored before anything is said back, so nothing is lost if the person never
        answers; a clear yes moves them under the consultation that fits.
        """
        target = self._best_match(text, self._open_consultations())
        response_store.save_free_comment(
            self.session,
            self.participant.id,
            None,
            text,
            self.turn.channel,
            assisted_by=self.turn.assisted_by,
        )
        if target is None:
            self._move(stages.CHOOSING)
            return [Reply("utter_kept_as_general"), *self._choose_prompt()]
        self._move(stages.ROUTE_CONFIRM, target)
        return [self._route_question(target)]

    def _on_route_confirm(self) -> list[Reply]:
        consultation = self._current_consultation()
        answer = self.turn.yes_or_no
        if answer and consultation is not None:
            response_store.file_general_comment(self.session, self.participant.id, consultation)
            self._move(stages.ROUTED_OFFER, consultation)
            return [
                Reply("utter_routed", params={"title": self._words(consultation).title}),
                self._offer_questions(consultation),
            ]
        if answer is False or consultation is None:
            self._move(stages.CHOOSING)
            return [Reply("utter_kept_as_general"), *self._choose_prompt()]
        return self._unclear()

    def _on_routed_offer(self) -> list[Reply]:
        consultation = self._current_consultation()
        answer = self.turn.yes_or_no
        if answer and consultation is not None:
            return self._start(consultation)
        if answer is False:
            self._move(stages.CHOOSING)
            return [Reply("utter_no_problem"), *self._choose_prompt()]
        if self.turn.is_unsure or is_emoji_only(self.turn.text):
            return self._unclear()
        return self._on_choosing()

    def _on_answer(self) -> list[Reply]:
        consultation = self._current_consultation()
        question = self._current_question()
        if consultation is None or question is None:
            self._move(stages.CHOOSING)
            return self._choose_prompt()
        turn = self.turn
        if is_emoji_only(turn.text) and not turn.from_button:
            return [Reply("utter_emoji_only"), *self._ask(consultation, question, simpler=False)]
        if question.kind == "yes_no" and turn.is_unsure:
            return [
                Reply("utter_yes_no_or_skip"),
                *self._ask(consultation, question, simpler=False),
            ]
        reading = self._read_answer(consultation, question)
        if not reading.valid:
            return [Reply("utter_not_a_button"), *self._ask(consultation, question, simpler=False)]
        answer_text = turn.text
        if turn.from_button:
            answer_text = next(
                (item["label"] for item in question.options if item["value"] == reading.value),
                turn.text,
            )
        response_store.save_answer(
            self.session,
            self.participant.id,
            question,
            answer_text,
            reading.value,
            turn.channel,
            assisted_by=turn.assisted_by,
        )
        replies = []
        if self._is_other_language() and self.participant.language == DEFAULT_LANGUAGE:
            replies.append(Reply("utter_other_language"))
        return [*replies, *self._advance(consultation, question)]

    def _read_answer(self, consultation: Consultation, question: Question) -> Interpretation:
        """Match what was tapped or typed to an option: English words, or the person's own."""
        turn = self.turn
        option = turn.option if turn.from_button else None
        reading = interpret_answer(question.kind, question.options, turn.text, turn.intent, option)
        if reading.value is not None or option is not None or not question.options:
            return reading
        words = self._words(consultation)
        own_words = [
            {"value": item["value"], "label": words.option_label(question, item)}
            for item in question.options
        ]
        return interpret_answer(question.kind, own_words, turn.text, turn.intent)

    def _on_updates_consent(self) -> list[Reply]:
        agreed = self.turn.yes_or_no
        if agreed is None:
            return self._unclear()
        participant_store.record_updates_consent(
            self.session, self.participant, agreed, CONSENT_VERSION
        )
        if not agreed:
            delivery.stop_updates(self.session, self.participant.id)
        self._move(stages.FINISHED)
        reply = "utter_updates_yes" if agreed else "utter_updates_no"
        return [Reply(reply), *self._choose_prompt(lead="utter_anything_else")]

    def _on_return(self) -> list[Reply]:
        """A message after stopping: carry on where they left off, or take it as new words."""
        return self._come_back() or self._on_choosing()

    def _pause(self) -> None:
        """Stop here; saying hi later comes back to this step (under any yes/no detour)."""
        if self.state.stage not in (stages.PAUSED, *stages.DETOURS):
            self.state.return_stage = self.state.stage
        self.state.stage = stages.PAUSED

    def _come_back(self) -> list[Reply] | None:
        """After a stop: offer the open question, or ask the step they stopped at again.

        None when there is nothing to come back to; the person is then choosing a topic.
        """
        paused_at = self.state.return_stage
        self.state.return_stage = None
        open_question = self.state.question_id is not None and self._current_consultation()
        if open_question and paused_at in (None, stages.QUESTION, stages.RESUME_OFFER):
            self.state.stage = stages.RESUME_OFFER
            return self._resume_offer()
        if paused_at in stages.COME_BACK_TO:
            self.state.stage = paused_at
            return [Reply("utter_hello_again"), *self.current_prompt()]
        self._move(stages.CHOOSING)
        return None

    def _on_resume_offer(self) -> list[Reply]:
        consultation = self._current_consultation()
        question = self._current_question()
        answer = self.turn.yes_or_no
        if answer and consultation and question:
            self.state.stage = stages.QUESTION
            return self._ask(consultation, question, simpler=False)
        if answer is False:
            self._move(stages.CHOOSING)
            return [Reply("utter_no_problem"), *self._choose_prompt()]
        return self._unclear()

    def _on_delete_confirm(self) -> list[Reply]:
        answer = self.turn.yes_or_no
        if answer:
            participant_store.delete_participant(self.session, self.participant.id)
            if self.turn.sender_id:
                sealed = Cipher(self.settings.address_key).seal(self.turn.sender_id)
                safety_store.request_tracker_erasure(self.session, sealed)
            return [Reply("utter_deleted")]
        if answer is False:
            self._return_from_detour()
            return [Reply("utter_delete_cancelled"), *self.current_prompt()]
        return self._unclear()

    def _on_crisis_check(self) -> list[Reply]:
        answer = self.turn.yes_or_no
        if answer:
            self._return_from_detour()
            return self.current_prompt()
        if answer is False:
            self._return_from_detour()
            self._pause()
            return [Reply("utter_take_care")]
        return self._unclear()

    # ---- safeguarding ---------------------------------------------------------------------

    def _on_concern(self, category: str) -> list[Reply]:
        """Help first, whatever the stage, in the language the person wrote in; the words are
        still kept if they answer a question."""
        written_in = guess_language(self.turn.text)
        if written_in in LANGUAGES:
            self.reply_language = written_in
        question = self._current_question()
        consultation = self._current_consultation()
        safety_store.raise_alert(
            self.session,
            self.participant.id,
            consultation.id if consultation else None,
            category,
            self.turn.channel,
        )
        if self.state.stage == stages.QUESTION and question and consultation:
            response_store.save_answer(
                self.session,
                self.participant.id,
                question,
                self.turn.text,
                None,
                self.turn.channel,
                assisted_by=self.turn.assisted_by,
            )
            following = consultation_store.question_after(consultation, question)
            if following is not None:
                self._move(stages.QUESTION, consultation, following)
            else:
                self._move(stages.UPDATES_CONSENT, consultation)
        replies = [
            Reply("utter_crisis_help"),
            *(Reply(text=line) for line in self.settings.extra_help_lines),
            Reply("utter_talk_to_person", params={"contact": self.settings.service_contact}),
        ]
        if not self._has_consented():
            return replies
        self._detour(stages.CRISIS_CHECK)
        return [*replies, self._ask_carry_on()]

    # ---- language ---------------------------------------------------------------------------

    def _on_language(self, language: str) -> list[Reply]:
        """Switch language at any point; answers and the place in the conversation stay."""
        self.participant.language = language
        if self.state.stage == stages.LANGUAGE_OFFER:
            self._return_from_detour()
        if self.state.stage == stages.NEW:
            return [Reply("utter_language_changed"), *self._on_new()]
        return [Reply("utter_language_changed"), *self.current_prompt()]

    def _should_offer_language(self) -> bool:
        """Someone writing Polish or Romanian while Sayso speaks English is asked, once.

        Not on a request that needs its answer ("talk to a person", "delete my data"): that is
        answered first, and the offer waits for their next words.
        """
        if self.turn.from_button or self.participant.language != DEFAULT_LANGUAGE:
            return False
        if self.state.stage in stages.DETOURS:
            return False  # a yes/no question of our own is open: it is answered first
        if participant_store.get_participant(self.session, self.participant.id) is None:
            return False
        return guess_language(self.turn.text) in TRANSLATED_LANGUAGES and not (
            participant_store.was_offered_a_language(self.session, self.participant.id)
        )

    def _offer_language(self) -> list[Reply]:
        """Ask instead of whatever came next; that is asked again once they have chosen."""
        language = guess_language(self.turn.text) or DEFAULT_LANGUAGE
        participant_store.record_language_offer(self.session, self.participant.id, language)
        self._detour(stages.LANGUAGE_OFFER)
        return self._language_question(language)

    def _offered_language(self) -> str:
        return participant_store.offered_language(self.session, self.participant.id)

    def _language_question(self, language: str | None = None) -> list[Reply]:
        """The offer, in the language offered: "Piszesz po polsku? [Tak, po polsku | English]"."""
        language = language or self._offered_language()
        self.reply_language = language
        buttons = (
            Button(OFFER_BUTTON_TITLES[language], intent_payload("choose", option=language)),
            Button("English", intent_payload("choose", option=DEFAULT_LANGUAGE)),
        )
        return [Reply("utter_offer_language", buttons=buttons)]

    def _on_language_offer(self) -> list[Reply]:
        turn = self.turn
        choice = turn.option if turn.from_button and turn.intent == "choose" else None
        answer = turn.yes_or_no
        if choice is None and answer is not None:
            choice = self._offered_language() if answer else DEFAULT_LANGUAGE
        if choice not in LANGUAGES:
            return self._unclear() if turn.is_unsure else self._language_question()
        self.participant.language = choice
        self._return_from_detour()
        if self.state.stage in (stages.NEW, stages.CONSENT):
            return [Reply("utter_language_changed"), self._greeting(), self._consent_prompt()]
        return [Reply("utter_language_changed"), *self.current_prompt()]

    def _date(self, day: date) -> str:
        return plain_date(day, self.participant.language)

    def _words(self, consultation: Consultation) -> translation_store.ConsultationWords:
        return translation_store.words_for(self.session, consultation, self.participant.language)

    def _in_language(self, reply: Reply) -> Reply:
        """Mark the reply with the person's language; Sayso's own button words in it too.

        Payloads never change, so buttons work whatever the language.
        """
        language = self.reply_language or self.participant.language or DEFAULT_LANGUAGE
        buttons = reply.buttons
        if language != DEFAULT_LANGUAGE:
            buttons = tuple(
                Button(button_title(button.title, language), button.payload) for button in buttons
            )
        return replace(reply, buttons=buttons, language=language)

    # ---- meta requests --------------------------------------------------------------------

    def _on_skip(self) -> list[Reply]:
        if self.state.stage in (stages.FOLLOW_UP, stages.FOLLOW_UP_WORDS):
            return self._leave_follow_up(Reply("utter_no_problem"))
        question = self._current_question()
        consultation = self._current_consultation()
        if self.state.stage == stages.QUESTION and question and consultation:
            return [Reply("utter_skipped"), *self._advance(consultation, question)]
        return [Reply("utter_nothing_to_skip"), *self.current_prompt()]

    def _on_stop(self) -> list[Reply]:
        if not self._has_consented():
            participant_store.delete_participant(self.session, self.participant.id)
            return [Reply("utter_consent_declined")]
        self._pause()
        return [Reply("utter_stopped")]

    def _on_goodbye(self) -> list[Reply]:
        if self._has_consented() and self.state.stage == stages.QUESTION:
            self._pause()
        return [Reply("utter_goodbye")]

    def _on_start_again(self) -> list[Reply]:
        if self.state.stage in PRIORITY_STAGES:
            return self._priorities().start_again()
        if not self._has_consented():
            self._move(stages.CONSENT)
            return [Reply("utter_start_again"), self._consent_prompt()]
        self._move(stages.CHOOSING)
        return [Reply("utter_start_again"), *self._choose_prompt()]

    def _on_greet(self) -> list[Reply]:
        stage = self.state.stage
        if stage in (stages.NEW, stages.CONSENT):
            return self._on_new()
        if stage == stages.PAUSED:
            return self._come_back() or [Reply("utter_hello_again"), *self._choose_prompt()]
        if stage == stages.QUESTION and self.state.question_id is not None:
            self.state.stage = stages.RESUME_OFFER
            return self._resume_offer()
        return [Reply("utter_hello_again"), *self.current_prompt()]

    def _on_delete_request(self) -> list[Reply]:
        if (
            not self._has_consented()
            and response_store.count_answers(self.session, self.participant.id) == 0
        ):
            participant_store.delete_participant(self.session, self.participant.id)
            return [Reply("utter_nothing_to_delete")]
        self._detour(stages.DELETE_CONFIRM)
        return [self._delete_prompt()]

    def _on_no_more_updates(self) -> list[Reply]:
        """Withdraw consent to be contacted, recorded with its time; answers stay."""
        if self._has_consented():
            participant_store.record_updates_consent(
                self.session, self.participant, False, CONSENT_VERSION
            )
            delivery.stop_updates(self.session, self.participant.id)
        if self.state.stage == stages.FOLLOW_UP:
            self._return_from_detour()  # no more asking whether an outcome helped
        return [Reply("utter_no_more_updates"), *self.current_prompt()]

    def _what_happened(self) -> list[Reply]:
        return what_happened(
            self.session, self.participant.id, self.participant.language, self.today
        )

    # ---- priorities and the panel --------------------------------------------------------------

    def _priorities(self) -> PriorityChoosing:
        return PriorityChoosing(self.session, self.participant, self.state, self.turn)

    def _on_priorities_message(self) -> list[Reply]:
        return self._choosing_priorities(self._priorities().on_message())

    def _choosing_priorities(self, replies: list[Reply]) -> list[Reply]:
        """Replies while choosing priorities; once finished, carry on where the person was.

        A reply with no buttons (a choice no longer open) is followed by what is asked now.
        """
        if self.state.stage in PRIORITY_STAGES and any(reply.buttons for reply in replies):
            return replies
        return [*replies, *self.current_prompt()]

    # ---- "did it help?" -------------------------------------------------------------------------

    def _follow_up_outcome(self) -> Outcome | None:
        outcome_id = follow_ups.open_question(self.session, self.participant.id)
        return self.session.get(Outcome, outcome_id) if outcome_id is not None else None

    def _follow_up_question(self) -> list[Reply]:
        """The follow-up shown again: what they told us, what was done, did it help?"""
        outcome = self._follow_up_outcome()
        if outcome is None:
            return []
        consultation = self.session.get(Consultation, outcome.consultation_id)
        assert consultation is not None
        language = self.participant.language or DEFAULT_LANGUAGE
        themes = outcome_store.themes_answered_by(self.session, self.participant.id, outcome)
        text = follow_up.question_text(self.session, consultation, outcome, themes, language)
        return [Reply(text=text, buttons=follow_up.buttons_for(outcome.id, language))]

    def _follow_up_answer(self) -> str | None:
        """Yes, a bit or no, typed; None when it is not clearly one of them."""
        text = " ".join(self.turn.text.casefold().strip(" .!?,").split())
        if text in A_BIT_WORDS:
            return follow_ups.A_BIT
        answer = self.turn.yes_or_no
        if answer is None:
            return None
        return follow_ups.YES if answer else follow_ups.NO

    def _typed_answer_to_pushed_follow_up(self) -> str | None:
        """Yes, a bit or no typed by someone at rest whose follow-up was pushed to them (on
        Telegram it arrives between turns, so their stage never became the follow-up's)."""
        if self.state.stage not in stages.RESTING or self.turn.from_button:
            return None
        answer = self._follow_up_answer()
        if answer is None or follow_ups.open_question(self.session, self.participant.id) is None:
            return None
        return answer

    def _on_follow_up(self) -> list[Reply]:
        outcome = self._follow_up_outcome()
        if outcome is None:
            self._return_from_detour()
            return self.current_prompt()
        answer = self._follow_up_answer()
        if answer is None:
            return [Reply("utter_follow_up_unclear"), *self.current_prompt()]
        return self._keep_follow_up_answer(outcome.id, answer)

    def _on_follow_up_tap(self, outcome_id: int, answer: str) -> list[Reply]:
        """A [Yes | A bit | No] button works from anywhere, as long as it was theirs."""
        if not follow_ups.was_asked(self.session, outcome_id, self.participant.id):
            return [Reply("utter_old_button"), *self.current_prompt()]
        return self._keep_follow_up_answer(outcome_id, answer)

    def _keep_follow_up_answer(self, outcome_id: int, answer: str) -> list[Reply]:
        follow_ups.record_answer(self.session, outcome_id, self.participant.id, answer)
        self._detour(stages.FOLLOW_UP_WORDS)
        return [
            Reply("utter_follow_up_thanks"),
            Reply("utter_follow_up_more", buttons=(SKIP_BUTTON,)),
        ]

    def _on_follow_up_words(self) -> list[Reply]:
        """One sentence of their own, or none. A "no" answer's words go to the next theming."""
        turn = self.turn
        no_words = (
            turn.is_unsure or is_emoji_only(turn.text) or not any(map(str.isalpha, turn.text))
        )
        if turn.from_button or turn.yes_or_no is False or no_words:
            return self._leave_follow_up(Reply("utter_no_problem"))
        if turn.yes_or_no and turn.word_count <= TOPIC_NAME_MAX_WORDS:
            return [Reply("utter_follow_up_go_on", buttons=(SKIP_BUTTON,))]
        kept = follow_ups.waiting_for_words(self.session, self.participant.id)
        if kept is not None and kept.answer == follow_ups.NO:
            outcome = self.session.get(Outcome, kept.outcome_id)
            consultation = (
                self.session.get(Consultation, outcome.consultation_id) if outcome else None
            )
            response_store.save_free_comment(
                self.session,
                self.participant.id,
                consultation,
                turn.text,
                turn.channel,
                assisted_by=turn.assisted_by,
            )
        follow_ups.close_words(self.session, self.participant.id, turn.text)
        return self._leave_follow_up(Reply("utter_follow_up_words_kept"))

    def _leave_follow_up(self, said: Reply) -> list[Reply]:
        """Back to where the person was before the follow-up, asked what was open there."""
        follow_ups.close_words(self.session, self.participant.id)
        self._return_from_detour()
        return [said, *self.current_prompt()]

    # ---- links and voice notes --------------------------------------------------------------

    def _linked_consultation(self) -> Consultation | None:
        """A topic button, or a link like t.me/<bot>?start=<slug>: a choice with no question."""
        turn = self.turn
        if not (turn.from_button and turn.intent == "choose" and turn.question_id is None):
            return None
        return next((item for item in self._open_consultations() if item.slug == turn.option), None)

    def _on_linked_consultation(self, consultation: Consultation) -> list[Reply]:
        """Open the consultation; before consent, greet and ask first, and open it after."""
        if self._has_consented():
            return self._start(consultation)
        self._move(stages.CONSENT, consultation)
        return [self._greeting(), self._consent_prompt()]

    def _on_voice_note(self, note_id: int) -> list[Reply]:
        """A voice note answers the current question; anywhere else it is not kept."""
        question = self._current_question()
        consultation = self._current_consultation()
        answering = self.state.stage == stages.QUESTION and question and consultation
        if (
            answering
            and self._has_consented()
            and voice_note_store.is_pending(self.session, note_id, self.participant.id)
        ):
            response = response_store.save_answer(
                self.session,
                self.participant.id,
                question,
                voice_note_store.VOICE_NOTE_TEXT,
                None,
                self.turn.channel,
                assisted_by=self.turn.assisted_by,
            )
            voice_note_store.attach(self.session, note_id, self.participant.id, response.id)
            return [Reply("utter_voice_note_saved"), *self._advance(consultation, question)]
        voice_note_store.discard(self.session, note_id, self.participant.id)
        if self.state.stage == stages.NEW:
            return self._on_new()
        return [Reply("utter_voice_note_not_now"), *self.current_prompt()]


def take_turn(session: Session, settings: Settings, turn: Turn, today: date) -> list[Reply]:
    """Handle one message in the caller's transaction and return what to say."""
    return Conversation(session, settings, turn, today).take_turn()

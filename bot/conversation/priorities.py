"""Choosing priorities and answering the panel question, turn by turn.

After a consultation closes, staff invite people (bot/feedback/priorities.py) to pick the
published themes that matter most. A person picks up to three, one tap each, then is asked
about the lived-experience panel (bot/conversation/panel.py). A theme tap works whatever the
person was doing, because its payload names the theme; typed words that name a theme work too.
When the person finishes, they go back to where they were.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.consultations.answers import interpret_answer
from bot.conversation import panel, stages
from bot.conversation.replies import Button, Reply, intent_payload, payload_option
from bot.conversation.turn import Turn
from bot.languages import DEFAULT_LANGUAGE, button_title
from bot.store import priorities as priority_store
from bot.store.schema import ConversationState, Participant, PriorityInvitation, Theme

MAX_PICKS = 3
PICK = "vote"
DONE = "vote-done"
AGAIN = "vote-again"
THATS_ALL = "That's all"
START_AGAIN = "Start again"
#: Where a person in the middle of choosing is; the engine hands these stages to this module.
STAGES = (stages.PRIORITIES, stages.PANEL_OFFER)


def pick_payload(theme: Theme) -> str:
    return intent_payload("choose", option=f"{PICK}:{theme.id}")


def _theme_id(option: str | None) -> int | None:
    """The theme a pick button names: its option is "vote:<theme id>"."""
    action, _, number = (option or "").partition(":")
    return int(number) if action == PICK and number.isdigit() else None


def is_priority_tap(turn: Turn) -> bool:
    """A tap on one of this module's buttons, from any message, old or new."""
    if not (turn.from_button and turn.intent == "choose" and turn.option):
        return False
    action, _, number = turn.option.partition(":")
    return action in (PICK, DONE, AGAIN) and number.isdigit()


class PriorityChoosing:
    """One person's turn while they choose priorities or answer the panel question.

    It changes `state.stage` only; the consultation and question the person was on stay,
    so they carry on there afterwards.
    """

    def __init__(
        self, session: Session, participant: Participant, state: ConversationState, turn: Turn
    ) -> None:
        self.session = session
        self.participant = participant
        self.state = state
        self.turn = turn
        self.language = participant.language or DEFAULT_LANGUAGE

    # ---- taps --------------------------------------------------------------------------------

    def on_tap(self) -> list[Reply]:
        action, _, number = (self.turn.option or "").partition(":")
        if action == PICK:
            theme = self.session.get(Theme, int(number))
            invitation = self._invitation_for(theme.consultation_id if theme else None)
            if theme is None or theme.status != "published" or invitation is None:
                return [Reply("utter_priorities_closed")]
            return self._pick(invitation, theme)
        invitation = self._invitation_for(int(number))
        if invitation is None:
            return [Reply("utter_priorities_closed")]
        self._enter(invitation)
        if action == AGAIN:
            return self.start_again()
        return self._finish_choosing(invitation)

    def open_delivered(self, message: Reply) -> None:
        """The person has just been shown their invitation: they are choosing now, and come
        back to where they were once they finish."""
        theme_id = next(
            (_theme_id(payload_option(button.payload)) for button in message.buttons), None
        )
        theme = self.session.get(Theme, theme_id) if theme_id is not None else None
        invitation = self._invitation_for(theme.consultation_id if theme else None)
        if invitation is not None and invitation.status == priority_store.INVITED:
            self._enter(invitation)

    def _invitation_for(self, consultation_id: int | None) -> PriorityInvitation | None:
        if consultation_id is None:
            return None
        return priority_store.get_invitation(self.session, consultation_id, self.participant.id)

    def _enter(self, invitation: PriorityInvitation) -> None:
        """Start (or go back to) choosing, remembering where the person was before."""
        if invitation.status in priority_store.UNDER_WAY and self.state.stage in STAGES:
            if invitation.status == priority_store.PANEL:
                invitation.status = priority_store.CHOOSING
                self.state.stage = stages.PRIORITIES
            return
        other = priority_store.invitation_under_way(self.session, self.participant.id)
        if other is not None and other is not invitation:
            invitation.resume_stage = other.resume_stage
            other.status = priority_store.INVITED
        elif self.state.stage not in STAGES:
            invitation.resume_stage = self.state.stage
        invitation.status = priority_store.CHOOSING
        self.state.stage = stages.PRIORITIES

    def _pick(self, invitation: PriorityInvitation, theme: Theme) -> list[Reply]:
        self._enter(invitation)
        picked = self._picked(invitation)
        if theme.label in picked:
            return [Reply("utter_priority_already", params={"label": theme.label}), *self.prompt()]
        if len(picked) >= MAX_PICKS:
            return [Reply("utter_priorities_too_many"), *self.prompt()]
        priority_store.add_vote(self.session, self.participant.id, theme)
        return [Reply("utter_priority_picked", params={"label": theme.label}), *self.prompt()]

    # ---- typed words and other messages -------------------------------------------------------

    def on_message(self) -> list[Reply]:
        """A message while choosing: typed theme names, "that's all", "no", or a nudge."""
        invitation = priority_store.invitation_under_way(self.session, self.participant.id)
        if invitation is None:
            return self._leave()
        if self.state.stage == stages.PANEL_OFFER:
            return self._on_panel_answer(invitation)
        if self.turn.yes_or_no is False:
            return self._finish_choosing(invitation)
        choice = self._typed_choice(invitation)
        if choice == DONE:
            return self._finish_choosing(invitation)
        if choice == AGAIN:
            return self.start_again()
        if isinstance(choice, Theme):
            return self._pick(invitation, choice)
        return [Reply("utter_priorities_not_understood"), *self.prompt()]

    def reads_as_choice(self) -> bool:
        """Typed words that name a theme or a button while choosing, so they are not read as
        a request such as "stop", the way answers matching a question's buttons are not."""
        if self.state.stage != stages.PRIORITIES or self.turn.from_button:
            return False
        invitation = priority_store.invitation_under_way(self.session, self.participant.id)
        return invitation is not None and self._typed_choice(invitation) is not None

    def _typed_choice(self, invitation: PriorityInvitation) -> Theme | str | None:
        """The theme, "that's all" or "start again" that the typed words name, if any."""
        themes = self._themes_left(invitation)
        options = [{"value": str(theme.id), "label": theme.label} for theme in themes]
        for action, title in ((DONE, THATS_ALL), (AGAIN, START_AGAIN)):
            options.append({"value": action, "label": button_title(title, self.language)})
            options.append({"value": action, "label": title})
        value = interpret_answer("choice", options, self.turn.text).value
        if value in (DONE, AGAIN):
            return value
        chosen = next((theme for theme in themes if str(theme.id) == value), None)
        return chosen or self._named_theme(invitation.consultation_id)

    def _named_theme(self, consultation_id: int) -> Theme | None:
        """A published theme whose name is exactly what the person typed."""
        typed = _normalise(self.turn.text)
        if not typed:
            return None
        themes = priority_store.published_themes(self.session, consultation_id)
        return next((theme for theme in themes if _normalise(theme.label) == typed), None)

    def typed_a_theme(self) -> list[Reply] | None:
        """Someone who was invited and has not started types a theme's name: that is a pick."""
        for invitation in priority_store.unanswered_invitations(self.session, self.participant.id):
            theme = self._named_theme(invitation.consultation_id)
            if theme is not None:
                return self._pick(invitation, theme)
        return None

    def start_again(self) -> list[Reply]:
        """Forget this person's picks for the consultation, and show every theme again."""
        invitation = priority_store.invitation_under_way(self.session, self.participant.id)
        if invitation is None:
            return self._leave()
        priority_store.clear_votes(self.session, invitation.consultation_id, self.participant.id)
        invitation.status = priority_store.CHOOSING
        self.state.stage = stages.PRIORITIES
        return [Reply("utter_priorities_again"), *self.prompt()]

    # ---- prompts -------------------------------------------------------------------------------

    def prompt(self) -> list[Reply]:
        """What the person is being asked now: more themes, or the panel question."""
        invitation = priority_store.invitation_under_way(self.session, self.participant.id)
        if invitation is None:
            return []
        if self.state.stage == stages.PANEL_OFFER:
            return panel.offer(self.session, invitation.consultation_id, self.participant.id)
        picked = self._picked(invitation)
        done = Button(button_title(THATS_ALL, self.language), self._payload(DONE, invitation))
        again = Button(button_title(START_AGAIN, self.language), self._payload(AGAIN, invitation))
        if len(picked) >= MAX_PICKS:
            return [Reply("utter_priorities_three", buttons=(done, again))]
        themes = tuple(
            Button(theme.label, pick_payload(theme)) for theme in self._themes_left(invitation)
        )
        if not picked:
            return [Reply("utter_priorities_choose", buttons=(*themes, done))]
        left = str(MAX_PICKS - len(picked))
        return [
            Reply("utter_priorities_left", params={"left": left}, buttons=(*themes, done, again))
        ]

    def _payload(self, action: str, invitation: PriorityInvitation) -> str:
        return intent_payload("choose", option=f"{action}:{invitation.consultation_id}")

    def _picked(self, invitation: PriorityInvitation) -> list[str]:
        return priority_store.picked_labels(
            self.session, invitation.consultation_id, self.participant.id
        )

    def _themes_left(self, invitation: PriorityInvitation) -> list[Theme]:
        picked = set(self._picked(invitation))
        themes = priority_store.published_themes(self.session, invitation.consultation_id)
        return [theme for theme in themes if theme.label not in picked]

    # ---- finishing -----------------------------------------------------------------------------

    def _finish_choosing(self, invitation: PriorityInvitation) -> list[Reply]:
        if invitation.panel_joined is not None:
            return [Reply("utter_priorities_thanks"), *self._done(invitation)]
        invitation.status = priority_store.PANEL
        self.state.stage = stages.PANEL_OFFER
        return [Reply("utter_priorities_thanks"), *self.prompt()]

    def _on_panel_answer(self, invitation: PriorityInvitation) -> list[Reply]:
        """Only a clear yes or no is kept; "maybe" hears that yes or no will do."""
        joined = self.turn.yes_or_no
        if joined is None:
            line = "utter_yes_or_no_is_fine" if self.turn.is_unsure else "utter_please_yes_or_no"
            return [Reply(line), panel.ask()]
        priority_store.record_panel_answer(invitation, joined)
        return [panel.answered(joined), *self._done(invitation)]

    def _done(self, invitation: PriorityInvitation) -> list[Reply]:
        invitation.status = priority_store.DONE
        self.state.stage = invitation.resume_stage or stages.FINISHED
        return []

    def _leave(self) -> list[Reply]:
        """Nothing under way any more (a round was removed): go back to choosing a topic."""
        self.state.stage = stages.FINISHED
        return []


def _normalise(text: str) -> str:
    """Lower case, letters, digits and single spaces only: "Food!! " reads as "food"."""
    kept = "".join(char if char.isalnum() else " " for char in text.casefold())
    return " ".join(kept.split())

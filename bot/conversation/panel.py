"""The lived-experience panel question, asked after a person chooses priorities.

A person is told in plain words what joining involves before they say yes or no: a few
meetings a year, paid for their time when the service pays, free to leave at any time. Staff
can give their own words for a consultation; the "leave at any time" line is always said.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.conversation import stages
from bot.conversation.replies import Reply, yes_no_buttons
from bot.store import priorities as priority_store


def offer(session: Session, consultation_id: int, participant_id: str) -> list[Reply]:
    """What the panel is, what it involves (as it stood when the person was invited), and
    the yes/no question."""
    words = priority_store.panel_words(session, consultation_id, participant_id)
    replies = [Reply("utter_panel_intro")]
    replies.append(Reply(text=words.details) if words.details else Reply("utter_panel_details"))
    if words.paid:
        replies.append(Reply("utter_panel_paid"))
    return [*replies, Reply("utter_panel_leave"), ask()]


def ask() -> Reply:
    return Reply("utter_panel_ask", buttons=yes_no_buttons(stages.PANEL_OFFER))


def answered(joined: bool) -> Reply:
    return Reply("utter_panel_joined" if joined else "utter_panel_declined")

"""Run one turn against the configured database: the single entry point channels call.

The transaction commits before this returns, so a reply is only ever sent about an answer
that is already stored.
"""

from __future__ import annotations

import logging
from datetime import date

from bot.config import get_settings
from bot.conversation.engine import take_turn
from bot.conversation.replies import Reply
from bot.conversation.turn import Turn
from bot.store.database import session_scope

logger = logging.getLogger(__name__)

SORRY = Reply("utter_something_went_wrong")


def run_turn(turn: Turn, today: date | None = None) -> list[Reply]:
    """Handle a message; on any fault, say sorry plainly instead of failing silently."""
    try:
        with session_scope() as session:
            return take_turn(session, get_settings(), turn, today or date.today())
    except Exception:
        logger.exception("A turn failed; the person was told to try again.")
        return [SORRY]

"""Safeguarding: find a message that shows someone may be at risk, before anything else reads it."""

from bot.safeguarding.detector import CATEGORIES, Concern, detect

__all__ = ["CATEGORIES", "Concern", "detect"]

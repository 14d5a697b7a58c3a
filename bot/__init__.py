"""Sayso: ask people for their views, theme what they said, and tell them what was done."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

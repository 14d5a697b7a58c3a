"""Theming engine: group free-text answers into themes; place new answers into staff's themes."""

from bot.themes.grouping import (
    Answer,
    ExistingTheme,
    ProposedTheme,
    assign_to_existing,
    propose_themes,
)

__all__ = ["Answer", "ExistingTheme", "ProposedTheme", "assign_to_existing", "propose_themes"]

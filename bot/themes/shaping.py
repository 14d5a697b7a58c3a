"""What staff do to themes: rename, merge, split, move an answer, mark draft or published.

Every change here is a person's decision, so it is marked as one (`staff_named`, or an answer
`placed_by` staff), and re-theming later leaves it alone. A theme emptied by a move or a split
is removed. Mistakes are reported as ShapingError with plain words and the field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from bot.store import themes as theme_store
from bot.store.schema import Theme

MAX_LABEL_CHARS = 60


class ShapingError(ValueError):
    """A change to themes that cannot be made, and why, in words staff can act on."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def rename_theme(session: Session, theme_id: int, label: str) -> Theme:
    theme = _theme(session, theme_id)
    theme.label = _checked_label(session, theme, label)
    theme.staff_named = True
    theme_store.refresh_themes(session)
    return _theme(session, theme_id)


def set_theme_status(session: Session, theme_id: int, status: str) -> Theme:
    if status not in theme_store.THEME_STATUSES:
        raise ShapingError("Choose draft or published", "status")
    theme = _theme(session, theme_id)
    theme.status = status
    theme_store.refresh_themes(session)
    return _theme(session, theme_id)


def merge_themes(session: Session, theme_ids: Iterable[int], label: str | None = None) -> Theme:
    """Fold the themes into the biggest of them, keeping its name unless a new one is given."""
    ids = list(dict.fromkeys(theme_ids))
    if len(ids) < 2:
        raise ShapingError("Choose at least 2 themes to merge", "theme_ids")
    themes = [_theme(session, theme_id, field="theme_ids") for theme_id in ids]
    if len({theme.question_id for theme in themes}) > 1:
        raise ShapingError("Choose themes of the same question", "theme_ids")
    target = max(themes, key=lambda theme: (len(theme.memberships), -theme.id))
    others = [theme for theme in themes if theme.id != target.id]
    new_label = _checked_label(session, target, label, ignore=others) if label else None
    for other in others:
        for membership in list(other.memberships):
            membership.theme_id = target.id
            membership.placed_by = theme_store.STAFF
    theme_store.delete_themes(session, [other.id for other in others])
    target = _theme(session, target.id)
    if new_label:
        target.label = new_label
        target.staff_named = True
    theme_store.refresh_themes(session)
    return _theme(session, target.id)


def split_theme(session: Session, theme_id: int, response_ids: Iterable[int], label: str) -> Theme:
    """Move the chosen answers out of a theme into a new one with the given name."""
    theme = _theme(session, theme_id)
    chosen = set(response_ids)
    members = {m.response_id for m in theme.memberships}
    if not chosen:
        raise ShapingError("Choose the answers that go in the new theme", "response_ids")
    if not chosen <= members:
        raise ShapingError("Choose only answers that are in this theme", "response_ids")
    if chosen == members:
        raise ShapingError(
            "Leave at least 1 answer in this theme, or rename it instead", "response_ids"
        )
    new_label = _checked_label(session, None, label, question_id=theme.question_id)
    new_theme = theme_store.add_theme(
        session, theme.consultation_id, theme.question_id, new_label, staff_named=True
    )
    for response_id in sorted(chosen):
        theme_store.place_answer(session, response_id, new_theme, theme_store.STAFF)
    theme_store.refresh_themes(session)
    return _theme(session, new_theme.id)


def move_answer(session: Session, response_id: int, theme_id: int) -> Theme:
    """Put one answer in another theme of the same question."""
    target = _theme(session, theme_id, field="theme_id")
    current = theme_store.theme_of_answers(session, [response_id]).get(response_id)
    if current is None:
        raise ShapingError("That answer is not in a theme yet. Find themes first", "response_id")
    if current.question_id != target.question_id:
        raise ShapingError("Choose a theme of the same question", "theme_id")
    if current.id != target.id:
        theme_store.place_answer(session, response_id, target, theme_store.STAFF)
        theme_store.delete_empty_themes(session, target.question_id)
    theme_store.refresh_themes(session)
    return _theme(session, target.id)


def _theme(session: Session, theme_id: int, field: str = "theme_id") -> Theme:
    theme = theme_store.get_theme(session, theme_id)
    if theme is None:
        raise ShapingError("There is no such theme. It may have been merged", field)
    return theme


def _checked_label(
    session: Session,
    theme: Theme | None,
    label: str | None,
    question_id: int | None = None,
    ignore: Iterable[Theme] = (),
) -> str:
    """A tidy label that no other theme of the question already has."""
    text = " ".join((label or "").split())
    if not text:
        raise ShapingError("Enter a name for the theme", "label")
    if len(text) > MAX_LABEL_CHARS:
        raise ShapingError(f"Keep the name to {MAX_LABEL_CHARS} characters or fewer", "label")
    question = theme.question_id if theme is not None else question_id
    skip = {t.id for t in ignore} | ({theme.id} if theme is not None else set())
    for other in theme_store.themes_for_question(session, question):
        if other.id not in skip and other.label.casefold() == text.casefold():
            raise ShapingError(
                f"Another theme is already called {other.label}. Merge them, or pick a new name",
                "label",
            )
    return text

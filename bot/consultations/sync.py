"""Load the consultation files into the database, reporting every mistake plainly.

A file that has not changed since it was last loaded is left alone, so a change staff made in
the staff app (closing a consultation, say) is not undone by the next start.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.consultations.loader import Problem, load_consultation_directory
from bot.store.consultations import get_consultation_by_slug, save_consultation


@dataclass(frozen=True)
class SyncReport:
    loaded: tuple[str, ...]
    unchanged: tuple[str, ...]
    problems: tuple[Problem, ...]


def spec_fingerprint(spec: object) -> str:
    return hashlib.sha256(repr(spec).encode("utf-8")).hexdigest()


def sync_consultations(session: Session, directory: Path) -> SyncReport:
    """Save every valid consultation file whose content changed; collect the problems."""
    specs, problems = load_consultation_directory(directory)
    loaded, unchanged = [], []
    for spec in specs:
        fingerprint = spec_fingerprint(spec)
        existing = get_consultation_by_slug(session, spec.slug)
        if existing is not None and existing.content_fingerprint == fingerprint:
            unchanged.append(spec.slug)
            continue
        consultation = save_consultation(session, spec)
        consultation.content_fingerprint = fingerprint
        loaded.append(spec.slug)
    return SyncReport(tuple(loaded), tuple(unchanged), tuple(problems))

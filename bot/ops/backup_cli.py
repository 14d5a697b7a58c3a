"""The `sayso backup FILE` and `sayso restore FILE` commands (the work is in bot/ops/backup.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.config import SECRETS_FILE, get_settings
from bot.ops.backup import BackupError, backup, copy_secrets_hint, restore

SCALED_HELP = "the scaled mode's PostgreSQL (same as SAYSO_PROFILE=scaled)"


def register(commands: Any) -> None:
    """Add the backup and restore commands to the `sayso` command's subparsers."""
    save = commands.add_parser(
        "backup", help="copy Sayso's database into FILE, checked; Sayso may keep running"
    )
    save.add_argument("file", type=Path, help="where to write the backup, e.g. sayso.zip")
    save.add_argument("--scaled", action="store_true", help=SCALED_HELP)
    save.set_defaults(handler=make_backup)

    load = commands.add_parser(
        "restore",
        help="replace Sayso's database with the one in FILE (stop Sayso first; when scaled, "
        "its PostgreSQL must be running)",
    )
    load.add_argument("file", type=Path, help="a backup made by `sayso backup`")
    load.add_argument("--scaled", action="store_true", help=SCALED_HELP)
    load.set_defaults(handler=restore_backup)


def database_url(arguments: argparse.Namespace) -> str:
    """The embedded database, or the scaled mode's own PostgreSQL (from its password file)."""
    settings = get_settings()
    if not (arguments.scaled or settings.profile == "scaled"):
        return settings.database_url
    from bot.ops.scaled import SAYSO_DATABASE, ScaledLayout

    layout = ScaledLayout(settings)
    if not layout.password_file.is_file():
        raise BackupError(
            f"The scaled mode has no database yet ({layout.password_file} is missing). "
            "Run `make run-scaled` once first."
        )
    return layout.database_url(SAYSO_DATABASE)


def make_backup(arguments: argparse.Namespace) -> int:
    try:
        manifest = backup(database_url(arguments), arguments.file)
    except BackupError as error:
        print(f"No backup was made. {error}", file=sys.stderr)
        return 1
    print(
        f"Backed up Sayso's database (schema revision {manifest.schema_revision}, "
        f"{manifest.size:,} bytes) to {arguments.file}.\n{copy_secrets_hint(SECRETS_FILE)}"
    )
    return 0


def restore_backup(arguments: argparse.Namespace) -> int:
    try:
        manifest, change = restore(arguments.file, database_url(arguments))
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"Restored Sayso's database from {arguments.file}, made {manifest.made_at}.\n"
        f"{change.describe()}\n"
        f"It needs the keys in {SECRETS_FILE} that were in use when the backup was made."
    )
    return 0

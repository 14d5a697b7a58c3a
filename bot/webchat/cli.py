"""`sayso dropin-code`: codes drop-in workers type on a shared tablet when they help someone.

Each code gets a label that names no one ("drop-in worker A"); answers given with a worker's
help are marked with that label. The code is shown once and only its hash is kept.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.store import dropin as dropin_store
from bot.store.database import session_scope


def register(commands: Any) -> None:
    """Add `dropin-code` to the `sayso` command's subparsers."""
    parser = commands.add_parser(
        "dropin-code", help="make, list or revoke codes for drop-in workers (web chat kiosk)"
    )
    parser.add_argument("--label", help='what assisted answers are marked with, e.g. "outreach B"')
    parser.add_argument("--list", action="store_true", help="list the labels of live codes")
    parser.add_argument("--revoke", metavar="LABEL", help="stop the code with this label working")
    parser.set_defaults(handler=dropin_code)


def dropin_code(arguments: argparse.Namespace) -> int:
    with session_scope() as session:
        if arguments.list:
            labels = dropin_store.active_dropin_labels(session)
            print("\n".join(labels) if labels else "There are no drop-in codes yet.")
            return 0
        if arguments.revoke:
            if not dropin_store.revoke_dropin_code(session, arguments.revoke):
                print(f"No live code is labelled {arguments.revoke!r}. Nothing changed.")
                return 1
            print(f"The code for {arguments.revoke!r} no longer works.")
            return 0
        label, code = dropin_store.create_dropin_code(session, arguments.label)
    print(
        f"New drop-in code for {label!r}: {dropin_store.display_code(code)}\n"
        "Give it to the worker. It is shown only once; Sayso keeps only a hash of it.\n"
        "On the tablet (/chat/kiosk), the worker types it under 'For drop-in workers'."
    )
    return 0

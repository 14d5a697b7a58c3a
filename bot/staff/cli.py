"""`sayso staff add`, `sayso staff token` and `sayso demo-data`: set up who can use the staff
app, and give a fresh install something to show."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from bot.config import get_settings


def register(commands: Any) -> None:
    """Add the staff commands to the `sayso` command's subparsers."""
    staff = commands.add_parser("staff", help="staff accounts and API tokens")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)

    add = staff_commands.add_parser("add", help="make a staff account (asks for a password)")
    add.add_argument("email")
    add.add_argument("--role", choices=("staff", "admin"), default="staff")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument(
        "--reset", action="store_true", help="give an existing account this password and role"
    )
    add.set_defaults(handler=add_account)

    token = staff_commands.add_parser("token", help="make a token for the staff JSON API")
    token.add_argument("email")
    token.set_defaults(handler=make_token)

    demo = commands.add_parser(
        "demo-data", help="load demo answers into the example consultations, and theme them"
    )
    demo.add_argument("--remove", action="store_true", help="take all demo answers out again")
    demo.set_defaults(handler=demo_data)


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    second = getpass.getpass("The same password again: ")
    if first != second:
        print("The two passwords are not the same. Nothing was saved.", file=sys.stderr)
        return None
    return first


def add_account(arguments: argparse.Namespace) -> int:
    from bot.staff.security import hash_password, password_problem
    from bot.store import staff_accounts
    from bot.store.database import session_scope

    email = staff_accounts.normalise_email(arguments.email)
    if "@" not in email:
        print(f"'{arguments.email}' is not an email address.", file=sys.stderr)
        return 1
    with session_scope() as session:
        exists = staff_accounts.get_account_by_email(session, email) is not None
    if exists and not arguments.reset:
        print(
            f"There is already an account for {email}. To give it a new password, add --reset.",
            file=sys.stderr,
        )
        return 1
    password = _read_password(arguments.password_stdin)
    if password is None:
        return 1
    problem = password_problem(password)
    if problem:
        print(f"That password will not do. {problem}. Nothing was saved.", file=sys.stderr)
        return 1
    with session_scope() as session:
        staff_accounts.save_account(session, email, hash_password(password), arguments.role)
    port = get_settings().web_port
    done = "Updated" if exists else "Made"
    print(f"{done} the {arguments.role} account for {email}.")
    print(f"Log in at http://localhost:{port}/staff/ while Sayso is running.")
    return 0


def make_token(arguments: argparse.Namespace) -> int:
    from bot.staff.security import digest, new_secret
    from bot.store import staff_accounts
    from bot.store.database import session_scope

    token = new_secret()
    with session_scope() as session:
        account = staff_accounts.get_account_by_email(session, arguments.email)
        if account is None:
            print(
                f"There is no account for {arguments.email}. Make one with `sayso staff add`.",
                file=sys.stderr,
            )
            return 1
        staff_accounts.add_api_token(session, account, digest(token))
    print(
        f"A new API token for {account.email}. Keep it private: it is shown only this once.",
        file=sys.stderr,
    )
    print(token)
    return 0


def demo_data(arguments: argparse.Namespace) -> int:
    from bot.staff.demo import load_demo_answers, remove_demo_answers
    from bot.store.database import session_scope

    settings = get_settings()
    if arguments.remove:
        with session_scope() as session:
            removed = remove_demo_answers(session)
        print(f"Removed {removed} demo participants and their answers.")
        return 0
    if not settings.participant_id_key:
        print("There is no participant key yet. Run `sayso setup` first.", file=sys.stderr)
        return 1
    print("Loading demo answers and finding themes. This takes a few seconds.", flush=True)
    with session_scope() as session:
        reports, skipped = load_demo_answers(session, settings.participant_id_key)
    for report in reports:
        print(
            f"{report.consultation}: {report.people} demo people, {report.answers} answers, "
            f"{report.themes} themes."
        )
    for slug in skipped:
        print(f"Skipped {slug}: that consultation is not loaded.", file=sys.stderr)
    print("These are DEMO answers. Remove them with `sayso demo-data --remove`.")
    return 0

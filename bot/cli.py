"""The `sayso` command: set up, run, and look after a Sayso installation."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from bot.channels.telegram.status import telegram_status
from bot.config import VAR_DIR, get_settings
from bot.ops import backup_cli, processes, quiet, secrets, spacy_model, training
from bot.staff import cli as staff_cli
from bot.webchat import cli as webchat_cli


def setup(_: argparse.Namespace | None = None) -> int:
    """What `sayso run` needs besides code: the schema, keys, the spaCy model, a trained
    model, data. The schema comes first, so a database this code cannot use stops it at once."""
    upgrade_database()
    prepare()
    return load_consultations()


def upgrade_database() -> None:
    """Bring Sayso's database to this code's schema before any process uses it, and say
    which schema revision it moved from and to."""
    from bot.store.database import connect
    from bot.store.migrate import upgrade

    engine = connect(get_settings().database_url)
    try:
        change = upgrade(engine)
    finally:
        engine.dispose()
    print(change.describe(), flush=True)


def prepare_database() -> int:
    """The schema, then the consultations: what the scaled mode does once PostgreSQL is up."""
    upgrade_database()
    return load_consultations()


def prepare() -> None:
    """Keys, the spaCy model and a trained model: what every process needs before data."""
    created = secrets.ensure_secrets()
    if created:
        print(f"Made new private keys in {VAR_DIR / 'secrets.env'}.")
    get_settings.cache_clear()
    model = spacy_model.link_model()
    print(f"Using the spaCy model in {model}.")
    if not training.train_if_needed(get_settings().log_dir / "train.log"):
        print("The language model is up to date. No training needed.")
    prepare_meaning()


def prepare_meaning() -> None:
    """Load the sentence encoder and build what reads meaning, so a broken install stops here
    with a plain message, and no process pays for the building later."""
    from bot.meaning import MeaningModelError, check_model
    from bot.meaning.centring import language_means
    from bot.safeguarding.meaning import get_classifier

    try:
        check_model()
    except MeaningModelError as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from error
    get_classifier()
    language_means()
    print("The meaning model is ready.")


def load_consultations(_: argparse.Namespace | None = None) -> int:
    from bot.consultations.sync import sync_consultations
    from bot.store.database import session_scope

    settings = get_settings()
    with session_scope() as session:
        report = sync_consultations(session, settings.consultations_dir)
    for slug in report.loaded:
        print(f"Loaded consultation: {slug}")
    for problem in report.problems:
        print(
            f"Could not load {problem.source}: {problem.field}: {problem.reason}", file=sys.stderr
        )
    if report.problems:
        print("Fix the files above, then run this again. The other consultations are loaded.")
        return 1
    return 0


def run(arguments: argparse.Namespace) -> int:
    """Set up if needed, start everything on localhost, and stop it all on Ctrl+C."""
    # First of all, so that a stop while setting up (training) is a clean stop too.
    processes.stop_on_signals()
    quiet.send_other_output_to(get_settings().log_dir / "sayso.log")
    if getattr(arguments, "scaled", False) or get_settings().profile == "scaled":
        from bot.ops.scaled_run import run_scaled

        prepare()
        return run_scaled(prepare_database)
    setup()
    settings = get_settings()
    services = processes.sayso_services(settings)
    print("Starting Sayso. This takes about a minute.", flush=True)
    try:
        processes.start_all(services, processes.rasa_environment(settings))
    except processes.StartupError as error:
        print(f"Sayso could not start. {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        processes.stop_all(services)
        print("Sayso has stopped.", flush=True)
        return 0
    rest = f"http://localhost:{settings.rasa_port}/webhooks/rest/webhook"
    print(
        "\nSayso is running.\n"
        f'  Talk to it over REST:  curl -s {rest} -d \'{{"sender": "me", "message": "hi"}}\'\n'
        "  Or chat in this shell:  make shell   (in a second terminal)\n"
        f"  Staff pages:  http://localhost:{settings.web_port}/staff/   (first account: "
        "sayso staff add EMAIL)\n"
        f"  Web chat:  http://localhost:{settings.web_port}/chat/   "
        f"(shared tablet: http://localhost:{settings.web_port}/chat/kiosk)\n"
        f"  {telegram_status(settings)}\n"
        f"  Logs are in {settings.log_dir}.\n"
        "  To stop Sayso, press Ctrl+C.\n",
        flush=True,
    )
    try:
        crashed = processes.wait_until_one_exits(services)
        print(
            f"The {crashed.name} stopped unexpectedly, so Sayso is stopping everything. "
            f"Its log is {crashed.log_path}: the last lines say why.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("\nStopping Sayso.", flush=True)
        return 0
    finally:
        processes.stop_all(services)
        print("Sayso has stopped.", flush=True)


def shell(_: argparse.Namespace) -> int:
    """Rasa's own chat shell, against the action server that `sayso run` started."""
    settings = get_settings()
    command = training.rasa_command(
        "shell", "--model", str(training.MODEL_FILE), "--endpoints", "endpoints.yml",
        "--port", str(settings.rasa_port + 1),
    )  # fmt: skip
    os.execve(command[0], command, processes.rasa_environment(settings))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sayso", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    actions: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
        "setup": ("make keys, link the spaCy model, train if needed, load consultations", setup),
        "run": ("set up, then run Sayso on localhost until Ctrl+C", run),
        "shell": ("chat with Sayso in this terminal (needs `sayso run` running)", shell),
        "load-consultations": ("load consultations/*.yml into the database", load_consultations),
    }
    for name, (help_text, handler) in actions.items():
        commands.add_parser(name, help=help_text).set_defaults(handler=handler)
    commands.choices["run"].add_argument(
        "--scaled",
        action="store_true",
        help="PostgreSQL, Redis and two Rasa and action servers (same as SAYSO_PROFILE=scaled)",
    )
    staff_cli.register(commands)
    webchat_cli.register(commands)
    backup_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return arguments.handler(arguments)
    except (RuntimeError, spacy_model.ModelNotFoundError) as error:
        print(f"Sayso stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

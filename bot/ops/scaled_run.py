"""`sayso run --scaled` (or SAYSO_PROFILE=scaled): the scaled topology until Ctrl+C."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from bot.config import get_settings
from bot.ops import processes
from bot.ops.scaled import ScaledSayso
from bot.store.database import get_engine
from bot.store.migrate import SchemaError


def run_scaled(prepare_database: Callable[[], int]) -> int:
    """Start the data servers, upgrade and fill PostgreSQL, then everything else."""
    settings = get_settings()
    stack = ScaledSayso(settings)
    rasa_count = len(settings.scaled_rasa_ports)
    print(
        f"Starting Sayso, scaled: PostgreSQL, Redis, {rasa_count} Rasa servers and "
        f"{len(settings.scaled_action_ports)} action servers. This takes about a minute.",
        flush=True,
    )
    try:
        start_scaled(stack, prepare_database)
    except processes.StartupError as error:
        stack.stop()
        print(f"Sayso could not start. {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        stack.stop()
        print("Sayso has stopped.", flush=True)
        return 0
    print_addresses(stack)
    try:
        failing = stack.supervise()
        if failing is not None:
            print(
                f"The {failing.name} keeps stopping, so Sayso is stopping everything. "
                f"Its log is {failing.log_path}: the last lines say why.",
                file=sys.stderr,
            )
        return 1
    except KeyboardInterrupt:
        print("\nStopping Sayso.", flush=True)
        return 0
    finally:
        stack.stop()
        print("Sayso has stopped.", flush=True)


def start_scaled(stack: ScaledSayso, prepare_database: Callable[[], int]) -> None:
    """Data servers first; this process then points at them to upgrade the schema and load
    the consultations.

    From here on this process's settings (and every child's) name PostgreSQL and Redis.
    """
    settings = stack.layout.settings
    os.environ.update(stack.start_data_servers(processes.rasa_environment(settings)))
    get_settings.cache_clear()
    try:
        failed = prepare_database()
    except SchemaError as error:
        stack.stop()
        raise processes.StartupError(str(error)) from error
    if failed:
        stack.stop()
        raise processes.StartupError("Some consultations could not be loaded (see above).")
    get_engine().dispose()
    stack.start_applications(processes.rasa_environment(get_settings()))


def print_addresses(stack: ScaledSayso) -> None:
    settings = stack.layout.settings
    rest = f"http://localhost:{settings.rasa_port}/webhooks/rest/webhook"
    each = ", ".join(f"http://localhost:{port}" for port in settings.scaled_rasa_ports)
    print(
        "\nSayso is running, scaled.\n"
        f'  Talk to it over REST:  curl -s {rest} -d \'{{"sender": "me", "message": "hi"}}\'\n'
        f"  That address is nginx, which shares messages between the Rasa servers: {each}\n"
        f"  Staff pages:  http://localhost:{settings.web_port}/staff/\n"
        f"  Web chat:  http://localhost:{settings.web_port}/chat/\n"
        f"  Answers and conversations are in PostgreSQL on port {settings.scaled_postgres_port} "
        f"(files in {stack.layout.postgres_data}); Rasa's locks are in Redis on port "
        f"{settings.scaled_redis_port}.\n"
        f"  A process that stops is started again. Logs are in {settings.log_dir}.\n"
        "  To stop Sayso, press Ctrl+C.\n",
        flush=True,
    )

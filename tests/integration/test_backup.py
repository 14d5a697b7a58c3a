"""`sayso backup` of the running Sayso, and `sayso restore` of that file onto a new disk.

Sayso goes on answering while a backup is made, and a restored backup holds every table as
the running Sayso had it.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from bot.store.database import make_engine
from tests.integration.conftest import RunningSayso
from tests.integration.test_rest_conversation import agree, button
from tests.support.command import run_sayso
from tests.support.tables import Rows, every_row

pytestmark = pytest.mark.integration

ANSWER = "the soup is cold by the time we get it"


def backed_up_and_restored(sayso: RunningSayso, folder: Path) -> Rows:
    """`sayso backup` of the running database, then `sayso restore` onto a new disk."""
    made = run_sayso(
        "backup", str(folder / "sayso.zip"), SAYSO_DATABASE_URL=f"sqlite:///{sayso.database}"
    )
    assert made.returncode == 0, made.stderr
    new_disk = folder / "new-disk" / "sayso.db"
    restored = run_sayso(
        "restore", str(folder / "sayso.zip"), SAYSO_DATABASE_URL=f"sqlite:///{new_disk}"
    )
    assert restored.returncode == 0, restored.stderr
    return rows_of(new_disk)


def rows_of(database: Path) -> Rows:
    engine = make_engine(f"sqlite:///{database}")
    try:
        return every_row(engine)
    finally:
        engine.dispose()


def someone_answers_about_food(sayso: RunningSayso) -> str:
    """A new person agrees, taps an answer to the first food question, and types the next."""
    sender = f"backup-{uuid.uuid4().hex[:8]}"
    topics = agree(sayso, sender)
    question = sayso.send(sender, button(topics, "Food at the hostel"))
    sayso.send(sender, button(question, "Bad"))
    sayso.send(sender, ANSWER)
    return sender


def test_sayso_goes_on_answering_while_a_backup_is_made(
    sayso: RunningSayso, tmp_path: Path
) -> None:
    sender = someone_answers_about_food(sayso)

    replies: list[list[dict[str, Any]]] = []
    talking = threading.Thread(
        target=lambda: replies.extend(sayso.send(f"{sender}-{n}", "hi") for n in range(3))
    )
    talking.start()
    restored = backed_up_and_restored(sayso, tmp_path)
    talking.join()

    assert len(replies) == 3 and all(replies), "Sayso stopped answering during the backup"
    assert ANSWER in [row["text"] for row in restored["responses"]]


def test_a_restored_backup_of_running_sayso_holds_every_table_as_it_was(
    sayso: RunningSayso, tmp_path: Path
) -> None:
    someone_answers_about_food(sayso)
    restored = backed_up_and_restored(sayso, tmp_path)

    assert restored == rows_of(sayso.database)
    assert restored["participants"] and restored["responses"]

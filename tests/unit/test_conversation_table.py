"""Every cell of the state-by-input table, run again through the real engine and database.

The table is tests/conversation_table.md; tests/unit/conversation_table.py makes it.
"""

from __future__ import annotations

import difflib

import pytest

from tests.unit.conversation_table import TABLE_FILE, Cell, render, run_table

REWRITE = "If it is meant, write it again: .venv/bin/python -m tests.unit.conversation_table"


@pytest.fixture(scope="module")
def cells() -> list[Cell]:
    return run_table()


def test_every_cell_does_what_the_table_says(cells: list[Cell]) -> None:
    written = TABLE_FILE.read_text(encoding="utf-8").splitlines()
    now = render(cells).splitlines()
    differences = list(difflib.unified_diff(written, now, "table", "now", lineterm="", n=0))
    assert not differences, "\n".join([*differences[:60], REWRITE])


def test_no_cell_breaks_a_rule(cells: list[Cell]) -> None:
    broken = [
        f"{cell.state} | {cell.action.label} | {rule}" for cell in cells for rule in cell.broken
    ]
    assert not broken, "\n".join(broken)

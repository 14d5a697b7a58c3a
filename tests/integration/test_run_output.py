"""What `make run` shows: Sayso's own lines only. Other programs' messages go to a log file.

A newcomer used to see screens of TensorFlow, Rasa and SQLAlchemy warnings before "Sayso is
running". This reads what the suite's own `sayso run` printed (the same set-up, already
installed and trained, so no ten-minute first run is needed).
"""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import RunningSayso

pytestmark = pytest.mark.integration

#: Signs of a line Sayso did not write: warnings, log records (with their date, or glog's
#: "W1208"), stack traces, and TensorFlow's notes about the processor.
FOREIGN = re.compile(
    r"warning|deprecat|tensorflow|traceback|^\s*\d{4}-\d\d-\d\d|^[IWEF]\d{4} ",
    re.IGNORECASE,
)


def test_sayso_run_prints_only_its_own_lines(sayso: RunningSayso) -> None:
    printed = sayso.output.read_text(errors="replace").splitlines()

    assert "Sayso is running." in printed
    assert [line for line in printed if FOREIGN.search(line)] == []


def test_what_other_programs_print_goes_to_the_log_file(sayso: RunningSayso) -> None:
    """TensorFlow, which spaCy loads while Sayso sets up, always says something."""
    assert "tensorflow" in (sayso.log_dir / "sayso.log").read_text(errors="replace")

"""A stateful fuzz of the conversation: a few hundred random steps through the real engine.

bench/conversation_fuzz.py runs the same machine for a long time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.support.conversation_machine import ConversationMachine
from tests.support.conversation_model import template_database

#: About 300 steps: enough to reach every step of the conversation, in under a minute.
CI_SETTINGS = settings(
    max_examples=12,
    stateful_step_count=25,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture()
def machine(tmp_path: Path) -> Iterator[type[ConversationMachine]]:
    ConversationMachine.template = template_database(tmp_path)
    yield ConversationMachine


def test_no_step_of_the_conversation_breaks_a_rule(machine: type[ConversationMachine]) -> None:
    run_state_machine_as_test(machine, settings=CI_SETTINGS)

"""Fixtures for the unit tests of the staff pages."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from bot.staff import security


@pytest.fixture()
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its real cost takes a quarter of a second a try; staff tests log in dozens of
    times. Tests that use this hash with the lowest cost instead."""
    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))

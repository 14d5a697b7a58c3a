"""The scaled mode's processes, worked out from settings before anything starts."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from rasa.shared.utils.common import class_from_module_path

from bot.config import Settings, load_settings
from bot.ops import scaled
from bot.ops.redis_locks import AtomicRedisLockStore
from bot.ops.scaled import ScaledLayout, application_services, balancer_config


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return replace(
        load_settings(),
        scaled_data_dir=tmp_path,
        scaled_rasa_ports=(7101, 7102),
        scaled_action_ports=(7201, 7202),
        rasa_port=7100,
        action_port=7200,
        log_dir=tmp_path / "logs",
        telegram_token="",
    )


def test_nginx_listens_on_loopback_only_and_spreads_over_every_server(settings: Settings) -> None:
    config = balancer_config(settings, settings.scaled_data_dir)
    assert re.findall(r"listen ([\d.:]+);", config) == ["127.0.0.1:7100", "127.0.0.1:7200"]
    for port in (7101, 7102, 7201, 7202):
        assert f"server 127.0.0.1:{port} " in config


def test_two_rasa_and_two_action_servers_run_the_embedded_commands_on_their_own_ports(
    settings: Settings,
) -> None:
    services = {service.name: service for service in application_services(settings)}
    assert set(services) == {
        "action server 1",
        "action server 2",
        "Rasa server 1",
        "Rasa server 2",
        "web server",
        "background worker",
    }
    for number, port in ((1, "7101"), (2, "7102")):
        command = services[f"Rasa server {number}"].command
        assert command[command.index("--port") + 1] == port
        assert command[command.index("--interface") + 1] == "127.0.0.1"
    for number, port in ((1, "7201"), (2, "7202")):
        command = services[f"action server {number}"].command
        assert command[command.index("--port") + 1] == port
    logs = {service.log_path for service in services.values()}
    assert len(logs) == len(services), "two processes would write to one log"


def test_every_process_is_pointed_at_postgresql_and_the_redis_lock_store(
    settings: Settings,
) -> None:
    (settings.scaled_data_dir / "postgres-password").write_text("pw")
    environment = ScaledLayout(settings).settings_environment()
    assert environment["SAYSO_DATABASE_URL"].startswith("postgresql://sayso:pw@127.0.0.1:")
    assert environment["SAYSO_TRACKER_URL"].endswith("/rasa_tracker")
    lock_store = class_from_module_path(environment["SAYSO_LOCK_STORE"])
    assert lock_store is AtomicRedisLockStore
    assert environment["SAYSO_REDIS_PORT"] == str(settings.scaled_redis_port)


def test_postgresql_runs_as_nobody_when_sayso_runs_as_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scaled, "running_as_root", lambda: True)
    assert scaled.database_owner() == "nobody"
    monkeypatch.setattr(scaled, "running_as_root", lambda: False)
    assert scaled.database_owner() is None

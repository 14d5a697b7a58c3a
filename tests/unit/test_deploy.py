"""deploy/ describes the topology the scaled mode runs; these checks keep the two in step.

The Compose file and Kubernetes manifests are not run here, so a change to bot/ops/scaled.py
or endpoints.yml that they miss would only show in production.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from bot import PROJECT_ROOT
from bot.config import load_settings
from bot.ops.processes import rasa_environment, sayso_services
from bot.ops.scaled import ScaledLayout, balancer_config

DEPLOY = PROJECT_ROOT / "deploy"


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def manifests(name: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load_all((DEPLOY / "kubernetes" / name).read_text()))


def endpoint_variables() -> set[str]:
    return set(re.findall(r"\$\{(\w+)\}", (PROJECT_ROOT / "endpoints.yml").read_text()))


def env_file_names(path: Path) -> set[str]:
    return {
        line.split("=", 1)[0]
        for line in path.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }


def command_run_locally(name: str) -> list[str]:
    settings = load_settings()
    return next(service.command for service in sayso_services(settings) if service.name == name)


def test_compose_runs_as_many_rasa_and_action_servers_as_the_scaled_mode() -> None:
    services = compose()["services"]
    settings = load_settings()
    assert len([name for name in services if name.startswith("rasa-")]) == len(
        settings.scaled_rasa_ports
    )
    assert len([name for name in services if name.startswith("actions-")]) == len(
        settings.scaled_action_ports
    )
    nginx = (DEPLOY / "nginx.conf").read_text()
    local = balancer_config(settings, Path("/tmp"))
    assert nginx.count("server rasa-") == len(settings.scaled_rasa_ports)
    assert nginx.count("server actions-") == len(settings.scaled_action_ports)
    for directive in ("proxy_next_upstream error http_502;", "max_fails=1 fail_timeout=5s;"):
        assert directive in nginx and directive in local


def test_kubernetes_runs_as_many_replicas_as_the_scaled_mode() -> None:
    replicas = {
        document["metadata"]["name"]: document["spec"]["replicas"]
        for document in manifests("sayso.yaml")
        if document["kind"] == "Deployment"
    }
    settings = load_settings()
    assert replicas["sayso-rasa"] == len(settings.scaled_rasa_ports)
    assert replicas["sayso-actions"] == len(settings.scaled_action_ports)
    assert replicas["sayso-worker"] == 1


def test_every_process_runs_the_same_program_as_locally() -> None:
    services = compose()["services"]
    rasa_module = command_run_locally("Rasa server")[2]
    action_module = command_run_locally("action server")[2]
    assert services["rasa-1"]["command"][2] == rasa_module
    assert services["actions-1"]["command"][2] == action_module
    containers = {
        document["metadata"]["name"]: document["spec"]["template"]["spec"]["containers"][0]
        for document in manifests("sayso.yaml")
        if document["kind"] == "Deployment"
    }
    assert containers["sayso-rasa"]["command"][2] == rasa_module
    assert containers["sayso-actions"]["command"][2] == action_module


def test_every_variable_endpoints_yml_reads_is_set_in_both(tmp_path: Path) -> None:
    wanted = endpoint_variables()
    (tmp_path / "postgres-password").write_text("secret")
    layout = ScaledLayout(replace(load_settings(), scaled_data_dir=tmp_path))
    scaled = set(layout.settings_environment()) | {"SAYSO_ACTION_ENDPOINT"}
    assert wanted <= scaled
    in_compose = set(compose()["x-sayso"]["environment"]) | env_file_names(
        DEPLOY / "sayso.env.example"
    )
    assert wanted <= in_compose
    [config_map] = [d for d in manifests("sayso.yaml") if d["kind"] == "ConfigMap"]
    [secret] = manifests("secret.example.yaml")
    assert wanted <= set(config_map["data"]) | set(secret["stringData"])


def test_a_crashed_rasa_holds_a_persons_lock_as_briefly_everywhere() -> None:
    lifetime = rasa_environment(load_settings())["TICKET_LOCK_LIFETIME"]
    [config_map] = [d for d in manifests("sayso.yaml") if d["kind"] == "ConfigMap"]
    assert compose()["x-sayso"]["environment"]["TICKET_LOCK_LIFETIME"] == lifetime
    assert config_map["data"]["TICKET_LOCK_LIFETIME"] == lifetime
    assert int(lifetime) <= 10


def test_prometheus_scrapes_each_process_on_the_port_it_serves_metrics_on() -> None:
    settings = load_settings()
    services = compose()["services"]
    environment = compose()["x-sayso"]["environment"]
    scrape = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    targets = {
        job["job_name"]: job["static_configs"][0]["targets"] for job in scrape["scrape_configs"]
    }
    action_servers = sorted(name for name in services if name.startswith("actions-"))
    metrics_port = environment["SAYSO_ACTION_METRICS_PORT"]
    assert targets == {
        "sayso-web": [f"web:{settings.web_port}"],
        "sayso-worker": [f"worker:{settings.worker_port}"],
        "sayso-actions": [f"{name}:{metrics_port}" for name in action_servers],
    }
    assert environment["SAYSO_WORKER_URL"] == f"http://worker:{settings.worker_port}"
    assert "--host" in services["worker"]["command"]

    pods = {
        document["metadata"]["name"]: document["spec"]["template"]
        for document in manifests("sayso.yaml")
        if document["kind"] == "Deployment"
    }
    [config_map] = [d for d in manifests("sayso.yaml") if d["kind"] == "ConfigMap"]
    expected = {
        "sayso-web": settings.web_port,
        "sayso-worker": settings.worker_port,
        "sayso-actions": int(config_map["data"]["SAYSO_ACTION_METRICS_PORT"]),
    }
    for name, port in expected.items():
        annotations = pods[name]["metadata"]["annotations"]
        assert annotations["prometheus.io/port"] == str(port)
        container_ports = [
            entry["containerPort"] for entry in pods[name]["spec"]["containers"][0]["ports"]
        ]
        assert port in container_ports

"""Settings from the environment and the untracked secrets file.

Every setting has a safe default for a laptop: SQLite in `var/`, loopback ports, the spaCy
model that setup linked into `var/spacy-model`. A deployment changes behaviour through
environment variables only, so the same code runs embedded and scaled.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot import PROJECT_ROOT

VAR_DIR = PROJECT_ROOT / "var"
SECRETS_FILE = VAR_DIR / "secrets.env"


def read_env_file(path: Path) -> dict[str, str]:
    """Read KEY=value lines; blank lines and comments are skipped."""
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


def _lookup(name: str, default: str = "") -> str:
    """An environment variable wins over the secrets file, which wins over the default."""
    if name in os.environ:
        return os.environ[name]
    return read_env_file(SECRETS_FILE).get(name, default)


def _ports(listed: str) -> tuple[int, ...]:
    """Comma-separated ports, one per process of a kind."""
    return tuple(int(port) for port in listed.split(",") if port.strip())


def _url(value: str) -> str:
    return value.strip().rstrip("/")


@dataclass(frozen=True)
class Settings:
    """What Sayso needs to know about where it runs."""

    database_url: str
    spacy_model: str
    consultations_dir: Path
    participant_id_key: bytes
    address_key: str
    rasa_auth_token: str
    service_name: str
    service_contact: str
    log_dir: Path = VAR_DIR / "logs"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    tracker_url: str = ""
    lock_store: str = "in_memory"
    redis_host: str = "localhost"
    redis_port: int = 6379
    extra_help_lines: tuple[str, ...] = field(default_factory=tuple)
    alert_webhook_url: str = ""
    retention_days: int = 365
    retention_keep_redacted: bool = True
    staff_session_key: str = ""
    staff_secure_cookies: str = "auto"
    show_originals_to: tuple[str, ...] = ("admin",)
    public_url: str = ""
    webchat_rasa_url: str = ""
    kiosk_idle_seconds: int = 120
    telegram_bot_username: str = ""
    telegram_token: str = ""
    telegram_secret_token: str = ""
    telegram_api_base_url: str = ""
    telegram_webhook_url: str = ""
    telegram_worker_port: int = 5056
    #: The background worker's /metrics and /healthz, on 127.0.0.1.
    worker_port: int = 5059
    #: Where /healthz finds Rasa, the action server and the worker: this machine's ports
    #: unless set (deploy/ sets them, where each runs in its own container).
    rasa_url: str = ""
    action_url: str = ""
    worker_url: str = ""
    #: Where each action server serves its own /metrics; 0 (off) where `sayso run` has every
    #: process add up their counts in one folder instead (bot/ops/metrics.py).
    action_metrics_port: int = 0
    #: A theme from fewer people than this is never shown on the public board.
    public_min_people: int = 5
    #: Days after an outcome is marked done before people are asked "did it help?".
    follow_up_days: int = 28
    #: `scaled` makes `sayso run` start the scaled topology (bot/ops/scaled.py).
    profile: str = "embedded"
    scaled_data_dir: Path = VAR_DIR / "scaled"
    scaled_postgres_port: int = 5433
    scaled_redis_port: int = 6380
    scaled_rasa_ports: tuple[int, ...] = (5006, 5007)
    scaled_action_ports: tuple[int, ...] = (5057, 5058)


def load_settings() -> Settings:
    """Build settings now, reading the environment and the secrets file afresh."""
    extra = _lookup("SAYSO_EXTRA_HELP_LINES")
    rasa_port = int(_lookup("SAYSO_RASA_PORT", "5005"))
    action_port = int(_lookup("SAYSO_ACTION_PORT", "5055"))
    worker_port = int(_lookup("SAYSO_WORKER_PORT", "5059"))
    return Settings(
        database_url=_lookup("SAYSO_DATABASE_URL", f"sqlite:///{VAR_DIR / 'sayso.db'}"),
        spacy_model=_lookup("SAYSO_SPACY_MODEL", str(VAR_DIR / "spacy-model")),
        consultations_dir=Path(
            _lookup("SAYSO_CONSULTATIONS_DIR", str(PROJECT_ROOT / "consultations"))
        ),
        participant_id_key=_lookup("SAYSO_PARTICIPANT_ID_KEY", "").encode("utf-8"),
        address_key=_lookup("SAYSO_ADDRESS_KEY", ""),
        rasa_auth_token=_lookup("SAYSO_RASA_AUTH_TOKEN", ""),
        service_name=_lookup("SAYSO_SERVICE_NAME", "the day centre"),
        service_contact=_lookup(
            "SAYSO_SERVICE_CONTACT", "Ask a worker at the day centre, or call 0300 123 4567."
        ),
        log_dir=Path(_lookup("SAYSO_LOG_DIR", str(VAR_DIR / "logs"))),
        rasa_port=rasa_port,
        action_port=action_port,
        web_port=int(_lookup("SAYSO_WEB_PORT", "8000")),
        tracker_url=_lookup("SAYSO_TRACKER_URL", f"sqlite:///{VAR_DIR / 'tracker.db'}"),
        lock_store=_lookup("SAYSO_LOCK_STORE", "in_memory"),
        redis_host=_lookup("SAYSO_REDIS_HOST", "localhost"),
        redis_port=int(_lookup("SAYSO_REDIS_PORT", "6379")),
        extra_help_lines=tuple(line.strip() for line in extra.split("|") if line.strip()),
        alert_webhook_url=_lookup("SAYSO_ALERT_WEBHOOK_URL", ""),
        retention_days=int(_lookup("SAYSO_RETENTION_DAYS", "365")),
        retention_keep_redacted=_lookup("SAYSO_RETENTION_KEEP_REDACTED", "yes").lower()
        in ("1", "yes", "true"),
        staff_session_key=_lookup("SAYSO_STAFF_SESSION_KEY", ""),
        staff_secure_cookies=_lookup("SAYSO_STAFF_SECURE_COOKIES", "auto").strip().lower(),
        show_originals_to=tuple(
            role.strip().lower()
            for role in _lookup("SAYSO_SHOW_ORIGINALS_TO", "admin").split(",")
            if role.strip()
        ),
        public_url=_lookup("SAYSO_PUBLIC_URL", "").strip().rstrip("/"),
        webchat_rasa_url=_lookup("SAYSO_WEBCHAT_RASA_URL", "").strip().rstrip("/"),
        kiosk_idle_seconds=int(_lookup("SAYSO_KIOSK_IDLE_SECONDS", "120")),
        telegram_bot_username=_lookup("SAYSO_TELEGRAM_BOT_USERNAME", "").strip().lstrip("@"),
        telegram_token=_lookup("TELEGRAM_TOKEN", "").strip(),
        telegram_secret_token=_lookup("TELEGRAM_SECRET_TOKEN", "").strip(),
        telegram_api_base_url=_lookup("TELEGRAM_API_BASE_URL", "").strip(),
        telegram_webhook_url=_lookup("TELEGRAM_WEBHOOK_URL", "").strip(),
        telegram_worker_port=int(_lookup("SAYSO_TELEGRAM_WORKER_PORT", "5056")),
        worker_port=worker_port,
        rasa_url=_url(_lookup("SAYSO_RASA_URL", f"http://127.0.0.1:{rasa_port}")),
        action_url=_url(_lookup("SAYSO_ACTION_URL", f"http://127.0.0.1:{action_port}")),
        worker_url=_url(_lookup("SAYSO_WORKER_URL", f"http://127.0.0.1:{worker_port}")),
        action_metrics_port=int(_lookup("SAYSO_ACTION_METRICS_PORT", "0")),
        public_min_people=max(1, int(_lookup("SAYSO_PUBLIC_MIN_PEOPLE", "5"))),
        follow_up_days=max(0, int(_lookup("SAYSO_FOLLOW_UP_DAYS", "28"))),
        profile=_lookup("SAYSO_PROFILE", "embedded").strip().lower(),
        scaled_data_dir=Path(_lookup("SAYSO_SCALED_DATA_DIR", str(VAR_DIR / "scaled"))),
        scaled_postgres_port=int(_lookup("SAYSO_SCALED_POSTGRES_PORT", "5433")),
        scaled_redis_port=int(_lookup("SAYSO_SCALED_REDIS_PORT", "6380")),
        scaled_rasa_ports=_ports(_lookup("SAYSO_SCALED_RASA_PORTS", "5006,5007")),
        scaled_action_ports=_ports(_lookup("SAYSO_SCALED_ACTION_PORTS", "5057,5058")),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process, read once."""
    return load_settings()

"""Random keys generated once per installation into `var/secrets.env`, never committed."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

from bot.config import SECRETS_FILE, read_env_file

GENERATORS = {
    "SAYSO_PARTICIPANT_ID_KEY": lambda: secrets.token_urlsafe(32),
    "SAYSO_ADDRESS_KEY": lambda: Fernet.generate_key().decode(),
    "SAYSO_RASA_AUTH_TOKEN": lambda: secrets.token_urlsafe(24),
    # Telegram sends it with every update; letters, digits, _ and - only, as Telegram requires.
    "TELEGRAM_SECRET_TOKEN": lambda: secrets.token_urlsafe(32),
    "SAYSO_STAFF_SESSION_KEY": lambda: secrets.token_urlsafe(32),
}


def ensure_secrets(path: Path = SECRETS_FILE) -> list[str]:
    """Add any missing key to the secrets file; return the names that were created."""
    existing = read_env_file(path)
    missing = [name for name in GENERATORS if not existing.get(name)]
    if not missing:
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}={value}" for name, value in existing.items()]
    lines += [f"{name}={GENERATORS[name]()}" for name in missing]
    header = "# Sayso's keys for this installation. Keep this file private; never commit it.\n"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return missing

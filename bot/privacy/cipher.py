"""Encryption at rest for what would identify or reach a person: chat ids, sender ids.

A Telegram chat id can find a real person, so it is never stored in the clear: chat addresses
and the updates waiting to be handled are sealed with Fernet under `SAYSO_ADDRESS_KEY`.
"""

from __future__ import annotations

from cryptography.fernet import Fernet


class MissingAddressKeyError(RuntimeError):
    """Raised when setup has not written the address key."""


class Cipher:
    """Seal and open short texts with the installation's address key."""

    def __init__(self, key: str) -> None:
        if not key:
            raise MissingAddressKeyError(
                "SAYSO_ADDRESS_KEY is not set. Run `make run` to create var/secrets.env."
            )
        self._fernet = Fernet(key.encode("ascii"))

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def seal_chat(self, chat_id: int) -> str:
        return self.seal(str(chat_id))

    def open_chat(self, token: str) -> int:
        return int(self.open(token))

"""What a phone downloads to open the web chat: bytes of the page, its styles and its script.

Measured as served (gzip, which the web app applies) and uncompressed, for the chat page and
kiosk mode, plus the printable poster. The QR codes on the poster are drawn into the page, so
its weight includes them. Nothing else is fetched: no fonts, images or CDN files. At 2G speed
(about 30 kB/s) every 10 kB costs a third of a second.

Run: .venv/bin/python bench/webchat_page_weight.py
"""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot import PROJECT_ROOT

ASSETS = ("/chat/static/chat.css", "/chat/static/chat.js")
TWO_G_BYTES_PER_SECOND = 30_000


def measure(client: TestClient, paths: tuple[str, ...]) -> tuple[int, int]:
    raw = [client.get(path).content for path in paths]
    return sum(len(body) for body in raw), sum(len(gzip.compress(body)) for body in raw)


def main() -> None:
    workdir = Path(tempfile.mkdtemp())
    os.environ["SAYSO_DATABASE_URL"] = f"sqlite:///{workdir / 'sayso.db'}"
    os.environ.setdefault("SAYSO_PARTICIPANT_ID_KEY", "bench")
    os.environ.setdefault("SAYSO_ADDRESS_KEY", Fernet.generate_key().decode())
    os.environ.setdefault("SAYSO_TELEGRAM_BOT_USERNAME", "SaysoBot")

    from bot.consultations.sync import sync_consultations
    from bot.store.database import session_scope
    from bot.webchat.app import create_app

    with session_scope() as session:
        sync_consultations(session, PROJECT_ROOT / "consultations")
    client = TestClient(Starlette(routes=[Mount("/chat", app=create_app())]))
    print(f"{'what':<34}{'uncompressed':>14}{'gzip':>10}{'2G seconds':>12}")
    for name, paths in (
        ("chat page + css + js", ("/chat/", *ASSETS)),
        ("kiosk page + css + js", ("/chat/kiosk", *ASSETS)),
        ("  of which the page (kiosk)", ("/chat/kiosk",)),
        ("  of which chat.css", ASSETS[:1]),
        ("  of which chat.js", ASSETS[1:]),
        ("poster + css (two QR codes)", ("/chat/poster/hostel-food", "/chat/static/poster.css")),
    ):
        raw, zipped = measure(client, paths)
        print(f"{name:<34}{raw:>14,}{zipped:>10,}{zipped / TWO_G_BYTES_PER_SECOND:>12.2f}")


if __name__ == "__main__":
    main()

"""What a phone downloads to read the public "You said, we did" board.

Bytes of each page with its styles, as served (the board applies gzip) and uncompressed: the
board, one consultation's page, and the print page (its QR code is drawn into the page). The
board seeded as the tests seed it: one published outcome, with a theme from six people and
two quotes. GOV.UK Frontend's CSS is the same file the staff pages use; its fonts are listed
apart (a browser fetches them once, then caches them). At 2G speed (about 30 kB/s) every
10 kB costs a third of a second.

Run: .venv/bin/python bench/board_page_weight.py
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import PROJECT_ROOT

CSS = ("/said-did/assets/govuk-frontend.min.css", "/said-did/static/staff.css")
TWO_G_BYTES_PER_SECOND = 30_000


def measure(client: TestClient, paths: tuple[str, ...]) -> tuple[int, int]:
    raw = 0
    zipped = 0
    for path in paths:
        response = client.get(path, headers={"accept-encoding": "identity"})
        assert response.status_code == 200, path
        raw += len(response.content)
        zipped += len(gzip.compress(response.content)) if len(response.content) >= 500 else 0
        zipped += len(response.content) if len(response.content) < 500 else 0
    return raw, zipped


def main() -> None:
    workdir = Path(tempfile.mkdtemp())
    os.environ["SAYSO_DATABASE_URL"] = f"sqlite:///{workdir / 'sayso.db'}"
    os.environ.setdefault("SAYSO_PARTICIPANT_ID_KEY", "bench")
    os.environ.setdefault("SAYSO_ADDRESS_KEY", Fernet.generate_key().decode())
    os.environ.setdefault("SAYSO_TELEGRAM_BOT_USERNAME", "SaysoBot")

    from bot.consultations.sync import sync_consultations
    from bot.staff.app import GOVUK_DIR
    from bot.staff.board import create_app
    from bot.store import board as board_store
    from bot.store.database import get_engine, session_scope
    from tests.support.board import seed_board

    with session_scope() as session:
        sync_consultations(session, PROJECT_ROOT / "consultations")
    seeded = seed_board(get_engine())
    with session_scope() as session:
        picks = [seeded.personal_response_id, seeded.plain_response_id]
        board_store.set_picks(session, seeded.big_theme_id, picks, "bench")
    client = TestClient(Starlette(routes=[Mount("/said-did", app=create_app())]))
    print(f"{'what':<36}{'uncompressed':>14}{'gzip':>10}{'2G seconds':>12}")
    for name, paths in (
        ("board page + css", ("/said-did/", *CSS)),
        ("  of which the board page", ("/said-did/",)),
        ("  of which GOV.UK + Sayso css", CSS),
        ("consultation page + css", ("/said-did/hostel-food", *CSS)),
        ("print page + css (one QR code)", ("/said-did/hostel-food/print",
                                             "/said-did/static/board-print.css")),
        ("Atom feed", ("/said-did/feed.atom",)),
    ):  # fmt: skip
        raw, zipped = measure(client, paths)
        print(f"{name:<36}{raw:>14,}{zipped:>10,}{zipped / TWO_G_BYTES_PER_SECOND:>12.2f}")
    fonts = sorted((GOVUK_DIR / "assets" / "fonts").glob("*.woff2"))
    size = sum(font.stat().st_size for font in fonts)
    print(f"{'GOV.UK fonts (woff2, cached)':<36}{size:>14,}{size:>10,}{'':>12}")


if __name__ == "__main__":
    main()

"""The public "You said, we did" board in a real headless Chromium, on the real `sayso run`.

Every board page, its print version and its error page pass axe (WCAG 2.2 AA) at 320 and
1280 pixels wide, in each language; no page holds a participant id, an address or a word the
staff pages mask; and nothing under the threshold or unpublished is shown.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from bot.store import board as board_store
from bot.store.database import make_engine, session_scope
from tests.integration.conftest import RunningSayso
from tests.support.board import (
    DRAFT_OUTCOME,
    DRAFT_THEME,
    PUBLISHED_OUTCOME,
    SECRET_DRAFT,
    SECRET_SMALL,
    SMALL_THEME,
    leaks,
    seed_board,
)
from tests.support.browser import axe_violations, launch_chromium

pytestmark = pytest.mark.integration

WIDTHS = (320, 1280)
PAGES = (
    "/said-did/",
    "/said-did/?lang=pl",
    "/said-did/?lang=ro",
    "/said-did/hostel-food",
    "/said-did/hostel-food?lang=pl",
    "/said-did/hostel-food/print",
    "/said-did/hostel-food/print?lang=ro",
    "/said-did/no-such-consultation",
)


@pytest.fixture(scope="module")
def board_browser(sayso: RunningSayso) -> Iterator[Browser]:
    engine = make_engine(f"sqlite:///{sayso.database}")
    seeded = seed_board(engine)
    with session_scope(engine) as session:
        board_store.set_picks(
            session,
            seeded.big_theme_id,
            [seeded.personal_response_id, seeded.plain_response_id],
            "staff@example.org",
        )
    engine.dispose()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def test_every_board_page_passes_axe_at_320_and_1280_pixels(
    sayso: RunningSayso, board_browser: Browser
) -> None:
    problems: dict[str, list[str]] = {}
    for width in WIDTHS:
        context = board_browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{sayso.web_url}{path}")
            found = axe_violations(page)
            if found:
                problems[f"{path} at {width}px"] = found
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            if overflow:
                problems[f"{path} at {width}px"] = ["the page scrolls sideways"]
        context.close()
    assert problems == {}


def test_the_board_shows_the_outcome_and_nothing_private(
    sayso: RunningSayso, board_browser: Browser
) -> None:
    engine = make_engine(f"sqlite:///{sayso.database}")
    page = board_browser.new_context().new_page()
    for path in (*PAGES[:-1], "/said-did/feed.atom"):
        response = page.goto(f"{sayso.web_url}{path}")
        assert response is not None and response.status == 200, path
        content = response.text()
        assert leaks(content, engine) == [], path
        for hidden in (SMALL_THEME, SECRET_SMALL, DRAFT_THEME, SECRET_DRAFT, DRAFT_OUTCOME):
            assert hidden not in content, (path, hidden)
    page.goto(f"{sayso.web_url}/said-did/hostel-food")
    assert page.get_by_text(PUBLISHED_OUTCOME).first.is_visible()
    assert page.get_by_text("I am [name] at [place], ring [phone]").is_visible()
    missing = page.goto(f"{sayso.web_url}/said-did/no-such-consultation")
    assert missing is not None and missing.status == 404
    page.context.close()
    engine.dispose()

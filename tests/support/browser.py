"""Headless Chromium and the axe accessibility check, as every browser test uses them.

Chromium is Debian's, installed by `make test` (`scripts/install.sh tests`); Playwright never
downloads a browser. It starts as the evidence report's PDF printer starts it.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Playwright

from bot.staff.evidence_pdf import CHROMIUM, CHROMIUM_FLAGS

#: WCAG 2.2 at level AA, the bar PRODUCT.md sets for every page.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)


def axe_violations(page: Page) -> list[str]:
    """Each accessibility failure axe finds on the page, said with where it is."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        f"{v['id']}: {v['help']} at {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def log_in(page: Page, staff_base: str, email: str, password: str) -> None:
    """Log in to the staff pages as a person would, and wait for the consultations list."""
    page.goto(f"{staff_base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{staff_base}/consultations")

"""The evidence report as a PDF, printed from its own HTML by headless Chromium.

Why Chromium: the report is already an accessible HTML page with SVG charts; printing that
page gives a PDF with the same words, tables and charts, and no second layout to keep in step.
Chromium is Debian's `/usr/bin/chromium`, which `make test` (`scripts/install.sh tests`)
installs for the browser tests; `make run` leaves it out, and then the PDF says it cannot be
made. It is driven by Playwright (already in the lock file); Playwright never downloads a
browser.
The flags are the ones tests/support/browser.py uses: headless, no sandbox (Sayso may run as
root in a container), and nothing that reaches the network. The page is handed over as a
string with its CSS inside, so printing fetches nothing.
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]  # fmt: skip


class PdfUnavailable(RuntimeError):
    """Chromium is missing or failed: the HTML report still works."""


def html_to_pdf(html: str) -> bytes:
    """A4 PDF of a self-contained HTML page (call from a worker thread, not the event loop)."""
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page()
                page.set_content(html, wait_until="load")
                return page.pdf(
                    format="A4",
                    print_background=True,
                    margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
                )
            finally:
                browser.close()
    except Exception as error:  # Playwright raises its own errors, and OSError without Chromium
        raise PdfUnavailable(str(error)) from error

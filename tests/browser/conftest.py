"""Browser tests: Debian's Chromium driven by Playwright, axe-core for accessibility.

Screenshots land in var/screenshots/ so that a person can look at the pages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (scripts/test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page. Every page it visits runs under the site's Content-Security-Policy (the
    strict public one, or the admin's under /admin/): a violation Chromium reports in the
    console fails the test."""
    context = browser.new_context(locale="da-DK", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.csp_violations = violations  # for the test that proves the check works
    yield page
    context.close()
    assert not violations, "CSP violations:\n" + "\n".join(violations)


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds no violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    # Wait for transitions (Wagtail's messages fade in): axe measures colours as drawn, and a
    # half-faded message would report a contrast the finished page does not have.
    for _ in range(50):
        running = page.evaluate(
            "document.getAnimations().filter(a => a.playState === 'running').length"
        )
        if not running:
            break
        page.wait_for_timeout(100)
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    assert results.violations_count == 0, results.generate_report()


def screenshot(page, name: str) -> None:
    """Save the page at phone and desktop widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(original)


@pytest.fixture(autouse=True)
def browser_reference_data(reference_data):
    """Browser tests run against live_server with a flushed database: reference data again."""


@pytest.fixture
def demo_site(reference_data, live_server, settings, tmp_path, demo_country):
    """The demo country at a small scale, served by live_server; its supervision reports
    (PDFs) are stored in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_country.build()
    return live_server

"""The agency's pages in Chromium: a citizens' guidance page and the driftsinfo page with its
banner, in the public site's look, accessible (axe) and within the CSP (the page fixture)."""

from __future__ import annotations

from plov.pages.demo import create_demo_pages
from tests.browser.conftest import assert_accessible, screenshot


def test_guidance_and_driftsinfo_pages_are_accessible(live_server, page, db):
    create_demo_pages()  # the demo's pages, with an info status in force
    page.goto(live_server.url + "/saadan-vaelger-du-plejehjem/")
    assert page.locator("h1").inner_text() == "Sådan vælger du plejehjem"
    assert page.locator("html").get_attribute("lang") == "da"
    banner = page.locator(".plov-status-banner")
    assert "Planlagt vedligeholdelse" in banner.inner_text()
    footer = page.locator("footer")
    assert footer.get_by_role("link", name="Tilgængelighedserklæring").count() == 1
    assert_accessible(page)
    screenshot(page, "pages-guidance")

    banner.get_by_role("link", name="Se driftsinfo").click()
    page.wait_for_url("**/driftsinfo/")
    assert page.get_by_role("heading", name="Driftsstatus").count() == 1
    assert page.locator("table").get_by_role("columnheader", name="Udførende").count() == 1
    assert_accessible(page)
    screenshot(page, "pages-driftsinfo")

    footer.get_by_role("link", name="Om Plejeoverblikket").click()
    page.wait_for_url("**/om-plejeoverblikket/")
    assert_accessible(page)

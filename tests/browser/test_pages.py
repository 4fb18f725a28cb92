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


def test_the_english_guidance_and_operations_pages_are_accessible(live_server, page, db):
    create_demo_pages()
    page.goto(live_server.url + "/en/how-to-choose-a-care-home/")
    assert page.locator("h1").inner_text() == "How to choose a care home"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article").get_attribute("lang") == "en"
    banner = page.locator(".plov-status-banner")
    assert "Service information" in banner.inner_text()
    assert "Planned maintenance" in banner.inner_text()
    footer = page.locator("footer")
    assert footer.get_by_role("link", name="Accessibility statement").count() == 1
    assert_accessible(page)
    screenshot(page, "pages-guidance-en")

    banner.get_by_role("link", name="See the operations status").click()
    page.wait_for_url("**/en/operations-status/")
    assert page.get_by_role("heading", name="Operations status", exact=True).count() == 2
    assert page.locator("table").get_by_role("columnheader", name="Performed by").count() == 1
    assert_accessible(page)
    screenshot(page, "pages-driftsinfo-en")

    # The language link leads to the Danish original, not to the Danish front page.
    page.get_by_role("link", name="Dansk").click()
    page.wait_for_url("**/driftsinfo/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h1").inner_text() == "Driftsinfo"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/operations-status/")

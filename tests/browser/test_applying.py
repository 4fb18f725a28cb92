"""How to apply, in Chromium on the demo country: Aarhus's editor locks, edits and saves the
municipality's guidance in the back office; a relative finds it from a unit page, in Danish and
English, and prints the visit checklist. axe on every page."""

from __future__ import annotations

import pytest

from plov.units.models import Unit, UnitKind
from tests.browser.conftest import SCREENSHOTS, assert_accessible, screenshot
from tests.browser.test_backoffice_journey import (  # noqa: F401  (fixtures)
    demo,
    log_in,
    transactional_db,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_municipality_writes_how_to_apply_and_a_relative_finds_it(demo, page):  # noqa: F811
    base = demo
    log_in(page, base, "redaktoer-aarhus", "/admin/kommuner/751/ansoeg/")
    assert "Du skal låse dette element" in page.locator("#lock-status").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Lås og rediger").click()
    page.get_by_label("Telefon", exact=True).fill("89 40 20 00")
    text = page.get_by_label("Sådan søger du om plejebolig")
    text.fill("Ring til Visitationen Aarhus.\n\nDu får svar inden for fire uger.")
    page.get_by_role("button", name="Gem").click()
    assert "Gemt og publiceret" in page.locator(".messages").inner_text()
    assert_accessible(page)
    screenshot(page, "applying-backoffice")
    page.get_by_role("button", name="Tjek ind").click()

    unit = (
        Unit.objects.filter(municipality_id=751, kind=UnitKind.CARE_HOME, published=True)
        .order_by("name")
        .first()
    )
    page.goto(f"{base}/enhed/{unit.pk}/")
    section = page.locator("section", has=page.locator("#ansoeg"))
    assert section.get_by_role("link", name="Spørgsmål til besøget (til udskrift)").count() == 1
    assert_accessible(page)
    section.get_by_role("link", name="Sådan søger du i Aarhus Kommune").click()
    page.wait_for_url("**/kommune/aarhus/ansoeg/")
    assert "Ring til Visitationen Aarhus." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="89 40 20 00").count() == 1
    assert_accessible(page)
    screenshot(page, "applying-public")

    page.get_by_role("link", name="Spørgsmål til besøget (til udskrift)").click()
    page.wait_for_url("**/spoergsmaal-til-besoeget/")
    assert page.get_by_role("button", name="Udskriv listen").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("header.header").is_visible()
    assert not page.get_by_role("button", name="Udskriv listen").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "checklist-print.png", full_page=True)
    page.emulate_media(media="screen")

    page.goto(f"{base}/en/enhed/{unit.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="How to apply in Aarhus Kommune").click()
    page.wait_for_url("**/en/kommune/aarhus/ansoeg/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.get_by_role("link", name="Questions to ask on a visit (to print)").click()
    page.wait_for_url("**/en/questions-for-your-visit/")
    assert page.get_by_role("button", name="Print the list").is_visible()
    assert_accessible(page)

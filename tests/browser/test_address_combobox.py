"""The address field as a combobox (address-combobox.js) in Chromium, on the demo country:
typing shows DAR suggestions, the keyboard picks one, the search runs from it; axe finds
nothing with the list open; phone and desktop widths; the plain field without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from plov.public.suggest import suggest
from plov.units.models import Unit, UnitKind
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, demo_country) -> str:
    demo_country.build()
    cache.clear()
    yield live_server.url
    cache.clear()


def demo_unit() -> Unit:
    """A published care home whose visiting address is a DAR address (the demo has streets
    around every unit)."""
    return (
        Unit.objects.published()
        .filter(kind=UnitKind.CARE_HOME, dar_address__isnull=False)
        .select_related("dar_address")
        .order_by("name")
        .first()
    )


def typed_for(unit: Unit) -> str:
    """How a relative starts typing the unit's address: lower case, the town begun."""
    a = unit.dar_address
    return f"{a.street_name.lower()} {a.house_number} {a.postcode_name[:3].lower()}"


def test_a_citizen_picks_a_suggested_address_with_the_keyboard_and_searches(site, page):
    unit = demo_unit()
    typed = typed_for(unit)
    expected = [s.text for s in suggest(typed)]
    assert expected, typed

    page.goto(site + "/")
    field = page.locator("#adresse")
    expect(field).to_have_attribute("role", "combobox")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).to_have_attribute("aria-controls", "adresse-forslag")
    field.click()
    page.keyboard.type(typed, delay=15)
    listbox = page.get_by_role("listbox", name="Forslag til adresser")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_text(expected)
    count = f"{len(expected)} forslag" if len(expected) > 1 else "1 forslag"
    expect(page.locator("#adresse-forslag-status")).to_have_text(count)
    assert page.locator("#adresse-forslag-status").get_attribute("aria-live") == "polite"
    assert_accessible(page)
    screenshot(page, "address-combobox")

    # Arrows move the active option; focus stays in the field
    page.keyboard.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", "adresse-forslag-0")
    if len(expected) > 1:
        page.keyboard.press("ArrowDown")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        expect(options.nth(0)).to_have_attribute("aria-selected", "false")
        expect(field).to_have_attribute("aria-activedescendant", "adresse-forslag-1")
        page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    assert page.evaluate("document.activeElement.id") == "adresse"

    # Enter puts the suggestion in the field (and does not search yet) …
    page.keyboard.press("Enter")
    expect(field).to_have_value(expected[0])
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    assert page.url == site + "/"
    # … a second Enter searches from that address
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/soeg/\?.*adresse="))
    assert "nær " in page.locator("h1").inner_text()
    names = page.locator(".plov-result__name a").all_inner_texts()
    assert unit.name in names, (unit.name, names)
    assert page.locator(".plov-result__distance").first.inner_text().startswith("0")
    assert_accessible(page)

    # The results page's field is a combobox too; Escape closes its list, the text stays
    field = page.locator("#adresse")
    field.fill("")
    field.click()
    street_start = unit.dar_address.street_name[:4]
    page.keyboard.type(street_start, delay=15)
    listbox = page.get_by_role("listbox", name="Forslag til adresser")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option").first).to_contain_text(street_start)
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(field).to_have_value(street_start)
    assert_accessible(page)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_suggestions_fit_phone_and_desktop(site, page, size):
    page.set_viewport_size(size)
    unit = demo_unit()
    page.goto(site + "/")
    page.locator("#adresse").click()
    page.keyboard.type(typed_for(unit), delay=15)
    listbox = page.get_by_role("listbox", name="Forslag til adresser")
    expect(listbox).to_be_visible()
    box, field = listbox.bounding_box(), page.locator("#adresse").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    assert box["width"] == pytest.approx(field["width"], abs=2)  # as wide as the field
    assert box["y"] == pytest.approx(field["y"] + field["height"], abs=2)  # right under it
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    # a tap picks a suggestion as Enter does
    first = listbox.get_by_role("option").first
    text = first.inner_text()
    first.click()
    expect(page.locator("#adresse")).to_have_value(text)
    expect(listbox).to_be_hidden()
    assert_accessible(page)


def test_without_javascript_the_plain_field_searches(site, browser):
    unit = demo_unit()
    a = unit.dar_address
    context = browser.new_context(java_script_enabled=False, locale="da-DK", viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(site + "/")
        field = page.locator("#adresse")
        assert field.get_attribute("role") is None
        assert page.locator("[role=listbox]").count() == 0
        field.fill(f"{a.street_name} {a.house_number}, {a.postcode}")
        page.get_by_role("button", name="Søg", exact=True).click()
        page.wait_for_url(re.compile(r"/soeg/\?"))
        assert unit.name in page.locator(".plov-result__name a").all_inner_texts()
    finally:
        context.close()

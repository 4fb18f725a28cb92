"""Monthly cost, vacancies and sources in Chromium on the demo country: the unit page and compare
at phone (390 px) and desktop (1280 px) width, accessible (axe), with screenshots in
/tmp/plov-prices-screenshots/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.cache import cache

from plov.clock import today
from plov.units.models import Unit, UnitContent, UnitKind
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(os.environ.get("PLOV_PRICES_SCREENSHOTS", "/tmp/plov-prices-screenshots"))


def shoot(page, name: str) -> None:
    """Full-page screenshots at phone and desktop width, axe at both."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        assert_accessible(page)
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def priced_units(demo_country):
    cache.clear()
    demo_country.build()
    homes = list(Unit.objects.published().filter(kind=UnitKind.CARE_HOME).order_by("pk")[:2])
    site = Unit.objects.published().filter(kind=UnitKind.HOME_CARE_SITE).order_by("pk").first()
    assert len(homes) == 2 and site is not None
    UnitContent.objects.filter(unit=homes[0]).update(
        rent_monthly=7_850,
        service_monthly=650,
        meals_monthly=3_900,
        other_monthly=0,
        cost_valid_from=dt.date(today().year, 1, 1),
        cost_reported_on=today() - dt.timedelta(days=3),
        free_homes=2,
        waiting_weeks=6,
        vacancies_reported_on=today() - dt.timedelta(days=4),
    )
    UnitContent.objects.filter(unit=homes[1]).update(
        rent_monthly=9_100,
        service_monthly=None,
        meals_monthly=4_100,
        other_monthly=None,
        cost_reported_on=today() - dt.timedelta(days=60),
        free_homes=0,
        waiting_weeks=20,
        vacancies_reported_on=today() - dt.timedelta(days=45),
    )
    UnitContent.objects.filter(unit=site).update(
        free_services="Personlig pleje og praktisk hjælp, som kommunen har visiteret dig til.",
        extra_services="Ekstra rengøring: 375 kr. pr. time\nIndkøb: 95 kr. pr. gang",
    )
    cache.clear()
    return homes, site


def test_monthly_cost_vacancies_and_sources_on_the_unit_page_and_in_compare(
    live_server, page, priced_units
):
    (full, partial), site = priced_units

    page.goto(f"{live_server.url}/enhed/{full.pk}/")
    costs = page.locator("table.plov-costs")
    assert costs.locator("[data-cost=total]").inner_text() == "12.400 kr."
    assert costs.locator("[data-cost=other]").inner_text() == "0 kr."
    assert page.locator("#facts-total").inner_text().startswith("12.400 kr.")
    assert page.get_by_role("link", name="Beregn din boligydelse på borger.dk").is_visible()
    assert page.get_by_role("heading", name="Plejeboliggarantien").is_visible()
    assert page.locator("#facts-vacancies").inner_text() == "2 ledige nu"
    assert page.locator(".plov-source", has_text="Oplyst af enheden").first.is_visible()
    assert page.locator(".plov-source", has_text="Fra SOR").is_visible()
    # the table of contents leads to the price
    page.locator(".plov-toc a[href='#pris']").focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#pris")
    shoot(page, "unit-full-price")

    page.goto(f"{live_server.url}/enhed/{partial.pk}/")
    assert page.locator("table.plov-costs [data-cost=service]").inner_text() == "Ikke oplyst"
    assert page.locator("table.plov-costs [data-cost=total]").inner_text() == "Ikke oplyst"
    assert page.get_by_role("heading", name="Oplysningen er forældet").is_visible()
    assert page.locator(".plov-source--outdated").first.inner_text().startswith("Forældet:")
    shoot(page, "unit-outdated")

    page.goto(f"{live_server.url}/enhed/{site.pk}/")
    assert page.locator(".plov-extra-services li").count() == 2
    shoot(page, "unit-home-care-prices")

    page.goto(f"{live_server.url}/sammenlign/?ids={full.pk},{partial.pk},{site.pk}")
    total = page.locator("tr.plov-total")
    assert total.locator("td").nth(0).inner_text().startswith("12.400 kr.")
    assert total.locator("td").nth(1).inner_text().startswith("Ikke oplyst")
    assert total.locator("td").nth(2).inner_text() == "Ikke relevant"
    assert page.locator("td", has_text="Forældet:").count() >= 1
    shoot(page, "compare-prices")

    page.goto(f"{live_server.url}/en/enhed/{partial.pk}/")
    assert page.get_by_role("heading", name="The information is out of date").is_visible()
    assert page.get_by_role("heading", name="Monthly cost").is_visible()
    shoot(page, "unit-outdated-en")

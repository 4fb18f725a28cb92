"""Verdicts on quality figures in Chromium, on the demo: the unit page and compare say in words
and by an icon's shape (never colour alone) how each figure compares, at 390 px and 1280 px,
and axe finds nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from plov.supervision.models import QualityResult
from plov.units.models import Unit, UnitKind
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

VERDICT_WORDS = ("Bedre end", "På niveau med", "Dårligere end", "Intet ", "For få ", "Ingen ")


def _care_homes_with_figures(count: int) -> list[Unit]:
    ids = (
        QualityResult.objects.filter(
            unit__published=True, unit__closed_on__isnull=True, unit__kind=UnitKind.CARE_HOME
        )
        .order_by("unit_id")
        .values_list("unit_id", flat=True)
        .distinct()[:count]
    )
    return list(Unit.objects.filter(pk__in=list(ids)).order_by("pk"))


def _check_verdicts(page) -> int:
    """Every verdict has an icon hidden from screen readers and words that say it; returns how
    many there are."""
    verdicts = page.locator(".plov-verdict")
    count = verdicts.count()
    for index in range(count):
        verdict = verdicts.nth(index)
        assert verdict.locator("svg[aria-hidden='true']").count() == 1
        words = verdict.locator(".plov-verdict-text").inner_text().strip()
        assert words.startswith(VERDICT_WORDS), words
        assert verdict.is_visible()
    return count


def test_verdicts_on_the_unit_page_and_in_compare(demo_site, page):
    cache.clear()
    homes = _care_homes_with_figures(3)
    assert len(homes) == 3
    first = homes[0]

    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{demo_site.url}/enhed/{first.pk}/")
        section = page.locator("section[aria-labelledby='kvalitet']")
        assert section.locator("text=Sådan vurderer vi tallene").is_visible()
        assert "95 %-konfidensinterval" in section.inner_text()
        # the direction that is better, in words, beside each figure
        directions = section.locator(".plov-direction").all_inner_texts()
        assert directions and set(directions) <= {"Flere er bedre", "Færre er bedre"}
        # two verdicts per figure: the national and the municipality's average
        figures = section.locator("tbody tr").count()
        assert _check_verdicts(page) == 2 * figures
        # no horizontal scrolling of the page itself at a phone's width
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > window.innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' '"
            " + Math.round(e.getBoundingClientRect().right) + ' ' + (e.id || ''))"
        )
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
        assert_accessible(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section.screenshot(path=SCREENSHOTS / f"unit-verdicts-section-{size['width']}.png")
    screenshot(page, "unit-verdicts")

    ids = ",".join(str(u.pk) for u in homes)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{demo_site.url}/sammenlign/?ids={ids}")
        assert page.locator("th.plov-compare-unit").count() == 3
        assert _check_verdicts(page) > 0
        assert page.locator(".plov-compare .plov-direction").count() > 0
        assert_accessible(page)
        quality = page.locator("tbody", has_text="Kvalitet og tilfredshed")
        quality.screenshot(path=SCREENSHOTS / f"compare-verdicts-rows-{size['width']}.png")
    screenshot(page, "compare-verdicts")

    # the English site says the same in English
    page.goto(f"{demo_site.url}/en/enhed/{first.pk}/")
    section = page.locator("section[aria-labelledby='kvalitet']")
    assert section.locator("text=How we judge the figures").is_visible()
    assert "average" in section.locator(".plov-verdict-text").first.inner_text()
    assert_accessible(page)

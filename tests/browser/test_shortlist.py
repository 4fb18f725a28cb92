"""Min liste (the shortlist) in Chromium on the demo country: it follows the citizen across
result pages, a unit page, the map and compare, at phone and desktop widths; and without a
script the same journey works through the address (`?ids=`)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(demo_site):
    cache.clear()
    yield demo_site.url
    cache.clear()


def header_link(page):
    return page.locator("[data-plov-shortlist-link]")


def expect_count(page, n: int) -> None:
    expect(header_link(page)).to_have_text(f"Min liste ({n})" if n else "Min liste")


def expect_announced(page, text: str) -> None:
    expect(page.locator("#plov-shortlist-status")).to_contain_text(text)


def result_names(page) -> list[str]:
    return page.locator(".plov-result__name a").all_inner_texts()


def tick(page, index: int) -> str:
    """Tick the `index`th result's Sammenlign box (by its label, as a person does)."""
    result = page.locator(".plov-result").nth(index)
    name = result.locator(".plov-result__name a").inner_text()
    result.locator(".plov-compare label").click()
    expect(result.locator("input[type=checkbox]")).to_be_checked()
    return name


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_shortlist_follows_the_citizen(site, page, viewport):
    page.set_viewport_size(viewport)
    page.goto(site + "/soeg/")
    expect_count(page, 0)
    assert page.locator(".plov-pagination [rel=next]").count() == 1, "the demo needs two pages"

    # page 1: tick one; the header counts it and a screen reader hears it
    first = tick(page, 0)
    expect_count(page, 1)
    expect_announced(page, f"{first} er sat på Min liste.")

    # page 2: the choice is still there in the header; tick another
    page.locator(".plov-pagination [rel=next]").click()
    page.wait_for_url(re.compile(r"side=2"))
    expect_count(page, 1)
    second = tick(page, 0)
    expect_count(page, 2)
    expect_announced(page, "Der er 2 steder på Min liste.")
    assert_accessible(page)

    # back on page 1 the first box is still ticked
    page.goto(site + "/soeg/")
    expect(page.locator(".plov-result").first.locator("input[type=checkbox]")).to_be_checked()

    # a unit page: "Tilføj til sammenligning"
    page.goto(site + "/soeg/?side=2")
    third_link = page.locator(".plov-result__name a").nth(2)
    third = third_link.inner_text()
    third_link.click()
    page.wait_for_url(re.compile(r"/enhed/\d+/"))
    add = page.get_by_role("button", name="Tilføj til sammenligning")
    add.click()
    expect(page.get_by_role("button", name="Fjern fra Min liste")).to_be_visible()
    expect_count(page, 3)
    expect_announced(page, f"{third} er sat på Min liste.")
    assert_accessible(page)

    # the map's list shows the same choice
    page.goto(site + "/kort/")
    expect_count(page, 3)
    ticked = page.locator(".plov-result input[type=checkbox]:checked")
    expect(ticked.first).to_be_visible()

    # compare shows all three, in the order chosen, and the link can be shared
    header_link(page).click()
    page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+,\d+,\d+$"))
    compared = page.locator("th.plov-compare-unit > a:first-child").all_inner_texts()
    assert compared == [first, second, third]
    assert page.locator(".plov-share").inner_text() == page.url
    assert_accessible(page)

    # remove one: gone from compare, from the list and from the header
    page.get_by_role("link", name=f"Fjern {second} fra sammenligningen").click()
    page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+,\d+$"))
    assert page.locator("th.plov-compare-unit > a:first-child").all_inner_texts() == [first, third]
    expect_count(page, 2)

    # the header's Sammenlign without ids opens the list kept in this browser
    page.goto(site + "/sammenlign/")
    page.wait_for_url(re.compile(r"\?ids=\d+,\d+$"))
    assert page.locator("th.plov-compare-unit").count() == 2

    # the unit page offers to take it off the list again
    page.goto(site + "/soeg/?side=2")
    page.locator(".plov-result__name a").nth(2).click()
    page.get_by_role("button", name="Fjern fra Min liste").click()
    expect(page.get_by_role("button", name="Tilføj til sammenligning")).to_be_visible()
    expect_count(page, 1)
    expect_announced(page, f"{third} er fjernet fra Min liste.")


def test_more_than_four_are_kept_and_four_compared(site, page):
    page.goto(site + "/soeg/")
    names = [tick(page, i) for i in range(5)]
    expect_count(page, 5)
    expect_announced(page, "Sammenligningen viser de første 4.")
    page.get_by_role("button", name="Sammenlign de valgte").click()
    page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+,\d+,\d+,\d+$"))
    assert page.locator("th.plov-compare-unit > a:first-child").all_inner_texts() == names[:4]
    rest = page.locator("[data-plov-shortlist-rest]")
    expect(rest).to_be_visible()
    expect(rest.get_by_role("link", name=names[4])).to_be_visible()
    assert_accessible(page)
    # take one out of the comparison: the fifth moves up
    page.get_by_role("link", name=f"Fjern {names[0]} fra sammenligningen").click()
    page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+,\d+,\d+,\d+$"))
    assert page.locator("th.plov-compare-unit > a:first-child").all_inner_texts() == names[1:]
    expect(rest).to_be_hidden()


def test_a_shared_comparison_can_be_kept(site, page):
    page.goto(site + "/soeg/")
    hrefs = page.locator(".plov-result input[type=checkbox]").evaluate_all(
        "boxes => boxes.slice(0, 2).map(b => b.value)"
    )
    page.goto(site + "/sammenlign/?ids=" + ",".join(hrefs))
    expect_count(page, 0)  # the header counts this browser's list, not what was shared
    page.get_by_role("button", name="Sæt dem på Min liste").click()
    expect_announced(page, "Der er 2 steder på Min liste.")
    expect_count(page, 2)
    page.goto(site + "/")
    expect_count(page, 2)


def a_unit_with_neighbours() -> tuple[int, str]:
    """A published care home whose "Find flere" search (its first municipality) shows at
    least three care homes."""
    from plov.public.unitpage import load_units_for_compare
    from plov.public.views_unit import _offered_codes
    from plov.publishing.visibility import visible_units
    from plov.units.models import Unit, UnitKind

    for unit in Unit.objects.published().filter(kind=UnitKind.CARE_HOME).order_by("pk"):
        data = load_units_for_compare([unit.pk])[0]
        codes = _offered_codes(data)
        if codes and visible_units(codes[0]).filter(kind=UnitKind.CARE_HOME).count() >= 3:
            return unit.pk, unit.name
    raise AssertionError("the demo needs a municipality with three care homes")


def compared(page) -> list[str]:
    return page.locator("th.plov-compare-unit > a:first-child").all_inner_texts()


def test_without_a_script_the_address_carries_the_list(site, browser, page):
    checker = page  # with scripts, for axe (which cannot run where scripts are off)
    context = browser.new_context(locale="da-DK", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # the results page: tick and compare
        page.goto(site + "/soeg/")
        ticked = page.locator(".plov-result__name a").first.inner_text()
        page.locator(".plov-result").first.locator(".plov-compare label").click()
        page.get_by_role("button", name="Sammenlign de valgte").click()
        page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+$"))
        assert compared(page) == [ticked]
        expect_count(page, 1)

        # a unit page: "Tilføj til sammenligning" is a link to compare
        pk, first = a_unit_with_neighbours()
        page.goto(f"{site}/enhed/{pk}/")
        page.get_by_role("link", name="Tilføj til sammenligning").click()
        page.wait_for_url(re.compile(rf"/sammenlign/\?ids={pk}$"))
        assert compared(page) == [first]

        # find more where it is offered: the address keeps the first
        page.get_by_role("link", name="Find flere steder at sammenligne").click()
        page.wait_for_url(re.compile(r"/soeg/\?.*ids=\d+"))
        expect_count(page, 1)
        for link in page.locator(".plov-pagination a").all():
            assert f"ids={pk}" in link.get_attribute("href")
        others = [(i, name) for i, name in enumerate(result_names(page)) if name != first]
        (i_second, second), (i_third, third) = others[:2]
        page.locator(".plov-result").nth(i_second).locator(".plov-compare label").click()
        page.get_by_role("button", name="Sammenlign de valgte").click()
        page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+,\d+$"))
        # (without a script the boxes are sent in the list's order)
        assert sorted(compared(page)) == sorted([first, second])

        # a unit page opened from the results adds itself to those carried
        page.get_by_role("link", name="Find flere steder at sammenligne").click()
        expect_count(page, 2)
        page.locator(".plov-result__name a").nth(i_third).click()
        page.wait_for_url(re.compile(r"/enhed/\d+/[^?]+\?ids=\d+,\d+$"))
        expect_count(page, 2)
        page.get_by_role("link", name="Tilføj til sammenligning").click()
        page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+,\d+,\d+$"))
        names = compared(page)
        assert sorted(names[:2]) == sorted([first, second]) and names[2] == third
        expect_count(page, 3)
        # axe on the same page as a browser without our script gets it
        checker.route(re.compile(r"shortlist.*\.js"), lambda route: route.abort())
        checker.set_viewport_size(PHONE)
        checker.goto(page.url)
        assert checker.locator("th.plov-compare-unit").count() == 3
        assert_accessible(checker)

        # remove one
        page.get_by_role("link", name=f"Fjern {first} fra sammenligningen").click()
        page.wait_for_url(re.compile(r"/sammenlign/\?ids=\d+,\d+$"))
        assert sorted(compared(page)) == sorted([second, third])
        expect_count(page, 2)
    finally:
        context.close()

"""The public search in Chromium, on the demo country (scale 0.05): what a citizen sees."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from plov.public.search import search
from plov.publishing.visibility import visible_units
from plov.registers.models import DarAddress
from plov.units.models import Municipality, Unit, UnitContent, UnitKind
from tests.browser.conftest import PHONE, assert_accessible, screenshot

KIND_PARAM = {UnitKind.CARE_HOME: "plejehjem", UnitKind.HOME_CARE_SITE: "helhedspleje"}
UNIT_URL = re.compile(r"/enhed/\d+/[a-z0-9-]+/$")

# The live server reads the database from another thread, so each test commits its demo; the
# reference data from the migrations (municipalities, professions, …) is restored afterwards.
# Reference data is reloaded for every browser test by tests/browser/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, demo_country) -> str:
    demo_country.build()
    cache.clear()
    yield live_server.url
    cache.clear()


def agreement_search_case() -> tuple[Municipality, str, set[str], set[str]]:
    """A municipality and kind where agreements matter: it sees a unit lying elsewhere (or, at
    least, sees several units). Returns (municipality, kind, names shown, names not shown)."""
    best = None
    for municipality in Municipality.objects.all():
        for kind in KIND_PARAM:
            visible = list(visible_units(municipality.code).filter(kind=kind))
            if not 0 < len(visible) <= 20:
                continue
            crossing = sum(1 for u in visible if u.municipality_id != municipality.code)
            score = (crossing > 0, len(visible))
            if best is None or score > best[0]:
                best = (score, municipality, kind, visible)
    _score, municipality, kind, visible = best
    inside_without_agreement = (
        Unit.objects.published()
        .filter(kind=kind, municipality=municipality)
        .exclude(pk__in=[u.pk for u in visible])
    )
    return (
        municipality,
        KIND_PARAM[kind],
        {u.name for u in visible},
        set(inside_without_agreement.values_list("name", flat=True)),
    )


def shown_names(page) -> list[str]:
    return page.locator(".plov-result__name a").all_inner_texts()


def test_a_citizen_searches_a_municipality_a_postcode_and_filters(site, page):
    municipality, kind, expected, hidden = agreement_search_case()

    page.goto(site + "/")
    assert page.title() == "Find plejehjem og helhedspleje – Plejeoverblikket"
    assert_accessible(page)
    screenshot(page, "home")

    # By municipality: exactly the units with an agreement, wherever they lie
    page.locator(f"label[for=type-{kind}]").click()
    page.fill("#kommune", municipality.name)
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r"/soeg/\?"))
    heading = ("Plejehjem" if kind == "plejehjem" else "Helhedspleje") + f" i {municipality}"
    assert page.locator("h1").inner_text() == heading
    assert page.title() == f"{heading} – Plejeoverblikket"
    assert set(shown_names(page)) == expected
    assert not hidden & set(shown_names(page))
    assert page.get_by_role("status").first.inner_text().startswith("Vi fandt")
    assert_accessible(page)
    screenshot(page, "results")

    # By postcode: distances, nearest first
    address = DarAddress.objects.filter(
        postcode=Unit.objects.published()
        .filter(kind=UnitKind.CARE_HOME)
        .order_by("name")
        .first()
        .visiting_address["postcode"]
    ).first()
    page.goto(site + "/")
    page.fill("#adresse", address.postcode)
    page.select_option("#afstand", "50")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r"/soeg/\?"))
    distances = page.locator(".plov-result__distance").all_inner_texts()
    assert distances and all(" km fra " + address.postcode in text for text in distances)
    numbers = [float(re.match(r"([\d.,]+) km", t).group(1).replace(",", ".")) for t in distances]
    assert numbers == sorted(numbers) and numbers[-1] <= 50
    assert page.locator("#sorter").input_value() == "afstand"
    assert_accessible(page)

    # A filter: housing type, on the whole country
    housing_type = (
        UnitContent.objects.filter(unit__in=Unit.objects.published(), unit__kind=UnitKind.CARE_HOME)
        .exclude(housing_type="")
        .values_list("housing_type", flat=True)
        .order_by("housing_type")
        .first()
    )
    with_type = set(
        Unit.objects.published()
        .filter(kind=UnitKind.CARE_HOME, content__housing_type=housing_type)
        .values_list("name", flat=True)
    )
    assert 0 < len(with_type) <= 20
    page.goto(site + "/soeg/")
    page.locator(".plov-filters summary").click()
    page.locator(f"label[for=boligtype-{housing_type}]").click()
    page.locator(".plov-sidebar").get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r"boligtype="))
    assert set(shown_names(page)) == with_type
    assert page.locator(".plov-filters").get_attribute("open") is not None
    assert_accessible(page)


def test_the_map_shows_a_marker_for_every_result(site, page, settings):
    settings.PLOV_MAP_TILE_URL = ""  # no tile server in tests: markers on a plain background
    municipality, kind, expected, _hidden = agreement_search_case()
    result = search({"kommune": str(municipality.code), "type": kind})
    page.set_viewport_size(PHONE)  # where markers crowd most
    page.goto(site + f"/kort/?kommune={municipality.code}&type={kind}")
    page.locator("#plov-map.plov-map--outlines").wait_for()  # the final view (outlines' bounds)
    markers = page.locator(".leaflet-marker-icon.plov-marker")
    clusters = page.locator("#plov-map .marker-cluster")
    (markers.or_(clusters)).first.wait_for()
    # every result is on the map: as a marker of its own or counted in a cluster (markers that
    # would overlap are clustered, so each target is big enough: WCAG 2.5.8, axe's target-size)
    in_clusters = sum(int(t) for t in clusters.all_inner_texts())
    assert markers.count() + in_clusters == len(result.points) > 0
    assert {markers.nth(i).get_attribute("alt") for i in range(markers.count())} <= expected
    assert_targets_apart(page)
    assert set(shown_names(page)) == expected  # the list stays under the map
    assert page.locator("h1").inner_text().startswith("Kort: ")
    # no shadow image: Leaflet has it at one resolution only (Lighthouse: low-resolution image)
    assert page.locator(".leaflet-marker-shadow").count() == 0
    open_a_marker(page, expect_cluster=False)
    # Faded in: axe measures colours as they are now. (`expect`, not wait_for_function: that
    # evaluates a string, which the page's CSP forbids.)
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert_accessible(page)
    screenshot(page, "map")

    # the whole country, as a first look: the points come as one GeoJSON request, clustered
    point_requests = []
    page.on(
        "request", lambda r: point_requests.append(r.url) if "format=geojson" in r.url else None
    )
    page.goto(site + "/kort/")
    assert page.locator("#plov-map-data").count() == 0  # not inline in the page
    clusters = page.locator(".marker-cluster")
    clusters.first.wait_for()
    singles = page.locator(".leaflet-marker-icon.plov-marker").count()
    counted = sum(int(t) for t in clusters.all_inner_texts())
    assert counted + singles == len(search({}).points) > clusters.count()
    assert len(point_requests) == 1
    assert_accessible(page)
    # a cluster opens on click: zoomed in, more of the units as their own markers
    clusters.first.click()
    page.wait_for_timeout(800)
    assert page.locator(".leaflet-marker-icon.plov-marker").count() > singles


def test_a_crowded_municipality_map_clusters_the_markers_that_would_overlap(site, page, settings):
    settings.PLOV_MAP_TILE_URL = ""
    # the municipality with the most results (Lighthouse found overlapping markers on Aarhus's);
    # two of them share one building (as a care home and a home care site often do) and a
    # third lies a street away: markers overlapping wholly and in part
    code, points = max(
        ((m.code, search({"kommune": str(m.code)}).points) for m in Municipality.objects.all()),
        key=lambda pair: len(pair[1]),
    )
    assert len(points) >= 5
    first = points[0]
    Unit.objects.filter(pk=points[1].id).update(latitude=first.latitude, longitude=first.longitude)
    Unit.objects.filter(pk=points[2].id).update(
        latitude=first.latitude + 0.002, longitude=first.longitude + 0.001
    )
    cache.clear()
    names = {p.name for p in points}
    page.set_viewport_size(PHONE)
    page.goto(site + f"/kort/?kommune={code}")
    page.locator("#plov-map.plov-map--outlines").wait_for()
    markers = page.locator(".leaflet-marker-icon.plov-marker")
    clusters = page.locator("#plov-map .marker-cluster")
    markers.or_(clusters).first.wait_for()
    page.wait_for_timeout(500)  # the outlines' fitBounds has re-clustered
    in_clusters = sum(int(t) for t in clusters.all_inner_texts())
    # every result is there, most as markers of their own, none overlapping another target
    assert markers.count() + in_clusters == len(points) > 0
    assert markers.count() >= clusters.count()
    assert {markers.nth(i).get_attribute("alt") for i in range(markers.count())} <= names
    assert_targets_apart(page)
    assert_accessible(page)
    assert page.locator(".leaflet-marker-shadow").count() == 0
    screenshot(page, "map-crowded")
    open_a_marker(page, expect_cluster=True)


def open_a_marker(page, *, expect_cluster: bool) -> None:
    """Open a marker's popup. If the map has clusters, first open one (it zooms in, or
    spiderfies at the highest zoom) and pick a marker that was inside it."""
    markers = page.locator(".leaflet-marker-icon.plov-marker")
    clusters = page.locator("#plov-map .marker-cluster")
    assert not expect_cluster or clusters.count()
    target = markers.first
    if clusters.count():
        count = markers.count()
        before = {markers.nth(i).get_attribute("alt") for i in range(count)}
        clusters.first.click()
        expect(markers).not_to_have_count(count)
        page.wait_for_timeout(800)  # the zoom/spiderfy animation ends
        opened = [
            i for i in range(markers.count()) if markers.nth(i).get_attribute("alt") not in before
        ]
        assert opened
        target = markers.nth(opened[0])
    target.click()
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    assert UNIT_URL.search(popup.get_attribute("href"))
    assert popup.inner_text() == target.get_attribute("alt")


def assert_targets_apart(page) -> None:
    """axe's target-size rule (WCAG 2.2 2.5.8, Lighthouse runs it) passes on the map."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]}})
    assert results.violations_count == 0, results.generate_report()


def test_a_keyboard_user_searches_and_opens_a_result(site, page):
    municipality, _kind, _expected, _hidden = agreement_search_case()
    care_homes = visible_units(municipality.code).filter(kind=UnitKind.CARE_HOME)
    if not care_homes.exists():
        municipality = next(
            m
            for m in Municipality.objects.all()
            if visible_units(m.code).filter(kind=UnitKind.CARE_HOME).exists()
        )

    page.goto(site + "/")
    focus_by_tab(page, "#kommune", limit=40)
    page.keyboard.type(municipality.name)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/soeg/\?.*kommune="))
    assert page.locator(".plov-result").count() > 0

    first_link = page.locator(".plov-result__name a").first
    expected_href = first_link.get_attribute("href")
    focus_by_tab(page, ".plov-result__name a", limit=80)
    assert page.evaluate("document.activeElement.getAttribute('href')") == expected_href
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(expected_href) + "$"))
    assert UNIT_URL.search(page.url)


def focus_by_tab(page, selector: str, *, limit: int) -> None:
    """Press Tab until the first element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")

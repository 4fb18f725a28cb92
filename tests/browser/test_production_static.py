"""The public site under production's static storage: `plov collectstatic` into a temporary
PLOV_DATA_DIR (hashed names, whitenoise's CompressedManifestStaticFilesStorage), served by
whitenoise from there and not from the finders, as gunicorn does in production. The dev server
(and live_server) serve original names and so hide every URL a script or stylesheet derives
from its own (Leaflet's marker icons were one).

Every public page type is visited in Chromium; no request may get a 4xx/5xx and the console
must stay free of errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread

from plov.public.search import search
from plov.units.models import Unit
from tests.browser.conftest import PHONE, assert_accessible, screenshot


class _Served:
    def __init__(self, url: str) -> None:
        self.url = url


@pytest.fixture
def production_static_site(
    reference_data, static_data_dir, settings, demo_country
) -> Iterator[_Served]:
    """The demo country, served with the collected (hashed, compressed) static files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = static_data_dir / "static"
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.DEBUG = False
    settings.PLOV_MAP_TILE_URL = ""
    demo_country.build()
    in_memory = {
        c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()
    }
    for conn in in_memory.values():
        conn.inc_thread_sharing()
    # No static handler of the test server's own: whitenoise (in MIDDLEWARE) serves /static/.
    thread = LiveServerThread(
        "127.0.0.1", static_handler=lambda handler: handler, connections_override=in_memory
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield _Served(f"http://127.0.0.1:{thread.port}")
    finally:
        thread.terminate()
        # The in-memory connections stay shareable: a request thread of a kept-alive browser
        # connection may still close its connection after the server has stopped.


def _watch(page) -> tuple[list[str], list[str]]:
    failures: list[str] = []
    errors: list[str] = []
    page.on(
        "response",
        lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on("requestfailed", lambda r: failures.append(f"failed {r.url}: {r.failure}"))
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    return failures, errors


def test_every_public_page_loads_cleanly_with_hashed_static_files(production_static_site, page):
    site = production_static_site.url
    failures, errors = _watch(page)
    unit = Unit.objects.filter(published=True).order_by("pk").first()
    assert unit is not None
    # A municipality with one unit on the map: two close together are drawn as a cluster,
    # which has no marker image to check (which municipality comes first depends on the run).
    codes = Unit.objects.filter(published=True, municipality__isnull=False).values_list(
        "municipality_id", flat=True
    )
    points = {code: len(search({"kommune": str(code)}).points) for code in sorted(set(codes))}
    code = next((c for c, n in points.items() if n == 1), None) or next(
        c for c, n in points.items() if n
    )
    others = list(
        Unit.objects.filter(published=True).order_by("pk").values_list("pk", flat=True)[:3]
    )
    pages = [
        "/",
        "/en/",
        f"/soeg/?kommune={code}",
        f"/kort/?kommune={code}",
        "/kort/",
        f"/enhed/{unit.pk}/",
        "/sammenlign/?" + "&".join(f"id={pk}" for pk in others),
        "/overgangsordning/",
        "/api/v1/docs",
    ]
    for path in pages:
        response = page.goto(site + path)
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        page.wait_for_load_state("networkidle")
        if path.startswith("/kort/"):
            page.locator(".leaflet-marker-icon.plov-marker").first.wait_for()
            icon = page.locator(".leaflet-marker-icon.plov-marker").first.get_attribute("src")
            assert re.search(r"/static/vendor/leaflet/images/marker-icon\.[0-9a-f]{12}\.png$", icon)
            # every marker image really loaded (naturalWidth is 0 for a broken image)
            widths = page.locator("img.leaflet-marker-icon.plov-marker").evaluate_all(
                "images => images.map(i => i.complete && i.naturalWidth)"
            )
            assert widths and all(widths), widths
    assert not failures, "\n".join(failures)
    assert not errors, "\n".join(errors)


def test_the_map_draws_the_outlines_and_highlights_the_searched_municipality(
    production_static_site, page
):
    site = production_static_site.url
    failures, errors = _watch(page)
    code = next(
        p.municipality_id
        for p in Unit.objects.filter(published=True, municipality__isnull=False).order_by("pk")
        if search({"kommune": str(p.municipality_id)}).points
    )
    page.set_viewport_size(PHONE)
    page.goto(site + f"/kort/?kommune={code}")
    page.locator("#plov-map.plov-map--outlines").wait_for()
    # one SVG path per municipality (98, Christiansø included), the searched one highlighted
    assert page.locator("path.plov-outline").count() == 99
    assert page.locator("path.plov-outline--searched").count() == 1
    # the sea is the map's own background; the attribution names DAGI
    assert page.locator("#plov-map").evaluate("e => getComputedStyle(e).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "rgb(255, 255, 255)",
    )
    assert "Klimadatastyrelsen, DAGI" in page.locator(".leaflet-control-attribution").inner_text()
    assert_accessible(page)
    screenshot(page, "map-outlines")
    # the towns are labelled: at a national zoom the largest only, from zoom 8 all of them
    page.goto(site + "/kort/")
    page.locator("#plov-map.plov-map--outlines").wait_for()
    page.locator(".plov-town").first.wait_for(state="attached")
    near = page.locator("#plov-map.plov-map--near")
    for _ in range(6):
        if not near.count():
            break
        page.get_by_role("button", name="Zoom ud").click()
        page.wait_for_timeout(400)
    visible = page.locator(".plov-town:visible").all_inner_texts()
    assert "Aarhus" in visible and "København" in visible and "Tønder" not in visible
    for _ in range(6):
        if near.count():
            break
        page.get_by_role("button", name="Zoom ind").click()
        page.wait_for_timeout(400)
    assert "Tønder" in page.locator(".plov-town:visible").all_inner_texts()
    assert_accessible(page)
    assert not failures, "\n".join(failures)
    assert not errors, "\n".join(errors)

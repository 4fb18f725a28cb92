"""The open-data page in Chromium: Danish and English, at phone and desktop widths, within the
CSP (the page fixture) and accessible (axe)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from plov.opendata.archive import keep_monthly_snapshot
from plov.registers.models import ImportRun
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot


def test_the_open_data_page_is_accessible_in_both_languages(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ImportRun.objects.create(
        register="sor", source="SorEntity_daily.csv", status="succeeded", finished_at=timezone.now()
    )
    keep_monthly_snapshot(dt.date(2026, 11, 1))
    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="Åbne data (API)").click()
    page.wait_for_url("**/data/")
    assert page.locator("h1").inner_text() == "Åbne data"
    assert page.get_by_role("link", name="CSV november 2026").count() == 1
    assert page.get_by_role("heading", name="Datakatalog").count() == 1
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_accessible(page)
    screenshot(page, "opendata-da")

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/data/")
    assert page.locator("h1").inner_text() == "Open data"
    assert page.locator("html").get_attribute("lang") == "en"
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_accessible(page)
    screenshot(page, "opendata-en")

"""A relative reads the supervision report in Chromium, on the demo: the PDF downloads from the
unit page (never opened in the site's origin), and a link goes to Ældretilsynet's own report;
axe finds nothing at 390 px and 1280 px."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from plov.supervision.models import SupervisionFeedback
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _latest(with_pdf: bool) -> SupervisionFeedback:
    """The latest feedback of a published unit that has a PDF (or only a link)."""
    for feedback in SupervisionFeedback.objects.filter(
        unit__published=True, unit__closed_on__isnull=True
    ).select_related("unit", "document"):
        if SupervisionFeedback.objects.filter(unit=feedback.unit).first() != feedback:
            continue
        if with_pdf and feedback.document is not None:
            return feedback
        if not with_pdf and feedback.document is None and feedback.report_url:
            return feedback
    pytest.fail("the demo has no such feedback")


def test_a_relative_downloads_the_pdf_or_follows_the_link(demo_site, page):
    cache.clear()
    feedback = _latest(with_pdf=True)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{demo_site.url}/enhed/{feedback.unit.pk}/")
        link = page.get_by_role("link", name="Læs tilbagemeldingen fra tilsynet (PDF)")
        assert link.is_visible()
        assert_accessible(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("section[aria-labelledby='tilsyn']").screenshot(
            path=SCREENSHOTS / f"unit-supervision-report-{size['width']}.png"
        )
    with page.expect_download() as event:
        link.click()
    download = event.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-") and data == feedback.document.file.read()
    assert page.url.endswith(f"/enhed/{feedback.unit.pk}/{page.url.rstrip('/').rsplit('/', 1)[1]}/")

    linked = _latest(with_pdf=False)
    page.goto(f"{demo_site.url}/enhed/{linked.unit.pk}/")
    report = page.get_by_role("link", name="Læs Ældretilsynets rapport")
    assert report.get_attribute("href") == linked.report_url
    assert report.get_attribute("href").startswith("https://")
    assert "noopener" in report.get_attribute("rel")
    assert_accessible(page)

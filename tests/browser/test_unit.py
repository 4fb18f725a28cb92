"""The unit page and the compare page in Chromium, on the demo country: accessible, and
screenshots (phone and desktop, and compare as printed) for a person to look at."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from plov.clock import today
from plov.supervision.models import (
    QualityResult,
    Sanction,
    SanctionType,
    SupervisingAuthority,
    SupervisionFeedback,
    SupervisionStatus,
)
from plov.units.models import HousingDescription, Unit, UnitDocument, UnitKind
from tests.browser.conftest import SCREENSHOTS, assert_accessible, screenshot

# Reference data is reloaded for every browser test by tests/browser/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)


def _reference_data(settings) -> None:
    """The municipalities and supervision coverage the migrations load, should the restore of
    the serialized database not have happened in Playwright's thread context."""
    from plov.supervision.authorities import load_default_authorities
    from plov.units.models import Municipality
    from plov.units.reference_data import load_municipalities

    if Municipality.objects.count() != 98:
        load_municipalities(Municipality)
    from plov.supervision.models import AuthorityCoverage

    if not AuthorityCoverage.objects.exists():
        load_default_authorities(settings.PLOV_AUTHORITIES_CSV)


def _jpeg(colour: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    """A little drawing of a house on a lawn, as a JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1067), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 700, 1600, 1067), fill=accent)  # a lawn
    draw.polygon([(350, 700), (800, 330), (1250, 700)], fill=(150, 70, 60))  # a roof
    draw.rectangle((420, 700, 1180, 1000), fill=(235, 225, 205))  # a house
    for x in (480, 680, 880, 1060):
        draw.rectangle((x, 770, x + 80, 860), fill=(90, 120, 150))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture
def demo_units(settings, tmp_path, demo_country):
    """Three published care homes of the demo, the first with images, documents, housing,
    supervision, a sanction and quality results; the others with some of it."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    _reference_data(settings)
    demo_country.build()
    units = list(
        Unit.objects.published()
        .filter(kind=UnitKind.CARE_HOME, content__sick_leave_days__isnull=False)
        .exclude(content__values="")
        .select_related("content")
        .order_by("pk")[:3]
    )
    assert len(units) == 3
    authority = SupervisingAuthority.objects.first()
    first = units[0]
    content = first.content
    for n, (colour, accent) in enumerate(
        [
            ((170, 205, 230), (110, 160, 90)),
            ((200, 220, 240), (90, 140, 80)),
            ((180, 200, 215), (120, 170, 100)),
        ],
        start=1,
    ):
        image = get_image_model().objects.create(
            title=f"Foto {n}",
            description=["Plejecentret set fra haven", "Fællesstuen", "Terrassen"][n - 1],
            file=ContentFile(_jpeg(colour, accent), name=f"foto-{n}.jpg"),
        )
        setattr(content, f"image_{n}", image)
    content.save()
    document = get_document_model().objects.create(
        title="Prisliste", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="prisliste.pdf")
    )
    UnitDocument.objects.create(
        unit=first, name="Priser 2026", document=document, document_type="prisliste"
    )
    for unit, rents in zip(units, ([6450, 7100], [5900], [7800, 9400]), strict=True):
        for title, rent in zip(["1-rumsbolig", "2-rumsbolig"], rents, strict=False):
            HousingDescription.objects.create(
                unit=unit,
                title=title,
                rent=rent,
                deposit=rent * 2,
                rooms=1 if title[0] == "1" else 2,
            )
    statuses = [
        SupervisionStatus.SIGNIFICANT,
        SupervisionStatus.NO_REMARKS,
        SupervisionStatus.MINOR,
    ]
    for unit, status in zip(units, statuses, strict=True):
        SupervisionFeedback.objects.create(
            unit=unit,
            authority=authority,
            inspected_on=today() - dt.timedelta(days=70),
            status=status,
            summary="Tilsynet talte med beboere, pårørende og medarbejdere.",
            document=document,
        )
        for code, name, value, average, kind, measure in (
            ("FALD", "Faldulykker pr. 100 beboere", "12.5", "14", "indicator", ""),
            ("TRYK", "Beboere med tryksår", "3.1", "4.2", "indicator", "%"),
            (
                "TILFREDS",
                "Beboere, der er tilfredse med hjælpen",
                "87.5",
                "84",
                "satisfaction",
                "%",
            ),
        ):
            QualityResult.objects.create(
                unit=unit,
                kind=kind,
                code=code,
                name=name,
                period="2025",
                value=Decimal(value) + unit.pk % 5,
                national_average=Decimal(average),
                unit_of_measure=measure,
                source="Sundhedsdatastyrelsen",
            )
    Sanction.objects.create(
        unit=first,
        authority=authority,
        type=SanctionType.ORDER,
        decided_on=today() - dt.timedelta(days=20),
        themes="Medicinhåndtering og dokumentation",
        deadline=today() + dt.timedelta(days=70),
    )
    return units


def _serve_media(page, media_root: Path) -> None:
    """The live server does not serve uploaded media (DEBUG is off); the browser gets them here."""

    def fulfil(route):
        relative = route.request.url.split("/media/", 1)[1].split("?")[0]
        path = media_root / relative
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="")

    page.route("**/media/**", fulfil)


def test_the_unit_compare_and_error_pages_in_a_browser(live_server, page, demo_units, settings):
    _serve_media(page, Path(settings.MEDIA_ROOT))
    first = demo_units[0]

    page.goto(f"{live_server.url}/enhed/{first.pk}/")
    assert page.url.rstrip("/").endswith(
        f"/enhed/{first.pk}/{page.url.rstrip('/').rsplit('/', 1)[1]}"
    )
    assert page.locator("h1").inner_text() == first.name
    assert page.locator("text=Ældretilsynet har givet en sanktion").count() == 1
    assert page.locator("img[alt='Plejecentret set fra haven']").evaluate("i => i.naturalWidth") > 0
    assert page.locator("meta[property='og:image']").count() == 1
    # keyboard: the table of contents takes the reader to the section
    page.locator(".plov-toc a[href='#personale']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#personale", timeout=5000)  # the jump may land after the key press
    assert_accessible(page)
    screenshot(page, "unit")

    ids = ",".join(str(u.pk) for u in demo_units)
    page.goto(f"{live_server.url}/sammenlign/?ids={ids}")
    assert page.locator("th.plov-compare-unit").count() == 3
    assert page.locator("th[scope=row]", has_text="Husleje pr. måned").count() == 1
    assert_accessible(page)
    screenshot(page, "compare")

    page.emulate_media(media="print")
    assert page.locator(".plov-compare-tools").is_hidden()
    assert page.locator(".plov-remove").first.is_hidden()
    assert page.locator(".plov-print-only").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    page.screenshot(path=SCREENSHOTS / "compare-print.png", full_page=True)
    page.emulate_media(media="screen")

    # remove one: two are left, and the address says so
    page.locator(".plov-remove").first.click()
    assert page.locator("th.plov-compare-unit").count() == 2
    assert page.url.endswith("?ids=" + ",".join(str(u.pk) for u in demo_units[1:]))

    # a closed unit, a unit that is not there, and junk to compare: friendly and accessible
    closed = Unit.objects.filter(closed_on__isnull=False).first()
    response = page.goto(f"{live_server.url}/enhed/{closed.pk}/")
    assert response.status == 410
    assert "er lukket" in page.locator("h1").inner_text()
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/enhed/{closed.pk + 100000}/")
    assert response.status == 404
    assert_accessible(page)
    response = page.goto(f"{live_server.url}/sammenlign/?ids=abc,1,2,3,4,5")
    assert response.status == 400
    assert_accessible(page)

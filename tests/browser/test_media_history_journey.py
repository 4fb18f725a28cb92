"""An editor's saves and media in the unit's history, in Chromium on the demo country:

- "Gem ofte": saving without a change says so and makes no version; the first real change makes
  version 1 (the demo's text as it was) and version 2;
- an image is uploaded (a 40 × 30 px one is refused with its size first), given a focal point by
  clicking on it, removed, found in the Versionshistorik with who and when, and restored there.

Screenshots: var/screenshots/media-history-*.png."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from plov.backoffice import history
from plov.backoffice.views import SAVED_UNCHANGED
from plov.media.models import RemovedMedia
from plov.units.models import Unit, UnitContent, UnitKind
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_backoffice_journey import (  # noqa: F401 (fixtures)
    demo,
    log_in,
    messages,
    transactional_db,
)

pytestmark = pytest.mark.django_db(transaction=True)


def photo(tmp_path, name: str, size: tuple[int, int]) -> str:
    image = Image.new("RGB", size, (240, 240, 235))
    image.paste((30, 110, 60), (size[0] * 3 // 4, 0, size[0], size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_saves_without_changes_and_media_in_the_history(demo, page, tmp_path):  # noqa: F811
    base = demo
    unit = (
        Unit.objects.filter(owner__municipality_id=751, kind=UnitKind.CARE_HOME, published=True)
        .order_by("name")
        .first()
    )
    assert history.has_editorial_data(UnitContent.objects.get(unit=unit))  # the demo's content
    log_in(page, base, "redaktoer-aarhus", next_url=f"/admin/enheder/{unit.pk}/")
    page.get_by_role("button", name="Lås og rediger").click()
    expect(messages(page)).to_contain_text("Enheden er låst til dig")

    # Saving without a change: said so, no version.
    page.locator("#save-button").click()
    expect(messages(page)).to_contain_text(SAVED_UNCHANGED)
    expect(page.locator("#history-link")).to_contain_text("ingen versioner endnu")
    content = UnitContent.objects.get(unit=unit)
    assert content.revisions.count() == 0

    # A real change: version 1 is the demo's content, version 2 the change.
    page.get_by_label("Leders fornavn").fill("Grethe")
    page.locator("#save-button").click()
    expect(messages(page)).to_contain_text("Gemt")
    expect(page.locator("#history-link")).to_contain_text("2 versioner")
    first = history.versions(UnitContent.objects.get(unit=unit))[-1]
    assert first.number == 1 and first.author == "System (import)"
    assert first.revision.content["leader_first_name"] != "Grethe"
    # And the same again: no third version.
    page.locator("#save-button").click()
    expect(messages(page)).to_contain_text(SAVED_UNCHANGED)
    expect(page.locator("#history-link")).to_contain_text("2 versioner")

    # The media page: a tiny photo is refused, saying its size; a real one is stored.
    page.get_by_role("navigation", name="Enhedens sider").get_by_role(
        "link", name="Billeder, dokumenter og boligbeskrivelser"
    ).click()
    page.locator(f'a[href="{reverse("unitmedia:image", args=[unit.pk, 1])}"]').click()
    page.locator('input[type="file"]').set_input_files(photo(tmp_path, "lille.jpg", (40, 30)))
    page.get_by_label("Alternativ tekst").fill("Haven set fra terrassen")
    page.get_by_role("button", name="Gem billede").click()
    expect(page.locator("body")).to_contain_text("Billedet er for lille (40 × 30 pixels)")
    expect(page.get_by_label("Alternativ tekst")).to_have_value("Haven set fra terrassen")
    page.locator('input[type="file"]').set_input_files(photo(tmp_path, "have.jpg", (1200, 800)))
    page.get_by_role("button", name="Gem billede").click()
    expect(messages(page)).to_contain_text("er gemt")
    image = UnitContent.objects.get(unit=unit).image_1
    assert image is not None and image.title == "have.jpg"

    # The focal point: a click on the right of the picture, then save.
    page.locator(f'a[href="{reverse("unitmedia:image", args=[unit.pk, 1])}"]').click()
    picture = page.locator("[data-focal-point] img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.5})
    expect(page.locator("[data-focal-status]")).to_contain_text("Fokuspunkt valgt")
    expect(page.locator(".unitmedia-focal__marker")).to_be_visible()
    screenshot(page, "media-history-focal-point")
    assert_accessible(page)
    page.get_by_role("button", name="Gem billede").click()
    expect(messages(page)).to_contain_text("ændringerne er gemt")
    image.refresh_from_db()
    assert image.focal_point_x is not None and image.focal_point_x > 900

    # Remove it: the confirmation says it can be restored.
    page.get_by_role("link", name="Fjern").first.click()
    expect(page.locator("body")).to_contain_text("kan gendannes fra enhedens versionshistorik")
    page.get_by_role("button", name="Ja, fjern billedet").click()
    expect(messages(page)).to_contain_text("er fjernet")
    assert UnitContent.objects.get(unit=unit).image_1 is None

    # The history lists it with who and when, and restores it.
    page.goto(f"{base}/admin/enheder/{unit.pk}/historik/")
    media = page.locator("#media-history")
    expect(media).to_contain_text("Forsidebillede uploadet: have.jpg")
    expect(media).to_contain_text("Forsidebillede: fokuspunkt valgt")
    expect(media).to_contain_text("Forsidebillede: have.jpg fjernet")
    expect(media).to_contain_text("Redaktør, Aarhus Kommune")
    removed = page.locator("#removed-media")
    expect(removed).to_contain_text("have.jpg")
    screenshot(page, "media-history")
    assert_accessible(page)
    removed.get_by_role("button", name="Gendan").click()
    expect(messages(page)).to_contain_text("Forsidebillede er gendannet: have.jpg.")
    expect(page.locator("#removed-media")).to_have_count(0)
    expect(page.locator("#media-history")).to_contain_text("Forsidebillede: have.jpg gendannet")
    assert UnitContent.objects.get(unit=unit).image_1 == image
    assert not RemovedMedia.objects.exists()

# ruff: noqa: F811 (pytest fixtures imported from tests/test_media.py)
"""A unit's photo is at least 800 × 600 pixels (a setting), refused with its size in Danish
otherwise; its focal point (Wagtail's) is chosen on the image's page and kept in the public crops."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plov.media import images
from plov.units.models import UnitContent
from tests.test_media import (  # noqa: F401 (fixtures)
    editor,
    errors,
    media_root,
    nothing_stored,
    picture,
    post_image,
    url,
    world,
)


@pytest.mark.parametrize("size", [(40, 30), (799, 600), (800, 599), (1920, 400), (500, 1200)])
def test_a_too_small_image_is_refused_with_its_size(editor, client, media_root, size):
    unit, _ = editor
    response = post_image(client, unit, data=picture(size=size))
    assert response.status_code == 200
    width, height = size
    assert (
        f"Billedet er for lille ({width} × {height} pixels). Det skal være mindst 800 × 600 "
        "pixels (eller 600 × 800 på højkant)"
    ) in errors(response)
    assert nothing_stored(media_root)
    assert "Fællesstuen med udsigt" in response.content.decode()  # the typed text is kept


@pytest.mark.parametrize("size", [(800, 600), (600, 800), (4032, 3024)])
def test_a_large_enough_image_either_way_up_is_accepted(editor, client, size):
    unit, _ = editor
    assert post_image(client, unit, data=picture(size=size)).status_code == 302


def test_the_minimum_is_a_setting(editor, client, media_root, settings):
    unit, _ = editor
    settings.PLOV_IMAGE_MIN_WIDTH, settings.PLOV_IMAGE_MIN_HEIGHT = 1200, 900
    response = post_image(client, unit, data=picture(size=(1000, 800)))
    assert "mindst 1200 × 900 pixels" in errors(response)
    settings.PLOV_IMAGE_MIN_WIDTH, settings.PLOV_IMAGE_MIN_HEIGHT = 40, 30
    assert post_image(client, unit, data=picture(size=(40, 30))).status_code == 302
    assert images.min_size() == (40, 30)


def right_edge_red(width=1600, height=800, red_from=1400) -> bytes:
    """White, with the part right of `red_from` red: what a centred 3:2 crop cuts away."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), "white")
    image.paste((220, 20, 20), (red_from, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def right_edge_of(rendition) -> tuple[int, int, int]:
    import io

    from PIL import Image

    with rendition.file.open("rb") as f:
        image = Image.open(io.BytesIO(f.read())).convert("RGB")
    return image.getpixel((image.width - 5, image.height // 2))


def test_the_focal_point_is_chosen_on_the_image_and_kept_in_the_public_crop(editor, client):
    unit, _ = editor
    post_image(client, unit, 1, data=right_edge_red(), alt="Haven")
    image = UnitContent.objects.get(unit=unit).image_1
    assert (image.width, image.height, image.focal_point_x) == (1600, 800, None)
    page = client.get(url("image", unit, 1)).content.decode()
    assert "data-focal-point" in page and "focal-point.js" in page and "Fokuspunkt" in page
    # The public page's crop (fill-960x640), centred: the red right edge is cut away.
    centred = image.get_rendition("fill-960x640")
    assert right_edge_of(centred)[1] > 200  # white

    # The right edge matters: the focal point 95 % from the left, 50 % from the top.
    response = client.post(
        url("image", unit, 1), {"alt_text": "Haven", "focal_x": "95", "focal_y": "50"}
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_point_x, image.focal_point_y) == (1520, 400)
    assert (image.focal_point_width, image.focal_point_height) == (320, 160)
    assert not image.renditions.filter(pk=centred.pk).exists()  # the old crop is gone
    cropped = image.get_rendition("fill-960x640")
    red = right_edge_of(cropped)
    assert red[0] > 150 and red[1] < 100  # the crop now keeps the red right edge
    history = client.get(reverse("backoffice:history", args=[unit.pk])).content.decode()
    assert "Forsidebillede: fokuspunkt valgt" in history

    # An out-of-range value is refused; the focal point can be removed again.
    response = client.post(
        url("image", unit, 1), {"alt_text": "Haven", "focal_x": "140", "focal_y": "50"}
    )
    assert response.status_code == 200
    image.refresh_from_db()
    assert image.focal_point_x == 1520
    response = client.post(url("image", unit, 1), {"alt_text": "Haven", "focal_clear": "on"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_point_x is None
    assert (
        "Forsidebillede: fokuspunkt fjernet"
        in client.get(reverse("backoffice:history", args=[unit.pk])).content.decode()
    )

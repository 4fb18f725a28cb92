# ruff: noqa: F811 (pytest fixtures imported from tests/test_media.py)
"""Images, documents and housing descriptions in the unit's Versionshistorik: every upload,
replacement and removal is listed with who and when; a removal can be restored for 30 days (by
the lock holder), is hidden from the public meanwhile, and is purged after; Wagtail's own image
and document libraries cannot delete (or, without the unit's lock, change) a unit's media."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from plov.media.models import RemovedMedia
from plov.units.models import HousingDescription, UnitContent, UnitDocument
from tests.test_media import (  # noqa: F401 (fixtures)
    editor,
    lock,
    make_user,
    media_root,
    picture,
    post_document,
    post_image,
    url,
    world,
)

HISTORY = "backoffice:history"


def history_page(client, unit) -> str:
    response = client.get(reverse(HISTORY, args=[unit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def housing_data(**changes):
    return {
        "title": "1-rumsbolig",
        "persons_per_home": "1",
        "rent": "7.500",
        "deposit": "",
        "rooms": "1",
        "description": "Lys bolig med altan",
        **changes,
    }


def restore_url(unit, removed) -> str:
    return reverse("unitmedia:restore", args=[unit.pk, removed.pk])


def test_uploads_replacements_and_removals_are_in_the_history(editor, client):
    unit, user = editor
    post_image(client, unit, 1, name="have.jpg")
    post_image(client, unit, 1, name="stue.jpg", alt="Stuen")
    client.post(url("image_remove", unit, 1))
    post_document(client, unit, name="Prisliste 2026")
    document = UnitDocument.objects.get()
    client.post(url("document_delete", unit, document.pk))
    client.post(url("housing_add", unit), housing_data())
    client.post(url("housing_delete", unit, HousingDescription.objects.get().pk))

    page = history_page(client, unit)
    section = page.split('id="media-history"', 1)[1]
    for text in (
        "Forsidebillede uploadet: have.jpg",
        "Forsidebillede: have.jpg udskiftet",
        "Forsidebillede uploadet: stue.jpg (erstattede det tidligere billede)",
        "Forsidebillede: stue.jpg fjernet",
        "Dokumentet »Prisliste 2026« tilføjet",
        "Dokumentet »Prisliste 2026« fjernet",
        "Boligbeskrivelsen »1-rumsbolig« fjernet",
    ):
        assert text in section, text
    assert user.get_username() in section or user.get_full_name() in section
    assert timezone.localtime().strftime("%d.%m.%Y") in section
    # Four removals (two images, the document, the housing description) can be restored.
    assert RemovedMedia.objects.filter(unit=unit).count() == 4
    assert section.count("Gendan</button>") == 4


def test_a_removed_image_is_restored_into_its_slot(editor, client):
    unit, _ = editor
    post_image(client, unit, 2, name="have.jpg", alt="Haven")
    first = UnitContent.objects.get(unit=unit).image_2
    post_image(client, unit, 2, name="stue.jpg", alt="Stuen")
    replaced = RemovedMedia.objects.get(image=first)

    response = client.post(restore_url(unit, replaced), follow=True)
    assert any("Billede 2 er gendannet: have.jpg." in str(m) for m in response.context["messages"])
    content = UnitContent.objects.get(unit=unit)
    assert content.image_2 == first and content.image_2.description == "Haven"
    # The image it took the place of can be restored in turn.
    left = RemovedMedia.objects.get()
    assert left.label == "Billede 2: stue.jpg" and left.data["replaced"]
    assert not RemovedMedia.objects.filter(image=first).exists()


def test_a_deleted_document_is_hidden_publicly_and_restored_with_its_file(editor, client):
    unit, _ = editor
    post_document(client, unit, name="Prisliste 2026", annulled="")
    document = UnitDocument.objects.get()
    file_url = document.document.url
    client.post(url("document_delete", unit, document.pk))
    assert not UnitDocument.objects.exists()
    # Not public while removed; the unit's editor can still open it.
    assert client.get(file_url).status_code == 200
    client.logout()
    assert client.get(file_url).status_code == 404
    client.force_login(editor[1])

    removed = RemovedMedia.objects.get()
    assert client.post(restore_url(unit, removed)).status_code == 302
    restored = UnitDocument.objects.get()
    assert (restored.name, restored.document_type, restored.annulled) == (
        "Prisliste 2026",
        document.document_type,
        False,
    )
    assert restored.document_id == document.document_id
    client.logout()
    assert client.get(file_url).status_code == 200


def test_a_deleted_housing_description_is_restored(editor, client):
    unit, _ = editor
    client.post(url("housing_add", unit), housing_data())
    client.post(url("housing_delete", unit, HousingDescription.objects.get().pk))
    assert not HousingDescription.objects.exists()
    client.post(restore_url(unit, RemovedMedia.objects.get()))
    housing = HousingDescription.objects.get()
    assert (housing.title, housing.rent, housing.description) == (
        "1-rumsbolig",
        7500,
        "Lys bolig med altan",
    )


def test_restoring_needs_the_lock_and_the_unit(editor, client, world):
    unit, user = editor
    units, users = world
    post_image(client, unit, 1)
    client.post(url("image_remove", unit, 1))
    removed = RemovedMedia.objects.get()
    # The colleague (same company) without the lock: refused, nothing changes.
    client.force_login(users["colleague"])
    response = client.post(restore_url(unit, removed))
    assert response.status_code == 409
    assert RemovedMedia.objects.filter(pk=removed.pk).exists()
    assert UnitContent.objects.get(unit=unit).image_1 is None
    assert "Lås for at gendanne" in history_page(client, unit)
    # Another company's editor: not their unit.
    client.force_login(users["editor_other_company"])
    assert client.post(restore_url(unit, removed)).status_code == 404
    # Through another unit the colleague may edit and holds: not found.
    other = units["site_private"]
    lock(other, users["colleague"])
    client.force_login(users["colleague"])
    assert client.post(restore_url(other, removed)).status_code == 404
    assert RemovedMedia.objects.filter(pk=removed.pk).exists()


def test_after_30_days_a_removal_is_purged_and_cannot_be_restored(
    editor, client, media_root, django_capture_on_commit_callbacks
):
    unit, _ = editor
    post_image(client, unit, 1)
    image = UnitContent.objects.get(unit=unit).image_1
    path = image.file.path
    post_document(client, unit)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("image_remove", unit, 1))
        client.post(url("document_delete", unit, UnitDocument.objects.get().pk))
    RemovedMedia.objects.update(removed_at=timezone.now() - dt.timedelta(days=29))
    out = io.StringIO()
    call_command("purge_removed_media", stdout=out)
    assert "purged: 0" in out.getvalue() and RemovedMedia.objects.count() == 2

    RemovedMedia.objects.update(removed_at=timezone.now() - dt.timedelta(days=30, minutes=1))
    removed = RemovedMedia.objects.first()
    assert client.post(restore_url(unit, removed)).status_code == 404  # too old
    assert "Fjernet – kan gendannes" not in history_page(client, unit)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_removed_media", stdout=out)
    assert not RemovedMedia.objects.exists()
    assert not get_image_model().objects.exists() and not get_document_model().objects.exists()
    import os

    assert not os.path.exists(path)


def test_the_nightly_run_purges(editor, client, tmp_path):
    unit, _ = editor
    post_image(client, unit, 1)
    client.post(url("image_remove", unit, 1))
    RemovedMedia.objects.update(removed_at=timezone.now() - dt.timedelta(days=31))
    (tmp_path / "no-files-today").mkdir()
    out = io.StringIO()
    call_command("nightly", str(tmp_path / "no-files-today"), stdout=out)
    assert "removed media older than 30 days purged: 1" in out.getvalue()
    assert not RemovedMedia.objects.exists()


# --- Wagtail's libraries -------------------------------------------------------------------


@pytest.fixture
def agency_admin(world):
    _, users = world
    users["agency"].is_superuser = True  # the demo's agency login is a Wagtail superuser
    users["agency"].save()
    return users["agency"]


def test_the_image_library_cannot_delete_a_units_image(editor, client, agency_admin):
    unit, _ = editor
    post_image(client, unit, 1)
    image = UnitContent.objects.get(unit=unit).image_1
    client.force_login(agency_admin)
    delete = reverse("wagtailimages:delete", args=[image.pk])
    assert client.get(delete).status_code in (302, 403)
    client.post(delete)
    assert get_image_model().objects.filter(pk=image.pk).exists()
    assert UnitContent.objects.get(unit=unit).image_1 == image
    # Bulk delete neither.
    bulk = (
        reverse("wagtail_bulk_action", args=("wagtailimages", "image", "delete"))
        + f"?id={image.pk}"
    )
    client.post(bulk)
    assert get_image_model().objects.filter(pk=image.pk).exists()


def test_the_image_library_changes_a_units_image_only_with_the_lock(editor, client, agency_admin):
    unit, editor_user = editor
    post_image(client, unit, 1)
    image = UnitContent.objects.get(unit=unit).image_1
    edit = reverse("wagtailimages:edit", args=[image.pk])
    client.force_login(agency_admin)
    assert client.get(edit).status_code in (302, 403)  # the editor holds the lock
    # With the lock, the agency may set the focal point, but not swap the file or folder.
    lock(unit, agency_admin)
    assert client.get(edit).status_code == 200
    other = get_image_model().objects.create(
        title="x", file=image.file.name, width=1, height=1, collection_id=1
    )
    response = client.post(
        edit,
        {
            "title": "Haven",
            "description": "Haven om foråret",
            "collection": "1",
            "focal_point_x": "100",
            "focal_point_y": "80",
            "focal_point_width": "50",
            "focal_point_height": "40",
            "tags": "",
            "file": io.BytesIO(picture(size=(900, 700))),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    image.refresh_from_db()
    assert (image.focal_point_x, image.focal_point_y) == (100, 80)
    assert image.title == "Haven" and image.collection_id != 1
    assert image.width == UnitContent.objects.get(unit=unit).image_1.width
    other.delete()


def test_the_document_library_cannot_delete_or_change_a_units_document(
    editor, client, agency_admin
):
    unit, _ = editor
    post_document(client, unit)
    document = UnitDocument.objects.get().document
    lock(unit, agency_admin)
    client.force_login(agency_admin)
    client.post(reverse("wagtaildocs:delete", args=[document.pk]))
    assert get_document_model().objects.filter(pk=document.pk).exists()
    assert client.get(reverse("wagtaildocs:edit", args=[document.pk])).status_code in (302, 403)

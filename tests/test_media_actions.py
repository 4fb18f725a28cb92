# ruff: noqa: F811 (pytest fixtures imported from tests/test_media.py)
"""plov.media.actions, called directly (no HTTP): each write of a unit's media page checks the
user's scope and edit lock, writes its row(s) and its log entry together and renews the lock; a
refused or failed write leaves no row, no entry and no stored file (the back-office views are
tested in test_media and its neighbours)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry

from plov.backoffice.audit import AuditAction
from plov.backoffice.locking import LockLost
from plov.media import actions, removal
from plov.media.images import clean_image_bytes
from plov.media.models import RemovedMedia
from plov.units.models import HousingDescription, UnitContent, UnitDocument
from tests.test_media import (  # noqa: F401 (fixtures)
    lock,
    media_root,
    nothing_stored,
    pdf,
    picture,
    stored_files,
    world,
)

WagtailImage = get_image_model()
WagtailDocument = get_document_model()
PRICE_LIST = UnitDocument.DocumentType.PRICE_LIST


@pytest.fixture
def holder(world):
    """Lindehus and the company's editor, who holds its lock (taken ten minutes ago)."""
    units, users = world
    lock(units["lindehus"], users["editor_company"], minutes_ago=10)
    return units["lindehus"], users["editor_company"]


def entries(action=None):
    found = ModelLogEntry.objects.exclude(action="plov.login").order_by("pk")
    return found.filter(action=action) if action else found


def locked_at(unit):
    return UnitContent.objects.get(unit=unit).locked_at


def a_photo(fmt="JPEG"):
    return clean_image_bytes(picture(fmt))


def upload(unit, user, slot=1, fmt="JPEG", name="stuen.jpg"):
    return actions.upload_image(
        unit, slot, a_photo(fmt), file_name=name, alt_text="Fællesstuen", user=user
    )


def add_pdf(unit, user, name="Prisliste 2026"):
    return actions.add_document(
        unit,
        {"name": name, "document_type": PRICE_LIST},
        pdf=pdf(),
        file_name="prisliste (endelig).pdf",
        user=user,
    )


def fails(*args, **kwargs):
    raise RuntimeError("the audit log is unavailable")


# --- images ------------------------------------------------------------------------------


def test_an_upload_fills_the_slot_is_audited_and_renews_the_lock(holder, media_root):
    unit, user = holder
    before = locked_at(unit)
    image = upload(unit, user, slot=2, fmt="PNG", name="haven (sommer).png")
    content = UnitContent.objects.get(unit=unit)
    assert content.image_2 == image and image.title == "haven (sommer).png"
    assert image.description == "Fællesstuen" and image.uploaded_by_user == user
    assert image.file.name.endswith(".jpg") and "haven" not in image.file.name
    assert [p.name for p in stored_files(media_root)] == [image.file.name.split("/")[-1]]
    entry = entries(AuditAction.UPLOADED).get()
    assert entry.user_id == user.pk and entry.object_id == str(content.pk)
    assert entry.data == {
        "unit": unit.pk,
        "sor_id": unit.sor_id,
        "slot": 2,
        "image": image.pk,
        "title": "haven (sommer).png",
        "format": "PNG",
        "replaced": None,
    }
    assert content.locked_at > before


def test_replacing_an_image_keeps_the_old_one_restorable(holder):
    unit, user = holder
    first = upload(unit, user)
    second = upload(unit, user, name="haven.jpg")
    assert UnitContent.objects.get(unit=unit).image_1 == second
    removed = RemovedMedia.objects.get()
    assert removed.image == first and removed.data["replaced"] is True
    assert WagtailImage.objects.filter(pk=first.pk).exists()
    assert entries(AuditAction.UPLOADED).last().data["replaced"] == first.pk


def test_a_failed_upload_leaves_no_image_no_file_and_the_slot_as_it_was(
    holder, media_root, monkeypatch
):
    unit, user = holder
    first = upload(unit, user)
    files = stored_files(media_root)
    monkeypatch.setattr(actions, "audit", fails)  # the last step of the upload
    with pytest.raises(RuntimeError):
        upload(unit, user, name="haven.jpg")
    assert UnitContent.objects.get(unit=unit).image_1 == first
    assert list(WagtailImage.objects.all()) == [first]
    assert not RemovedMedia.objects.exists()  # the replacement's removal is rolled back too
    assert stored_files(media_root) == files  # no orphan of the failed upload
    assert entries(AuditAction.UPLOADED).count() == 1


def test_an_upload_outside_the_users_scope_is_forbidden_even_with_the_lock(world, media_root):
    units, users = world
    unit, outsider = units["lindehus"], users["editor_other_company"]
    lock(unit, outsider)  # a lock alone is not the right to edit
    with pytest.raises(PermissionDenied):
        upload(unit, outsider)
    assert nothing_stored(media_root) and not entries().exists()


def test_an_upload_without_the_lock_is_refused_with_the_editors_message(world, media_root):
    units, users = world
    unit = units["lindehus"]
    lock(unit, users["colleague"])
    with pytest.raises(LockLost, match="Enheden er låst af colleague"):
        upload(unit, users["editor_company"])
    content = UnitContent.objects.get(unit=unit)
    assert content.locked_by == users["colleague"]
    assert nothing_stored(media_root) and not entries().exists()


def test_the_alternative_text_and_the_focal_point_are_changed_and_logged(holder):
    unit, user = holder
    image = upload(unit, user)
    assert (image.width, image.height) == (800, 600)
    changes = actions.change_image(
        unit, 1, alt_text="Haven om sommeren", focal_point=(25.0, 50.0), user=user
    )
    assert changes == {
        "alt_text": ["Fællesstuen", "Haven om sommeren"],
        "focal_point": [200, 300, 160, 120],
    }
    image.refresh_from_db()
    assert image.description == "Haven om sommeren"
    assert (image.focal_point_x, image.focal_point_y) == (200, 300)
    logged = [e.data for e in entries("wagtail.edit")]
    assert [d.get("alt_text") for d in logged] == [["Fællesstuen", "Haven om sommeren"], None]
    assert logged[1]["focal_point"] == [200, 300, 160, 120] and logged[1]["slot"] == 1
    # The same again changes nothing and logs nothing; clearing the point does.
    again = actions.change_image(
        unit, 1, alt_text="Haven om sommeren", focal_point=(25.0, 50.0), user=user
    )
    assert again == {} and entries("wagtail.edit").count() == 2
    cleared = actions.change_image(
        unit, 1, alt_text="Haven om sommeren", clear_focal_point=True, user=user
    )
    assert cleared == {"focal_point": []}
    image.refresh_from_db()
    assert image.focal_point_x is None


def test_removing_an_image_empties_the_slot_and_keeps_it_restorable(holder):
    unit, user = holder
    image = upload(unit, user)
    removed = actions.remove_image(unit, 1, user=user)
    assert removed.image == image and removed.label == "Forsidebillede: stuen.jpg"
    assert UnitContent.objects.get(unit=unit).image_1 is None
    assert entries(AuditAction.MEDIA_REMOVED).get().data["removed"] == removed.pk
    assert actions.remove_image(unit, 1, user=user) is None  # an empty slot: nothing more
    assert RemovedMedia.objects.count() == 1


def test_there_are_four_slots(holder):
    unit, user = holder
    with pytest.raises(ValueError):
        upload(unit, user, slot=5)


# --- documents ---------------------------------------------------------------------------


def test_a_new_document_stores_its_pdf_and_is_audited(holder, media_root):
    unit, user = holder
    document = add_pdf(unit, user)
    file = document.document
    assert (document.unit, document.name, document.document_type) == (
        unit,
        "Prisliste 2026",
        PRICE_LIST,
    )
    assert file.title == "prisliste (endelig).pdf" and file.file.name.endswith(".pdf")
    with file.file.open("rb") as f:
        assert f.read() == pdf()
    entry = entries(AuditAction.UPLOADED).get()
    assert entry.object_id == str(document.pk) and entry.user_id == user.pk
    assert entry.data == {
        "unit": unit.pk,
        "sor_id": unit.sor_id,
        "name": "Prisliste 2026",
        "document_type": PRICE_LIST,
        "annulled": False,
        "file": file.pk,
        "title": "prisliste (endelig).pdf",
        "size": len(pdf()),
    }


def test_a_failed_new_document_leaves_no_row_and_no_stored_file(holder, media_root, monkeypatch):
    unit, user = holder
    monkeypatch.setattr(actions, "audit", fails)
    with pytest.raises(RuntimeError):
        add_pdf(unit, user)
    assert nothing_stored(media_root) and not entries(AuditAction.UPLOADED).exists()


def test_a_document_outside_the_users_scope_is_forbidden(world, media_root):
    units, users = world
    unit, outsider = units["lindehus"], users["editor_aarhus"]
    lock(unit, outsider)
    with pytest.raises(PermissionDenied):
        add_pdf(unit, outsider)
    assert nothing_stored(media_root) and not entries().exists()


def test_an_organisations_file_is_reused_on_its_other_unit(holder, world):
    unit, user = holder
    site = world[0]["site_private"]  # the same company's home-care site
    original = add_pdf(unit, user)
    lock(site, user)
    assert list(actions.reusable_documents(site, user)) == [original]
    reused = actions.reuse_document(
        site, original.document, {"name": "Prisliste", "document_type": PRICE_LIST}, user=user
    )
    assert reused.unit == site and reused.document == original.document
    assert WagtailDocument.objects.count() == 1  # shared, not copied
    entry = entries(AuditAction.UPLOADED).last()
    assert entry.data["reused"] is True and entry.data["file"] == original.document.pk
    assert list(actions.reusable_documents(site, user)) == []  # on the site already


def test_another_owners_file_cannot_be_reused(holder, world):
    unit, user = holder
    units, users = world
    other = units["solgaarden"]  # the municipality's
    lock(other, users["editor_aarhus"])
    theirs = add_pdf(other, users["editor_aarhus"], name="Kommunens prisliste")
    with pytest.raises(PermissionDenied):
        actions.reuse_document(
            unit, theirs.document, {"name": "Prisliste", "document_type": PRICE_LIST}, user=user
        )
    assert not UnitDocument.objects.filter(unit=unit).exists()
    assert entries(AuditAction.UPLOADED).count() == 1  # theirs only


def test_changing_a_document_logs_only_what_changed(holder):
    unit, user = holder
    document = add_pdf(unit, user)
    stored, changes = actions.change_document(
        document, {"name": "Prisliste 2026", "annulled": True}, user=user
    )
    assert changes == {"annulled": [False, True]} and stored.annulled
    assert UnitDocument.objects.get(pk=document.pk).annulled
    assert entries("wagtail.edit").get().data["changes"] == {"annulled": [False, True]}
    _, unchanged = actions.change_document(document, {"annulled": True}, user=user)
    assert unchanged == {} and entries("wagtail.edit").count() == 1


def test_a_document_deleted_meanwhile_is_not_written_back(holder):
    unit, user = holder
    document = add_pdf(unit, user)
    actions.delete_document(document, user=user)
    with pytest.raises(UnitDocument.DoesNotExist):
        actions.change_document(document, {"name": "Ny prisliste"}, user=user)
    with pytest.raises(UnitDocument.DoesNotExist):
        actions.delete_document(document, user=user)
    assert not UnitDocument.objects.exists() and RemovedMedia.objects.count() == 1
    assert not entries("wagtail.edit").exists()


def test_a_change_of_an_unknown_field_writes_nothing(holder):
    unit, user = holder
    document = add_pdf(unit, user)
    with pytest.raises(ValueError):
        actions.change_document(document, {"unit": None, "annulled": True}, user=user)
    assert not UnitDocument.objects.get(pk=document.pk).annulled
    assert not entries("wagtail.edit").exists()


def test_deleting_a_document_keeps_its_file_restorable(holder):
    unit, user = holder
    document = add_pdf(unit, user)
    removed = actions.delete_document(document, user=user)
    assert not UnitDocument.objects.exists()
    assert removed.document == document.document and removed.data["name"] == "Prisliste 2026"
    assert WagtailDocument.objects.filter(pk=document.document_id).exists()


# --- housing descriptions ----------------------------------------------------------------

ONE_ROOM = {
    "title": HousingDescription.Title.ONE_ROOM,
    "persons_per_home": 1,
    "rent": 7500,
    "deposit": 25000,
    "rooms": 1,
    "description": "Lys bolig med eget bad.",
}


def test_a_housing_description_is_added_changed_and_deleted_with_entries(holder):
    unit, user = holder
    housing = actions.add_housing(unit, ONE_ROOM, user=user)
    assert HousingDescription.objects.get(unit=unit).rent == 7500
    created = entries("wagtail.create").get()
    assert created.data == {"unit": unit.pk, "sor_id": unit.sor_id, **ONE_ROOM}
    stored, changes = actions.change_housing(housing, {**ONE_ROOM, "rent": 7900}, user=user)
    assert changes == {"rent": [7500, 7900]} and stored.rent == 7900
    assert entries("wagtail.edit").get().data["changes"] == {"rent": [7500, 7900]}
    removed = actions.delete_housing(housing, user=user)
    assert not HousingDescription.objects.exists()
    assert removed.data["rent"] == 7900
    assert removed.label == "Boligbeskrivelsen »1-rumsbolig«"


def test_only_care_homes_have_housing_descriptions(world):
    units, users = world
    site = units["site_private"]
    lock(site, users["editor_company"])
    with pytest.raises(ValueError):
        actions.add_housing(site, ONE_ROOM, user=users["editor_company"])
    assert not HousingDescription.objects.exists()


# --- restoring ---------------------------------------------------------------------------


def test_a_removed_document_is_restored_once(holder):
    unit, user = holder
    document = add_pdf(unit, user)
    removed = actions.delete_document(document, user=user)
    message = actions.restore(removed, user=user)
    assert message == "Dokumentet »Prisliste 2026« er gendannet."
    restored = UnitDocument.objects.get(unit=unit)
    assert restored.document_id == document.document_id and restored.name == "Prisliste 2026"
    assert entries(AuditAction.MEDIA_RESTORED).get().data["removed"] == removed.pk
    with pytest.raises(RemovedMedia.DoesNotExist):  # a second click restores nothing more
        actions.restore(removed, user=user)
    assert UnitDocument.objects.filter(unit=unit).count() == 1


def test_an_expired_removal_is_not_restored(holder):
    unit, user = holder
    removed = actions.delete_document(add_pdf(unit, user), user=user)
    RemovedMedia.objects.update(removed_at=timezone.now() - dt.timedelta(days=31))
    with pytest.raises(RemovedMedia.DoesNotExist):
        actions.restore(removed, user=user)
    assert not UnitDocument.objects.exists()


def test_an_image_whose_file_is_gone_is_not_restorable_and_nothing_changes(holder):
    unit, user = holder
    first = upload(unit, user)
    second = upload(unit, user, name="haven.jpg")  # `first` is now a removal
    removed = RemovedMedia.objects.get(image=first)
    RemovedMedia.objects.filter(pk=removed.pk).update(image=None)
    removed.refresh_from_db()
    with pytest.raises(removal.NotRestorable):
        actions.restore(removed, user=user)
    assert UnitContent.objects.get(unit=unit).image_1 == second
    assert RemovedMedia.objects.count() == 1 and not entries(AuditAction.MEDIA_RESTORED).exists()


def test_restoring_outside_the_users_scope_is_forbidden(holder, world):
    unit, user = holder
    removed = actions.delete_document(add_pdf(unit, user), user=user)
    outsider = world[1]["editor_other_company"]
    lock(unit, outsider)
    with pytest.raises(PermissionDenied):
        actions.restore(removed, user=outsider)
    assert RemovedMedia.objects.filter(pk=removed.pk).exists()
    assert not UnitDocument.objects.exists()

# ruff: noqa: F811 (pytest fixtures imported from tests/test_media.py)
"""An organisation reuses its own documents across its units ("vælg en eksisterende fil"): the
company's editor adds the price list already on its home-care site to its care home without
uploading it again. Only the organisation's own, not annulled, files are offered and accepted;
another owner's file is refused and nothing is stored."""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from plov.media.models import RemovedMedia
from plov.units.models import UnitDocument
from tests.test_media import (  # noqa: F401 (fixtures)
    editor,
    errors,
    lock,
    media_root,
    pdf,
    post_document,
    stored_files,
    url,
    world,
)

EXISTING = "Eller vælg en eksisterende fil"


def add_existing(client, unit, document, **fields):
    return client.post(
        url("document_add", unit),
        {
            "name": "Prisliste 2026",
            "document_type": UnitDocument.DocumentType.PRICE_LIST,
            "existing": str(document.pk),
            **fields,
        },
    )


def other_owners_document(unit) -> UnitDocument:
    file = get_document_model().objects.create(
        title="kommunens-prisliste.pdf", file=ContentFile(pdf(), name="kommunens.pdf")
    )
    return UnitDocument.objects.create(
        unit=unit,
        name="Kommunens prisliste",
        document=file,
        document_type=UnitDocument.DocumentType.PRICE_LIST,
    )


def test_the_organisations_file_is_chosen_on_another_of_its_units(
    editor, client, world, media_root
):
    lindehus, user = editor
    units, _ = world
    site = units["site_private"]
    lock(site, user)
    assert post_document(client, site, name="Prisliste hjemmepleje 2026").status_code == 302
    shared = UnitDocument.objects.get(unit=site).document
    files_before = stored_files(media_root)

    page = client.get(url("document_add", lindehus)).content.decode()
    assert EXISTING in page
    assert f"Prisliste hjemmepleje 2026 ({site.name}) – {shared.title}" in page
    response = add_existing(client, lindehus, shared)
    assert response.status_code == 302
    added = UnitDocument.objects.get(unit=lindehus)
    assert added.document == shared and added.name == "Prisliste 2026"
    assert get_document_model().objects.count() == 1  # no copy
    assert stored_files(media_root) == files_before
    # Once on the unit, it is not offered again.
    assert shared.title not in client.get(url("document_add", lindehus)).content.decode()

    # Removing it from one unit leaves the other's: still served, kept at the purge.
    client.post(url("document_delete", lindehus, added.pk))
    client.logout()
    assert client.get(shared.url).status_code == 200
    RemovedMedia.objects.update(removed_at=RemovedMedia.objects.get().removed_at.replace(year=2000))
    from django.core.management import call_command

    call_command("purge_removed_media", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert get_document_model().objects.filter(pk=shared.pk).exists()


def test_another_owners_file_is_neither_offered_nor_accepted(editor, client, world, imported):
    lindehus, _ = editor
    from plov.units.models import Unit
    from tests import country as c

    municipal = other_owners_document(Unit.objects.get(sor_id=c.SOLGAARDEN))
    page = client.get(url("document_add", lindehus)).content.decode()
    assert "Kommunens prisliste" not in page and EXISTING not in page
    before = (UnitDocument.objects.count(), get_document_model().objects.count())
    response = add_existing(client, lindehus, municipal.document)
    assert response.status_code == 200
    assert "Vælg en PDF-fil." in errors(response)  # the field is not even offered
    assert (UnitDocument.objects.count(), get_document_model().objects.count()) == before
    assert not UnitDocument.objects.filter(unit=lindehus).exists()


def test_a_forged_choice_among_offered_files_is_refused(editor, client, world, imported):
    """With the field offered (the company has a file on its site), a forged pk of another
    owner's file is refused by the field itself."""
    lindehus, user = editor
    units, _ = world
    site = units["site_private"]
    lock(site, user)
    post_document(client, site, name="Prisliste hjemmepleje 2026")
    from plov.units.models import Unit
    from tests import country as c

    municipal = other_owners_document(Unit.objects.get(sor_id=c.SOLGAARDEN))
    response = add_existing(client, lindehus, municipal.document)
    assert response.status_code == 200
    assert "Vælg en af organisationens egne filer på listen." in errors(response)
    assert not UnitDocument.objects.filter(unit=lindehus).exists()
    # An annulled document of its own is not offered either.
    UnitDocument.objects.filter(unit=site).update(annulled=True)
    assert EXISTING not in client.get(url("document_add", lindehus)).content.decode()


def test_a_file_or_an_existing_one_but_not_both(editor, client, world):
    lindehus, user = editor
    units, _ = world
    site = units["site_private"]
    lock(site, user)
    post_document(client, site, name="Prisliste hjemmepleje 2026")
    shared = UnitDocument.objects.get(unit=site).document
    from django.core.files.uploadedfile import SimpleUploadedFile

    both = add_existing(
        client, lindehus, shared, file=SimpleUploadedFile("ny.pdf", pdf(), "application/pdf")
    )
    assert both.status_code == 200 and "ikke begge" in errors(both)
    neither = add_existing(client, lindehus, shared, existing="")
    assert "Vælg en PDF-fil, eller vælg en eksisterende fil." in errors(neither)
    assert not UnitDocument.objects.filter(unit=lindehus).exists()

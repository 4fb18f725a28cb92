"""PDFs with active content are refused, as unit documents and as supervision feedback; every
user-uploaded document is served as a download that cannot run in the site's origin.

The PDFs are written by pikepdf (qpdf), as real tools write them: JavaScript run on opening,
automatic actions, a Launch action, an attached file, an XFA form, a document-level JavaScript
name tree, JavaScript hidden in a compressed object stream, and a password-protected file."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Array, Dictionary, Name, String

from plov.media import documents
from plov.units.models import UnitDocument
from tests import test_supervision_backoffice as supervision
from tests.test_media import editor, errors, media_root, nothing_stored, post_document, world  # noqa: F401

ACTIVE = "Af sikkerhedshensyn tager Plejeoverblikket kun imod PDF-filer uden aktivt indhold"


def write(pdf: pikepdf.Pdf, **save) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def new_pdf() -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    return pdf


def js_action(code: str = "app.alert('hej')") -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def open_action_js() -> bytes:
    pdf = new_pdf()
    pdf.Root.OpenAction = js_action()
    return write(pdf)


def page_aa() -> bytes:
    """/AA on a page, with an action that is not even JavaScript: opening a web address."""
    pdf = new_pdf()
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.URI, URI=String("https://example.org")))
    return write(pdf)


def launch() -> bytes:
    pdf = new_pdf()
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.Launch, F=String("C:\\Windows\\System32\\calc.exe")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
    return write(pdf)


def embedded_file() -> bytes:
    pdf = new_pdf()
    pdf.attachments["faktura.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not a program")
    return write(pdf)


def xfa() -> bytes:
    pdf = new_pdf()
    stream = pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"></xdp:xdp>')
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=stream)
    return write(pdf)


def names_javascript() -> bytes:
    pdf = new_pdf()
    tree = Dictionary(Names=Array([String("start"), pdf.make_indirect(js_action())]))
    pdf.Root.Names = Dictionary(JavaScript=pdf.make_indirect(tree))
    return write(pdf)


def js_in_object_stream() -> bytes:
    """The JavaScript action compressed inside an object stream: not visible in the raw bytes."""
    pdf = new_pdf()
    pdf.Root.OpenAction = pdf.make_indirect(js_action("this.exportDataObject({cName: 'x'})"))
    data = write(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    assert b"/JavaScript" not in data and b"/JS" not in data
    return data


def password_protected() -> bytes:
    return write(new_pdf(), encryption=pikepdf.Encryption(user="hemmelig", owner="hemmelig"))


ACTIVE_PDFS = {
    "openaction-javascript": (open_action_js, documents.JAVASCRIPT),
    "page-aa": (page_aa, documents.AUTOMATIC),
    "launch": (launch, documents.LAUNCH),
    "embedded-file": (embedded_file, documents.EMBEDDED),
    "xfa": (xfa, documents.XFA),
    "names-javascript": (names_javascript, documents.JAVASCRIPT),
    "object-stream-javascript": (js_in_object_stream, documents.JAVASCRIPT),
}


def harmless() -> bytes:
    """A real PDF with an outline-free link to a web page and a go-to-page open action."""
    pdf = new_pdf()
    pdf.add_blank_page(page_size=(595, 842))
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.URI, URI=String("https://www.aarhus.dk")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
    pdf.Root.OpenAction = Array([pdf.pages[1].obj, Name.Fit])
    return write(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


# --- the check -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ACTIVE_PDFS)
def test_active_content_is_found(kind):
    make, found = ACTIVE_PDFS[kind]
    data = make()
    assert documents.active_content(data) == [found]
    with pytest.raises(documents.DocumentRejected) as refused:
        documents.check_pdf_bytes(data)
    assert f"PDF-filen indeholder {found}." in str(refused.value)
    assert ACTIVE in str(refused.value)


def test_several_kinds_are_named_together():
    pdf = new_pdf()
    pdf.Root.OpenAction = js_action()
    pdf.attachments["a.txt"] = pikepdf.AttachedFileSpec(pdf, b"hej")
    with pytest.raises(documents.DocumentRejected) as refused:
        documents.check_pdf_bytes(write(pdf))
    assert f"PDF-filen indeholder {documents.JAVASCRIPT} og {documents.EMBEDDED}." in str(
        refused.value
    )


def test_a_password_protected_pdf_is_refused():
    with pytest.raises(documents.DocumentRejected) as refused:
        documents.check_pdf_bytes(password_protected())
    assert str(refused.value) == documents.ENCRYPTED_PDF


def test_a_pdf_with_links_and_a_go_to_page_open_action_is_accepted():
    data = harmless()
    assert documents.active_content(data) == []
    documents.check_pdf_bytes(data)  # no exception
    # An owner password only (printing allowed, editing not) still opens and is searched.
    restricted = write(new_pdf(), encryption=pikepdf.Encryption(user="", owner="ejer"))
    documents.check_pdf_bytes(restricted)
    locked = pikepdf.open(io.BytesIO(restricted))
    locked.Root.OpenAction = js_action()
    with pytest.raises(documents.DocumentRejected):
        documents.check_pdf_bytes(write(locked, encryption=pikepdf.Encryption(user="", owner="e")))


# --- refused where it is uploaded ------------------------------------------------------------


@pytest.mark.parametrize("kind", [*ACTIVE_PDFS, "password"])
def test_an_active_pdf_is_refused_as_a_unit_document(editor, client, media_root, kind):  # noqa: F811
    unit, _ = editor
    data = password_protected() if kind == "password" else ACTIVE_PDFS[kind][0]()
    response = post_document(client, unit, data=data)
    assert response.status_code == 200
    message = errors(response)
    assert (documents.ENCRYPTED_PDF if kind == "password" else ACTIVE) in message
    assert "Dokumentet blev ikke gemt" in response.content.decode()
    assert nothing_stored(media_root)
    # The same editor uploads the harmless one.
    assert post_document(client, unit, data=harmless()).status_code == 302
    assert UnitDocument.objects.filter(unit=unit).count() == 1


@pytest.fixture
def supervised(imported):
    """Ældretilsynet Silkeborg's world of tests/test_supervision_backoffice.py."""
    return supervision.world.__wrapped__(imported)


@pytest.mark.parametrize("kind", ["openaction-javascript", "embedded-file", "xfa"])
def test_an_active_pdf_is_refused_as_supervision_feedback(client, supervised, kind):
    unit = supervised["solgaarden"]
    supervision.actor(client, "supervisor")
    before = supervision.snapshot()
    upload = SimpleUploadedFile(
        "rapport.pdf", ACTIVE_PDFS[kind][0](), content_type="application/pdf"
    )
    page = supervision.errors_of(
        client.post(
            supervision.url("feedback", unit.pk), supervision.feedback_data(document=upload)
        )
    )
    assert ACTIVE in supervision.field_errors(page, "document")
    assert supervision.snapshot() == before
    assert "Medicinhåndteringen skal forbedres.</textarea>" in page  # the typed text is kept


# --- serving -------------------------------------------------------------------------------


@pytest.fixture
def public_units(imported):
    """The published units of tests/test_public_unit.py, with Solgården's documents."""
    from django.core.cache import cache

    from tests import test_public_unit as public

    cache.clear()
    yield public.shown.__wrapped__(imported)
    cache.clear()


def test_every_document_on_the_public_page_is_a_sandboxed_download(client, public_units):
    """The unit page's document links, fetched as a citizen would: each is a download, never
    inline, with nosniff and a CSP that sandboxes it; none points at the stored file itself."""
    import re

    from tests import test_public_unit as public

    _, page = public.page_of(client, public.c.SOLGAARDEN)
    links = re.findall(r'href="([^"]*/documents/[^"]*)"', page)
    assert len(links) >= 1, "the page links the unit's documents"
    assert "/media/documents/" not in page
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["Content-Type"] == "application/pdf"
        b"".join(response.streaming_content)


def test_inline_settings_cannot_make_a_document_inline(client, settings, supervised):
    """Even if someone adds PDFs back to WAGTAILDOCS_INLINE_CONTENT_TYPES."""
    settings.WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
    feedback = supervision.make_feedback(supervised["solgaarden"], supervised["authority"])
    response = client.get(feedback.document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_stored_documents_are_not_served_from_media_even_in_debug(settings):
    import importlib

    from django.urls import Resolver404, clear_url_caches, resolve

    import plov.urls

    settings.DEBUG = True
    try:
        importlib.reload(plov.urls)
        clear_url_caches()
        assert resolve("/media/original_images/foto.jpg", urlconf=plov.urls)
        with pytest.raises(Resolver404):
            resolve("/media/documents/prisliste.pdf", urlconf=plov.urls)
    finally:
        settings.DEBUG = False
        importlib.reload(plov.urls)
        clear_url_caches()


def test_wagtails_document_library_refuses_an_active_pdf_too(client, media_root, world):  # noqa: F811
    """The agency (a Wagtail superuser in the demo) uploading in /admin/documents/."""
    from django.urls import reverse
    from wagtail.documents import get_document_model

    _, users = world
    agency = users["agency"]
    agency.is_superuser = True
    agency.save()
    client.force_login(agency)
    add = reverse("wagtaildocs:add")
    response = client.post(
        add,
        {
            "title": "Vejledning",
            "collection": "1",
            "file": SimpleUploadedFile("vejledning.pdf", open_action_js(), "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert ACTIVE in response.content.decode()
    assert not get_document_model().objects.exists()
    data = harmless()
    response = client.post(
        add,
        {
            "title": "Vejledning",
            "collection": "1",
            "file": SimpleUploadedFile("vejledning.pdf", data, "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert get_document_model().objects.get().file.read() == data

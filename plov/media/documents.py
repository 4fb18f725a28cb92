"""Checking an uploaded unit document: a PDF by its content, within the size limit.

The file name says nothing: a file is a PDF when it starts with the PDF header (`%PDF-1.x` or
`%PDF-2.0`) and has the skeleton every PDF has: numbered objects, a document catalogue
(`/Root`), a cross-reference pointer (`startxref`) and the end marker `%%EOF` near the end.

It is then opened with qpdf (pikepdf), which reads compressed object streams and repairs what a
viewer would repair, and every object is searched for active content, which is refused:
JavaScript (`/JS`, `/JavaScript`, also as `/OpenAction`), automatic actions (`/AA`), actions that
start programs or import data (`/Launch`, `/ImportData`, `/GoToE`), embedded files
(`/EmbeddedFile(s)`, file attachment annotations), XFA forms (`/XFA`) and rich media. A PDF
that needs a password to open cannot be searched, so it is refused too.
"""

from __future__ import annotations

import io
import re

import pikepdf
from django.conf import settings

_HEADER = re.compile(rb"%PDF-[12]\.\d")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
TAIL = 2048

NOT_A_PDF = "Filen er ikke en PDF-fil. Kun PDF-dokumenter kan uploades; gem dokumentet som PDF."
BROKEN_PDF = (
    "Filen ligner en PDF-fil, men den er ufuldstændig eller beskadiget. "
    "Gem dokumentet som PDF igen og prøv på ny."
)


ENCRYPTED_PDF = (
    "PDF-filen er beskyttet med adgangskode. Gem dokumentet som PDF uden adgangskode og prøv på ny."
)
ACTIVE_PDF = (
    "PDF-filen indeholder {found}. Af sikkerhedshensyn tager Plejeoverblikket kun imod PDF-filer "
    "uden aktivt indhold. Gem dokumentet som PDF igen uden det (fx med »Udskriv« og »Gem som "
    "PDF«) og prøv på ny."
)
# What was found, in the order the message names it.
JAVASCRIPT = "JavaScript"
AUTOMATIC = "automatiske handlinger (/AA), der kører, når filen eller en side åbnes"
LAUNCH = "en handling, der starter et program eller henter en anden fil (/Launch)"
EMBEDDED = "vedhæftede filer"
XFA = "en XFA-formular"
RICH_MEDIA = "multimedieindhold (RichMedia)"
KINDS = [JAVASCRIPT, AUTOMATIC, LAUNCH, EMBEDDED, XFA, RICH_MEDIA]

_ACTION_KINDS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/ImportData": LAUNCH,
    "/GoToE": EMBEDDED,
    "/RichMediaExecute": RICH_MEDIA,
}
_KEY_KINDS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,  # the document's JavaScript name tree
    "/AA": AUTOMATIC,
    "/EmbeddedFiles": EMBEDDED,
    "/EF": EMBEDDED,
    "/XFA": XFA,
    "/RichMediaContent": RICH_MEDIA,
}
_TYPE_KINDS = {"/EmbeddedFile": EMBEDDED, "/FileAttachment": EMBEDDED, "/RichMedia": RICH_MEDIA}
MAX_DEPTH = 400


class DocumentRejected(ValueError):
    """The upload is not an acceptable document; the message is for the editor (Danish)."""


def max_document_mb() -> int:
    return int(settings.PLOV_MAX_DOCUMENT_MB)


def max_bytes() -> int:
    return max_document_mb() * 1024 * 1024


def too_big_message(size: int | None = None) -> str:
    actual = f" ({size / 1024 / 1024:.1f} MB)".replace(".", ",") if size else ""
    return f"Filen er for stor{actual}. Et dokument må højst fylde {max_document_mb()} MB."


def check_pdf(upload) -> bytes:
    """The upload's bytes if it is a PDF within the size limit; else DocumentRejected."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise DocumentRejected(too_big_message(size))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise DocumentRejected(too_big_message())
    check_pdf_bytes(data)
    return data


def check_pdf_bytes(data: bytes) -> None:
    if not data:
        raise DocumentRejected("Filen er tom.")
    if not _HEADER.match(data):
        raise DocumentRejected(NOT_A_PDF)
    tail = data[-TAIL:]
    if b"%%EOF" not in tail:
        raise DocumentRejected(BROKEN_PDF)
    pointers = _STARTXREF.findall(tail)
    if not pointers or int(pointers[-1]) >= len(data):
        raise DocumentRejected(BROKEN_PDF)
    if not _OBJECT.search(data) or b"/Root" not in data:
        raise DocumentRejected(BROKEN_PDF)
    found = active_content(data)
    if found:
        raise DocumentRejected(ACTIVE_PDF.format(found=_and_list(found)))


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def active_content(data: bytes) -> list[str]:
    """What active content the PDF holds (the kinds of `KINDS`, in that order); empty when none.
    DocumentRejected when qpdf cannot read it or it is password-protected."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise DocumentRejected(ENCRYPTED_PDF) from None
    except (pikepdf.PdfError, ValueError, OSError):
        raise DocumentRejected(BROKEN_PDF) from None
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    with pdf:
        try:
            for obj in pdf.objects:
                _search(obj, found, seen, 0)
        except pikepdf.PdfError:
            raise DocumentRejected(BROKEN_PDF) from None
    return [kind for kind in KINDS if kind in found]


def _search(obj, found: set[str], seen: set[tuple[int, int]], depth: int) -> None:
    """Every dictionary and array reachable from `obj`, each indirect object once."""
    if depth > MAX_DEPTH:  # no real document nests this deep
        raise DocumentRejected(BROKEN_PDF)
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)) and obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        items = list(obj.items())
        for key, _value in items:
            if key in _KEY_KINDS:
                found.add(_KEY_KINDS[key])
        for key in ("/S", "/Type", "/Subtype"):
            value = obj.get(key)
            if isinstance(value, pikepdf.Name):
                name = str(value)
                if key == "/S" and name in _ACTION_KINDS:
                    found.add(_ACTION_KINDS[name])
                elif name in _TYPE_KINDS:
                    found.add(_TYPE_KINDS[name])
        for _key, value in items:
            _search(value, found, seen, depth + 1)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            _search(item, found, seen, depth + 1)


def clean_pdf_upload(form, field: str):
    """A form's `clean_<field>` for a PDF upload: the file, with its checked bytes kept as
    `form.pdf_bytes`; a Danish form error when it is not a PDF (or too big)."""
    from django.core.exceptions import ValidationError

    upload = form.cleaned_data.get(field)
    if upload:
        try:
            form.pdf_bytes = check_pdf(upload)
        except DocumentRejected as exc:
            raise ValidationError(str(exc), code="invalid_pdf") from None
    return upload


def discard_document(document) -> None:
    """Delete a document nothing links any more (no unit document, no supervision feedback, no
    removal that can still be restored), if it lives in a unit's media folder; Wagtail removes
    the file after the commit. Documents from elsewhere are only unlinked."""
    from plov.media.models import RemovedMedia, UnitMediaFolder
    from plov.supervision.models import SupervisionFeedback
    from plov.units.models import UnitDocument

    if document is None:
        return
    if (
        UnitDocument.objects.filter(document=document).exists()
        or SupervisionFeedback.objects.filter(document=document).exists()
        or RemovedMedia.objects.filter(document=document).exists()  # restorable for 30 days
    ):
        return
    if UnitMediaFolder.objects.filter(collection_id=document.collection_id).exists():
        document.delete()

"""Checking an uploaded unit document: a PDF by its content, within the size limit.

The file name says nothing: a file is a PDF when it starts with the PDF header (`%PDF-1.x` or
`%PDF-2.0`) and has the skeleton every PDF has: numbered objects, a document catalogue
(`/Root`), a cross-reference pointer (`startxref`) and the end marker `%%EOF` near the end.
"""

from __future__ import annotations

import re

from django.conf import settings

DEFAULT_MAX_MB = 20

_HEADER = re.compile(rb"%PDF-[12]\.\d")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
TAIL = 2048

NOT_A_PDF = "Filen er ikke en PDF-fil. Kun PDF-dokumenter kan uploades; gem dokumentet som PDF."
BROKEN_PDF = (
    "Filen ligner en PDF-fil, men den er ufuldstændig eller beskadiget. "
    "Gem dokumentet som PDF igen og prøv på ny."
)


class DocumentRejected(ValueError):
    """The upload is not an acceptable document; the message is for the editor (Danish)."""


def max_document_mb() -> int:
    return int(getattr(settings, "PLOV_MAX_DOCUMENT_MB", DEFAULT_MAX_MB))


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
    """Delete a document nothing links any more (no unit document, no supervision feedback),
    if it lives in a unit's media folder; Wagtail removes the file after the commit. Documents
    from elsewhere are only unlinked."""
    from plov.media.models import UnitMediaFolder
    from plov.supervision.models import SupervisionFeedback
    from plov.units.models import UnitDocument

    if document is None:
        return
    if (
        UnitDocument.objects.filter(document=document).exists()
        or SupervisionFeedback.objects.filter(document=document).exists()
    ):
        return
    if UnitMediaFolder.objects.filter(collection_id=document.collection_id).exists():
        document.delete()

"""The demo's supervision reports: small, valid, text-only PDFs written with pikepdf (already
plov's PDF library, for the active-content check), one per feedback.

Each report is one A4 page in Helvetica (a standard PDF font, WinAnsi-encoded, so æ, ø and å
need no embedded font): the unit, the authority, the date, the overall assessment, the
summary and what the inspection looked at, and a footer saying it is demo data. No
JavaScript, actions, forms or attachments: `plov.media.documents.check_pdf_bytes` accepts
them like any upload. About a millisecond each.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap

import pikepdf
from pikepdf import Dictionary, Name

MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
A4 = (595, 842)
MARGIN = 64
WIDTH_CHARS = 82  # Helvetica 11 pt across the page between the margins

FOCUS = (
    "Tilsynet har talt med beboere eller borgere, pårørende, medarbejdere og ledelsen og har "
    "set den faglige dokumentation for et udvalg af borgere. Tilsynet har vurderet "
    "selvbestemmelse og tryghed, personlig pleje og praktisk hjælp, mad og måltider, "
    "medicinhåndtering, tidlig opsporing af ændringer i borgernes tilstand samt faglig ledelse "
    "og kompetencer."
)
FOLLOW_UP = {
    "ingen_bemaerkninger": "Tilsynet følger ikke op særskilt. Næste tilsyn sker efter "
    "Ældretilsynets almindelige plan.",
    "mindre_bemaerkninger": "Stedet har selv beskrevet, hvordan det retter op. Tilsynet ser "
    "på det ved næste besøg.",
    "vaesentlige_bemaerkninger": "Stedet skal inden for tre måneder sende en handleplan til "
    "Ældretilsynet. Tilsynet kommer igen inden for et år.",
    "kritiske_bemaerkninger": "Ældretilsynet har truffet afgørelse om en sanktion. Tilsynet "
    "følger op med et nyt, uanmeldt besøg.",
}


def danish_date(day: dt.date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _text(value: str) -> bytes:
    """A PDF string literal in WinAnsi (cp1252), with ( ) and \\ escaped."""
    raw = value.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def report_pdf(
    *,
    unit_name: str,
    authority: str,
    inspected_on: dt.date,
    status_label: str,
    status: str,
    summary: str,
) -> bytes:
    """One supervision report as PDF bytes."""
    lines: list[tuple[str, int, str]] = [  # (font, size, text)
        ("F2", 18, "Tilsynsrapport"),
        ("F1", 11, ""),
        ("F2", 13, unit_name),
        ("F1", 11, f"{authority} · tilsyn den {danish_date(inspected_on)}"),
        ("F1", 11, ""),
        ("F2", 11, f"Samlet vurdering: {status_label}"),
        ("F1", 11, ""),
    ]
    for heading, body in (
        ("Sammenfatning", summary),
        ("Hvad tilsynet så på", FOCUS),
        ("Opfølgning", FOLLOW_UP.get(status, "")),
    ):
        if not body:
            continue
        lines.append(("F2", 11, heading))
        lines += [("F1", 11, line) for line in textwrap.wrap(body, WIDTH_CHARS)]
        lines.append(("F1", 11, ""))

    content = [b"BT", f"{MARGIN} {A4[1] - MARGIN} Td".encode()]
    for font, size, text in lines:
        leading = round(size * 1.4)
        content.append(f"/{font} {size} Tf 0 -{leading} Td".encode())
        if text:
            content.append(_text(text) + b" Tj")
    content += [
        b"ET",
        b"BT /F1 8 Tf",
        f"{MARGIN} {MARGIN // 2} Td".encode(),
        _text("Demodata fra Plejeoverblikkets demo: ikke en rigtig tilsynsrapport.") + b" Tj",
        b"ET",
    ]

    pdf = pikepdf.new()
    fonts = Dictionary(
        F1=pdf.make_indirect(_font("/Helvetica")), F2=pdf.make_indirect(_font("/Helvetica-Bold"))
    )
    page = Dictionary(
        Type=Name.Page,
        MediaBox=[0, 0, *A4],
        Resources=Dictionary(Font=fonts),
        Contents=pdf.make_stream(b"\n".join(content)),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.Root.Lang = pikepdf.String("da-DK")
    pdf.docinfo[Name.Title] = f"Tilsynsrapport: {unit_name}, {danish_date(inspected_on)}"
    pdf.docinfo[Name.Author] = authority
    buffer = io.BytesIO()
    # Fixed /ID and no dates: the same demo gives the same bytes.
    pdf.save(buffer, compress_streams=True, deterministic_id=True)
    return buffer.getvalue()


def _font(base: str) -> Dictionary:
    return Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name(base), Encoding=Name.WinAnsiEncoding
    )

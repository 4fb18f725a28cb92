"""Personal data in public free text: text that looks like a CPR number is refused wherever an
editor, a contract manager or a supervisor writes something the public reads (unit texts,
agreement descriptions, supervision summaries, sanction themes).

A CPR number is ddmmåå-xxxx: a real day and month, two digits of year, then four digits; the
dash may be left out ("0102031234") when the ten digits stand alone. Ten digits that do not start
with a real date (e.g. the P-number 1000000010) are not taken for one, nor is a
run of more than ten digits. The modulus-11 check is not used: CPR numbers issued since 2007
need not pass it.
"""

from __future__ import annotations

import html
import re

from django import forms
from django.utils.html import strip_tags

# Separators people type between the date and the sequence: hyphen, the dashes Word makes.
_CPR = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})\s?[-‐‑–—]?\s?(\d{4})(?![\d])")
_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _plain(text: str) -> str:
    """Rich text as the public reads it (tags removed, entities decoded)."""
    return html.unescape(strip_tags(re.sub(r"<[^>]+>", " ", text or "")))


def cpr_numbers(text: str) -> list[str]:
    """The CPR-like numbers in `text` (plain or rich text), masked as ddmmåå-xxxx."""
    found = []
    for match in _CPR.finditer(_plain(text)):
        day, month = int(match.group(1)), int(match.group(2))
        whole = match.group(0)
        separated = bool(re.search(r"[-‐‑–—]", whole))
        spaced = " " in whole
        if spaced and not separated:
            continue  # "010203 1234": a date and a number, not a CPR shape
        if 1 <= month <= 12 and 1 <= day <= _DAYS[month]:
            found.append(f"{match.group(1)}{match.group(2)}{match.group(3)}-xxxx")
    return found


def cpr_problem(text: str, label: str) -> str | None:
    """The Danish refusal for a field whose text contains a CPR-like number, else None."""
    numbers = cpr_numbers(text)
    if not numbers:
        return None
    shown = ", ".join(dict.fromkeys(numbers))
    return (
        f"{label} ser ud til at indeholde et CPR-nummer ({shown}). Teksten vises offentligt: "
        "fjern CPR-numre og andre personoplysninger"
    )


def refuse_cpr_numbers(form: forms.BaseForm, names) -> None:
    """Add a field error to each of the form's fields `names` whose cleaned text holds a
    CPR-like number (call from the form's clean())."""
    for name in names:
        value = form.cleaned_data.get(name)
        if not isinstance(value, str) or name in form.errors:
            continue
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else "Teksten"
        problem = cpr_problem(value, label)
        if problem:
            form.add_error(name, problem)

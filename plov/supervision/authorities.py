"""Which supervising authority covers a unit: the one covering its beliggenhedskommune."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction
from django.db.models import F

from plov.registers.readers import MalformedFile, read_csv
from plov.registers.summary import ImportSummary
from plov.supervision.models import AuthorityCoverage, SupervisingAuthority
from plov.units.models import Municipality

COLUMNS = {"municipality": "kommunekode", "authority": "tilsyn", "valid_from": "gyldig_fra"}


def authority_by_municipality(on: dt.date | None = None) -> dict[int, str]:
    """{kommunekode: authority name} for the coverage in force on a day (today by default)."""
    on = on or dt.date.today()
    result: dict[int, str] = {}
    for code, name in (
        AuthorityCoverage.objects.in_force(on)
        .order_by("municipality_id", F("valid_from").asc(nulls_first=True))
        .values_list("municipality_id", "authority__name")
    ):
        result[code] = name  # the latest valid_from wins
    return result


def import_authorities(path: Path) -> ImportSummary:
    """Replace the coverage table from a CSV (kommunekode, tilsyn, gyldig_fra optional).

    Units need no rewrite: their authority is derived from the table whenever it is read."""
    path = Path(path)
    summary = ImportSummary()
    codes = set(Municipality.objects.values_list("code", flat=True))
    rows = []
    for line, row in read_csv(
        path, [COLUMNS["municipality"], COLUMNS["authority"]], delimiters=";,"
    ):
        raw_code = row[COLUMNS["municipality"]].strip()
        if not raw_code.isdigit() or int(raw_code) not in codes:
            raise MalformedFile(path, line, f"kommunekode {raw_code!r} is not a municipality")
        name = row[COLUMNS["authority"]].strip()
        if not name:
            raise MalformedFile(path, line, "tilsyn is empty")
        raw_from = (row.get(COLUMNS["valid_from"]) or "").strip()
        try:
            valid_from = dt.date.fromisoformat(raw_from) if raw_from else None
        except ValueError:
            raise MalformedFile(path, line, f"gyldig_fra {raw_from!r} is not a date") from None
        rows.append((int(raw_code), name, valid_from))
    missing = codes - {code for code, _, _ in rows}
    with transaction.atomic():
        AuthorityCoverage.objects.all().delete()
        authorities = {}
        for name in sorted({name for _, name, _ in rows}):
            authorities[name], _ = SupervisingAuthority.objects.get_or_create(name=name)
        AuthorityCoverage.objects.bulk_create(
            AuthorityCoverage(municipality_id=code, authority=authorities[name], valid_from=start)
            for code, name, start in rows
        )
        SupervisingAuthority.objects.exclude(name__in=authorities).filter(
            coverage__isnull=True
        ).delete()
    summary.created = len(rows)
    if missing:
        summary.notes.append(
            "municipalities without a supervising authority: "
            + ", ".join(str(c) for c in sorted(missing))
        )
    return summary


def load_default_authorities(path: Path) -> None:
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            if next(csv.reader(handle), None):
                import_authorities(path)

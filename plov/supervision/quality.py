"""Import of quality indicators and user-satisfaction results (CSV files the agency receives).

Columns (UTF-8, `;` or `,`; one header row):

    sor_id;type;kode;navn;periode;vaerdi;enhed;landsgennemsnit;kilde;offentliggjort;bedst;antal

`type` is `kvalitetsindikator` or `brugertilfredshed`; `vaerdi` and `landsgennemsnit` are
numbers (decimal comma or point); `offentliggjort` is a date (YYYY-MM-DD) or empty. The last
two columns may be left out: `bedst` says which way the figure is better (`højt` or `lavt`;
empty: not stated, and the unit page then gives no verdict), `antal` how many respondents
(or residents, citizens) the figure is based on, a whole number or empty; with it the verdict
uses a confidence interval instead of a fixed threshold (`plov.supervision.verdicts`).

A row is keyed on (sor_id, type, kode, periode): importing the same file again changes nothing.
A file that cannot be read (encoding, missing columns, broken quotes) is rejected as a whole;
rows with an unknown SOR-ID or a value out of range are reported by line and the other rows
imported.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from plov.registers.readers import read_csv
from plov.registers.summary import ImportSummary
from plov.supervision.models import QualityResult
from plov.units.models import Unit

COLUMNS = [
    "sor_id",
    "type",
    "kode",
    "navn",
    "periode",
    "vaerdi",
    "enhed",
    "landsgennemsnit",
    "kilde",
    "offentliggjort",
    "bedst",
    "antal",
]
REQUIRED = ["sor_id", "type", "kode", "navn", "periode", "vaerdi"]
KINDS = {
    "kvalitetsindikator": QualityResult.Kind.INDICATOR,
    "indikator": QualityResult.Kind.INDICATOR,
    "brugertilfredshed": QualityResult.Kind.SATISFACTION,
    "tilfredshed": QualityResult.Kind.SATISFACTION,
}
PERCENT_UNITS = {"%", "pct", "procent"}
BETTER = {
    "højt": QualityResult.Better.HIGHER,
    "hoejt": QualityResult.Better.HIGHER,
    "høj": QualityResult.Better.HIGHER,
    "lavt": QualityResult.Better.LOWER,
    "lav": QualityResult.Better.LOWER,
}
MAX_RESPONDENTS = 10_000_000
MAX_VALUE = Decimal("1e9")


def _number(raw: str, column: str) -> Decimal | None:
    raw = raw.strip().replace(" ", "")
    if not raw:
        return None
    if "," in raw and "." in raw:
        raw = raw.replace(".", "")  # 1.234,5 → 1234,5
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{column} {raw!r} er ikke et tal") from None
    if not value.is_finite() or abs(value) >= MAX_VALUE:
        raise ValueError(f"{column} {raw!r} er uden for det mulige interval")
    return value


def _row(row: dict[str, str], units: dict[str, int]) -> dict:
    problems = []
    sor_id = row["sor_id"].strip().removeprefix('="').removesuffix('"')
    if sor_id not in units:
        problems.append(f"ukendt SOR-ID {sor_id!r}")
    kind = KINDS.get(row["type"].strip().lower())
    if kind is None:
        problems.append(
            f"type {row['type']!r} skal være kvalitetsindikator eller brugertilfredshed"
        )
    for column in ("kode", "navn", "periode"):
        if not row[column].strip():
            problems.append(f"{column} mangler")
    value = average = None
    unit_of_measure = (row.get("enhed") or "").strip()
    try:
        value = _number(row["vaerdi"], "vaerdi")
        average = _number(row.get("landsgennemsnit") or "", "landsgennemsnit")
        if value is None:
            problems.append("vaerdi mangler")
        elif unit_of_measure.lower() in PERCENT_UNITS and not 0 <= value <= 100:
            problems.append(f"vaerdi {value} ligger ikke mellem 0 og 100 %")
    except ValueError as exc:
        problems.append(str(exc))
    better_raw = (row.get("bedst") or "").strip()
    better = BETTER.get(better_raw.lower(), "") if better_raw else ""
    if better_raw and not better:
        problems.append(f"bedst {better_raw!r} skal være højt, lavt eller tom")
    respondents_raw = (row.get("antal") or "").strip().replace(".", "").replace(" ", "")
    respondents = None
    if respondents_raw:
        if respondents_raw.isascii() and respondents_raw.isdigit():
            respondents = int(respondents_raw)
            if respondents > MAX_RESPONDENTS:
                problems.append(f"antal {respondents_raw!r} er uden for det mulige interval")
        else:
            problems.append(f"antal {respondents_raw!r} er ikke et helt tal")
    published = (row.get("offentliggjort") or "").strip()
    try:
        published_on = dt.date.fromisoformat(published) if published else None
    except ValueError:
        problems.append(f"offentliggjort {published!r} er ikke en dato (ÅÅÅÅ-MM-DD)")
        published_on = None
    if problems:
        raise ValueError("; ".join(problems))
    return {
        "unit_id": units[sor_id],
        "kind": kind,
        "code": row["kode"].strip(),
        "name": row["navn"].strip(),
        "period": row["periode"].strip(),
        "value": value,
        "unit_of_measure": unit_of_measure,
        "national_average": average,
        "source": (row.get("kilde") or "").strip(),
        "published_on": published_on,
        "better": better,
        "respondents": respondents,
    }


def import_quality(path: Path) -> tuple[ImportSummary, list[str]]:
    path = Path(path)
    summary = ImportSummary()
    rejected: list[str] = []
    units = dict(Unit.objects.filter(sor_id__isnull=False).values_list("sor_id", "id"))
    fields = [
        "name",
        "value",
        "unit_of_measure",
        "national_average",
        "source",
        "published_on",
        "better",
        "respondents",
    ]
    with transaction.atomic():
        for line, raw in read_csv(path, REQUIRED, delimiters=";,"):
            try:
                values = _row(raw, units)
            except ValueError as exc:
                rejected.append(f"{path}:{line}: {exc}")
                continue
            key = {k: values.pop(k) for k in ("unit_id", "kind", "code", "period")}
            current = QualityResult.objects.filter(**key).first()
            if current is None:
                QualityResult.objects.create(**key, **values)
                summary.created += 1
            elif any(getattr(current, f) != values[f] for f in fields):
                for f in fields:
                    setattr(current, f, values[f])
                current.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
        summary.skipped["afvist række"] = len(rejected)
    return summary, rejected

"""Bulk import of service agreements from CSV (for migration and for municipalities with many).

Columns: kommunekode, sor_id, aftaleidentifikation, type, start, slut, beskrivelse. Each row is
validated as the back office validates one agreement; bad rows are reported with their line and
the good ones are imported. Rows are keyed on (kommunekode, aftaleidentifikation), so importing
the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.agreements.rules import agreement_problems
from plov.registers.readers import read_csv
from plov.registers.summary import ImportSummary
from plov.text import strip_invisible
from plov.units.models import Municipality, Unit
from plov.units.personal_data import cpr_problem

COLUMNS = ["kommunekode", "sor_id", "aftaleidentifikation", "type", "start", "slut", "beskrivelse"]
REQUIRED = COLUMNS[:5]
# The file names a type by its Danish name in any case ("Driftsoverenskomst"); the values are
# those names in lower case. (Not the labels: they are translated.)
TYPES_BY_NAME = {t.value: t.value for t in AgreementType}


def _date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d-%m-%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    raise ValueError(f"{value!r} er ikke en dato (brug ÅÅÅÅ-MM-DD)")


def import_agreements(path: Path, *, by_agency: bool = True) -> tuple[ImportSummary, list[str]]:
    """Returns the summary and the rejected rows as `PATH:LINE: reason`."""
    from plov.agreements import actions
    from plov.publishing.refresh import refresh_publication

    path = Path(path)
    source = f"import {path.name}"
    touched: set[int] = set()
    summary = ImportSummary()
    rejected: list[str] = []
    municipalities = Municipality.objects.in_bulk()
    with transaction.atomic():
        for line, row in read_csv(path, REQUIRED, delimiters=";,"):
            problems: list[str] = []
            code_raw = row["kommunekode"].strip()
            party = municipalities.get(int(code_raw)) if code_raw.isdigit() else None
            if party is None:
                problems.append(f"kommunekode {code_raw!r} er ikke en kommune")
            sor_id = row["sor_id"].strip().removeprefix('="').removesuffix('"')
            unit = Unit.objects.select_related("owner").filter(sor_id=sor_id).first()
            if unit is None:
                problems.append(f"ingen enhed med SOR-ID {sor_id!r}")
            elif unit.closed_on:
                problems.append(f"enheden {sor_id} er lukket i SOR")
            agreement_type = TYPES_BY_NAME.get(row["type"].strip().lower(), row["type"].strip())
            try:
                start, end = _date(row["start"]), _date(row.get("slut") or "")
            except ValueError as exc:
                problems.append(str(exc))
                start = end = None
            reference = row["aftaleidentifikation"].strip()
            current = (
                ServiceAgreement.objects.filter(municipality=party, reference=reference).first()
                if party
                else None
            )
            if party and unit and not problems:
                problems = agreement_problems(
                    party=party,
                    unit=unit,
                    agreement_type=agreement_type,
                    start=start,
                    end=end,
                    reference=reference,
                    by_agency=by_agency,
                    current=current,
                )
            cpr = cpr_problem(row.get("beskrivelse") or "", "beskrivelse")
            if cpr:
                problems.append(cpr)
            if problems:
                rejected.append(f"{path}:{line}: " + "; ".join(problems))
                summary.skipped["afvist række"] += 1
                continue
            values = {"unit": unit, "type": agreement_type, "start": start, "end": end}
            if current is None:
                actions.create_agreement(
                    party=party,
                    values={"reference": reference, **values},
                    user=None,
                    source=source,
                    refresh=False,
                )
                summary.created += 1
                touched.add(unit.pk)
            else:
                previous_unit = current.unit_id  # an agreement moved to another unit
                if (
                    actions.change_agreement(
                        current, values, user=None, source=source, refresh=False
                    )
                    is None
                ):
                    summary.unchanged += 1
                else:
                    summary.updated += 1
                    touched.update({unit.pk, previous_unit})
            description = strip_invisible(row.get("beskrivelse") or "").strip()
            # Beskrivelse belongs to home-care driftsoverenskomster only (the provider's text);
            # the bulk import carries it over from the old system.
            if description and not (
                agreement_type == AgreementType.OPERATING_AGREEMENT and unit.is_home_care
            ):
                summary.skip(
                    "beskrivelse ignoreret: kun driftsoverenskomster om helhedspleje har en",
                    f"{path}:{line}",
                )
            elif description:
                stored = AgreementDescription.objects.filter(unit=unit, municipality=party).first()
                if stored is None or stored.text != description:
                    stored = stored or AgreementDescription(unit=unit, municipality=party)
                    stored.text = description
                    actions.save_agreement_description(
                        stored, user=None, source=source, refresh=False
                    )
                    touched.add(unit.pk)
        # the units whose agreements changed, once (not every unit in the country)
        refresh_publication(unit_ids=touched)
    return summary, rejected

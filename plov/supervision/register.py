"""The authoritative list for Ældretilsynet: every unit under supervision (published or not,
but not closed), with its beliggenhedskommune and supervising authority; and the changes since a
date. Care homes and home-care sites are supervised; the automatic home-care provider is not.

The supervising authority is derived when the list is read, from the coverage table in force
(`plov.supervision.authorities`), so a change of the table shows here at once. A unit without a
valid visiting address has no beliggenhedskommune and so no authority: it is listed all the
same, with its registration error. The CLI (`plov supervision-list`), the supervisors' API
(`plov.supervision.api`) and its CSV all read these rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.db.models import Q

from plov.opendata.exports import csv_text
from plov.publishing.rules import SOR_INVALID_ADDRESS
from plov.supervision.authorities import authority_by_municipality, moved_municipalities_since
from plov.units.formatting import format_address
from plov.units.models import Unit, UnitContent, UnitKind

SUPERVISED_KINDS = (UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE)
NO_COVERAGE = "Ingen tilsynsmyndighed dækker beliggenhedskommunen i dag"
CSV_HEADER = {
    "sor_id": "SOR-ID",
    "name": "Navn",
    "kind": "Type",
    "owner": "Ejer",
    "owner_cvr": "Ejers CVR",
    "p_number": "P-nummer",
    "visiting_address": "Besøgsadresse",
    "municipality": "Beliggenhedskommune (kode)",
    "municipality_name": "Beliggenhedskommune",
    "supervising_authority": "Tilsynsmyndighed",
    "published": "Vises på plejeoverblikket",
    "status": "Status",
    "registration_error": "Registreringsfejl",
}
# Only in the change list: the authority the unit had at the start of the period, when another.
CHANGES_HEADER = {"previous_supervising_authority": "Tidligere tilsynsmyndighed"}


def _registration_error(unit: Unit, authority: str | None) -> str | None:
    if unit.dar_address_id is None or unit.municipality_id is None:
        return SOR_INVALID_ADDRESS
    if authority is None:
        return NO_COVERAGE
    return None


def _row(unit: Unit, authorities: dict[int, str], status: str) -> dict:
    try:
        p_number = unit.content.p_number
    except UnitContent.DoesNotExist:
        p_number = ""
    authority = authorities.get(unit.municipality_id) if unit.municipality_id else None
    return {
        "sor_id": unit.sor_id,
        "name": unit.name,
        "kind": unit.kind,
        "owner": unit.owner.name,
        "owner_cvr": unit.owner.cvr_number,
        "p_number": p_number or None,
        "visiting_address": format_address(unit.visiting_address),
        "municipality": f"{unit.municipality_id:03d}" if unit.municipality_id else None,
        "municipality_name": unit.municipality.name if unit.municipality_id else None,
        "supervising_authority": authority,
        "published": unit.published,
        "status": status,
        "registration_error": _registration_error(unit, authority),
    }


def _units():
    return (
        Unit.objects.filter(kind__in=SUPERVISED_KINDS)
        .select_related("owner", "municipality", "content")
        .order_by("sor_id")
    )


def supervised_units(
    *, on: dt.date | None = None, authorities: Collection[str] | None = None
) -> list[dict]:
    """Every open care home and home-care site. One without a valid visiting address has no
    authority and is a registration error; it is listed all the same. `authorities`: only the
    units these authorities supervise (a supervisor's own list)."""
    coverage = authority_by_municipality(on)
    units = _units().filter(closed_on__isnull=True)
    if authorities is not None:
        # Narrow in the database first: a supervisor's list is a fraction of the country.
        units = units.filter(
            municipality_id__in=[code for code, name in coverage.items() if name in authorities]
        )
    rows = [_row(u, coverage, "aktiv") for u in units]
    if authorities is not None:
        rows = [r for r in rows if r["supervising_authority"] in authorities]
    return rows


def changes_since(
    since: dt.datetime,
    *,
    on: dt.date | None = None,
    authorities: Collection[str] | None = None,
) -> list[dict]:
    """Units created, changed or closed since a moment, with status aktiv / lukket; and the
    units whose supervising authority changed since then (their municipality moved in the
    coverage table, or a dated coverage row took effect), with the authority they had before.

    `authorities`: only the units these authorities supervise now or supervised at `since`
    (so a supervisor also learns which units left them)."""
    current = authority_by_municipality(on)
    at_start = authority_by_municipality(since.date())
    logged = moved_municipalities_since(since, on=on)
    previous = {
        code: logged[code] if code in logged else at_start.get(code)
        for code in set(current) | set(at_start) | set(logged)
    }
    moved = {code for code, old in previous.items() if old != current.get(code)}
    changed = _units().filter(
        Q(created_at__gte=since)
        | Q(register_updated_at__gte=since)
        | Q(content__updated_at__gte=since)
        | Q(closed_on__gte=since.date())
        | Q(municipality_id__in=moved, closed_on__isnull=True)
    )
    rows = []
    for unit in changed.distinct():
        row = _row(unit, current, "lukket" if unit.closed_on else "aktiv")
        old = previous.get(unit.municipality_id) if unit.municipality_id in moved else None
        row["previous_supervising_authority"] = old
        if authorities is None or (
            row["supervising_authority"] in authorities or (old is not None and old in authorities)
        ):
            rows.append(row)
    return rows


def _cell(value) -> str:
    return "ja" if value is True else "nej" if value is False else ("" if value is None else value)


def as_csv(rows: Iterable[dict], *, changes: bool | None = None) -> str:
    """Semicolon-separated with a BOM, so Danish Excel opens it with æ, ø, å intact (the open
    data CSV's writer, with its guard against spreadsheet formulas). `changes`: with the
    change list's extra column (by default: when the rows have it)."""
    rows = list(rows)
    if changes is None:
        changes = any("previous_supervising_authority" in r for r in rows)
    header = {**CSV_HEADER, **(CHANGES_HEADER if changes else {})}
    return csv_text(
        header.values(),
        ([_cell(_danish(k, r.get(k))) for k in header] for r in rows),
    )


def _danish(key: str, value):
    """The CSV is read by people: the unit type by its Danish name ("Plejeenhed"); the JSON
    keeps the code."""
    if key == "kind" and value in UnitKind.values:
        return str(UnitKind(value).label)
    return value

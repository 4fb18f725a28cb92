"""The authoritative list for Ældretilsynet: every unit under supervision (published or not,
but not closed), with its beliggenhedskommune and supervising authority; and the changes since a
date. Care homes and home-care sites are supervised; the automatic home-care provider is not."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import Q

from plov.supervision.authorities import authority_by_municipality
from plov.units.models import Unit, UnitContent, UnitKind

SUPERVISED_KINDS = (UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE)
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
}


def _address(unit: Unit) -> str:
    a = unit.visiting_address
    street = " ".join(p for p in (a.get("street"), a.get("house_number")) if p)
    place = " ".join(p for p in (a.get("postcode"), a.get("district")) if p)
    return ", ".join(p for p in (street, place) if p)


def _row(unit: Unit, authorities: dict[int, str], status: str) -> dict:
    try:
        p_number = unit.content.p_number
    except UnitContent.DoesNotExist:
        p_number = ""
    return {
        "sor_id": unit.sor_id,
        "name": unit.name,
        "kind": unit.kind,
        "owner": unit.owner.name,
        "owner_cvr": unit.owner.cvr_number,
        "p_number": p_number or None,
        "visiting_address": _address(unit),
        "municipality": f"{unit.municipality_id:03d}" if unit.municipality_id else None,
        "municipality_name": unit.municipality.name if unit.municipality_id else None,
        "supervising_authority": authorities.get(unit.municipality_id),
        "published": unit.published,
        "status": status,
    }


def _units():
    return (
        Unit.objects.filter(kind__in=SUPERVISED_KINDS)
        .select_related("owner", "municipality", "content")
        .order_by("sor_id")
    )


def supervised_units(*, on: dt.date | None = None) -> list[dict]:
    """Every open care home and home-care site. One without a valid visiting address has no
    authority and is a registration error; it is listed all the same."""
    authorities = authority_by_municipality(on)
    return [_row(u, authorities, "aktiv") for u in _units().filter(closed_on__isnull=True)]


def changes_since(since: dt.datetime, *, on: dt.date | None = None) -> list[dict]:
    """Units created, changed or closed since a moment, with status aktiv / lukket."""
    authorities = authority_by_municipality(on)
    changed = _units().filter(
        Q(created_at__gte=since)
        | Q(register_updated_at__gte=since)
        | Q(content__updated_at__gte=since)
        | Q(closed_on__gte=since.date())
    )
    return [_row(u, authorities, "lukket" if u.closed_on else "aktiv") for u in changed.distinct()]


def as_csv(rows: Iterable[dict]) -> str:
    """Semicolon-separated with a BOM, so Danish Excel opens it with æ, ø, å intact."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER.values())
    for row in rows:
        writer.writerow(
            [
                "ja" if v is True else "nej" if v is False else ("" if v is None else v)
                for v in (row[k] for k in CSV_HEADER)
            ]
        )
    return buffer.getvalue()

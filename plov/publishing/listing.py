"""Units as plain dicts, the shape `plov units --json` prints and other tools depend on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from plov import clock
from plov.agreements.models import ServiceAgreement
from plov.registers.models import CvrProductionUnit
from plov.supervision.authorities import authority_by_municipality
from plov.units.formatting import content_of
from plov.units.models import Unit, UnitContent


def shown_staff(content: UnitContent | None, production_unit: CvrProductionUnit | None) -> dict:
    """Employees shown: the editor's figure if given, else CVR's (DOMAIN.md §3)."""
    editor_employees = content.employees if content else None
    editor_fte = content.full_time_employees if content else None
    cvr_employees = production_unit.employees if production_unit else None
    cvr_fte = production_unit.full_time_employees if production_unit else None
    return {
        "employees": editor_employees if editor_employees is not None else cvr_employees,
        "employees_source": "unit"
        if editor_employees is not None
        else ("CVR" if cvr_employees is not None else None),
        "full_time_employees": float(editor_fte)
        if editor_fte is not None
        else (float(cvr_fte) if cvr_fte is not None else None),
        "full_time_employees_source": "unit"
        if editor_fte is not None
        else ("CVR" if cvr_fte is not None else None),
        # CVR often gives only an interval; it is shown as such, never turned into a number.
        "employees_interval": (production_unit.employees_interval if production_unit else "")
        or None,
    }


def units_as_dicts(units: QuerySet[Unit], *, today: dt.date | None = None) -> list[dict]:
    today = today or clock.today()
    units = units.select_related("owner", "content").prefetch_related(
        Prefetch(
            "agreements", queryset=ServiceAgreement.objects.order_by("municipality_id", "start")
        )
    )
    authorities = authority_by_municipality(today)
    units = list(units)
    p_numbers = [u.content.p_number for u in units if content_of(u) and u.content.p_number]
    production_units = CvrProductionUnit.objects.in_bulk(p_numbers, field_name="p_number")
    return [_as_dict(u, authorities, production_units) for u in units]


def _as_dict(unit: Unit, authorities: dict[int, str], production_units: dict) -> dict:
    content = content_of(unit)
    p_number = content.p_number if content else ""
    return {
        "sor_id": unit.sor_id,
        "name": unit.name,
        "kind": unit.kind,
        "owner_cvr": unit.owner.cvr_number,
        "owner_name": unit.owner.name,
        "owner_kind": unit.owner.kind,
        "municipality": f"{unit.municipality_id:03d}" if unit.municipality_id else None,
        "supervising_authority": authorities.get(unit.municipality_id)
        if unit.municipality_id
        else None,
        "published": unit.published,
        "closed": unit.closed_on is not None,
        "warnings": unit.warnings,
        "agreements": [
            {
                "kommune": f"{a.municipality_id:03d}",
                "type": a.type,
                "start": a.start.isoformat(),
                "end": a.end.isoformat() if a.end else None,
            }
            for a in unit.agreements.all()
        ],
        "p_number": p_number or None,
        "visiting_address": unit.visiting_address,
        "latitude": unit.latitude,
        "longitude": unit.longitude,
        **shown_staff(content, production_units.get(p_number)),
    }


def units_for_listing(
    municipality_code: int | None, *, include_all: bool, today: dt.date | None = None
) -> Iterable[dict]:
    from plov.publishing.visibility import visible_units

    if include_all:
        units = Unit.objects.all()
        if municipality_code is not None:
            units = units.filter(municipality_id=municipality_code)
    else:
        units = visible_units(municipality_code, today)
    return units_as_dicts(units.order_by("name", "id"), today=today)

"""Recompute and store every unit's publication state after anything it depends on changed:
a register import, an agreement, an editor's P-number, or simply a new day (nightly)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from plov import clock
from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.publishing.rules import (
    is_publishable,
    provider_findings,
    unit_findings,
)
from plov.registers.bulk import update_rows
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import check_pnumber_against
from plov.units.models import Municipality, Unit, UnitContent, UnitKind


def refresh_publication(*, today: dt.date | None = None) -> int:
    """Re-evaluate all units; write only those whose state changed. Returns that count."""
    today = today or clock.today()
    units = list(
        Unit.objects.only(
            "id",
            "kind",
            "parent_id",
            "closed_on",
            "dar_address_id",
            "nested_care_home",
            "published",
            "warnings",
        )
    )
    p_numbers = dict(UnitContent.objects.values_list("unit_id", "p_number"))
    production_units = CvrProductionUnit.objects.in_bulk(
        [p for p in p_numbers.values() if p], field_name="p_number"
    )
    agreements = defaultdict(list)
    for agreement in ServiceAgreement.objects.only(
        "unit_id", "municipality_id", "type", "start", "end"
    ):
        agreements[agreement.unit_id].append(agreement)
    described = defaultdict(set)
    for unit_id, code in AgreementDescription.objects.exclude(text="").values_list(
        "unit_id", "municipality_id"
    ):
        described[unit_id].add(code)
    party_names = {m.code: str(m) for m in Municipality.objects.all()}

    changed: list[Unit] = []
    site_states = defaultdict(list)

    def store(unit: Unit, findings: list) -> None:
        published = is_publishable(findings)
        warnings = [f.as_dict() for f in findings]
        if unit.published != published or unit.warnings != warnings:
            unit.published, unit.warnings = published, warnings
            changed.append(unit)

    for unit in units:
        if unit.kind == UnitKind.HOME_CARE_PROVIDER:
            continue
        p_number = p_numbers.get(unit.id, "")
        findings = unit_findings(
            unit,
            p_number_check=check_pnumber_against(p_number, production_units.get(p_number)),
            agreements=agreements[unit.id],
            described_parties=described[unit.id],
            party_names=party_names,
            today=today,
        )
        store(unit, findings)
        if unit.parent_id:
            site_states[unit.parent_id].append(unit.published)
    for unit in units:
        if unit.kind == UnitKind.HOME_CARE_PROVIDER:
            store(unit, provider_findings(unit, site_states[unit.id]))
    update_rows(changed, ["published", "warnings"])
    return len(changed)

"""Recompute and store every unit's publication state after anything it depends on changed:
a register import, an agreement, an editor's P-number, or simply a new day (nightly).

`load_inputs` reads what the rules of `plov.publishing.rules` need (P-numbers and their CVR
production units, agreements, the providers' agreement descriptions, party names), for every
unit or for some; `unit_publication_findings` applies the rules to one unit with the same
inputs, so the editor's "reasons to hide" and the stored state are one evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from plov import clock
from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.opendata.changes import record_publications
from plov.publishing.rules import (
    Finding,
    is_publishable,
    provider_findings,
    unit_findings,
)
from plov.registers.bulk import update_rows
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import check_pnumber, check_pnumber_against
from plov.units.models import Municipality, Unit, UnitContent, UnitKind


@dataclass
class PublicationInputs:
    """What the publication rules read about some units, keyed by unit id."""

    p_numbers: dict[int, str]
    production_units: dict[str, CvrProductionUnit]
    agreements: defaultdict[int, list[ServiceAgreement]] = field(
        default_factory=lambda: defaultdict(list)
    )
    described: defaultdict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    party_names: dict[int, str] = field(default_factory=dict)

    def findings(self, unit: Unit, today: dt.date, p_number: str | None = None) -> list[Finding]:
        """The rules for one care home or home-care site (`p_number`: the one an editor typed
        instead of the stored one)."""
        if p_number is None:
            stored = self.p_numbers.get(unit.id, "")
            p_number_check = check_pnumber_against(stored, self.production_units.get(stored))
        else:
            p_number_check = check_pnumber(p_number)
        return unit_findings(
            unit,
            p_number_check=p_number_check,
            agreements=self.agreements[unit.id],
            described_parties=self.described[unit.id],
            party_names=self.party_names,
            today=today,
        )


def load_inputs(unit_ids: Collection[int] | None = None) -> PublicationInputs:
    """The rules' inputs for the units `unit_ids` (None: every unit)."""

    def of_units(queryset):
        return queryset if unit_ids is None else queryset.filter(unit_id__in=unit_ids)

    p_numbers = dict(of_units(UnitContent.objects).values_list("unit_id", "p_number"))
    inputs = PublicationInputs(
        p_numbers=p_numbers,
        production_units=CvrProductionUnit.objects.in_bulk(
            [p for p in p_numbers.values() if p], field_name="p_number"
        ),
    )
    for agreement in of_units(ServiceAgreement.objects).only(
        "unit_id", "municipality_id", "type", "start", "end"
    ):
        inputs.agreements[agreement.unit_id].append(agreement)
    for unit_id, code in (
        of_units(AgreementDescription.objects).exclude(text="").values_list(
            "unit_id", "municipality_id"
        )
    ):
        inputs.described[unit_id].add(code)
    parties = None if unit_ids is None else {
        a.municipality_id for agreements in inputs.agreements.values() for a in agreements
    }
    municipalities = Municipality.objects.all()
    if parties is not None:
        municipalities = municipalities.filter(code__in=parties)
    inputs.party_names = {m.code: str(m) for m in municipalities}
    return inputs


def unit_publication_findings(
    unit: Unit, *, p_number: str | None = None, today: dt.date | None = None
) -> list[Finding]:
    """What `refresh_publication` finds for one care home or home-care site today."""
    return load_inputs([unit.pk]).findings(unit, today or clock.today(), p_number)


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
    inputs = load_inputs()

    changed: list[Unit] = []
    flipped: list[tuple[int, bool]] = []  # (unit id, published now), for the change feed
    site_states = defaultdict(list)

    def store(unit: Unit, findings: list) -> None:
        published = is_publishable(findings)
        warnings = [f.as_dict() for f in findings]
        if unit.published != published or unit.warnings != warnings:
            if unit.published != published:
                flipped.append((unit.pk, published))
            unit.published, unit.warnings = published, warnings
            changed.append(unit)

    for unit in units:
        if unit.kind == UnitKind.HOME_CARE_PROVIDER:
            continue
        store(unit, inputs.findings(unit, today))
        if unit.parent_id:
            site_states[unit.parent_id].append(unit.published)
    for unit in units:
        if unit.kind == UnitKind.HOME_CARE_PROVIDER:
            store(unit, provider_findings(unit, site_states[unit.id]))
    update_rows(changed, ["published", "warnings"])
    record_publications(flipped)
    return len(changed)

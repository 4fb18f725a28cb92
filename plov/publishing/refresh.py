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
from plov.backoffice.audit import AuditAction, audit_many
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
        of_units(AgreementDescription.objects)
        .exclude(text="")
        .values_list("unit_id", "municipality_id")
    ):
        inputs.described[unit_id].add(code)
    parties = (
        None
        if unit_ids is None
        else {a.municipality_id for agreements in inputs.agreements.values() for a in agreements}
    )
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


def affected_units(unit_ids: Collection[int]) -> set[int]:
    """The units whose publication a change to `unit_ids` can move: the units themselves and
    the home-care providers above them (a provider is shown while one of its sites is)."""
    ids = {pk for pk in unit_ids if pk}
    parents = Unit.objects.filter(pk__in=ids, parent__isnull=False).values_list(
        "parent_id", flat=True
    )
    return ids | set(parents)


def refresh_publication(
    *,
    today: dt.date | None = None,
    unit_ids: Collection[int] | None = None,
    user=None,
    audit_data: dict | None = None,
) -> int:
    """Re-evaluate the units `unit_ids` and the providers above them (None: every unit); write
    only those whose state changed, and log each unit that came on or went off the public
    site (by `user`, None for the system: an import, the nightly run). Returns how many
    units changed."""
    today = today or clock.today()
    fields = [
        "id",
        "name",
        "kind",
        "parent_id",
        "closed_on",
        "dar_address_id",
        "nested_care_home",
        "published",
        "warnings",
    ]
    if unit_ids is None:
        units = list(Unit.objects.only(*fields))
        inputs = load_inputs()
    else:
        ids = affected_units(unit_ids)
        if not ids:
            return 0
        units = list(Unit.objects.filter(pk__in=ids).only(*fields))
        inputs = load_inputs(ids)

    changed: list[Unit] = []
    flipped: list[tuple[int, bool]] = []  # (unit id, published now), for the change feed
    was_published: dict[int, bool] = {}
    site_states = defaultdict(list)

    def store(unit: Unit, findings: list) -> None:
        published = is_publishable(findings)
        warnings = [f.as_dict() for f in findings]
        if unit.published != published or unit.warnings != warnings:
            if unit.published != published:
                flipped.append((unit.pk, published))
            was_published[unit.pk] = unit.published
            unit.published, unit.warnings = published, warnings
            changed.append(unit)

    for unit in units:
        if unit.kind == UnitKind.HOME_CARE_PROVIDER:
            continue
        store(unit, inputs.findings(unit, today))
        if unit.parent_id:
            site_states[unit.parent_id].append(unit.published)
    providers = [u for u in units if u.kind == UnitKind.HOME_CARE_PROVIDER]
    if unit_ids is not None and providers:
        # the provider's other sites keep their stored state
        evaluated = {u.pk for u in units}
        for parent_id, published in (
            Unit.objects.filter(parent_id__in=[p.pk for p in providers])
            .exclude(pk__in=evaluated)
            .values_list("parent_id", "published")
        ):
            site_states[parent_id].append(published)
    for unit in providers:
        store(unit, provider_findings(unit, site_states[unit.id]))
    update_rows(changed, ["published", "warnings"])
    record_publications(flipped)
    _audit_publication(
        [u for u in changed if u.published != was_published[u.pk]], user, audit_data or {}
    )
    return len(changed)


def _audit_publication(units: list[Unit], user, data: dict) -> None:
    """One audit entry per unit that came on (plov.publish) or went off (plov.unpublish) the
    public site, with the errors that took it off."""
    audit_many(
        (
            (
                unit,
                AuditAction.PUBLISHED if unit.published else AuditAction.UNPUBLISHED,
                data
                if unit.published
                else {**data, "warnings": [w["message"] for w in unit.warnings]},
            )
            for unit in units
        ),
        user=user,
    )

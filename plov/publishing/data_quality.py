"""The agency's data-quality overview: registration errors and gaps, per municipality and
nationally, each finding pointing at its unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.publishing.registration_errors import registration_errors
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import check_pnumber_against
from plov.units.models import Unit, UnitContent, UnitKind

STALE_AFTER = dt.timedelta(days=365)

KINDS = {
    "nested_care_home": "Plejeenhed over eller under en anden plejeenhed",
    "invalid_address": "Besøgsadressen findes ikke i DAR",
    "duplicate": "Mulig dubletenhed",
    "no_p_number": "Intet P-nummer",
    "p_number_code": "P-nummer med forkert eller sekundær branchekode",
    "no_agreement": "Ingen serviceleverance",
    "missing_description": "Driftsoverenskomst om helhedspleje uden aftalebeskrivelse",
    "stale": "Ikke opdateret i over et år",
}


def findings(*, today: dt.date | None = None) -> list[dict]:
    """One row per (unit, kind): {sor_id, unit_id, name, kind, label, detail, municipality}."""
    today = today or dt.date.today()
    units = {
        u.id: u
        for u in Unit.objects.open()
        .exclude(kind=UnitKind.HOME_CARE_PROVIDER)
        .select_related("owner")
        .only(
            "id",
            "sor_id",
            "name",
            "kind",
            "municipality_id",
            "owner__municipality_id",
            "register_updated_at",
            "created_at",
        )
    }
    by_sor_id = {u.sor_id: u for u in units.values()}
    contents = {c.unit_id: c for c in UnitContent.objects.filter(unit_id__in=units)}
    production_units = CvrProductionUnit.objects.in_bulk(
        [c.p_number for c in contents.values() if c.p_number], field_name="p_number"
    )
    agreements: dict[int, list[ServiceAgreement]] = {}
    for a in ServiceAgreement.objects.in_force(today).filter(unit_id__in=units):
        agreements.setdefault(a.unit_id, []).append(a)
    described = set(
        AgreementDescription.objects.exclude(text="").values_list("unit_id", "municipality_id")
    )
    rows: list[dict] = []

    def add(unit: Unit, kind: str, detail: str = "") -> None:
        rows.append(
            {
                "sor_id": unit.sor_id,
                "unit_id": unit.id,
                "name": unit.name,
                "kind": kind,
                "label": KINDS[kind],
                "detail": detail,
                "municipality": unit.municipality_id or unit.owner.municipality_id,
            }
        )

    for error in registration_errors():
        add(by_sor_id[error["sor_id"]], error["kind"], error["message"])
    for unit in units.values():
        content = contents.get(unit.id)
        p_number = content.p_number if content else ""
        if not p_number:
            add(unit, "no_p_number")
        else:
            check = check_pnumber_against(p_number, production_units.get(p_number))
            if check.level != "ok" and check.message != "PNummeret findes ikke i CVR":
                add(unit, "p_number_code", check.message)
        unit_agreements = agreements.get(unit.id, [])
        if not unit_agreements:
            add(unit, "no_agreement")
        for a in unit_agreements:
            if (
                a.type == AgreementType.OPERATING_AGREEMENT
                and unit.is_home_care
                and (unit.id, a.municipality_id) not in described
            ):
                add(unit, "missing_description", f"aftale med kommune {a.municipality_id:03d}")
        last_update = max(
            unit.register_updated_at.date(), content.updated_at.date() if content else dt.date.min
        )
        if today - last_update > STALE_AFTER:
            add(unit, "stale", f"senest opdateret {last_update.isoformat()}")
    return rows


def counts(rows: list[dict]) -> dict:
    """{"national": {kind: n}, "municipalities": {code: {kind: n}}}"""
    national = Counter(r["kind"] for r in rows)
    per_municipality: dict[int | None, Counter] = {}
    for r in rows:
        per_municipality.setdefault(r["municipality"], Counter())[r["kind"]] += 1
    return {
        "national": {k: national.get(k, 0) for k in KINDS},
        "municipalities": {
            code: {k: c.get(k, 0) for k in KINDS}
            for code, c in sorted(
                per_municipality.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
            )
        },
    }

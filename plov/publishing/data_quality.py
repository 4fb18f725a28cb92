"""The agency's data-quality overview: registration errors and gaps, per municipality and
nationally, each finding pointing at its unit."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from plov import clock
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.publishing.registration_errors import registration_errors
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import NOT_IN_CVR, check_pnumber_against, other_company_against
from plov.units.costs import (
    COST_FIELDS,
    VACANCY_FIELDS,
    is_outdated,
    monthly_cost,
    vacancy_max_age_days,
)
from plov.units.models import Municipality, Unit, UnitContent, UnitKind

STALE_AFTER = dt.timedelta(days=365)

KINDS = {
    "nested_care_home": "Plejeenhed over eller under en anden plejeenhed",
    "invalid_address": "Besøgsadressen findes ikke i DAR",
    "duplicate": "Mulig dubletenhed",
    "no_p_number": "Intet P-nummer",
    "p_number_code": "P-nummer med forkert eller sekundær branchekode",
    "p_number_other_company": "P-nummer fra en anden virksomhed end ejeren",
    "no_agreement": "Ingen serviceleverance",
    "missing_description": "Driftsoverenskomst om helhedspleje uden aftalebeskrivelse",
    "stale": "Ikke opdateret i over et år",
    "no_price": "Pris ikke oplyst",
    "stale_vacancies": f"Ledige boliger ikke opdateret i {vacancy_max_age_days()} dage",
}

# What to do about each kind, for the dashboard and the weekly e-mail (DOMAIN.md §3–§6).
KIND_HELP = {
    "nested_care_home": "Kun selve institutionen må have enhedstypen plejeenhed i SOR. Rettes i "
    "SOR.",
    "invalid_address": "Besøgsadressen skal være en gyldig DAR-adresse, ellers vises enheden "
    "ikke. Rettes i SOR.",
    "duplicate": "En anden enhed hos samme ejer har samme eller næsten samme navn eller "
    "besøgsadresse. Luk dubletten eller ret enhedstypen i SOR.",
    "no_p_number": "Enheden har ikke noget PNummer og vises ikke. Redaktøren indtaster det i "
    "Plejeoverblikket.",
    "p_number_code": "PNummeret har den forkerte branchekode eller kun en sekundær branchekode. "
    "Ret PNummeret i Plejeoverblikket eller branchekoden i CVR.",
    "p_number_other_company": "Produktionsenheden i CVR hører til en anden virksomhed end "
    "enhedens ejer, så enheden vises med den anden virksomheds CVR-oplysninger. Ret PNummeret i "
    "Plejeoverblikket, hvis det ikke er enhedens egen produktionsenhed.",
    "no_agreement": "Serviceleverance - Der mangler at blive tilknyttet en aftale. Oprettes af "
    "kommunens driftsoverenskomstansvarlige.",
    "missing_description": "Enheden vises ikke for kommunen, før leverandørens redaktør har "
    "skrevet aftalebeskrivelsen.",
    "stale": "Hverken registerdata eller redaktørens indhold er ændret i over et år. Gennemgå "
    "enhedens oplysninger.",
    "no_price": "Plejehjemmet har ikke oplyst alle fire beløb (husleje, servicepakke, "
    "forplejning, andre faste udgifter), så borgerne ser ingen pris pr. måned i alt. "
    "Redaktøren udfylder dem under »Pris pr. måned«; 0 betyder ingen udgift.",
    "stale_vacancies": "Borgerne ser ledige boliger og ventetid som forældede (eller slet ikke). "
    "Redaktøren opdaterer dem under »Ledige boliger og ventetid«.",
}


def findings(*, today: dt.date | None = None) -> list[dict]:
    """One row per (unit, kind): {sor_id, unit_id, name, kind, label, detail, municipality}."""
    today = today or clock.today()
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
            "owner__cvr_number",
            "register_updated_at",
            "created_at",
        )
    }
    by_sor_id = {u.sor_id: u for u in units.values()}
    # Only the columns the checks read: building ~8,000 full model objects was most of the time.
    contents = {
        c.unit_id: c
        for c in UnitContent.objects.filter(unit_id__in=units).only(
            "unit_id", "p_number", "updated_at", *COST_FIELDS, *VACANCY_FIELDS
        )
    }
    production_units = CvrProductionUnit.objects.only(
        "p_number", "name", "cvr_number", "primary_industry_code", "secondary_industries"
    ).in_bulk([c.p_number for c in contents.values() if c.p_number], field_name="p_number")
    agreements: dict[int, list[ServiceAgreement]] = {}
    for a in (
        ServiceAgreement.objects.in_force(today)
        .filter(unit_id__in=units)
        .only("unit_id", "type", "municipality_id")
    ):
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
            if check.level != "ok" and check.message != NOT_IN_CVR:
                add(unit, "p_number_code", check.message)
            other = other_company_against(production_units.get(p_number), unit.owner.cvr_number)
            if other:
                add(unit, "p_number_other_company", other)
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
        if unit.kind == UnitKind.CARE_HOME:
            for kind, detail in price_and_vacancy_findings(content, today):
                add(unit, kind, detail)
    return rows


def price_and_vacancy_findings(content: UnitContent | None, today: dt.date) -> list:
    """A care home's "pris ikke oplyst" and "ledige boliger ikke opdateret" findings, as
    (kind, detail)."""
    found = []
    cost = monthly_cost(content)
    if cost is None:
        found.append(("no_price", "ingen beløb oplyst"))
    elif not cost.complete:
        found.append(("no_price", "mangler: " + ", ".join(m.lower() for m in cost.missing)))
    reported = content.vacancies_reported_on if content else None
    has_report = content is not None and (
        content.free_homes is not None or content.waiting_weeks is not None
    )
    if not has_report:
        found.append(("stale_vacancies", "aldrig oplyst"))
    elif is_outdated(reported, today, vacancy_max_age_days()):
        when = reported.isoformat() if reported else "uden dato"
        found.append(("stale_vacancies", f"senest oplyst {when}"))
    return found


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


# --- for the back office, the CSV and the weekly e-mail -----------------------------------

NO_MUNICIPALITY = 0  # the "municipality" of findings on units with neither kommune nor owner's


def kind_order(kind: str) -> int:
    return list(KINDS).index(kind)


def detailed_findings(
    rows: list[dict] | None = None, *, today: dt.date | None = None
) -> list[dict]:
    """`findings()` with what a reader needs beside each row: the unit's kind, owner name and
    CVR, whether it is published, and the municipality's name; sorted by municipality, kind,
    unit name. Two queries on top of `findings()`, none per unit."""
    rows = findings(today=today) if rows is None else rows
    units = {
        u["id"]: u
        for u in Unit.objects.filter(pk__in=sorted({r["unit_id"] for r in rows})).values(
            "id", "kind", "published", "closed_on", "owner__name", "owner__cvr_number"
        )
    }
    names = dict(Municipality.objects.values_list("code", "name"))
    kind_labels = dict(UnitKind.choices)
    detailed = []
    for r in rows:
        unit = units[r["unit_id"]]
        detailed.append(
            r
            | {
                "unit_kind": unit["kind"],
                "unit_kind_label": kind_labels.get(unit["kind"], unit["kind"]),
                "owner_name": unit["owner__name"] or "",
                "owner_cvr": unit["owner__cvr_number"] or "",
                "published": bool(unit["published"]) and unit["closed_on"] is None,
                "municipality_name": names.get(r["municipality"], "")
                if r["municipality"] is not None
                else "",
            }
        )
    detailed.sort(
        key=lambda r: (
            r["municipality"] is None,
            r["municipality"] or 0,
            kind_order(r["kind"]),
            r["name"].casefold(),
            r["sor_id"] or "",
            r["detail"],
        )
    )
    return detailed


def in_municipality(rows: list[dict], code: int | None) -> list[dict]:
    """The rows of one municipality (`NO_MUNICIPALITY`: the rows without one)."""
    wanted = None if code == NO_MUNICIPALITY else code
    return [r for r in rows if r["municipality"] == wanted]


# --- CSV -----------------------------------------------------------------------------------

CSV_HEADER = [
    "Kommunekode",
    "Kommune",
    "Fundkode",
    "Fund",
    "SOR-ID",
    "Enhed",
    "Enhedstype",
    "Ejer",
    "Ejers CVR",
    "Detaljer",
    "Link til enheden",
    "Offentlig side",
]


def csv_row(row: dict, base_url: str) -> list[str]:
    from django.urls import reverse
    from django.utils import translation

    from plov.units.urls import unit_url

    base = base_url.rstrip("/")
    public = ""
    if row["published"]:
        with translation.override("da"):
            public = base + unit_url(row["unit_id"], row["name"])
    return [
        "" if row["municipality"] is None else f"{row['municipality']:03d}",
        row["municipality_name"],
        row["kind"],
        row["label"],
        row["sor_id"] or "",
        row["name"],
        row["unit_kind_label"],
        row["owner_name"],
        row["owner_cvr"],
        row["detail"],
        base + reverse("backoffice:edit", args=[row["unit_id"]]),
        public,
    ]


def csv_lines(rows: list[dict], *, base_url: str) -> Iterator[str]:
    """`detailed_findings` rows as CSV for Danish Excel, through open data's writer
    (`plov.opendata.exports.csv_writer_lines`: semicolons, UTF-8 with BOM, CRLF, cells guarded
    against formula injection)."""
    from plov.opendata.exports import csv_writer_lines

    return csv_writer_lines(CSV_HEADER, (csv_row(row, base_url) for row in rows))

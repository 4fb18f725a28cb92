"""Open data: one record per published unit, and the downloads built from it.

`unit_records` is the open-data shape of a unit, shared by `/api/v1/units`, the CSV
(`/data/enheder.csv`) and the FHIR export (`/data/fhir.json`). It starts from
`plov.publishing.listing.units_as_dicts` (the shape `plov units --json` prints) and adds what a
reader outside plov needs: plov's id, names next to codes, the number of homes, the unit's
contact data and the municipalities whose citizens see it today (`shown_in`, decided by
`plov.publishing.rules.agreement_counts`, the same rule `visible_units` applies).
"""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from plov import clock
from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.opendata.dictionary import csv_header
from plov.publishing import sources
from plov.publishing.listing import units_as_dicts
from plov.publishing.rules import agreement_counts, kind_label
from plov.publishing.sources import unit_source
from plov.supervision.models import FeedbackReply, SupervisionFeedback
from plov.units.costs import CURRENCY, monthly_cost, vacancies
from plov.units.formatting import content_of, interval_label, street_line
from plov.units.homecare import language_labels, service_labels, split_codes
from plov.units.models import Municipality, Organisation, Unit, UnitContent, UnitKind

# What the public site calls each kind of unit.
CATEGORY = {
    UnitKind.CARE_HOME: "Plejehjem",
    UnitKind.HOME_CARE_SITE: "Helhedspleje",
    UnitKind.HOME_CARE_PROVIDER: "Helhedspleje",
}
ADDRESS_FIELDS = ("street", "house_number", "floor", "door", "postcode", "district")


def updated_at_expression():
    """When the unit last changed: max(register side, editor side, the unit's latest comment on
    a supervision feedback). Coalesce first, because SQLite's MAX() of a NULL is NULL while
    PostgreSQL's GREATEST() skips it."""
    latest_comment = (
        FeedbackReply.objects.filter(unit=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return Greatest(
        "register_updated_at",
        Coalesce("content__updated_at", "register_updated_at"),
        Coalesce(Subquery(latest_comment), "register_updated_at"),
    )


def published_units() -> QuerySet[Unit]:
    """Every unit open data shows: published and not closed in SOR."""
    return Unit.objects.published()


def unit_records(units: Iterable[Unit] | QuerySet[Unit], *, today: dt.date) -> list[dict]:
    """Open-data records for `units`, in the order given."""
    if isinstance(units, QuerySet):
        units = units.select_related("content")
    units = list(units)
    ids = sorted(u.pk for u in units)
    listed = units_as_dicts(Unit.objects.filter(pk__in=ids).order_by("pk"), today=today)
    if len(listed) != len(ids):  # units are never deleted, only closed
        raise RuntimeError("units changed while being listed")
    listing = dict(zip(ids, listed, strict=True))

    # A home-care provider (no agreements, address or SOR-ID of its own) is shown through its
    # published sites: its record names them and the municipalities they are shown in.
    sites = defaultdict(list)
    provider_ids = [u.pk for u in units if u.kind == UnitKind.HOME_CARE_PROVIDER]
    if provider_ids:
        for site in (
            published_units().filter(parent_id__in=provider_ids).order_by("name", "pk")
            .select_related("owner")
        ):  # fmt: skip
            sites[site.parent_id].append(site)
    site_units = {site.pk: site for group in sites.values() for site in group}
    with_agreements = sorted({*ids, *site_units})
    in_force = defaultdict(list)
    for agreement in ServiceAgreement.objects.in_force(today).filter(unit_id__in=with_agreements):
        in_force[agreement.unit_id].append(agreement)
    described = defaultdict(set)
    for unit_id, code in (
        AgreementDescription.objects.filter(unit_id__in=with_agreements)
        .exclude(text="")
        .values_list("unit_id", "municipality_id")
    ):
        described[unit_id].add(code)
    names = municipality_names()
    reports = supervision_reports(ids)
    shown = supervision_and_quality(ids, today)

    def shown_in_of(unit: Unit) -> set[int]:
        return {
            a.municipality_id
            for a in in_force[unit.pk]
            if agreement_counts(a, unit, described[unit.pk], today)
        }

    comments = defaultdict(list)
    commented_at: dict[int, dt.datetime] = {}
    for reply in (
        FeedbackReply.objects.filter(unit_id__in=ids)
        .select_related("feedback")
        .order_by("-feedback__inspected_on", "-feedback_id")
    ):
        if reply.unit_id not in commented_at or reply.updated_at > commented_at[reply.unit_id]:
            commented_at[reply.unit_id] = reply.updated_at  # a withdrawal is a change too
        if not reply.shown:
            continue
        comments[reply.unit_id].append(
            {
                "feedback_inspected_on": reply.feedback.inspected_on,
                "feedback_status": reply.feedback.status,
                "text": reply.text,
                "written_on": reply.written_on,
                "source": "unit",
            }
        )

    records = []
    for unit in units:
        base = listing[unit.pk]
        content = content_of(unit)
        codes = shown_in_of(unit)
        for site in sites[unit.pk]:
            codes |= shown_in_of(site)
        shown_in = sorted(codes)
        updated = unit.register_updated_at
        if content is not None and content.updated_at > updated:
            updated = content.updated_at
        if unit.pk in commented_at and commented_at[unit.pk] > updated:
            updated = commented_at[unit.pk]
        address = {k: base["visiting_address"].get(k) for k in ADDRESS_FIELDS}
        records.append(
            {
                "id": unit.pk,
                "sor_id": base["sor_id"],
                "name": base["name"],
                "kind": base["kind"],
                "kind_label": kind_label(base["kind"]),
                "category": CATEGORY[base["kind"]],
                "provider_id": unit.parent_id,
                "owner_id": unit.owner_id,
                "owner_name": base["owner_name"],
                "owner_cvr": base["owner_cvr"],
                "owner_kind": base["owner_kind"],
                "municipality": base["municipality"],
                "municipality_name": names.get(unit.municipality_id),
                "supervising_authority": base["supervising_authority"],
                "visiting_address": address,
                "latitude": base["latitude"],
                "longitude": base["longitude"],
                "phone": unit.phone or None,
                "email": unit.email or None,
                "website": unit.website or None,
                "p_number": base["p_number"],
                "homes": content.homes if content else None,
                "employees": base["employees"],
                "employees_source": base["employees_source"],
                "employees_interval": base["employees_interval"],
                "full_time_employees": base["full_time_employees"],
                "full_time_employees_source": base["full_time_employees_source"],
                "agreements": base["agreements"],
                "shown_in": [
                    {"code": f"{code:03d}", "name": names.get(code, "")} for code in shown_in
                ],
                "supervision_report_url": reports.get(unit.pk, (None, None))[0],
                "supervision_report_date": reports.get(unit.pk, (None, None))[1],
                **home_care_record(unit, content),
                "supervision_comments": comments[unit.pk],
                "updated_at": timezone.localtime(updated),
                "public_url": public_unit_url(unit.pk, unit.name),
                "sites": [
                    {"id": site.pk, "sor_id": site.sor_id, "name": site.name}
                    for site in sites[unit.pk]
                ],
                **shown[unit.pk],
                **cost_records(unit, content, today=today),
            }
        )
    return records


def public_unit_url(pk: int, name: str) -> str:
    """The unit's page on the public site (Danish), as an absolute URL (PLOV_BASE_URL)."""
    from django.conf import settings
    from django.utils import translation

    from plov.units.urls import unit_url

    with translation.override("da"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + unit_url(pk, name)


def supervision_and_quality(ids: list[int], today: dt.date) -> dict[int, dict]:
    """What the unit page shows of supervision and quality, per unit id: the latest
    supervision feedback, the sanctions in force, and the newest figure of each quality
    indicator and satisfaction result (with its period)."""
    from django.utils import translation

    from plov.supervision.models import QualityResult, Sanction, SupervisionFeedback
    from plov.supervision.verdicts import latest_per_code

    found = {pk: {"supervision": None, "sanctions_in_force": [], "quality_latest": []}
             for pk in ids}  # fmt: skip
    with translation.override("da"):
        for feedback in SupervisionFeedback.objects.filter(unit_id__in=ids).order_by(
            "unit_id", "-inspected_on", "-id"
        ):
            if found[feedback.unit_id]["supervision"] is None:
                found[feedback.unit_id]["supervision"] = {
                    "inspected_on": feedback.inspected_on,
                    "status": feedback.status,
                    "status_label": str(feedback.get_status_display()),
                }
        for sanction in (
            Sanction.objects.in_force(today)
            .filter(unit_id__in=ids)
            .order_by("unit_id", "-decided_on", "-id")
        ):
            found[sanction.unit_id]["sanctions_in_force"].append(
                {
                    "type": sanction.type,
                    "type_label": str(sanction.get_type_display()),
                    "decided_on": sanction.decided_on,
                    "deadline": sanction.deadline,
                    "period_end": sanction.period_end,
                }
            )
    results = defaultdict(list)
    for result in QualityResult.objects.filter(unit_id__in=ids).order_by(
        "unit_id", "kind", "name", "code", "-period"
    ):
        results[result.unit_id].append(result)
    for pk, unit_results in results.items():
        latest = latest_per_code(unit_results, QualityResult.Kind.INDICATOR) + latest_per_code(
            unit_results, QualityResult.Kind.SATISFACTION
        )
        found[pk]["quality_latest"] = [
            {
                "kind": r.kind,
                "code": r.code,
                "name": r.name,
                "period": r.period,
                "value": float(r.value),
                "unit_of_measure": r.unit_of_measure or None,
            }
            for r in latest
        ]
    return found


def cost_records(unit: Unit, content: UnitContent | None, *, today: dt.date) -> dict:
    """`monthly_cost`, `vacancies` (care homes) and `home_care_prices` (home care), each with
    `source` and `as_of` (plov.publishing.sources), or None (plov.units.costs)."""
    cost = monthly_cost(content) if unit.kind == UnitKind.CARE_HOME else None
    report = vacancies(content, today=today) if unit.kind == UnitKind.CARE_HOME else None
    free = (content.free_services or "").strip() if content and unit.is_home_care else ""
    extra = (content.extra_services or "").strip() if content and unit.is_home_care else ""
    return {
        "monthly_cost": None
        if cost is None
        else {
            **{key: amount for key, _label, amount in cost.parts},
            "total": cost.total,
            "currency": CURRENCY,
            "valid_from": cost.valid_from,
            "source": sources.UNIT,
            "reported_at": cost.reported_on,
            "as_of": unit_source(cost.reported_on).as_of,
        },
        "vacancies": None
        if report is None
        else {
            "free_homes": report.free_homes,
            "waiting_weeks": report.waiting_weeks,
            "reported_at": report.reported_on,
            "outdated": report.outdated,
            "source": sources.UNIT,
            "as_of": unit_source(report.reported_on).as_of,
        },
        "home_care_prices": None
        if not (free or extra)
        else {
            "free_services": free or None,
            "extra_services": extra or None,
            "source": sources.UNIT,
            "as_of": unit_source(content.updated_at).as_of,
        },
    }


def home_care_record(unit: Unit, content: UnitContent | None) -> dict:
    """The home-care facts the unit itself states (issue 12, point 6); for a care home only
    `fixed_teams`, the rest `null`. A site that states nothing may have a provider that does
    (`provider_id`)."""
    own = content if unit.is_home_care else None
    return {
        "fixed_teams": content.fixed_teams if content is not None else None,
        "helpers_per_fortnight": own.helpers_per_fortnight if own else None,
        "visit_window_minutes": own.visit_window_minutes if own else None,
        "punctuality_policy": (own.punctuality_policy or None) if own else None,
        "languages": split_codes(own.languages) if own else None,
        "services": split_codes(own.services) if own else None,
    }


def supervision_reports(unit_ids: Iterable[int]) -> dict[int, tuple[str, dt.date]]:
    """unit id → (address, tilsynsdato) of the newest supervision report a relative can read:
    the feedback's PDF on Plejeoverblikket (an absolute address from `PLOV_BASE_URL`), else
    the link to Ældretilsynet's own published report. One query."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
    reports: dict[int, tuple[str, dt.date]] = {}
    for item in (
        SupervisionFeedback.objects.filter(unit_id__in=list(unit_ids))
        .filter(Q(document__isnull=False) | ~Q(report_url=""))
        .select_related("document")
        .order_by("unit_id", "-inspected_on", "-pk")
    ):
        if item.unit_id not in reports:
            address = urljoin(base, item.document.url) if item.document else item.report_url
            reports[item.unit_id] = (address, item.inspected_on)
    return reports


def municipality_names() -> dict[int, str]:
    return dict(Municipality.objects.values_list("code", "name"))


def municipality_full_names() -> dict[int, str]:
    """kommunekode → official name ("Københavns Kommune", "Bornholms Regionskommune")."""
    return {m.code: m.full_name for m in Municipality.objects.all()}


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def published_records(*, today: dt.date, batch: int = 250) -> Iterator[dict]:
    """Every published unit's record, by name, read in batches (for the streamed CSV)."""
    ids = list(published_units().order_by("name", "pk").values_list("pk", flat=True))
    for chunk in _chunks(ids, batch):
        order = {pk: i for i, pk in enumerate(chunk)}
        units = sorted(
            Unit.objects.filter(pk__in=chunk).select_related("content"),
            key=lambda u: order[u.pk],
        )
        yield from unit_records(units, today=today)


# --- CSV -----------------------------------------------------------------------------------

# The columns, in order, come from the open-data dictionary (plov.opendata.dictionary), which
# also describes them on /data/; `csv_row` fills each by its header.
CSV_HEADER = csv_header()
BOM = "\ufeff"


def danish_decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def employees_text(record: dict) -> str:
    if record["employees"] is not None:
        return str(record["employees"])
    # CVR's interval, never a number
    return interval_label(record["employees_interval"]) or record["employees_interval"] or ""


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def csv_cells(record: dict) -> dict[str, str]:
    """The CSV cells of one record, by column header (the dictionary's `CSV_COLUMNS`)."""
    address = record["visiting_address"]
    supervision = record["supervision"]
    return {
        "SOR-ID": record["sor_id"] or "",
        "Navn": record["name"],
        "Type": record["kind_label"],
        "Ejer": record["owner_name"],
        "Ejers CVR": record["owner_cvr"] or "",
        "Adresse": street_line(address),
        "Postnummer": address.get("postcode") or "",
        "By": address.get("district") or "",
        "Beliggenhedskommune": record["municipality_name"] or "",
        "Tilsynsmyndighed": record["supervising_authority"] or "",
        "Antal boliger": "" if record["homes"] is None else str(record["homes"]),
        "Medarbejdere": employees_text(record),
        "Fuldtidsmedarbejdere": danish_decimal(record["full_time_employees"]),
        "Kommuner med aftale": ", ".join(m["name"] for m in record["shown_in"]),
        # With its UTC offset: Danish time is +01:00 in winter and +02:00 in summer.
        "Senest opdateret": record["updated_at"].isoformat(sep=" ", timespec="seconds"),
        "ID": str(record["id"]),
        "Offentlig side": record["public_url"],
        "Breddegrad": "" if record["latitude"] is None else danish_coordinate(record["latitude"]),
        "Længdegrad": "" if record["longitude"] is None else danish_coordinate(record["longitude"]),
        "Seneste tilsyn": supervision["inspected_on"].isoformat() if supervision else "",
        "Tilsynsresultat": supervision["status_label"] if supervision else "",
        "Sanktioner i kraft": "; ".join(
            f"{s['type_label']} ({s['decided_on'].isoformat()})"
            for s in record["sanctions_in_force"]
        ),
        "Kvalitet og tilfredshed": "; ".join(
            f"{q['name']} {q['period']}: {figure_text(q)}" for q in record["quality_latest"]
        ),
        "Helhedsplejeleverandørsteder": ", ".join(s["name"] for s in record["sites"]),
        "Faste teams": {True: "ja", False: "nej", None: ""}[record["fixed_teams"]],
        "Forskellige hjælpere på 14 dage": _number(record["helpers_per_fortnight"]),
        "Besøg inden for minutter af aftalt tid": _number(record["visit_window_minutes"]),
        "Sprog ud over dansk": ", ".join(language_labels(",".join(record["languages"] or []))),
        "Ydelser": ", ".join(service_labels(",".join(record["services"] or []))),
        "Tilsynsrapport": record["supervision_report_url"] or "",
        "Tilsynsrapportens dato": (
            record["supervision_report_date"].isoformat()
            if record["supervision_report_date"]
            else ""
        ),
        **cost_cells(record),
    }


def _number(value) -> str:
    return "" if value is None else str(value)


def _date(value) -> str:
    return value.isoformat() if value else ""


def cost_cells(record: dict) -> dict[str, str]:
    """The monthly-cost and vacancy columns: empty where not given (never 0), with the same
    source and date fields as the API."""
    cost = record["monthly_cost"] or {}
    report = record["vacancies"] or {}
    return {
        "Husleje pr. måned": _number(cost.get("rent")),
        "Servicepakke pr. måned": _number(cost.get("service")),
        "Forplejning pr. måned": _number(cost.get("meals")),
        "Andre faste udgifter pr. måned": _number(cost.get("other")),
        "Pris pr. måned i alt": _number(cost.get("total")),
        "Priser gælder fra": _date(cost.get("valid_from")),
        "Priser kilde": cost.get("source") or "",
        "Priser oplyst": _date(cost.get("reported_at")),
        "Ledige boliger": _number(report.get("free_homes")),
        "Ventetid i uger": _number(report.get("waiting_weeks")),
        "Ledige boliger kilde": report.get("source") or "",
        "Ledige boliger oplyst": _date(report.get("reported_at")),
        "Ledige boliger forældet": ("ja" if report["outdated"] else "nej") if report else "",
    }


def danish_coordinate(value: float) -> str:
    return f"{value:.6f}".replace(".", ",")


def figure_text(figure: dict) -> str:
    value = f"{figure['value']:.3f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{value} {figure['unit_of_measure']}" if figure["unit_of_measure"] else value


def csv_row(record: dict) -> list[str]:
    cells = csv_cells(record)
    if cells.keys() != set(CSV_HEADER):  # a column filled but not in the dictionary, or v.v.
        raise RuntimeError(f"CSV cells and dictionary differ: {set(cells) ^ set(CSV_HEADER)}")
    return [cells[column] for column in CSV_HEADER]


class _Line:
    """A file-like object whose write() hands the line back (Django's streaming-CSV recipe)."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting with = + - @ (or a tab or
    carriage return) gets a leading apostrophe (OWASP's advice against CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_writer_lines(header: Iterable[str], rows: Iterable[Iterable[str]]) -> Iterator[str]:
    """plov's CSV for Danish Excel: BOM, header, one line per row (semicolons, CRLF), every
    cell guarded by `csv_safe`."""
    writer = csv.writer(_Line(), delimiter=";")
    yield BOM + writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        yield writer.writerow([csv_safe(str(cell)) for cell in row])


def csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    return "".join(csv_writer_lines(header, rows))


def csv_lines(*, today: dt.date | None = None) -> Iterator[str]:
    """The CSV of every published unit: BOM, header, one line per unit (semicolons, CRLF)."""
    today = today or clock.today()
    return csv_writer_lines(
        CSV_HEADER, (csv_row(record) for record in published_records(today=today))
    )


# --- FHIR ----------------------------------------------------------------------------------
#
FHIR_VERSION = "4.0.1"
FHIR_BUNDLE_PROFILE = f"http://hl7.org/fhir/StructureDefinition/Bundle|{FHIR_VERSION}"

# Built with fhir.resources' R4B classes (FHIR 4.3.0): fhir.resources 8 ships R5 (default),
# R4B and STU3, not 4.0.1. Only elements that are identical in R4 (4.0.1) are used, so the
# bundle is also valid R4.
#
# Identifier systems, as HL7 Denmark's DK Core profiles fix them:
# - SOR-ID: "urn:oid:1.2.208.176.1.1" (dk-core-sor-identifier). This is the OID SOR's own
#   documentation and DK Core use for SOR codes; we believe it right, but have not seen it in
#   a Sundhedsdatastyrelsen publication itself.
# - CVR: "http://cvr.dk" (dk-core-cvr-identifier). NOT "urn:oid:1.2.208.176.1.2": that OID is
#   the CPR (personal identification number) system in DK Core and MedCom.
# - Kommunekode: DK Core's code system for municipality codes (4 digits, "0751"), used as
#   the identifier system of the municipality Locations that coverageArea points to.
SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"
CVR_SYSTEM = "http://cvr.dk"
MUNICIPALITY_SYSTEM = "http://hl7.dk/fhir/core/CodeSystem/dk-core-municipality-codes"
ORGANIZATION_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/organization-type"
PHYSICAL_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/location-physical-type"
# plov's own code system for the kinds of unit (the API's `kind`: care_home, home_care_site).
UNIT_KIND_SYSTEM = "https://plejeoverblikket.dk/fhir/CodeSystem/unit-kind"
# fullUrls are urn:uuid, stable across exports: uuid5 of this namespace and "Type/id".
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://plejeoverblikket.dk/fhir")


def _urn(resource_type: str, resource_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(UUID_NAMESPACE, f'{resource_type}/{resource_id}')}"


def fhir_units() -> QuerySet[Unit]:
    """The units the FHIR export describes: published care homes and home-care sites. The
    automatic home-care provider (an aggregate with no address of its own) is left out."""
    return published_units().exclude(kind=UnitKind.HOME_CARE_PROVIDER).order_by("pk")


def fhir_bundle(*, today: dt.date | None = None):
    """A FHIR `Bundle` (type collection) of Organization, Location, HealthcareService."""
    from fhir.resources.R4B.bundle import Bundle, BundleEntry
    from fhir.resources.R4B.healthcareservice import HealthcareService
    from fhir.resources.R4B.location import Location
    from fhir.resources.R4B.organization import Organization

    today = today or clock.today()
    records = unit_records(fhir_units(), today=today)
    entries: list[BundleEntry] = []

    def add(resource, resource_id: str) -> str:
        url = _urn(resource.get_resource_type(), resource_id)
        entries.append(BundleEntry(fullUrl=url, resource=resource))
        return url

    owners = Organisation.objects.in_bulk({r["owner_id"] for r in records})
    owner_urls = {}
    for owner in sorted(owners.values(), key=lambda o: o.pk):
        identifiers = []
        if owner.cvr_number:
            identifiers.append({"use": "official", "system": CVR_SYSTEM, "value": owner.cvr_number})
        if owner.sor_id:
            identifiers.append({"use": "official", "system": SOR_SYSTEM, "value": owner.sor_id})
        municipal = owner.kind == Organisation.Kind.MUNICIPALITY
        resource_id = f"ejer-{owner.pk}"
        owner_urls[owner.pk] = add(
            Organization(
                id=resource_id,
                identifier=identifiers or None,
                active=True,
                type=[
                    {
                        "coding": [
                            {
                                "system": ORGANIZATION_TYPE_SYSTEM,
                                "code": "govt" if municipal else "prov",
                            }
                        ],
                        "text": owner.get_kind_display(),
                    }
                ],
                name=owner.name,
            ),
            resource_id,
        )

    names = municipality_full_names()
    area_urls = {}
    for code in sorted({m["code"] for r in records for m in r["shown_in"]}):
        resource_id = f"kommune-{code}"
        area_urls[code] = add(
            Location(
                id=resource_id,
                status="active",
                name=names.get(int(code), f"{code}"),
                identifier=[{"system": MUNICIPALITY_SYSTEM, "value": f"0{code}"}],
                mode="instance",
                physicalType={
                    "coding": [{"system": PHYSICAL_TYPE_SYSTEM, "code": "jdn"}],
                    "text": "Kommune",
                },
            ),
            resource_id,
        )

    for record in records:
        identifiers = [{"use": "official", "system": SOR_SYSTEM, "value": record["sor_id"]}]
        telecom = [
            {"system": system, "value": record[field]}
            for system, field in (("phone", "phone"), ("email", "email"), ("url", "website"))
            if record[field]
        ]
        address = record["visiting_address"]
        line = street_line(address)
        position = None
        if record["latitude"] is not None and record["longitude"] is not None:
            position = {"latitude": record["latitude"], "longitude": record["longitude"]}
        location_id = f"enhed-{record['id']}"
        location_url = add(
            Location(
                id=location_id,
                identifier=identifiers,
                status="active",
                name=record["name"],
                mode="instance",
                telecom=telecom or None,
                address={
                    "use": "work",
                    "type": "physical",
                    "line": [line] if line else None,
                    "city": address.get("district"),
                    "postalCode": address.get("postcode"),
                    "country": "DK",
                },
                physicalType={
                    "coding": [
                        {
                            "system": PHYSICAL_TYPE_SYSTEM,
                            "code": "bu" if record["kind"] == UnitKind.CARE_HOME else "si",
                        }
                    ]
                },
                position=position,
                managingOrganization={"reference": owner_urls[record["owner_id"]]},
            ),
            location_id,
        )
        service_id = f"ydelse-{record['id']}"
        add(
            HealthcareService(
                id=service_id,
                identifier=identifiers,
                active=True,
                providedBy={"reference": owner_urls[record["owner_id"]]},
                category=[{"text": record["category"]}],
                # The unit's kind, coded (care_home, home_care_site) and in Danish words.
                type=[
                    {
                        "coding": [
                            {
                                "system": UNIT_KIND_SYSTEM,
                                "code": record["kind"],
                                "display": record["kind_label"],
                            }
                        ],
                        "text": record["kind_label"],
                    }
                ],
                name=record["name"],
                location=[{"reference": location_url}],
                telecom=telecom or None,
                coverageArea=[
                    {"reference": area_urls[m["code"]], "display": names.get(int(m["code"]))}
                    for m in record["shown_in"]
                ]
                or None,
            ),
            service_id,
        )

    # No Bundle.timestamp: the same data must give the same bytes (and ETag).
    last = max((r["updated_at"] for r in records), default=None)
    return Bundle(
        id="plejeoverblikket",
        # The FHIR version the bundle is written for, as a versioned canonical (R4, 4.0.1);
        # the response's media type says it too (fhirVersion=4.0).
        meta={"profile": [FHIR_BUNDLE_PROFILE], **({"lastUpdated": last} if last else {})},
        type="collection",
        entry=entries or None,
    )

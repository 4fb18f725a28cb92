"""/api/v1/: Plejeoverblikket's open data as read-only JSON, described by OpenAPI 3.

Only what a citizen may see is served: published units that are not closed in SOR, and the
agreements of those units. Field names are English like the rest of plov's machine-readable
output (`plov units --json`); each field is described in Danish in the OpenAPI document.

Every 200 answer is rendered here (not by ninja) so that its bytes can be hashed into an ETag
and a 304 can be answered; the payload is still validated by the response schema first.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError

from plov import clock
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.opendata import exports
from plov.opendata.dictionary import describe
from plov.opendata.http import cached_response
from plov.public.suggest import LIMIT as SUGGESTIONS
from plov.public.suggest import MAX_QUERY, suggestions_json
from plov.publishing.rules import agreement_counts
from plov.publishing.visibility import visible_units
from plov.supervision.api import router as supervision_router
from plov.supervision.authorities import authority_by_municipality
from plov.supervision.models import SanctionType, SupervisingAuthority, SupervisionStatus
from plov.supervision.verdicts import judged_results
from plov.units.homecare import LANGUAGES, SERVICES
from plov.units.models import Municipality, Unit

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_ID = 2**63 - 1  # BigAutoField

api = NinjaAPI(
    urls_namespace="api-v1",
    title="Plejeoverblikket – åbne data",
    version="1",
    description=(
        "Åbne data fra Plejeoverblikket: alle viste plejehjem (plejeenheder) og "
        "helhedsplejeleverandører, kommunernes aftaler med dem (serviceleverancer) og "
        "tilsynsmyndighederne. Kun data, som også vises for borgerne, udstilles. "
        "Svarene har ETag, Last-Modified og Cache-Control (5 minutter); send If-None-Match "
        "eller If-Modified-Since for at få 304, når intet er ændret."
    ),
    docs_url=None,  # ninja's Swagger page loads from a CDN; /api/v1/docs is our own page
)


@functools.cache
def _query_parameters() -> dict[str, list[str]]:
    """Each operation's query parameters, by operationId, as the OpenAPI document lists them
    (so that the check below and the document cannot disagree). The document is the same in
    every process: it is built from the code."""
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: [
            p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"
        ]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }


def _refuse_unknown_query_parameters(run):
    """An operation answers 400, naming the accepted parameters, to a query parameter it does
    not know (`/api/v1/units?municipality=751` is not silently the whole list)."""
    operation = run.__self__

    @functools.wraps(run)
    def checked(request: HttpRequest, *args, **kwargs):
        operation_id = operation.operation_id or api.get_openapi_operation_id(operation)
        accepted = _query_parameters().get(operation_id, [])
        unknown = [name for name in dict.fromkeys(request.GET) if name not in accepted]
        if unknown:
            names = ", ".join(accepted) if accepted else "ingen"
            detail = (
                f"Ukendt parameter: {', '.join(unknown)}. Tilladte parametre: {names}."
                if len(unknown) == 1
                else f"Ukendte parametre: {', '.join(unknown)}. Tilladte parametre: {names}."
            )
            english = f"unknown query parameter; accepted: {', '.join(accepted) or 'none'}"
            body = {
                "detail": detail,
                "accepted": accepted,
                "errors": [{"parameter": name, "message": english} for name in unknown],
            }
            return api.create_response(request, body, status=400)
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(_refuse_unknown_query_parameters, mode="view")

# Optional query parameters are typed without `| None` and default to None: ninja then leaves
# them out when absent, and OpenAPI shows a plain string rather than "string or null" (which a
# query string cannot express).
UnitKindCode = Literal["care_home", "home_care_site", "home_care_provider"]
# The fixed lists of plov.units.homecare, as enums in the OpenAPI document.
LanguageCode = Literal[tuple(code for code, _label in LANGUAGES)]  # type: ignore[valid-type]
ServiceCode = Literal[tuple(code for code, _label in SERVICES)]  # type: ignore[valid-type]
KOMMUNE_PATTERN = r"^[0-9]{3}$"
KommuneCode = Annotated[
    str,
    Query(
        description="Kommunekode med tre cifre, fx `751` (Aarhus). Giver præcis de enheder, "
        "en borger, der søger i kommunen, ser: dem kommunen har en gældende aftale med. "
        "(English: the municipality code, three digits, e.g. `751` for Aarhus; gives exactly "
        "the units a citizen searching that municipality sees: those it has an agreement "
        "with in force.)",
        pattern=KOMMUNE_PATTERN,
    ),
]
AgreementKommune = Annotated[
    str,
    Query(
        description="Kun aftaler, hvor denne kommune (kommunekode, 3 cifre) er part. "
        "(English: only agreements to which this municipality, by its three-digit code, "
        "is a party.)",
        pattern=KOMMUNE_PATTERN,
    ),
]
KindFilter = Annotated[UnitKindCode, Query(description="Kun enheder af denne type.")]
UpdatedSince = Annotated[
    dt.datetime,
    Query(
        description="Kun enheder ændret på eller efter dette tidspunkt (ISO 8601, fx "
        "`2025-01-31T08:00:00+01:00`; uden tidszone: dansk tid). Husk at URL-kode `+` "
        "som `%2B`."
    ),
]
Limit = Annotated[
    int,
    Query(
        description=f"Antal poster pr. side (1–{MAX_LIMIT}).",
        ge=1,
        le=MAX_LIMIT,
    ),
]
Offset = Annotated[
    int,
    Query(description="Antal poster, der springes over. Ud over listens ende: tom side.", ge=0),
]


# --- Schemas -------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="Hvad der er galt, på dansk.")
    accepted: list[str] | None = Field(
        default=None,
        description="Ved en ukendt parameter (400): de parametre, operationen kender.",
    )
    errors: list[ErrorItem] = Field(
        default_factory=list, description="De enkelte fejl i forespørgslen, hvis der er flere."
    )


class ErrorItem(Schema):
    parameter: str = Field(description="Parameteren, fx `limit`.")
    message: str = Field(description="Fejlen (fra valideringen, på engelsk).")


Error.model_rebuild()


def _described(schema: str):
    """`Field` whose description is the open-data dictionary's (plov.opendata.dictionary)."""

    def field(name: str, *args, **kwargs):
        return Field(*args, description=describe(schema, name), **kwargs)

    return field


_address = _described("Address")


class Address(Schema):
    street: str | None = _address("street", None)
    house_number: str | None = _address("house_number", None)
    floor: str | None = _address("floor", None)
    door: str | None = _address("door", None)
    postcode: str | None = _address("postcode", None)
    district: str | None = _address("district", None)


_agreement = _described("UnitAgreement")


class UnitAgreement(Schema):
    kommune: str = _agreement("kommune")
    type: AgreementType = _agreement("type")
    start: dt.date = _agreement("start")
    end: dt.date | None = _agreement("end")


_ref = _described("MunicipalityRef")


class MunicipalityRef(Schema):
    code: str = _ref("code")
    name: str = _ref("name")


_site = _described("SiteRef")


class SiteRef(Schema):
    id: int = _site("id")
    sor_id: str | None = _site("sor_id")
    name: str = _site("name")


_supervision = _described("SupervisionOut")


class SupervisionOut(Schema):
    inspected_on: dt.date = _supervision("inspected_on")
    status: SupervisionStatus = _supervision("status")
    status_label: str = _supervision("status_label")


_sanction = _described("SanctionOut")


class SanctionOut(Schema):
    type: SanctionType = _sanction("type")
    type_label: str = _sanction("type_label")
    decided_on: dt.date = _sanction("decided_on")
    deadline: dt.date | None = _sanction("deadline")
    period_end: dt.date | None = _sanction("period_end")


_latest = _described("QualityLatest")


class QualityLatest(Schema):
    kind: Literal["indicator", "satisfaction"] = _latest("kind")
    code: str = _latest("code")
    name: str = _latest("name")
    period: str = _latest("period")
    value: float = _latest("value")
    unit_of_measure: str | None = _latest("unit_of_measure")


_cost = _described("MonthlyCostOut")


class MonthlyCostOut(Schema):
    rent: int | None = _cost("rent")
    service: int | None = _cost("service")
    meals: int | None = _cost("meals")
    other: int | None = _cost("other")
    total: int | None = _cost("total")
    currency: Literal["DKK"] = _cost("currency")
    valid_from: dt.date | None = _cost("valid_from")
    source: Literal["unit"] = _cost("source")
    reported_at: dt.date | None = _cost("reported_at")
    as_of: str | None = _cost("as_of")


_vacancies = _described("VacanciesOut")


class VacanciesOut(Schema):
    free_homes: int | None = _vacancies("free_homes")
    waiting_weeks: int | None = _vacancies("waiting_weeks")
    reported_at: dt.date | None = _vacancies("reported_at")
    outdated: bool = _vacancies("outdated")
    source: Literal["unit"] = _vacancies("source")
    as_of: str | None = _vacancies("as_of")


_home_care_prices = _described("HomeCarePricesOut")


class HomeCarePricesOut(Schema):
    free_services: str | None = _home_care_prices("free_services")
    extra_services: str | None = _home_care_prices("extra_services")
    source: Literal["unit"] = _home_care_prices("source")
    as_of: str | None = _home_care_prices("as_of")


_unit = _described("UnitOut")
_comment = _described("SupervisionComment")


class SupervisionComment(Schema):
    feedback_inspected_on: dt.date = _comment("feedback_inspected_on")
    feedback_status: SupervisionStatus = _comment("feedback_status")
    text: str = _comment("text")
    written_on: dt.date | None = _comment("written_on")
    source: Literal["unit"] = _comment("source")


class UnitOut(Schema):
    id: int = _unit("id")
    sor_id: str | None = _unit("sor_id")
    name: str = _unit("name")
    kind: UnitKindCode = _unit("kind")
    kind_label: str = _unit("kind_label")
    category: str = _unit("category")
    provider_id: int | None = _unit("provider_id")
    owner_name: str = _unit("owner_name")
    owner_cvr: str | None = _unit("owner_cvr")
    owner_kind: Literal["municipality", "company"] = _unit("owner_kind")
    municipality: str | None = _unit("municipality")
    municipality_name: str | None = _unit("municipality_name")
    supervising_authority: str | None = _unit("supervising_authority")
    visiting_address: Address = _unit("visiting_address")
    latitude: float | None = _unit("latitude")
    longitude: float | None = _unit("longitude")
    phone: str | None = _unit("phone")
    email: str | None = _unit("email")
    website: str | None = _unit("website")
    p_number: str | None = _unit("p_number")
    homes: int | None = _unit("homes")
    employees: int | None = _unit("employees")
    employees_source: Literal["unit", "CVR"] | None = _unit("employees_source")
    employees_interval: str | None = _unit("employees_interval")
    full_time_employees: float | None = _unit("full_time_employees")
    full_time_employees_source: Literal["unit", "CVR"] | None = _unit("full_time_employees_source")
    agreements: list[UnitAgreement] = _unit("agreements")
    shown_in: list[MunicipalityRef] = _unit("shown_in")
    fixed_teams: bool | None = _unit("fixed_teams")
    helpers_per_fortnight: int | None = _unit("helpers_per_fortnight")
    visit_window_minutes: int | None = _unit("visit_window_minutes")
    punctuality_policy: str | None = _unit("punctuality_policy")
    languages: list[LanguageCode] | None = _unit("languages")
    services: list[ServiceCode] | None = _unit("services")
    supervision_comments: list[SupervisionComment] = _unit("supervision_comments")
    monthly_cost: MonthlyCostOut | None = _unit("monthly_cost")
    vacancies: VacanciesOut | None = _unit("vacancies")
    home_care_prices: HomeCarePricesOut | None = _unit("home_care_prices")
    updated_at: dt.datetime = _unit("updated_at")
    public_url: str = _unit("public_url")
    sites: list[SiteRef] = _unit("sites")
    supervision: SupervisionOut | None = _unit("supervision")
    sanctions_in_force: list[SanctionOut] = _unit("sanctions_in_force")
    quality_latest: list[QualityLatest] = _unit("quality_latest")
    supervision_report_url: str | None = _unit("supervision_report_url")
    supervision_report_date: dt.date | None = _unit("supervision_report_date")


_unit_page = _described("UnitPage")


VerdictCode = Literal["better", "same", "worse", "unknown"]
_benchmark_field = _described("Benchmark")


class Benchmark(Schema):
    average: float | None = _benchmark_field("average")
    units: int | None = _benchmark_field("units")
    verdict: VerdictCode = _benchmark_field("verdict")
    reason: Literal["no_average", "too_few_units", "no_direction"] | None = _benchmark_field(
        "reason"
    )
    rule: Literal["confidence_interval", "threshold"] | None = _benchmark_field("rule")
    difference: float | None = _benchmark_field("difference")
    margin: float | None = _benchmark_field("margin")
    text: str = _benchmark_field("text")


_benchmarks = _described("Benchmarks")


class Benchmarks(Schema):
    national: Benchmark = _benchmarks("national")
    municipality: Benchmark = _benchmarks("municipality")


_figure = _described("QualityFigure")


class QualityFigure(Schema):
    kind: Literal["indicator", "satisfaction"] = _figure("kind")
    code: str = _figure("code")
    name: str = _figure("name")
    period: str = _figure("period")
    value: float = _figure("value")
    unit_of_measure: str = _figure("unit_of_measure")
    better: Literal["higher", "lower"] | None = _figure("better")
    respondents: int | None = _figure("respondents")
    source: str = _figure("source")
    published_on: dt.date | None = _figure("published_on")
    as_of: str = _figure("as_of")
    benchmark: Benchmarks = _figure("benchmark")
    verdict: VerdictCode = _figure("verdict")


class UnitDetail(UnitOut):
    """`/units/{id}`: the unit as listed, and its quality figures with their verdicts."""

    quality: list[QualityFigure] = _described("UnitDetail")("quality")


class UnitPage(Schema):
    total: int = _unit_page("total")
    limit: int = _unit_page("limit")
    offset: int = _unit_page("offset")
    next: str | None = _unit_page("next")
    previous: str | None = _unit_page("previous")
    items: list[UnitOut] = _unit_page("items")


_agreement_out = _described("AgreementOut")


class AgreementOut(Schema):
    id: int = _agreement_out("id")
    kommune: str = _agreement_out("kommune")
    kommune_name: str = _agreement_out("kommune_name")
    reference: str = _agreement_out("reference")
    type: AgreementType = _agreement_out("type")
    start: dt.date = _agreement_out("start")
    end: dt.date | None = _agreement_out("end")
    unit_id: int = _agreement_out("unit_id")
    unit_sor_id: str | None = _agreement_out("unit_sor_id")
    unit_name: str = _agreement_out("unit_name")
    shown_in_search: bool = _agreement_out("shown_in_search")


_agreement_page = _described("AgreementPage")


class AgreementPage(Schema):
    total: int = _agreement_page("total")
    limit: int = _agreement_page("limit")
    offset: int = _agreement_page("offset")
    next: str | None = _agreement_page("next")
    previous: str | None = _agreement_page("previous")
    items: list[AgreementOut] = _agreement_page("items")


_authority = _described("AuthorityOut")


class AuthorityOut(Schema):
    name: str = _authority("name")
    municipalities: list[MunicipalityRef] = _authority("municipalities")


_change_agreement = _described("ChangeAgreement")


class ChangeAgreement(Schema):
    id: int = _change_agreement("id")
    kommune: str = _change_agreement("kommune")
    type: AgreementType = _change_agreement("type")
    start: dt.date = _change_agreement("start")
    end: dt.date | None = _change_agreement("end")


ChangeKind = Literal[
    "unit_created", "unit_changed", "unit_closed", "unit_published", "unit_hidden",
    "agreement_started", "agreement_ended",
]  # fmt: skip
_change = _described("ChangeOut")


class ChangeOut(Schema):
    id: str = _change("id")
    at: dt.datetime = _change("at")
    kind: ChangeKind = _change("kind")
    unit_id: int = _change("unit_id")
    unit_sor_id: str | None = _change("unit_sor_id")
    unit_name: str = _change("unit_name")
    fields: list[str] = _change("fields")
    agreement: ChangeAgreement | None = _change("agreement")


_change_page = _described("ChangePage")


class ChangePage(Schema):
    since: dt.date = _change_page("since")
    total: int = _change_page("total")
    limit: int = _change_page("limit")
    offset: int = _change_page("offset")
    next: str | None = _change_page("next")
    previous: str | None = _change_page("previous")
    items: list[ChangeOut] = _change_page("items")


_suggestion = _described("AddressSuggestion")


class AddressSuggestion(Schema):
    kind: Literal["address", "street", "postcode"] = _suggestion("kind")
    text: str = _suggestion("text")
    street: str | None = _suggestion("street")
    house_number: str | None = _suggestion("house_number")
    floor: str | None = _suggestion("floor")
    door: str | None = _suggestion("door")
    postcode: str = _suggestion("postcode")
    town: str = _suggestion("town")
    latitude: float = _suggestion("latitude")
    longitude: float = _suggestion("longitude")
    id: str | None = _suggestion("id")


_suggestions = _described("AddressSuggestions")


class AddressSuggestions(Schema):
    query: str = _suggestions("query")
    items: list[AddressSuggestion] = _suggestions("items")


# --- Errors --------------------------------------------------------------------------------


@api.exception_handler(ValidationError)
def _invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(p) for p in error.get("loc", ())]
        name = location[-1] if location else ""
        if location and location[0] in ("query", "path") and len(location) > 1:
            name = ".".join(location[1:])
        errors.append({"parameter": name, "message": str(error.get("msg", "ugyldig værdi"))})
    detail = "Ugyldig forespørgsel: " + "; ".join(
        f"{e['parameter']}: {e['message']}" for e in errors
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _today() -> dt.date:
    return clock.today()


def _municipality(code: str) -> Municipality:
    try:
        return Municipality.objects.get(code=int(code))
    except Municipality.DoesNotExist:
        raise HttpError(404, f"Kommunekoden {code} findes ikke.") from None


def _since(value: dt.datetime) -> dt.datetime:
    """An aware datetime the database can compare with; a naive one is Danish time."""
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        # At the very ends of the calendar: everything is after year 1, nothing after 9999.
        edge = dt.datetime.max if value.year > 1 else dt.datetime.min
        return edge.replace(tzinfo=dt.UTC)


def _json(request: HttpRequest, payload: Schema, last_modified: dt.datetime | None):
    return cached_response(
        request,
        payload.model_dump_json().encode("utf-8"),
        content_type="application/json; charset=utf-8",
        last_modified=last_modified,
    )


def _page_url(request: HttpRequest, offset: int, limit: int) -> str:
    params = request.GET.copy()
    params["offset"], params["limit"] = str(offset), str(limit)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode(safe=':')}")


def page_links(request: HttpRequest, total: int, limit: int, offset: int) -> dict[str, str | None]:
    """`next` and `previous` (absolute URLs, or None at the ends) of a paged list, keeping the
    request's other parameters."""
    following = offset + limit if offset + limit < total else None
    preceding = max(0, min(offset, total) - limit) if offset > 0 else None
    return {
        "next": _page_url(request, following, limit) if following is not None else None,
        "previous": _page_url(request, preceding, limit) if preceding is not None else None,
    }


def _paged_json(request: HttpRequest, payload: Schema, last_modified: dt.datetime | None):
    """A page of a list, with an RFC 8288 `Link` header: next, prev, first and last."""
    response = _json(request, payload, last_modified)
    limit, total = payload.limit, payload.total
    links = [(payload.next, "next"), (payload.previous, "prev"),
             (_page_url(request, 0, limit), "first"),
             (_page_url(request, max(0, (total - 1) // limit * limit), limit), "last")]  # fmt: skip
    response["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
    return response


# --- Operations ----------------------------------------------------------------------------

RESPONSES_LIST = {200: UnitPage, 304: None, 400: Error, 404: Error, 422: Error}


@api.get(
    "/units",
    response=RESPONSES_LIST,
    operation_id="listUnits",
    summary="Viste enheder",
    description="Alle enheder, der vises for borgerne (offentliggjorte og ikke lukket i SOR), "
    "side for side. Filtrene kombineres.",
    tags=["Enheder"],
)
def list_units(
    request: HttpRequest,
    kommune: KommuneCode = None,
    kind: KindFilter = None,
    updated_since: UpdatedSince = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
):
    today = _today()
    if kommune is not None:
        units = visible_units(_municipality(kommune).code, today)
    else:
        units = exports.published_units()
    if kind is not None:
        units = units.filter(kind=kind)
    if updated_since is not None:
        units = units.alias(changed_at=exports.updated_at_expression()).filter(
            changed_at__gte=_since(updated_since)
        )
    units = units.order_by("pk")
    total = units.count()
    page = list(units.select_related("content")[offset : offset + limit]) if offset < total else []
    items = exports.unit_records(page, today=today) if page else []
    payload = UnitPage(
        total=total, limit=limit, offset=offset, items=items,
        **page_links(request, total, limit, offset),
    )  # fmt: skip
    return _paged_json(request, payload, max((i["updated_at"] for i in items), default=None))


@api.get(
    "/units/{id}",
    response={200: UnitDetail, 304: None, 400: Error, 404: Error, 410: Error, 422: Error},
    operation_id="getUnit",
    summary="Én enhed",
    description="Én vist enhed, med dens kvalitetstal og deres vurdering (`quality`). 404, "
    "hvis enheden ikke findes eller ikke er offentliggjort; 410, hvis den er lukket i SOR.",
    tags=["Enheder"],
)
def get_unit(
    request: HttpRequest,
    id: Annotated[int, Path(description="Enhedens id.", ge=1, le=MAX_ID)],
):
    unit = Unit.objects.filter(pk=id).select_related("content").first()
    if unit is not None and unit.closed_on is not None:
        raise HttpError(410, f"Enheden er lukket i SOR ({unit.closed_on.isoformat()}).")
    if unit is None or not unit.published:
        raise HttpError(404, "Enheden findes ikke eller vises ikke.")
    (record,) = exports.unit_records([unit], today=_today())
    quality = [_quality_figure(r) for r in judged_results(unit)]
    return _json(request, UnitDetail(**record, quality=quality), record["updated_at"])


def _benchmark(comparison) -> dict:
    def number(value):
        return None if value is None else float(value)

    return {
        "average": number(comparison.average),
        "units": comparison.units,
        "verdict": comparison.verdict.value,
        "reason": comparison.reason.value if comparison.reason else None,
        "rule": comparison.rule.value if comparison.rule else None,
        "difference": number(comparison.difference),
        "margin": number(comparison.margin),
        "text": comparison.text,
    }


def _quality_figure(result) -> dict:
    return {
        "kind": result.kind,
        "code": result.code,
        "name": result.name,
        "period": result.period,
        "value": float(result.value),
        "unit_of_measure": result.unit_of_measure,
        "better": result.better or None,
        "respondents": result.respondents,
        "source": result.source,
        "published_on": result.published_on,
        # how fresh the figure is, as every figure object says it: published, else its period
        "as_of": result.published_on.isoformat() if result.published_on else result.period,
        "benchmark": {
            "national": _benchmark(result.national),
            "municipality": _benchmark(result.municipal),
        },
        "verdict": result.national.verdict.value,
    }


@api.get(
    "/agreements",
    response={200: AgreementPage, 304: None, 400: Error, 404: Error, 422: Error},
    operation_id="listAgreements",
    summary="Gældende aftaler",
    description="Kommunernes aftaler (serviceleverancer), der gælder i dag, med viste enheder.",
    tags=["Aftaler"],
)
def list_agreements(
    request: HttpRequest,
    kommune: AgreementKommune = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
):
    today = _today()
    agreements = ServiceAgreement.objects.in_force(today).filter(unit__in=exports.published_units())
    if kommune is not None:
        agreements = agreements.filter(municipality=_municipality(kommune))
    agreements = agreements.order_by("pk")
    total = agreements.count()
    page = (
        list(agreements.select_related("unit", "municipality")[offset : offset + limit])
        if offset < total
        else []
    )
    described = defaultdict(set)
    for unit_id, code in (
        AgreementDescription.objects.filter(unit_id__in={a.unit_id for a in page})
        .exclude(text="")
        .values_list("unit_id", "municipality_id")
    ):
        described[unit_id].add(code)
    items = [
        AgreementOut(
            id=a.pk,
            kommune=f"{a.municipality_id:03d}",
            kommune_name=a.municipality.name,
            reference=a.reference,
            type=a.type,
            start=a.start,
            end=a.end,
            unit_id=a.unit_id,
            unit_sor_id=a.unit.sor_id,
            unit_name=a.unit.name,
            shown_in_search=agreement_counts(a, a.unit, described[a.unit_id], today),
        )
        for a in page
    ]
    last = max((a.updated_at for a in page), default=None)
    payload = AgreementPage(
        total=total, limit=limit, offset=offset, items=items,
        **page_links(request, total, limit, offset),
    )  # fmt: skip
    return _paged_json(request, payload, last)


@api.get(
    "/supervising-authorities",
    response={200: list[AuthorityOut], 304: None, 400: Error},
    operation_id="listSupervisingAuthorities",
    summary="Tilsynsmyndigheder",
    description="Ældretilsynets tilsynsmyndigheder og de kommuner, hver dækker i dag.",
    tags=["Tilsyn"],
)
def list_supervising_authorities(request: HttpRequest):
    coverage = authority_by_municipality(_today())
    names = exports.municipality_names()
    authorities = [
        AuthorityOut(
            name=authority.name,
            municipalities=[
                {"code": f"{code:03d}", "name": names.get(code, "")}
                for code in sorted(c for c, name in coverage.items() if name == authority.name)
            ],
        )
        for authority in SupervisingAuthority.objects.order_by("name")
    ]
    body = "[" + ",".join(a.model_dump_json() for a in authorities) + "]"
    return cached_response(
        request, body.encode("utf-8"), content_type="application/json; charset=utf-8"
    )


Since = Annotated[
    dt.date,
    Query(
        description="Kun ændringer på eller efter denne dag (ÅÅÅÅ-MM-DD, dansk tid). "
        "(English: only changes on or after this day, YYYY-MM-DD, Danish time.)"
    ),
]


@api.get(
    "/changes",
    response={200: ChangePage, 304: None, 400: Error, 422: Error},
    operation_id="listChanges",
    summary="Ændringer",
    description="Hvad der er ændret i de åbne data siden en dag, ældste først: enheder "
    "oprettet, ændret (hvilke felter), lukket, vist eller skjult, og aftaler, der er startet "
    "eller ophørt. Kun ændringer ved enheder, der blev vist for borgerne, og aftaler ved "
    "enheder, der vises i dag. (English: what changed in the open data since a day, oldest "
    "first.)",
    tags=["Ændringer"],
)
def list_changes(
    request: HttpRequest,
    since: Since,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
):
    from plov.opendata.feed import change_items

    items = change_items(since, today=_today())
    total = len(items)
    page = items[offset : offset + limit]
    payload = ChangePage(
        since=since, total=total, limit=limit, offset=offset, items=page,
        **page_links(request, total, limit, offset),
    )  # fmt: skip
    return _paged_json(request, payload, max((i["at"] for i in page), default=None))


SUGGESTION_CACHE = "public, max-age=3600"  # DAR changes once a night


@api.get(
    "/adresser",
    response={200: AddressSuggestions, 304: None, 400: Error, 422: Error},
    operation_id="suggestAddresses",
    url_name="address-suggestions",
    summary="Adresseforslag",
    description=f"Forslag til adresser, mens der skrives: de bedste {SUGGESTIONS} adresser, veje "
    "og postnumre i DAR for en begyndt tekst som `solvej 4 aar`. Store og små bogstaver er lige "
    "gode, æ, ø og å kan skrives ae, oe og aa (`aeroeskoebing` finder Ærøskøbing), "
    "postnummeret kan udelades, og en lille stavefejl i vejnavnet gør ikke noget. Et "
    "husnummer giver adresser (det nøjagtige nummer før dem, der begynder med det); en vej "
    "uden nummer giver vejen i hvert postnummer; et postnummer eller en by giver postnumre. "
    "Svaret kan caches en time (Cache-Control), med ETag.",
    tags=["Adresser"],
)
def suggest_addresses(
    request: HttpRequest,
    q: Annotated[
        str,
        Query(
            description="Det, der er skrevet indtil nu, fx `solvej 4 aar` eller `8000`.",
            min_length=1,
            max_length=MAX_QUERY,
        ),
    ],
):
    # Written here rather than by AddressSuggestions (the schema the docs show): the items
    # come from the shared cache as JSON, and validating them again costs more than finding
    # them (tests/test_address_suggest.py checks the answer against the schema).
    query = json.dumps(q, ensure_ascii=False)
    body = f'{{"query":{query},"items":{suggestions_json(q)}}}'
    return cached_response(
        request,
        body.encode("utf-8"),
        content_type="application/json; charset=utf-8",
        cache_control=SUGGESTION_CACHE,
    )


api.add_router("/tilsyn", supervision_router)  # for supervisors only: plov.supervision.api

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
from collections import defaultdict
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.opendata import exports
from plov.opendata.views import cached_response
from plov.publishing.rules import agreement_counts
from plov.publishing.visibility import visible_units
from plov.supervision.api import router as supervision_router
from plov.supervision.authorities import authority_by_municipality
from plov.supervision.models import SupervisingAuthority, SupervisionStatus
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


class Address(Schema):
    street: str | None = Field(None, description="Vejnavn.")
    house_number: str | None = Field(None, description="Husnummer.")
    floor: str | None = Field(None, description="Etage.")
    door: str | None = Field(None, description="Dør (side).")
    postcode: str | None = Field(None, description="Postnummer.")
    district: str | None = Field(None, description="Postdistrikt (by).")


class UnitAgreement(Schema):
    kommune: str = Field(description="Aftalepartens kommunekode (3 cifre).")
    type: AgreementType = Field(description="Aftaletype (serviceleverancetype).")
    start: dt.date = Field(description="Startdato.")
    end: dt.date | None = Field(description="Slutdato; `null` = uden slutdato.")


class MunicipalityRef(Schema):
    code: str = Field(description="Kommunekode (3 cifre).")
    name: str = Field(description="Kommunens navn.")


class SupervisionComment(Schema):
    feedback_inspected_on: dt.date = Field(
        description="Tilsynsdatoen for den tilbagemelding fra Ældretilsynet, bemærkningerne "
        "svarer på."
    )
    feedback_status: SupervisionStatus = Field(
        description="Tilsynets samlede vurdering i den tilbagemelding."
    )
    text: str = Field(
        description="Enhedens bemærkninger: enhedens egne ord (højst 1000 tegn), ikke "
        "Ældretilsynets. Tilsynets tekst ændres aldrig af dem."
    )
    written_on: dt.date | None = Field(description="Datoen, teksten blev offentliggjort.")
    source: Literal["unit"] = Field(description="Altid `unit`: oplyst af enheden selv.")


class UnitOut(Schema):
    id: int = Field(description="Plejeoverblikkets id for enheden; bruges i `/units/{id}`.")
    sor_id: str | None = Field(
        description="SOR-ID. `null` for en helhedsplejeleverandør, som Plejeoverblikket selv "
        "danner over ejerens helhedsplejeleverandørsteder."
    )
    name: str = Field(description="Enhedens navn, som i SOR.")
    kind: UnitKindCode = Field(
        description="`care_home` (plejeenhed), `home_care_site` "
        "(helhedsplejeleverandørsted) eller `home_care_provider` (helhedsplejeleverandør)."
    )
    kind_label: str = Field(description="Enhedstypen på dansk.")
    category: str = Field(description="`Plejehjem` eller `Helhedspleje`.")
    provider_id: int | None = Field(
        description="For et helhedsplejeleverandørsted: id for dets helhedsplejeleverandør."
    )
    owner_name: str = Field(description="Ejer (institutionsejer i SOR).")
    owner_cvr: str | None = Field(description="Ejerens CVR-nummer.")
    owner_kind: Literal["municipality", "company"] = Field(
        description="`municipality` (kommune) eller `company` (virksomhed)."
    )
    municipality: str | None = Field(
        description="Beliggenhedskommune: kommunekoden for besøgsadressen i DAR."
    )
    municipality_name: str | None = Field(description="Beliggenhedskommunens navn.")
    supervising_authority: str | None = Field(
        description="Tilsynsmyndighed (Ældretilsynet) for beliggenhedskommunen i dag."
    )
    visiting_address: Address = Field(description="Besøgsadresse.")
    latitude: float | None = Field(description="Breddegrad (WGS84).")
    longitude: float | None = Field(description="Længdegrad (WGS84).")
    phone: str | None = Field(description="Telefon.")
    email: str | None = Field(description="E-mail.")
    website: str | None = Field(description="Hjemmeside.")
    p_number: str | None = Field(description="P-nummer (CVR-produktionsenhed).")
    homes: int | None = Field(description="Antal boliger, som redaktøren har oplyst.")
    employees: int | None = Field(
        description="Antal medarbejdere: redaktørens tal, ellers CVR's, ellers `null`."
    )
    employees_source: Literal["unit", "CVR"] | None = Field(
        description="Hvor antal medarbejdere kommer fra: `unit` (redaktøren) eller `CVR`."
    )
    employees_interval: str | None = Field(
        description="CVR's interval (fx `ANTAL_20_49`), når CVR ikke oplyser et tal."
    )
    full_time_employees: float | None = Field(description="Antal fuldtidsmedarbejdere.")
    full_time_employees_source: Literal["unit", "CVR"] | None = Field(
        description="Hvor antal fuldtidsmedarbejdere kommer fra: `unit` eller `CVR`."
    )
    agreements: list[UnitAgreement] = Field(
        description="Enhedens aftaler (serviceleverancer), også udløbne og kommende."
    )
    shown_in: list[MunicipalityRef] = Field(
        description="Kommuner, hvor enheden vises i søgningen i dag (gældende aftale)."
    )
    fixed_teams: bool | None = Field(
        description="Faste teams: om borgeren får hjælp af den samme lille gruppe medarbejdere "
        "(redaktørens oplysning). `null`, hvis enheden ikke har udfyldt noget."
    )
    helpers_per_fortnight: int | None = Field(
        description="Helhedspleje: typisk antal forskellige hjælpere, en borger møder på 14 "
        "dage (1–60). `null` for plejehjem og når det ikke er oplyst."
    )
    visit_window_minutes: int | None = Field(
        description="Helhedspleje: besøget kommer højst så mange minutter før eller efter det "
        "aftalte tidspunkt (0–240). `null` for plejehjem og når det ikke er oplyst."
    )
    punctuality_policy: str | None = Field(
        description="Helhedspleje: enhedens egne ord om, hvad der sker, når et besøg bliver "
        "forsinket (højst 600 tegn)."
    )
    languages: list[LanguageCode] | None = Field(
        description="Helhedspleje: sprog, medarbejderne taler med borgerne ud over dansk "
        "(ISO 639-koder; `dsl` er dansk tegnsprog, `hbs` bosnisk/kroatisk/serbisk). "
        "`null` for plejehjem. En leverandørs oplysninger gælder også dens steder, når "
        "stedet ikke selv har oplyst noget (se `provider_id`)."
    )
    services: list[ServiceCode] | None = Field(
        description="Helhedspleje: de ydelser, enheden leverer. `null` for plejehjem."
    )
    supervision_comments: list[SupervisionComment] = Field(
        description="Enhedens bemærkninger til Ældretilsynets tilbagemeldinger (retten til at "
        "svare), nyeste tilsyn først. Tom liste, hvis enheden ikke har skrevet nogen."
    )
    updated_at: dt.datetime = Field(
        description="Senest ændret: registerdata eller redaktørens indhold."
    )


class UnitPage(Schema):
    total: int = Field(description="Antal enheder i alt, der matcher filtrene.")
    limit: int = Field(description="Sidestørrelse.")
    offset: int = Field(description="Antal sprunget over.")
    items: list[UnitOut] = Field(description="Enhederne på denne side, sorteret efter id.")


class AgreementOut(Schema):
    id: int = Field(description="Plejeoverblikkets id for aftalen.")
    kommune: str = Field(description="Aftalepartens kommunekode (3 cifre).")
    kommune_name: str = Field(description="Aftalepartens navn.")
    reference: str = Field(description="Aftaleidentifikation (kommunens egen reference).")
    type: AgreementType = Field(description="Aftaletype.")
    start: dt.date = Field(description="Startdato.")
    end: dt.date | None = Field(description="Slutdato; `null` = uden slutdato.")
    unit_id: int = Field(description="Enhedens id (se `/units/{id}`).")
    unit_sor_id: str | None = Field(description="Enhedens SOR-ID.")
    unit_name: str = Field(description="Enhedens navn.")
    shown_in_search: bool = Field(
        description="Om aftalen får enheden vist i kommunens søgning i dag. En "
        "driftsoverenskomst om helhedspleje tæller først, når leverandøren har skrevet sin "
        "aftalebeskrivelse."
    )


class AgreementPage(Schema):
    total: int = Field(description="Antal aftaler i alt, der matcher filtrene.")
    limit: int = Field(description="Sidestørrelse.")
    offset: int = Field(description="Antal sprunget over.")
    items: list[AgreementOut] = Field(description="Aftalerne på denne side, sorteret efter id.")


class AuthorityOut(Schema):
    name: str = Field(description="Tilsynsmyndighedens navn.")
    municipalities: list[MunicipalityRef] = Field(
        description="Kommuner, myndigheden fører tilsyn i i dag, sorteret efter kommunekode."
    )


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
    return timezone.localdate()


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
    payload = UnitPage(total=total, limit=limit, offset=offset, items=items)
    return _json(request, payload, max((i["updated_at"] for i in items), default=None))


@api.get(
    "/units/{id}",
    response={200: UnitOut, 304: None, 400: Error, 404: Error, 410: Error, 422: Error},
    operation_id="getUnit",
    summary="Én enhed",
    description="Én vist enhed. 404, hvis enheden ikke findes eller ikke er offentliggjort; "
    "410, hvis den er lukket i SOR.",
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
    return _json(request, UnitOut(**record), record["updated_at"])


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
    payload = AgreementPage(total=total, limit=limit, offset=offset, items=items)
    return _json(request, payload, last)


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


api.add_router("/tilsyn", supervision_router)  # for supervisors only: plov.supervision.api

"""The public search: plain query functions, no HTTP. Its parts: the query and its parsing
(plov.public.query), municipality and place (plov.public.places), the filters and the form's
choices (plov.public.filters), text folding (plov.folding); here the search itself.

`search(params)` takes the query parameters (a `QueryDict` or a plain mapping) and returns a
`SearchResult`: the parsed query, blocking errors, notices, the page of results with what a
result shows, and every result's position for the map. Input a citizen typed wrongly never
raises: it becomes a Danish message in `errors` (the search was not run; views answer 400) or in
`notices` (the search ran with a sensible correction, e.g. a page number past the end; 200).

Parameters (names as in the URL):

    type         "plejehjem" (care homes, default) or "helhedspleje" (home-care sites)
    kommune      kommunekode ("751", "0751") or name ("Aarhus", "aarhus kommune")
    adresse      postcode ("8000") or address ("Solvej 4, 8000"), geocoded from DAR in the
                 database; results get a distance and must lie within `afstand`
    afstand      radius in km: 2, 5, 10, 20 or 50 (default 10)
    navn         part of the unit's name, tolerant of case, æ/ae, ø/oe, å/aa and small typos
    boligtype    housing type (repeatable)        egenskab   property id (repeatable, all)
    faggruppe    profession id (repeatable, all)  faste_teams  "1": only fixed teams
    ejerform     municipal/private/friplejebolig/lokalplejehjem (repeatable, any)
    tilsyn       latest supervision status (repeatable, any)
    sanktion     "uden" or "med" a sanction in force
    pris_max     care homes whose total monthly cost is at most this (kr.; plov.public.search_costs)
    sorter       relevans, navn, afstand, boliger, pris (total monthly cost, lowest first)
    side         page number

A municipality search shows exactly `visible_units(code)` (DOMAIN.md §5); every other search
shows published, open units. Queries per call are constant: one for the municipality list
(when `kommune` is given), one for geocoding, one for the candidate rows, and four for the
page (units with owner/content/image and annotations, agreements, renditions, CVR figures).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from plov import clock
from plov.agreements.models import ServiceAgreement
from plov.folding import danish_sort_key, normalise
from plov.public import search_costs
from plov.public.filters import (  # filter_options: re-exported for callers of this module
    _filtered,
    filter_options,  # noqa: F401
    latest_status_subquery,
    owner_type,
    owner_type_labels,
)
from plov.public.places import Origin, find_municipality, geocode
from plov.public.query import (
    SearchError,
    SearchQuery,
    effective_sort,
    parse,
)
from plov.publishing.listing import shown_staff
from plov.publishing.visibility import visible_units
from plov.registers.models import CvrProductionUnit
from plov.supervision.models import Sanction, SupervisionFeedback, SupervisionStatus
from plov.units.formatting import content_of, format_address, interval_label, unit_slug
from plov.units.models import (
    HousingType,
    Municipality,
    Unit,
    UnitContent,
)

PAGE_SIZE = 20
IMAGE_SPEC = "fill-320x200"
NAME_THRESHOLD = 88
# Words so common in names that a query may use another one ("Plejehjemmet Solgården" for
# "Plejecenter Solgården"): they count only when the query has nothing else.
GENERIC_WORDS = {
    "plejehjem",
    "plejehjemmet",
    "plejecenter",
    "plejecentret",
    "plejecentre",
    "center",
    "centret",
    "omsorgscenter",
    "omsorgscentret",
    "plejebolig",
    "plejeboliger",
    "boliger",
    "aeldrecenter",
    "hjemmepleje",
    "helhedspleje",
    "hjemmeplejen",
    "kommune",
    "og",
    "i",
}


def sort_labels() -> dict[str, str]:
    return {
        "relevans": _("Bedste match"),
        "navn": _("Navn (A-Å)"),
        "afstand": _("Afstand (nærmeste først)"),
        "boliger": _("Antal boliger (flest først)"),
        "pris": _("Pris pr. måned (lavest først)"),
    }


# --------------------------------------------------------------------------------------------
# The result (the query: plov.public.query; municipality and place: plov.public.places)


@dataclass
class ResultItem:
    unit: Unit
    slug: str
    address: str
    distance_km: float | None
    owner_type: str
    owner_type_label: str
    homes: int | None
    housing_type: str
    employees: int | None
    employees_interval: str | None
    fixed_teams: bool | None
    supervision_status: str
    supervision_label: str
    supervision_date: dt.date | None
    sanction_in_force: bool
    image: object | None
    monthly_total: int | None = None  # care homes: the total monthly cost, when fully known


@dataclass
class ResultPoint:
    """A result's position, for the map (every result, not only the page)."""

    id: int
    name: str
    slug: str
    address: str
    latitude: float
    longitude: float
    distance_km: float | None


@dataclass
class SearchResult:
    query: SearchQuery
    errors: list[SearchError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    municipality: Municipality | None = None
    origin: Origin | None = None
    heading: str = ""
    total: int = 0
    page: int = 1
    num_pages: int = 1
    page_size: int = PAGE_SIZE
    items: list[ResultItem] = field(default_factory=list)
    points: list[ResultPoint] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def status_code(self) -> int:
        return 400 if self.errors else 200

    @property
    def errors_by_field(self) -> dict[str, str]:
        return {e.field: e.message for e in self.errors}

    @property
    def address_choices(self) -> list[dict[str, str]]:
        """The places an ambiguous `adresse` may mean, each with the query that searches it."""
        return [
            {"label": choice, "querystring": self.query.querystring(adresse=choice, side="")}
            for e in self.errors
            if e.field == "adresse"
            for choice in e.choices
        ]

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.page_size, self.total)

    @property
    def sort_options(self) -> list[tuple[str, str]]:
        labels = sort_labels()
        options = []
        if self.query.name:
            options.append("relevans")
        if self.origin:
            options.append("afstand")
        options.append("navn")
        if self.query.is_care_homes:
            options.extend(("boliger", "pris"))
        return [(key, labels[key]) for key in options]

    @property
    def sort(self) -> str:
        return effective_sort(self.query, self.origin)

    @property
    def page_numbers(self) -> list[int | None]:
        """Page links to show: first, last and two around the current; None is a gap."""
        shown = sorted(
            {
                1,
                self.num_pages,
                *range(max(1, self.page - 2), min(self.num_pages, self.page + 2) + 1),
            }
        )
        numbers: list[int | None] = []
        for number in shown:
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


# --------------------------------------------------------------------------------------------
# Distance and name matching (addresses, slugs and labels: plov.units.formatting)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _token_similarity(query_token: str, name_token: str) -> float:
    score = fuzz.ratio(query_token, name_token)
    if len(query_token) >= 3 and name_token.startswith(query_token):
        score = max(score, 92.0)
    elif len(query_token) >= 4 and query_token in name_token:
        score = max(score, 88.0)
    return score


def name_score(query: str, name: str) -> float:
    """How well a normalised query matches a normalised name, 0–100.

    Every significant word of the query must match a word of the name (exactly, as its
    beginning, inside it, or with a small typo); the name written without spaces is compared
    too ('sol gaarden' → 'solgaarden')."""
    query_tokens = query.split()
    name_tokens = name.split()
    if not query_tokens or not name_tokens:
        return 0.0
    significant = [t for t in query_tokens if t not in GENERIC_WORDS] or query_tokens
    name_significant = [t for t in name_tokens if t not in GENERIC_WORDS] or name_tokens
    per_token = [max(_token_similarity(t, n) for n in name_tokens) for t in significant]
    score = min(per_token)
    compact_query, compact_name = "".join(significant), "".join(name_significant)
    score = max(score, fuzz.ratio(compact_query, compact_name))
    if len(compact_query) >= 6:
        score = max(score, fuzz.partial_ratio(compact_query, compact_name) - 5)
    return score


# --------------------------------------------------------------------------------------------
# The search


def municipality_label(municipality: Municipality) -> str:
    """The municipality as a heading names it: its official name ("Københavns Kommune"); in
    English "Aarhus Municipality", "Bornholm Regional Municipality"."""
    if (get_language() or "").startswith("en"):
        regional = municipality.full_name.endswith("Regionskommune")
        return f"{municipality.name} {'Regional Municipality' if regional else 'Municipality'}"
    return municipality.full_name


def _heading(query: SearchQuery, municipality: Municipality | None, origin: Origin | None) -> str:
    # plural in English ("Care homes in …"): its own context, not the unit page's "Care home"
    what = (
        pgettext("results heading", "Plejehjem")
        if query.is_care_homes
        else pgettext("results heading", "Helhedspleje")
    )
    label = municipality_label(municipality) if municipality else ""
    if municipality and origin:
        text = _("%(what)s i %(municipality)s nær %(place)s") % {
            "what": what,
            "municipality": label,
            "place": origin.label,
        }
    elif municipality:
        text = _("%(what)s i %(municipality)s") % {"what": what, "municipality": label}
    elif origin:
        text = _("%(what)s nær %(place)s") % {"what": what, "place": origin.label}
    elif query.name:
        text = _("%(what)s med «%(name)s» i navnet") % {"what": what, "name": query.name}
    else:
        text = _("%(what)s i hele Danmark") % {"what": what}
    if query.name and (municipality or origin):
        text += " " + _("med «%(name)s» i navnet") % {"name": query.name}
    return text


def search(params, *, today: dt.date | None = None, page_size: int = PAGE_SIZE) -> SearchResult:
    today = today or clock.today()
    query, errors, notices = parse(params)
    result = SearchResult(query=query, errors=errors, notices=notices, page_size=page_size)

    if query.municipality and not result.errors_by_field.get("kommune"):
        municipality, error, notice = find_municipality(query.municipality)
        result.municipality = municipality
        if error:
            result.errors.append(error)
        if notice:
            result.notices.append(notice)
    if query.where and not result.errors_by_field.get("adresse"):
        result.origin, error = geocode(query.where)
        if error:
            result.errors.append(error)
    wanted_name = normalise(query.name)
    if query.name and not wanted_name and not result.errors_by_field.get("navn"):
        result.errors.append(SearchError("navn", _("Skriv mindst ét bogstav eller tal af navnet.")))
    if result.errors:
        result.heading = (
            _("Søg efter plejehjem") if query.is_care_homes else _("Søg efter helhedspleje")
        )
        return result
    result.heading = _heading(query, result.municipality, result.origin)

    if result.municipality:
        units = visible_units(result.municipality.code, today)
    else:
        units = Unit.objects.published()
    units = _filtered(units, query, today)

    # One query for every candidate: just what sorting, distance and the map need.
    rows = list(
        units.values(
            "id",
            "name",
            "latitude",
            "longitude",
            "visiting_address",
            "content__homes",
            monthly_total=search_costs.total_expression(),
        )
    )

    scores: dict[int, float] = {}
    if wanted_name:
        for row in rows:
            scores[row["id"]] = name_score(wanted_name, normalise(row["name"]))
        rows = [row for row in rows if scores[row["id"]] >= NAME_THRESHOLD]

    distances: dict[int, float] = {}
    origin = result.origin
    if origin:
        kept = []
        for row in rows:
            if row["latitude"] is None or row["longitude"] is None:
                continue
            distance = haversine_km(
                origin.latitude, origin.longitude, row["latitude"], row["longitude"]
            )
            if distance <= query.radius:
                distances[row["id"]] = distance
                kept.append(row)
        rows = kept

    if query.sort == "afstand" and origin is None:
        result.notices.append(
            _("Du kan kun sortere efter afstand, når du søger på et postnummer eller en adresse.")
        )
    sort = effective_sort(query, origin)
    rows.sort(key=lambda r: (danish_sort_key(r["name"]), r["id"]))
    if sort == "relevans":
        rows.sort(key=lambda r: -scores[r["id"]])
    elif sort == "afstand":
        rows.sort(key=lambda r: distances[r["id"]])
    elif sort == "boliger":
        rows.sort(key=lambda r: -(r["content__homes"] or -1))
    elif sort == "pris":
        search_costs.sort_by_total(rows)

    result.total = len(rows)
    result.num_pages = max(1, math.ceil(result.total / page_size))
    if query.page > result.num_pages and result.total:
        result.notices.append(
            _("Side %(page)s findes ikke. Der er %(pages)d sider, og vi viser den sidste.")
            % {"page": query.page_text or query.page, "pages": result.num_pages}
            if result.num_pages > 1
            else _("Side %(page)s findes ikke. Vi viser side 1.")
            % {"page": query.page_text or query.page}
        )
    query.page = min(query.page, result.num_pages)
    result.page = query.page

    result.points = [
        ResultPoint(
            id=row["id"],
            name=row["name"],
            slug=unit_slug(row["name"]),
            address=format_address(row["visiting_address"]),
            latitude=row["latitude"],
            longitude=row["longitude"],
            distance_km=distances.get(row["id"]),
        )
        for row in rows
        if row["latitude"] is not None and row["longitude"] is not None
    ]
    start = (result.page - 1) * page_size
    page_rows = rows[start : start + page_size]
    result.items = _page_items([row["id"] for row in page_rows], distances, today)
    return result


def _page_items(ids: list[int], distances: dict[int, float], today: dt.date) -> list[ResultItem]:
    """Everything a result shows, for one page of ids, in a constant number of queries."""
    if not ids:
        return []
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=IMAGE_SPEC)
    units = (
        Unit.objects.filter(pk__in=ids)
        .select_related("owner", "content", "content__image_1")
        .annotate(
            latest_status=latest_status_subquery(),
            latest_inspected_on=Subquery(
                SupervisionFeedback.objects.filter(unit=OuterRef("pk"))
                .order_by("-inspected_on", "-id")
                .values("inspected_on")[:1]
            ),
            sanction_in_force=Exists(Sanction.objects.in_force(today).filter(unit=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=ServiceAgreement.objects.in_force(today).only("id", "unit_id", "type"),
                to_attr="agreements_in_force",
            ),
            Prefetch("content__image_1__renditions", queryset=renditions),
        )
    )
    by_id = {unit.pk: unit for unit in units}
    contents = {pk: content_of(unit) for pk, unit in by_id.items()}
    p_numbers = [c.p_number for c in contents.values() if c and c.p_number]
    production_units = CvrProductionUnit.objects.in_bulk(p_numbers, field_name="p_number")
    labels = owner_type_labels()
    status_labels = dict(SupervisionStatus.choices)
    housing_labels = dict(HousingType.choices)

    items = []
    for pk in ids:
        unit = by_id.get(pk)
        if unit is None:
            continue
        content = contents[pk]
        staff = shown_staff(content, production_units.get(content.p_number) if content else None)
        kind = owner_type({a.type for a in unit.agreements_in_force}, unit.owner.kind)
        items.append(
            ResultItem(
                unit=unit,
                slug=unit_slug(unit.name),
                address=format_address(unit.visiting_address),
                distance_km=distances.get(pk),
                owner_type=kind,
                owner_type_label=labels[kind],
                homes=content.homes if content else None,
                housing_type=housing_labels.get(content.housing_type, "") if content else "",
                employees=staff["employees"],
                employees_interval=interval_label(staff["employees_interval"]),
                fixed_teams=content.fixed_teams if content else None,
                supervision_status=unit.latest_status or "",
                supervision_label=status_labels.get(unit.latest_status, ""),
                supervision_date=unit.latest_inspected_on,
                sanction_in_force=unit.sanction_in_force,
                image=content.image_1 if content else None,
                monthly_total=_monthly_total(content),
            )
        )
    return items


def _monthly_total(content: UnitContent | None) -> int | None:
    from plov.units.costs import monthly_cost

    cost = monthly_cost(content) if content is not None else None
    return cost.total if cost else None

"""The public search: plain query functions, no HTTP.

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
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Avg, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.folding import fold
from plov.public import search_costs
from plov.publishing.listing import shown_staff
from plov.publishing.visibility import visible_units
from plov.registers.addresses import match_key, normalise_house_number, normalise_street
from plov.registers.dar import VALID_STATUSES
from plov.registers.models import CvrProductionUnit, DarAddress, DarPostcode
from plov.supervision.models import Sanction, SupervisionFeedback, SupervisionStatus
from plov.units.homecare import LANGUAGES
from plov.units.models import (
    HousingType,
    Municipality,
    Organisation,
    Profession,
    Property,
    Unit,
    UnitContent,
    UnitKind,
)

PAGE_SIZE = 20
CARE_HOMES, HOME_CARE = "plejehjem", "helhedspleje"
KINDS = {CARE_HOMES: UnitKind.CARE_HOME, HOME_CARE: UnitKind.HOME_CARE_SITE}
RADII = (2, 5, 10, 20, 50)
DEFAULT_RADIUS = 10
SORTS = ("relevans", "navn", "afstand", "boliger", "pris")
SANCTION_CHOICES = ("uden", "med")
OWNER_TYPES = ("municipal", "private", "friplejebolig", "lokalplejehjem")
IMAGE_SPEC = "fill-320x200"
MAX_TEXT = 100
MAX_PAGE_DIGITS = 6
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
TEXT_FIELDS = ("kommune", "adresse", "navn")
HTML_CHARS = re.compile(r"[<>]")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def owner_type_labels() -> dict[str, str]:
    return {
        "municipal": _("Kommunal"),
        "private": _("Privat"),
        "friplejebolig": _("Friplejebolig"),
        "lokalplejehjem": _("Lokalplejehjem"),
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
# The parsed query


@dataclass
class SearchQuery:
    kind: str = CARE_HOMES
    municipality: str = ""
    where: str = ""
    radius: int = DEFAULT_RADIUS
    name: str = ""
    housing_types: list[str] = field(default_factory=list)
    properties: list[int] = field(default_factory=list)
    professions: list[int] = field(default_factory=list)
    fixed_teams: bool = False
    languages: list[str] = field(default_factory=list)  # home care: codes of homecare.LANGUAGES
    owner_types: list[str] = field(default_factory=list)
    supervision: list[str] = field(default_factory=list)
    sanction: str = ""
    max_cost: int | None = None
    sort: str = ""
    page: int = 1
    page_text: str = field(default="", repr=False, compare=False)  # as typed, for messages

    @property
    def unit_kind(self) -> str:
        return KINDS[self.kind]

    @property
    def is_care_homes(self) -> bool:
        return self.kind == CARE_HOMES

    @property
    def filter_count(self) -> int:
        return sum(
            (
                len(self.housing_types),
                len(self.properties),
                len(self.professions),
                int(self.fixed_teams),
                len(self.languages),
                len(self.owner_types),
                len(self.supervision),
                int(bool(self.sanction)),
                int(self.max_cost is not None),
            )
        )

    def as_params(self, **changes) -> list[tuple[str, str]]:
        """The query as URL parameters (defaults left out), with `changes` applied."""
        values = {
            "type": self.kind if self.kind != CARE_HOMES else "",
            "kommune": self.municipality,
            "adresse": self.where,
            "afstand": str(self.radius) if self.where and self.radius != DEFAULT_RADIUS else "",
            "navn": self.name,
            "boligtype": self.housing_types,
            "egenskab": [str(p) for p in self.properties],
            "faggruppe": [str(p) for p in self.professions],
            "faste_teams": "1" if self.fixed_teams else "",
            "sprog": self.languages,
            "ejerform": self.owner_types,
            "tilsyn": self.supervision,
            "sanktion": self.sanction,
            "pris_max": "" if self.max_cost is None else str(self.max_cost),
            "sorter": self.sort,
            "side": str(self.page) if self.page != 1 else "",
        }
        values.update(changes)
        pairs: list[tuple[str, str]] = []
        for key, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                if item not in ("", None):
                    pairs.append((key, str(item)))
        return pairs

    def querystring(self, **changes) -> str:
        return urlencode(self.as_params(**changes))


@dataclass
class SearchError:
    field: str  # the parameter (and the form field's id) it concerns
    message: str
    # what the user may have meant: values for the same parameter, shown as links
    choices: list[str] = field(default_factory=list)


@dataclass
class Origin:
    label: str
    latitude: float
    longitude: float


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
# Text helpers


def normalise(text: str) -> str:
    """'Plejecenter Solgården' → 'plejecenter solgaarden'; 'SOLGAARDEN' → 'solgaarden'."""
    return fold(text)


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "é": "e"})


def danish_sort_key(name: str) -> str:
    """Danish alphabetical order: … x y z æ ø å (and 'aa' as 'å')."""
    text = unicodedata.normalize("NFC", name).casefold().replace("aa", "å")
    return text.translate(_DANISH_ORDER)


def format_address(address: dict | None) -> str:
    if not address:
        return ""
    street = " ".join(p for p in (address.get("street"), address.get("house_number")) if p)
    floor_door = ". ".join(p for p in (address.get("floor"), address.get("door")) if p)
    if floor_door:
        street = f"{street}, {floor_door}"
    town = " ".join(p for p in (address.get("postcode"), address.get("district")) if p)
    return ", ".join(p for p in (street, town) if p)


def unit_slug(name: str) -> str:
    from plov.public.unitpage import unit_slug as canonical_slug

    return canonical_slug(name)


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
# Parsing


def _get(params, name: str) -> str:
    value = params.get(name, "") if params is not None else ""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value or "")


def _getlist(params, name: str) -> list[str]:
    if params is None:
        return []
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name, [])
        values = list(value) if isinstance(value, list | tuple) else [value]
    return [str(v) for v in values if v not in ("", None)]


def _ints(values: list[str]) -> list[int]:
    result = []
    for value in values:
        if value.isdigit() and len(value) <= 9 and int(value) not in result:
            result.append(int(value))
    return result


def parse(params) -> tuple[SearchQuery, list[SearchError], list[str]]:
    """Read the parameters; never raises. Text is kept as typed (stripped) for the form."""
    errors: list[SearchError] = []
    notices: list[str] = []
    query = SearchQuery()

    kind = _get(params, "type").strip().lower()
    query.kind = kind if kind in KINDS else CARE_HOMES

    for name, attr in (("kommune", "municipality"), ("adresse", "where"), ("navn", "name")):
        text = " ".join(_get(params, name).split())
        if HTML_CHARS.search(text) or CONTROL_CHARS.search(text):
            errors.append(
                SearchError(
                    name,
                    _("Feltet må ikke indeholde tegnene < og >. Skriv kun bogstaver og tal."),
                )
            )
            text = HTML_CHARS.sub("", CONTROL_CHARS.sub("", text))[:MAX_TEXT]
        elif len(text) > MAX_TEXT:
            errors.append(
                SearchError(
                    name, _("Teksten er for lang. Skriv højst %(n)d tegn.") % {"n": MAX_TEXT}
                )
            )
            text = text[:MAX_TEXT]
        setattr(query, attr, text)

    radius = _get(params, "afstand").strip().removesuffix("km").strip()
    if radius:
        if radius.isdigit() and len(radius) <= 3 and int(radius) in RADII:
            query.radius = int(radius)
        else:
            notices.append(
                _("Afstanden skal være 2, 5, 10, 20 eller 50 km. Vi bruger %(km)d km.")
                % {"km": DEFAULT_RADIUS}
            )

    valid_housing = {choice.value for choice in HousingType}
    query.housing_types = [
        v for v in dict.fromkeys(_getlist(params, "boligtype")) if v in valid_housing
    ]
    query.properties = _ints(_getlist(params, "egenskab"))
    query.professions = _ints(_getlist(params, "faggruppe"))
    query.fixed_teams = _get(params, "faste_teams").strip().lower() in ("1", "ja", "on", "true")
    wanted_languages = set(_getlist(params, "sprog"))
    query.languages = [code for code, _label in LANGUAGES if code in wanted_languages]
    query.owner_types = [v for v in dict.fromkeys(_getlist(params, "ejerform")) if v in OWNER_TYPES]
    valid_status = {choice.value for choice in SupervisionStatus}
    query.supervision = [v for v in dict.fromkeys(_getlist(params, "tilsyn")) if v in valid_status]
    sanction = _get(params, "sanktion").strip().lower()
    query.sanction = sanction if sanction in SANCTION_CHOICES else ""
    if query.is_care_homes:
        query.max_cost, notice = search_costs.parse_max_cost(_get(params, "pris_max"))
        if notice:
            notices.append(notice)
    sort = _get(params, "sorter").strip().lower()
    query.sort = sort if sort in SORTS else ""

    page = _get(params, "side").strip()
    query.page_text = page[:20]
    if page:
        if page.isdigit() and len(page) <= MAX_PAGE_DIGITS and int(page) >= 1:
            query.page = int(page)
        elif page.isdigit() and len(page) > MAX_PAGE_DIGITS:
            query.page = 10**MAX_PAGE_DIGITS  # far past the end: corrected below
        else:
            notices.append(
                _("Sidetallet «%(page)s» findes ikke. Vi viser side 1.") % {"page": page[:20]}
            )
    return query, errors, notices


def effective_sort(query: SearchQuery, origin: Origin | None) -> str:
    sort = query.sort
    if sort == "afstand" and origin is None:
        sort = ""
    if sort == "relevans" and not query.name:
        sort = ""
    if sort in ("boliger", "pris") and not query.is_care_homes:
        sort = ""
    if not sort:
        sort = "afstand" if origin else ("relevans" if query.name else "navn")
    return sort


# --------------------------------------------------------------------------------------------
# Municipality and location


def find_municipality(text: str) -> tuple[Municipality | None, SearchError | None, str | None]:
    """A kommunekode or a name → (municipality, error, notice). One query."""
    municipalities = list(Municipality.objects.all())
    cleaned = text.strip()
    if cleaned.isdigit():
        code = int(cleaned) if len(cleaned) <= 4 else -1
        found = next((m for m in municipalities if m.code == code), None)
        if found is None:
            return (
                None,
                SearchError(
                    "kommune",
                    _(
                        "Der findes ingen kommune med kommunekoden %(code)s. "
                        "Skriv kommunens navn, fx Aarhus, eller en kode med tre cifre, fx 751."
                    )
                    % {"code": cleaned[:10]},
                ),
                None,
            )
        return found, None, None

    wanted = normalise(cleaned)
    wanted = re.sub(r"\b(kommune|kommunes|municipality)\b", " ", wanted).strip()
    wanted = " ".join(wanted.split())
    by_name = {normalise(m.name): m for m in municipalities}
    for candidate in (wanted, wanted.removesuffix("s")):
        if candidate in by_name:
            return by_name[candidate], None, None
    best = process.extractOne(wanted, list(by_name), scorer=fuzz.ratio) if wanted else None
    if best and best[1] >= 85:
        found = by_name[best[0]]
        return found, None, _("Vi viser resultater for %(name)s.") % {"name": str(found)}
    hint = ""
    if best and best[1] >= 60:
        hint = " " + _("Mente du %(name)s?") % {"name": by_name[best[0]].name}
    return (
        None,
        SearchError(
            "kommune",
            _("Vi kender ikke kommunen «%(text)s».") % {"text": cleaned}
            + hint
            + " "
            + _("Skriv kommunens navn, fx Aarhus eller Frederiksberg."),
        ),
        None,
    )


POSTCODE = re.compile(r"^(\d{4})(?:\s+(?P<town>[^\d,]+))?$")
LOOKS_LIKE_POSTCODE = re.compile(r"^(?=.*\d)[\w-]{1,6}$")
ADDRESS = re.compile(
    r"^(?P<street>.*?[^\W\d_].*?)[\s,]+(?P<number>\d{1,4}\s?[^\W\d_]?)(?=$|[\s,.])(?P<rest>.*)$"
)


def geocode(text: str) -> tuple[Origin | None, SearchError | None]:
    """A postcode or a town's name (the centre of its DAR addresses), or an address matched on
    DAR. One query (the postcodes' centres are kept by the DAR import: DarPostcode)."""
    text = " ".join(text.replace(";", ",").split())
    postcode_match = POSTCODE.match(text)
    if postcode_match:
        return _postcode_centre(postcode_match.group(1))
    if LOOKS_LIKE_POSTCODE.match(text):
        return None, SearchError(
            "adresse",
            _("«%(text)s» er ikke et postnummer. Et postnummer har fire cifre, fx 8000.")
            % {"text": text},
        )
    if not any(ch.isdigit() for ch in text):
        town = _town_centre(text)
        if town:
            return town, None
    street_match = STREET_IN_POSTCODE.match(text)
    if street_match:
        found = _street_centre(street_match.group("street"), street_match.group("postcode"))
        if found:
            return found
    address_match = ADDRESS.match(text)
    if not address_match:
        found = _street_centre(text) if not any(ch.isdigit() for ch in text) else None
        if found:
            return found
        return None, SearchError(
            "adresse",
            _(
                "Skriv et postnummer, fx 8000, eller en adresse med vejnavn, husnummer og "
                "postnummer, fx Solvej 4, 8000."
            ),
        )
    street = address_match.group("street").strip(" ,")
    number = normalise_house_number(address_match.group("number"))
    postcode = re.search(r"\b(\d{4})\b", address_match.group("rest"))
    addresses = DarAddress.objects.filter(status__in=VALID_STATUSES, latitude__isnull=False)
    if postcode:
        addresses = addresses.filter(match_key=match_key(street, number, postcode.group(1)))
    else:
        prefix = match_key(street, number, "")
        addresses = addresses.filter(match_key__startswith=prefix)
    rows = list(
        addresses.values(
            "street_name", "house_number", "postcode", "postcode_name", "latitude", "longitude"
        )[:50]
    )
    if not rows:
        return None, SearchError(
            "adresse",
            _(
                "Vi kan ikke finde adressen «%(text)s». Tjek stavemåden, eller søg på "
                "postnummer, fx 8000."
            )
            % {"text": text},
        )
    postcodes = {r["postcode"] for r in rows}
    if len(postcodes) > 1:
        places = sorted({(r["postcode"], r["postcode_name"], r["street_name"]) for r in rows})
        return None, SearchError(
            "adresse",
            _("Der er flere adresser, der hedder «%(text)s». Skriv også postnummeret, fx %(ex)s.")
            % {
                "text": text,
                "ex": f"{rows[0]['street_name']} {rows[0]['house_number']}, {sorted(postcodes)[0]}",
            },
            choices=[
                f"{street_name} {rows[0]['house_number']}, {code} {town}".strip()
                for code, town, street_name in places[:MAX_CHOICES]
            ],
        )
    first = rows[0]
    street_part = f"{first['street_name']} {first['house_number']}"
    label = f"{street_part}, {first['postcode']} {first['postcode_name']}"
    return Origin(
        label=label.strip(),
        latitude=sum(r["latitude"] for r in rows) / len(rows),
        longitude=sum(r["longitude"] for r in rows) / len(rows),
    ), None


STREET_IN_POSTCODE = re.compile(
    r"^(?P<street>[^\d,]*[^\W\d_][^\d,]*),\s*(?P<postcode>\d{4})\b[^\d,]*$"
)
MAX_CHOICES = 10


def _street_centre(
    text: str, postcode: str | None = None
) -> tuple[Origin | None, SearchError | None] | None:
    """A street without a house number: the centre of its addresses, when the name (and the
    postcode, if given) leaves one street; the streets to choose from when it leaves several;
    None when no street has the name. One query on the match key's prefix index."""
    prefix = f"{normalise_street(text)}|"
    if prefix == "|":
        return None
    streets = list(
        DarAddress.objects.filter(
            match_key__startswith=prefix, status__in=VALID_STATUSES, latitude__isnull=False
        )
        .filter(**({"postcode": postcode} if postcode else {}))
        .values("postcode")
        .annotate(
            street=Max("street_name"),
            town=Max("postcode_name"),
            latitude=Avg("latitude"),
            longitude=Avg("longitude"),
        )
        .order_by("postcode")[: MAX_CHOICES + 1]
    )
    labels = [f"{s['street']}, {s['postcode']} {s['town']}".strip() for s in streets]
    if len(streets) == 1:
        only = streets[0]
        return Origin(label=labels[0], latitude=only["latitude"], longitude=only["longitude"]), None
    if not streets:
        return None
    return None, SearchError(
        "adresse",
        _("Vejen «%(text)s» findes i flere postnumre. Vælg den, du mener:") % {"text": text},
        choices=labels[:MAX_CHOICES],
    )


def _postcode_centre(postcode: str) -> tuple[Origin | None, SearchError | None]:
    centre = DarPostcode.objects.filter(postcode=postcode).first()
    if centre is None:
        return None, SearchError(
            "adresse",
            _("Vi kender ikke postnummeret %(postcode)s. Tjek, at det er skrevet rigtigt.")
            % {"postcode": postcode},
        )
    label = f"{postcode} {centre.name}".strip()
    return Origin(label=label, latitude=centre.latitude, longitude=centre.longitude), None


def _town_key(text: str) -> str:
    """'Viby J', 'viby  j', 'AEROESKOEBING' and 'Ærøskøbing' alike."""
    text = " ".join(unicodedata.normalize("NFC", text).casefold().replace(".", " ").split())
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def _town_centre(text: str) -> Origin | None:
    """A postcode's name (postnrnavn), e.g. Viby J: the centre of its addresses, over every
    postcode of that name (København K has many)."""
    wanted = _town_key(text)
    matches = [p for p in DarPostcode.objects.all() if _town_key(p.name) == wanted]
    total = sum(p.addresses for p in matches)
    if not total:
        return None
    return Origin(
        label=matches[0].name,
        latitude=sum(p.latitude * p.addresses for p in matches) / total,
        longitude=sum(p.longitude * p.addresses for p in matches) / total,
    )


# --------------------------------------------------------------------------------------------
# The search


def latest_status_subquery() -> Subquery:
    return Subquery(
        SupervisionFeedback.objects.filter(unit=OuterRef("pk"))
        .order_by("-inspected_on", "-id")
        .values("status")[:1]
    )


def _agreement_type_exists(type_: str, today: dt.date) -> Exists:
    return Exists(ServiceAgreement.objects.in_force(today).filter(unit=OuterRef("pk"), type=type_))


def owner_type(agreement_types: set[str], owner_kind: str) -> str:
    """Municipal / private / friplejebolig / lokalplejehjem: from the agreements in force,
    else from the owner."""
    if AgreementType.FREE_CARE_HOME in agreement_types:
        return "friplejebolig"
    if AgreementType.LOCAL_CARE_HOME in agreement_types:
        return "lokalplejehjem"
    if AgreementType.OWN_PRODUCTION in agreement_types:
        return "municipal"
    if AgreementType.OPERATING_AGREEMENT in agreement_types:
        return "private"
    return "municipal" if owner_kind == Organisation.Kind.MUNICIPALITY else "private"


def _owner_type_q(wanted: list[str]) -> Q:
    """Units whose `owner_type` is one of `wanted`; expects the has_* annotations."""
    free, local = Q(has_free=True), Q(has_local=True)
    own, operating = Q(has_own=True), Q(has_operating=True)
    none = ~free & ~local & ~own & ~operating
    conditions = {
        "friplejebolig": free,
        "lokalplejehjem": ~free & local,
        "municipal": (~free & ~local & own)
        | (none & Q(owner__kind=Organisation.Kind.MUNICIPALITY)),
        "private": (~free & ~local & ~own & operating)
        | (none & Q(owner__kind=Organisation.Kind.COMPANY)),
    }
    combined = Q(pk__in=[])
    for key in wanted:
        combined |= conditions[key]
    return combined


def _filtered(units: QuerySet[Unit], query: SearchQuery, today: dt.date) -> QuerySet[Unit]:
    units = units.filter(kind=query.unit_kind)
    if query.housing_types and query.is_care_homes:
        units = units.filter(content__housing_type__in=query.housing_types)
    through_properties = UnitContent.properties.through
    through_professions = UnitContent.professions.through
    if query.is_care_homes:
        for property_id in query.properties:
            units = units.filter(
                Exists(
                    through_properties.objects.filter(
                        unitcontent__unit=OuterRef("pk"), property_id=property_id
                    )
                )
            )
    for profession_id in query.professions:
        units = units.filter(
            Exists(
                through_professions.objects.filter(
                    unitcontent__unit=OuterRef("pk"), profession_id=profession_id
                )
            )
        )
    if query.fixed_teams:
        units = units.filter(content__fixed_teams=True)
    if query.max_cost is not None and query.is_care_homes:
        units = search_costs.with_max_cost(units, query.max_cost)
    if not query.is_care_homes:
        for code in query.languages:
            units = units.filter(speaks(code))
    if query.supervision:
        units = units.annotate(latest_status=latest_status_subquery()).filter(
            latest_status__in=query.supervision
        )
    if query.sanction:
        in_force = Exists(Sanction.objects.in_force(today).filter(unit=OuterRef("pk")))
        units = units.filter(in_force if query.sanction == "med" else ~in_force)
    if query.owner_types and len(query.owner_types) < len(OWNER_TYPES):
        units = units.annotate(
            has_free=_agreement_type_exists(AgreementType.FREE_CARE_HOME, today),
            has_local=_agreement_type_exists(AgreementType.LOCAL_CARE_HOME, today),
            has_own=_agreement_type_exists(AgreementType.OWN_PRODUCTION, today),
            has_operating=_agreement_type_exists(AgreementType.OPERATING_AGREEMENT, today),
        ).filter(_owner_type_q(query.owner_types))
    return units


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
    today = today or dt.date.today()
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
    contents = {pk: _content(unit) for pk, unit in by_id.items()}
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
                employees_interval=_interval_label(staff["employees_interval"]),
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


def _content(unit: Unit) -> UnitContent | None:
    try:
        return unit.content
    except UnitContent.DoesNotExist:
        return None


def _interval_label(code: str | None) -> str | None:
    """CVR's 'ANTAL_20_49' → '20–49' (shown as an interval, never as a number)."""
    if not code:
        return None
    numbers = re.findall(r"\d+", code)
    if len(numbers) == 2:
        return f"{numbers[0]}–{numbers[1]}"
    if len(numbers) == 1:
        return f"{numbers[0]}+"
    return None


# --------------------------------------------------------------------------------------------
# What the form offers


def speaks(code: str) -> Q:
    """Units whose staff speak `code` (a code of `homecare.LANGUAGES`): the unit's own list, or
    – when the unit has stated none – its provider's, as the unit page shows it."""
    pattern = rf"(^|,){re.escape(code)}(,|$)"
    own_none = Q(content__isnull=True) | Q(content__languages="")
    return Q(content__languages__regex=pattern) | (
        own_none & Q(parent__content__languages__regex=pattern)
    )


def filter_options() -> dict:
    """Choices for the search form and filters (three small queries)."""
    groups: dict[str, list[Property]] = {}
    for prop in Property.objects.all():
        groups.setdefault(prop.group, []).append(prop)
    return {
        "municipalities": [m.name for m in Municipality.objects.order_by("name")],
        "professions": list(Profession.objects.all()),
        "property_groups": list(groups.items()),
        "housing_types": list(HousingType.choices),
        "supervision": list(SupervisionStatus.choices),
        "owner_types": list(owner_type_labels().items()),
        "radii": RADII,
        "price_limits": search_costs.price_options(),
        "price_limit_values": search_costs.PRICE_LIMITS,
        "languages": [(code, str(label)) for code, label in LANGUAGES],
    }

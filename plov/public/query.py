"""The public search's query: `parse(params)` reads the URL's parameters into a `SearchQuery`
(and the errors and notices a citizen's input gives), never raising. Plain functions, no
HTTP; the parameters are listed in plov.public.search."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from plov.public import search_costs
from plov.supervision.models import SupervisionStatus
from plov.units.homecare import LANGUAGES
from plov.units.models import HousingType, UnitKind

if TYPE_CHECKING:
    from plov.public.places import Origin


CARE_HOMES, HOME_CARE = "plejehjem", "helhedspleje"
KINDS = {CARE_HOMES: UnitKind.CARE_HOME, HOME_CARE: UnitKind.HOME_CARE_SITE}
RADII = (2, 5, 10, 20, 50)
DEFAULT_RADIUS = 10
SORTS = ("relevans", "navn", "afstand", "boliger", "pris")
SANCTION_CHOICES = ("uden", "med")
OWNER_TYPES = ("municipal", "private", "friplejebolig", "lokalplejehjem")
MAX_TEXT = 100
MAX_PAGE_DIGITS = 6
TEXT_FIELDS = ("kommune", "adresse", "navn")
HTML_CHARS = re.compile(r"[<>]")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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

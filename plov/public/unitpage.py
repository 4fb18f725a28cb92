"""Everything the public unit page and the compare page show, loaded with a fixed number of
queries. Plain functions, no HTTP: the views in `views_unit` render what these return.

`load_unit(pk)` and `load_units_for_compare(ids)` share one loader that works on a list of
units, so the number of queries does not grow with the number of units, documents, agreements,
sanctions or results (about a dozen in all; images add two, and generating a missing image
rendition the first time adds a few).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Exists, OuterRef, Prefetch
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model

from plov import clock
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.public.search import municipality_label
from plov.publishing import sources as src
from plov.publishing.listing import shown_staff
from plov.publishing.rules import agreement_counts
from plov.publishing.sources import Source, unit_source
from plov.registers.models import CvrProductionUnit
from plov.supervision.authorities import authority_by_municipality
from plov.supervision.models import (
    FeedbackReply,
    QualityResult,
    Sanction,
    SanctionType,
    SupervisionFeedback,
    SupervisionStatus,
)
from plov.supervision.verdicts import attach_benchmarks, latest_per_code, rule_text
from plov.units.costs import (
    CARE_HOME_GUARANTEE_LAW_URL,
    COST_PARTS,
    HOUSING_BENEFIT_URL,
    MonthlyCost,
    Vacancies,
    monthly_cost,
    vacancies,
)
from plov.units.formatting import content_of, format_address, interval_label, unit_slug
from plov.units.homecare import HomeCareFact, home_care_facts
from plov.units.models import (
    HousingDescription,
    HousingType,
    Organisation,
    Unit,
    UnitContent,
    UnitDocument,
    UnitKind,
)
from plov.units.urls import unit_url

MAX_COMPARE = 4
# The largest id a database integer column holds: larger numbers are simply not units.
MAX_ID = 2**63 - 1

# Text sections an editor writes, in the order the page shows them (DOMAIN.md §4).
TEXT_FIELDS = [
    ("values", gettext_lazy("Værdier")),
    ("vision", gettext_lazy("Vision")),
    ("approaches", gettext_lazy("Faglige tilgange og metoder")),
    ("resident_relations", gettext_lazy("Relationen til beboerne")),
    ("relatives", gettext_lazy("Pårørende")),
    ("activities", gettext_lazy("Aktiviteter")),
    ("food", gettext_lazy("Mad og måltider")),
    ("surroundings", gettext_lazy("Omgivelser")),
    ("civil_society", gettext_lazy("Frivillige og lokalsamfund")),
]
HOME_CARE_TEXT_LABELS = {"resident_relations": gettext_lazy("Relationen til borgerne")}

KIND_LABELS = {
    UnitKind.CARE_HOME: gettext_lazy("Plejehjem"),
    UnitKind.HOME_CARE_SITE: gettext_lazy("Helhedspleje"),
    UnitKind.HOME_CARE_PROVIDER: gettext_lazy("Leverandør af helhedspleje"),
}

SOURCE_CVR = gettext_lazy("Fra CVR")
SOURCE_UNIT = gettext_lazy("Oplyst af enheden")

STAFF_EXPLANATIONS = {
    "employees": gettext_lazy(
        "Hvor mange personer der er ansat, uanset hvor mange timer de arbejder."
    ),
    "full_time_employees": gettext_lazy(
        "Hvor mange fuldtidsstillinger de ansatte svarer til tilsammen. "
        "To halvtidsansatte tæller som én fuldtidsstilling."
    ),
    "sick_leave_days": gettext_lazy(
        "Gennemsnitligt antal sygedage pr. fuldtidsansat i sidste kalenderår. Kun egen sygdom "
        "og arbejdsskader tæller med. En dag er 7,4 timer. Tallet gælder plejepersonalet, "
        "også elever."
    ),
    "leader_changes": gettext_lazy(
        "Hvor mange gange den øverste leder er skiftet de seneste fem år. "
        "Konstituerede ledere tæller med."
    ),
}

STATUS_EXPLANATIONS = {
    SupervisionStatus.NO_REMARKS: gettext_lazy("Tilsynet fandt ikke noget, der skal rettes."),
    SupervisionStatus.MINOR: gettext_lazy(
        "Tilsynet fandt mindre forhold, som stedet skal rette op på."
    ),
    SupervisionStatus.SIGNIFICANT: gettext_lazy(
        "Tilsynet fandt væsentlige problemer, som stedet skal rette op på."
    ),
    SupervisionStatus.CRITICAL: gettext_lazy(
        "Tilsynet fandt kritiske problemer med kvaliteten. Det kan føre til en sanktion."
    ),
}
# DKFDS badge variants: how worrying a status is, at a glance (never colour alone: text too).
STATUS_LEVELS = {
    SupervisionStatus.NO_REMARKS: "success",
    SupervisionStatus.MINOR: "info",
    SupervisionStatus.SIGNIFICANT: "warning",
    SupervisionStatus.CRITICAL: "error",
}

SANCTION_EXPLANATIONS = {
    SanctionType.ORDER: gettext_lazy(
        "Ældretilsynet har pålagt stedet at rette bestemte forhold inden for en frist."
    ),
    SanctionType.ADVICE_ORDER: gettext_lazy(
        "Stedet skal tage imod rådgivning og sparring for at forbedre kvaliteten."
    ),
    SanctionType.BAN_NEW_RESIDENTS: gettext_lazy(
        "Stedet må ikke tage imod nye beboere, så længe forbuddet gælder."
    ),
    SanctionType.BAN_NEW_CITIZENS: gettext_lazy(
        "Stedet må ikke tage imod nye borgere, så længe forbuddet gælder."
    ),
}

IMAGE_SPECS = {"main": "fill-960x640", "og": "fill-1200x630", "gallery": "fill-640x427"}


# --- Small value types -------------------------------------------------------------------------


@dataclass
class Section:
    key: str
    heading: str
    html: str


@dataclass
class StaffFigure:
    key: str
    label: str
    value: Decimal | int | None
    explanation: str
    source: str | None = None
    interval: str | None = None  # CVR's interval, e.g. "20–49", when CVR gives no number
    decimals: int = 0
    year: int | None = None  # the year CVR's figure is for
    origin: Source | None = None  # source and date, as every page shows them

    @property
    def format(self) -> str:
        """The `floatformat` argument: Danish grouping, a decimal only when there is one."""
        return "-1g" if self.decimals else "0g"

    @property
    def known(self) -> bool:
        return self.value is not None or bool(self.interval)


@dataclass
class Picture:
    url: str
    width: int
    height: int
    alt: str


@dataclass
class Offering:
    """A municipality whose citizens can choose the unit (a counting agreement in force)."""

    code: int
    name: str
    agreement_type: str
    agreement_type_label: str
    description: str = ""
    slug: str = ""  # for its "Sådan søger du" page (/kommune/<slug>/ansoeg/)


@dataclass
class PriceRange:
    low: int
    high: int

    @property
    def single(self) -> bool:
        return self.low == self.high


@dataclass
class UnitPageData:
    unit: Unit
    content: UnitContent | None
    provider: Unit | None  # a home-care site's provider (the aggregate with the descriptions)
    provider_content: UnitContent | None
    slug: str
    url: str
    kind_label: str
    owner_label: str
    visiting_address: str
    postal_address: str
    activity_address: str
    phone: str
    phone_link: str
    email: str
    website: str
    website_label: str
    leader_name: str
    sections: list[Section]
    provider_sections: list[Section]
    food_link: str
    fixed_teams: bool | None
    professions: list[str]
    properties: list[tuple[str, list[str]]]
    pictures: list[Picture]
    og_image: Picture | None
    housing_descriptions: list[HousingDescription]
    housing_type_label: str
    rent: PriceRange | None
    deposit: PriceRange | None
    staff: list[StaffFigure]
    documents: list[UnitDocument]
    offered_by: list[Offering]
    authority: str | None
    feedback: list[SupervisionFeedback]
    sanctions_in_force: list[Sanction]
    sanctions_history: list[Sanction]
    indicators: list[QualityResult]
    satisfaction: list[QualityResult]
    updated_at: dt.datetime | None
    sites: list[Unit] = field(default_factory=list)  # a provider's published sites
    monthly_cost: MonthlyCost | None = None
    vacancies: Vacancies | None = None
    free_services: str = ""  # home care: what costs nothing (the site's, else the provider's)
    extra_services: str = ""  # home care: extra services and their prices
    content_source: Source | None = None  # the editor's figures: "Oplyst af enheden <date>"
    sor_source: Source = field(default_factory=lambda: Source(src.SOR))
    housing_benefit_url: str = HOUSING_BENEFIT_URL
    guarantee_law_url: str = CARE_HOME_GUARANTEE_LAW_URL

    @property
    def cost_source(self) -> Source | None:
        cost = self.monthly_cost
        return unit_source(cost.reported_on) if cost else None

    @property
    def vacancy_source(self) -> Source | None:
        report = self.vacancies
        return unit_source(report.reported_on) if report else None

    @property
    def extra_services_lines(self) -> list[str]:
        return [line.strip() for line in self.extra_services.splitlines() if line.strip()]

    # Home care only: fixed teams, helpers, time-keeping, languages, services
    home_care: list[HomeCareFact] = field(default_factory=list)

    # --- conveniences for templates -----------------------------------------------------------
    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def pk(self) -> int:
        return self.unit.pk

    @property
    def is_care_home(self) -> bool:
        return self.unit.kind == UnitKind.CARE_HOME

    @property
    def is_home_care(self) -> bool:
        return self.unit.is_home_care

    @property
    def latest_feedback(self) -> SupervisionFeedback | None:
        return self.feedback[0] if self.feedback else None

    @property
    def earlier_feedback(self) -> list[SupervisionFeedback]:
        return self.feedback[1:]

    @property
    def homes(self) -> int | None:
        return self.content.homes if self.content else None

    @property
    def housing_titles(self) -> list[str]:
        seen: list[str] = []
        for description in self.housing_descriptions:
            title = description.get_title_display()
            if title not in seen:
                seen.append(title)
        return seen

    @property
    def has_housing(self) -> bool:
        c = self.content
        return bool(
            self.housing_descriptions
            or self.housing_type_label
            or (c and (c.homes is not None or c.temporary_homes or c.housing_description))
        )

    @property
    def provider_url(self) -> str:
        return unit_url(self.provider) if self.provider else ""

    @property
    def result_groups(self) -> list[dict]:
        groups = []
        if self.indicators:
            groups.append(
                {
                    "key": "indikatorer",
                    "heading": _("Kvalitetsindikatorer"),
                    "results": self.indicators,
                }
            )
        if self.satisfaction:
            groups.append(
                {
                    "key": "tilfredshed",
                    "heading": _("Brugertilfredshed"),
                    "results": self.satisfaction,
                }
            )
        return groups

    @property
    def verdict_rule(self) -> str:
        """How the page decides "better", "about the same" and "worse" (shown with the figures)."""
        return rule_text()

    @property
    def municipality_label(self) -> str:
        return municipality_label(self.unit.municipality) if self.unit.municipality else ""

    @property
    def municipality_slug(self) -> str:
        """For the link to how to apply in the unit's municipality (/kommune/<slug>/ansoeg/)."""
        return unit_slug(self.unit.municipality.name) if self.unit.municipality else ""

    @property
    def staff_by_key(self) -> dict[str, StaffFigure]:
        return {figure.key: figure for figure in self.staff}

    @property
    def description(self) -> str:
        place = self.unit.municipality.name if self.unit.municipality else ""
        return describe(self.name, self.unit.kind, place)


# --- Formatting helpers (pure) -----------------------------------------------------------------


def describe(name: str, kind: str, place: str = "") -> str:
    """One plain sentence about a unit, for search engines and link previews."""
    if kind == UnitKind.CARE_HOME:
        text = (
            _("%(name)s er et plejehjem i %(place)s.") if place else _("%(name)s er et plejehjem.")
        )
    elif kind == UnitKind.HOME_CARE_SITE and place:
        text = _("%(name)s leverer helhedspleje fra %(place)s.")
    else:
        text = _("%(name)s leverer helhedspleje.")
    return (
        (text % {"name": name, "place": place})
        + " "
        + _("Se adresse, priser, personale, tilsyn og kvalitet på Plejeoverblikket.")
    )


def format_phone(phone: str) -> tuple[str, str]:
    """('87 13 10 00', 'tel:+4587131000') for a Danish number; other numbers as given."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("45") and len(digits) == 10:
        digits = digits[2:]
    if len(digits) == 8:
        return " ".join(digits[i : i + 2] for i in range(0, 8, 2)), f"tel:+45{digits}"
    return phone or "", f"tel:{digits}" if digits else ""


def format_website(website: str) -> tuple[str, str]:
    """(href, label) of a website from SOR, which may lack the scheme."""
    website = (website or "").strip()
    if not website:
        return "", ""
    href = website if re.match(r"^https?://", website, re.I) else f"https://{website}"
    label = re.sub(r"^https?://(www\.)?", "", href, flags=re.I).rstrip("/")
    return href, label


def format_number(value: Decimal | None) -> str:
    """A measured value in the active language, without needless decimals: 87,5 and 14."""
    if value is None:
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(value, force_grouping=True)


def price_range(values: Iterable[int | None]) -> PriceRange | None:
    known = [v for v in values if v is not None]
    return PriceRange(min(known), max(known)) if known else None


def parse_compare_ids(raw: Iterable[str]) -> tuple[list[int], list[str], bool]:
    """Read `?ids=1,2,3` (also repeated `ids`): (ids in order without repeats, bad tokens,
    too_many). Never raises; ignores anything after the first few dozen tokens."""
    ids: list[int] = []
    bad: list[str] = []
    tokens = [t.strip() for chunk in raw for t in str(chunk).split(",")]
    for token in [t for t in tokens if t][:40]:
        if token.isascii() and token.isdigit() and len(token) <= 18 and 0 < int(token) <= MAX_ID:
            if int(token) not in ids:
                ids.append(int(token))
        else:
            bad.append(token[:20])
    return ids[:MAX_COMPARE], bad, len(ids) > MAX_COMPARE


def shortlist_from_request(request) -> list[int]:
    """Min liste carried in the address (`?ids=1,2,3`) for a browser without a script: the
    valid ids, at most as many as compare shows; anything else in the parameter is ignored."""
    ids, _bad, _too_many = parse_compare_ids(request.GET.getlist("ids"))
    return ids


# --- Loading -----------------------------------------------------------------------------------


def load_unit(pk: int, *, today: dt.date | None = None) -> UnitPageData | None:
    """Everything the page of one unit shows, or None when there is no such unit.

    Published or not: the caller decides what to show (the view answers 404 / 410)."""
    if not 0 < pk <= MAX_ID:
        return None
    return _load([pk], today=today, with_sites=True).get(pk)


def load_units_for_compare(ids: Iterable[int], *, today: dt.date | None = None) -> list:
    """The published units among `ids` (at most four, in the order given)."""
    ids = [i for i in ids if 0 < i <= MAX_ID][:MAX_COMPARE]
    if not ids:
        return []
    loaded = _load(ids, today=today, published_only=True)
    return [loaded[i] for i in ids if i in loaded]


def _load(
    ids: list[int],
    *,
    today: dt.date | None = None,
    published_only: bool = False,
    with_sites: bool = False,
) -> dict[int, UnitPageData]:
    today = today or clock.today()
    units_qs = Unit.objects.filter(pk__in=ids).select_related(
        "owner", "municipality", "content", "parent", "parent__content"
    )
    if published_only:
        units_qs = units_qs.published()
    units = list(
        units_qs.prefetch_related(Prefetch("content__professions"), Prefetch("content__properties"))
    )
    if not units:
        return {}
    unit_ids = [u.pk for u in units]

    # CVR figures by P-number
    p_numbers = [c.p_number for c in map(content_of, units) if c and c.p_number]
    production_units = (
        CvrProductionUnit.objects.in_bulk(p_numbers, field_name="p_number") if p_numbers else {}
    )

    # Images of the units (and of a site's provider, whose photos stand in for the site's)
    image_ids = set()
    for unit in units:
        for content in (content_of(unit), content_of(unit.parent)):
            if content:
                image_ids.update(
                    i for i in (getattr(content, f"image_{n}_id") for n in range(1, 5)) if i
                )
    images = (
        {
            image.pk: image
            for image in get_image_model()
            .objects.filter(pk__in=image_ids)
            .prefetch_renditions(*IMAGE_SPECS.values())
        }
        if image_ids
        else {}
    )

    documents = defaultdict(list)
    for document in (
        UnitDocument.objects.filter(unit_id__in=unit_ids, annulled=False)
        .select_related("document")
        .order_by("document_type", "name", "pk")
    ):
        documents[document.unit_id].append(document)

    housing = defaultdict(list)
    for description in HousingDescription.objects.filter(unit_id__in=unit_ids).order_by(
        "title", "rent", "pk"
    ):
        housing[description.unit_id].append(description)

    # Who offers the unit: agreements in force that count (the same rule as publication).
    descriptions: dict[int, dict[int, str]] = defaultdict(dict)
    for unit_id, code, text in AgreementDescription.objects.filter(
        unit_id__in=unit_ids
    ).values_list("unit_id", "municipality_id", "text"):
        if text.strip():
            descriptions[unit_id][code] = text
    agreements = defaultdict(list)
    for agreement in (
        ServiceAgreement.objects.in_force(today)
        .filter(unit_id__in=unit_ids)
        .select_related("municipality")
        .order_by("municipality__name", "start")
    ):
        agreements[agreement.unit_id].append(agreement)

    authorities = authority_by_municipality(today)

    feedback = defaultdict(list)
    for item in SupervisionFeedback.objects.filter(unit_id__in=unit_ids).select_related(
        "authority",
        "document",
        "reply",  # the unit's own comment (right of reply), if any
    ):
        item.level = STATUS_LEVELS.get(item.status, "info")
        item.explanation = str(STATUS_EXPLANATIONS.get(item.status, ""))
        item.origin = Source(src.SUPERVISION, date=item.inspected_on)
        try:
            reply = item.reply
        except FeedbackReply.DoesNotExist:
            reply = None
        item.unit_reply = reply if reply is not None and reply.shown else None
        feedback[item.unit_id].append(item)

    in_force = Sanction.objects.in_force(today).filter(pk=OuterRef("pk"))
    sanctions = defaultdict(list)
    for sanction in (
        Sanction.objects.filter(unit_id__in=unit_ids)
        .annotate(is_in_force=Exists(in_force, output_field=BooleanField()))
        .select_related("authority")
    ):
        sanction.explanation = str(SANCTION_EXPLANATIONS.get(sanction.type, ""))
        sanctions[sanction.unit_id].append(sanction)

    results = defaultdict(list)
    by_pk = {unit.pk: unit for unit in units}
    loaded_results = list(
        QualityResult.objects.filter(unit_id__in=unit_ids).order_by(
            "kind", "name", "code", "-period"
        )
    )
    for result in loaded_results:
        result.unit = by_pk[result.unit_id]
        result.value_text = format_number(result.value)
        result.average_text = format_number(result.national_average)
        result.origin = Source(
            src.QUALITY if result.kind == QualityResult.Kind.INDICATOR else src.SATISFACTION,
            year=result.period,
            average=" ".join(p for p in (result.average_text, result.unit_of_measure) if p),
        )
        results[result.unit_id].append(result)
    attach_benchmarks(loaded_results)  # the verdicts: plov.supervision.verdicts
    for result in loaded_results:
        result.municipal_average_text = format_number(result.municipal.average)

    sites = defaultdict(list)
    if with_sites and any(u.kind == UnitKind.HOME_CARE_PROVIDER for u in units):
        for site in Unit.objects.published().filter(parent_id__in=unit_ids).order_by("name"):
            sites[site.parent_id].append(site)

    loaded = {}
    for unit in units:
        loaded[unit.pk] = _build(
            unit,
            today=today,
            production_unit=production_units.get((content_of(unit) or UnitContent()).p_number),
            images=images,
            documents=documents[unit.pk],
            housing=housing[unit.pk],
            agreements=agreements[unit.pk],
            descriptions=descriptions[unit.pk],
            authority=authorities.get(unit.municipality_id) if unit.municipality_id else None,
            feedback=feedback[unit.pk],
            sanctions=sanctions[unit.pk],
            results=results[unit.pk],
            sites=sites[unit.pk],
        )
    return loaded


def _sections(content: UnitContent | None, unit: Unit) -> list[Section]:
    if content is None:
        return []
    sections = []
    for name, label in TEXT_FIELDS:
        html = (getattr(content, name) or "").strip()
        if html and re.sub(r"<[^>]+>|&nbsp;|\s", "", html):
            if unit.is_home_care:
                label = HOME_CARE_TEXT_LABELS.get(name, label)
            sections.append(Section(name, str(label), html))
    return sections


def _pictures(
    content: UnitContent | None, images: dict, name: str
) -> tuple[list[Picture], Picture | None]:
    """The unit's four images in order, and image 1 for link previews."""
    pictures: list[Picture] = []
    og_image = None
    if content is None:
        return pictures, og_image
    for n in range(1, 5):
        image = images.get(getattr(content, f"image_{n}_id"))
        if image is None:
            continue
        try:
            spec = IMAGE_SPECS["main"] if not pictures else IMAGE_SPECS["gallery"]
            rendition = image.get_rendition(spec)
            if og_image is None and n == 1:
                og = image.get_rendition(IMAGE_SPECS["og"])
                og_image = Picture(og.url, og.width, og.height, "")
        except Exception:  # a missing or broken file leaves out that image, not the page
            continue
        alt = (image.default_alt_text or "").strip()
        if not alt or re.search(r"\.(jpe?g|png|gif|webp|heic)$", alt, re.I):
            alt = _("Billede fra %(name)s") % {"name": name}
        pictures.append(Picture(rendition.url, rendition.width, rendition.height, alt))
    return pictures, og_image


def _owner_label(unit: Unit, content: UnitContent | None, agreements: list) -> str:
    types = {a.type for a in agreements}
    if AgreementType.FREE_CARE_HOME in types or (
        content and content.housing_type == HousingType.FREE_CARE
    ):
        return _("Friplejebolig (privat)")
    if AgreementType.LOCAL_CARE_HOME in types:
        return _("Lokalplejehjem (selvejende)")
    if unit.owner.kind == Organisation.Kind.MUNICIPALITY:
        return _("Kommunal")
    return _("Privat")


def _staff(
    content: UnitContent | None, production_unit: CvrProductionUnit | None
) -> list[StaffFigure]:
    shown = shown_staff(content, production_unit)
    sources = {"unit": SOURCE_UNIT, "CVR": SOURCE_CVR}
    employees = StaffFigure(
        "employees",
        str(gettext_lazy("Antal ansatte")),
        shown["employees"],
        str(STAFF_EXPLANATIONS["employees"]),
        source=str(sources[shown["employees_source"]]) if shown["employees_source"] else None,
    )
    if employees.value is None and shown["employees_interval"]:
        employees.interval = interval_label(shown["employees_interval"])
        employees.source = str(SOURCE_CVR) if employees.interval else None
    fte = shown["full_time_employees"]
    figures = [
        employees,
        StaffFigure(
            "full_time_employees",
            _("Antal fuldtidsstillinger"),
            Decimal(str(fte)) if fte is not None else None,
            str(STAFF_EXPLANATIONS["full_time_employees"]),
            source=str(sources[shown["full_time_employees_source"]])
            if shown["full_time_employees_source"]
            else None,
            decimals=1,
        ),
        StaffFigure(
            "sick_leave_days",
            _("Sygefravær (dage pr. fuldtidsansat)"),
            content.sick_leave_days if content else None,
            str(STAFF_EXPLANATIONS["sick_leave_days"]),
            source=str(SOURCE_UNIT) if content and content.sick_leave_days is not None else None,
            decimals=1,
        ),
        StaffFigure(
            "leader_changes",
            _("Lederskift de seneste fem år"),
            content.leader_changes if content else None,
            str(STAFF_EXPLANATIONS["leader_changes"]),
            source=str(SOURCE_UNIT) if content and content.leader_changes is not None else None,
        ),
    ]
    year = production_unit.employment_year if production_unit else None
    for figure in figures:
        if figure.source == str(SOURCE_CVR):
            figure.year = year
            figure.origin = Source(src.CVR, year=year)
        elif figure.source:
            figure.origin = unit_source(content.updated_at if content else None)
    return figures


def _build(
    unit: Unit,
    *,
    today: dt.date,
    production_unit: CvrProductionUnit | None,
    images: dict,
    documents: list,
    housing: list,
    agreements: list,
    descriptions: dict[int, str],
    authority: str | None,
    feedback: list,
    sanctions: list,
    results: list,
    sites: list,
) -> UnitPageData:
    content = content_of(unit)
    provider = unit.parent if unit.kind == UnitKind.HOME_CARE_SITE else None
    provider_content = content_of(provider)

    offered_by = [
        Offering(
            code=a.municipality_id,
            name=str(a.municipality),
            agreement_type=a.type,
            agreement_type_label=a.get_type_display(),
            description=descriptions.get(a.municipality_id, ""),
            slug=unit_slug(a.municipality.name),
        )
        for a in agreements
        if agreement_counts(a, unit, set(descriptions), today)
    ]
    # one line per municipality, even with two agreements in force
    offered_by = list({o.code: o for o in reversed(offered_by)}.values())[::-1]

    pictures, og_image = _pictures(content, images, unit.name)
    if not pictures and provider_content is not None:
        pictures, og_image = _pictures(provider_content, images, unit.name)

    visiting = format_address(unit.visiting_address)
    postal = format_address(unit.postal_address)
    activity = format_address(unit.activity_address)
    phone, phone_link = format_phone(unit.phone)
    website, website_label = format_website(unit.website)
    leader = " ".join(
        p for p in ((content.leader_first_name, content.leader_last_name) if content else ()) if p
    )

    updated = [unit.register_updated_at]
    updated += [c.updated_at for c in (content, provider_content) if c is not None]

    return UnitPageData(
        unit=unit,
        content=content,
        provider=provider,
        provider_content=provider_content,
        slug=unit_slug(unit.name),
        url=unit_url(unit),
        kind_label=str(KIND_LABELS.get(unit.kind, "")),
        owner_label=_owner_label(unit, content, agreements),
        visiting_address=visiting,
        postal_address=postal if postal != visiting else "",
        activity_address=activity if activity != visiting else "",
        phone=phone,
        phone_link=phone_link,
        email=(unit.email or "").strip(),
        website=website,
        website_label=website_label,
        leader_name=leader,
        sections=_sections(content, unit),
        provider_sections=_sections(provider_content, unit),
        food_link=format_website(content.food_link)[0] if content and content.food_link else "",
        fixed_teams=content.fixed_teams if content else None,
        professions=[p.name for p in content.professions.all()] if content else [],
        properties=_grouped(content.properties.all()) if content else [],
        pictures=pictures,
        og_image=og_image,
        housing_descriptions=housing,
        housing_type_label=content.get_housing_type_display() if content else "",
        # the housing descriptions' rents; without them, the monthly cost's rent
        rent=price_range(d.rent for d in housing)
        or price_range(
            [content.rent_monthly if content and unit.kind == UnitKind.CARE_HOME else None]
        ),
        deposit=price_range(d.deposit for d in housing),
        staff=_staff(content, production_unit),
        documents=documents,
        offered_by=offered_by,
        authority=authority,
        feedback=feedback,
        sanctions_in_force=[s for s in sanctions if s.is_in_force],
        sanctions_history=[s for s in sanctions if not s.is_in_force and s.decided_on <= today],
        indicators=latest_per_code(results, QualityResult.Kind.INDICATOR),
        satisfaction=latest_per_code(results, QualityResult.Kind.SATISFACTION),
        updated_at=max((u for u in updated if u is not None), default=None),
        sites=sites,
        monthly_cost=monthly_cost(content) if unit.kind == UnitKind.CARE_HOME else None,
        vacancies=vacancies(content, today=today) if unit.kind == UnitKind.CARE_HOME else None,
        free_services=_home_care_text(unit, content, provider_content, "free_services"),
        extra_services=_home_care_text(unit, content, provider_content, "extra_services"),
        content_source=unit_source(content.updated_at) if content else None,
        home_care=home_care_facts(content, provider_content) if unit.is_home_care else [],
    )


def _home_care_text(unit: Unit, content, provider_content, name: str) -> str:
    """A home-care price text: the site's own, else its provider's."""
    if not unit.is_home_care:
        return ""
    for c in (content, provider_content):
        text = (getattr(c, name, "") or "").strip() if c is not None else ""
        if text:
            return text
    return ""


def _grouped(properties: Iterable) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for prop in properties:
        groups.setdefault(prop.group, []).append(prop.name)
    return list(groups.items())


# --- Compare -----------------------------------------------------------------------------------


@dataclass
class CompareRow:
    label: str
    cells: list  # one QualityResult or None per unit

    @property
    def sources(self) -> list[str]:
        """Where the figures come from (usually one source per indicator)."""
        return list(dict.fromkeys(c.source for c in self.cells if c is not None and c.source))

    @property
    def direction_text(self) -> str:
        """Which way is better ("Færre er bedre"), when the units' figures agree on it."""
        texts = {c.direction_text for c in self.cells if c is not None}
        return texts.pop() if len(texts) == 1 else ""


def compare_results(units: list[UnitPageData], kind: str, limit: int) -> list[CompareRow]:
    """A few quality rows for the compared units: the indicators most of them have."""
    attribute = "indicators" if kind == QualityResult.Kind.INDICATOR else "satisfaction"
    counts: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for data in units:
        for result in getattr(data, attribute):
            counts[result.code] += 1
            names.setdefault(result.code, result.name)
    codes = sorted(counts, key=lambda code: (-counts[code], names[code]))[:limit]
    rows = []
    for code in codes:
        cells = []
        for data in units:
            cells.append(next((r for r in getattr(data, attribute) if r.code == code), None))
        rows.append(CompareRow(names[code], cells))
    return rows


@dataclass
class StaffRow:
    label: str
    explanation: str
    cells: list  # one StaffFigure per unit


def compare_staff(units: list[UnitPageData]) -> list[StaffRow]:
    """The staff figures of the compared units, one row per figure."""
    if not units:
        return []
    rows = []
    for index, figure in enumerate(units[0].staff):
        rows.append(
            StaffRow(figure.label, figure.explanation, [data.staff[index] for data in units])
        )
    return rows


@dataclass
class CostRow:
    key: str
    label: str
    cells: list  # per unit: (UnitPageData, amount): None not given, "" not a care home
    total: bool = False


def compare_costs(units: list[UnitPageData]) -> list[CostRow]:
    """The monthly cost of the compared units, one row per amount and one for the total."""
    rows = []
    for _name, key, label in [*COST_PARTS, ("", "total", gettext_lazy("I alt pr. måned"))]:
        cells = []
        for data in units:
            cost = data.monthly_cost
            if not data.is_care_home:
                amount = ""
            elif cost is None:
                amount = None
            else:
                amount = cost.total if key == "total" else getattr(cost, key)
            cells.append((data, amount))
        rows.append(CostRow(key, str(label), cells, total=key == "total"))
    return rows


@dataclass
class HomeCareRow:
    label: str
    explanation: str
    cells: list  # one HomeCareFact per unit, None for a care home


def compare_home_care(units: list[UnitPageData]) -> list[HomeCareRow]:
    """The home-care facts of the compared units, one row per fact (empty: no home care)."""
    home_care = [data for data in units if data.home_care]
    if not home_care:
        return []
    template = home_care[0].home_care
    rows = []
    for index, fact in enumerate(template):
        cells = []
        for data in units:
            if data.home_care:
                cells.append(data.home_care[index])
            elif fact.key == "fixed_teams" and data.content is not None:
                cells.append(home_care_facts(data.content)[0])  # care homes say it too
            else:
                cells.append(None)
        rows.append(HomeCareRow(fact.label, fact.explanation, cells))
    return rows

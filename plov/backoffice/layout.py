"""The editor's page layout (/admin/enheder/<pk>/): its sections and items, what comes from
the registers (SOR, CVR) and what the editor writes, and the images. Pure: no writes."""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail.rich_text import RichText

from plov.backoffice import history
from plov.backoffice.forms import (
    CVR_STAFF_HELP,
    LABELS,
    STAFF_RULE,
    UnitEditorForm,
)
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import check_pnumber, other_company_against
from plov.units.costs import (
    COST_FIELDS,
    HOME_CARE_PRICE_FIELDS,
    VACANCY_FIELDS,
    vacancy_max_age_days,
)
from plov.units.formatting import format_address, interval_label
from plov.units.forms import RICH_TEXT_FIELDS
from plov.units.homecare import HOME_CARE_FIELDS
from plov.units.models import Unit, UnitContent

FROM_SOR = "Fra SOR"
FROM_CVR = "Fra CVR"


def _interval(code: str) -> str:
    label = interval_label(code)
    return f"{label} (interval fra CVR)" if label else code or ""


@dataclass
class Item:
    """One row of an editor section: an editor's field, or a register value shown read-only."""

    name: str = ""
    label: str = ""
    bound: object = None  # the form's BoundField for an editor's field
    value: object = ""  # read-only display (text or safe HTML)
    source: str = ""  # "Fra SOR" / "Fra CVR" for register values
    help: str = ""
    notice: dict | None = None  # {"level": ..., "message": ...} under the field
    rich: bool = False


@dataclass
class Section:
    id: str
    heading: str
    items: list[Item] = field(default_factory=list)
    intro: str = ""
    template: str = ""


def _display(content: UnitContent, name: str):
    if name in RICH_TEXT_FIELDS:
        value = getattr(content, name) or ""
        return RichText(value) if value else ""
    return history.display_value(content, name)


def _sections(
    unit: Unit,
    content: UnitContent,
    form: UnitEditorForm,
    production_unit,
    p_number: str | None = None,
) -> list:
    def f(name: str, **extra) -> Item:
        return Item(
            name=name,
            label=LABELS[name],
            bound=form[name],
            value=_display(content, name),
            help=form.fields[name].help_text,
            rich=name in RICH_TEXT_FIELDS,
            **extra,
        )

    def sor(name: str, label: str, value: str) -> Item:
        return Item(name=name, label=label, value=value, source=FROM_SOR)

    def cvr(name: str, label: str, value: str, help: str = "") -> Item:
        return Item(name=name, label=label, value=value, source=FROM_CVR, help=help)

    p_number = content.p_number if p_number is None else p_number
    check = check_pnumber(p_number) if p_number else None
    notice = (
        {"level": check.level, "message": check.message}
        if check is not None and check.level != "ok"
        else None
    )
    pu = production_unit
    if p_number and (pu is None or pu.p_number != p_number):
        pu = CvrProductionUnit.objects.filter(p_number=p_number).first()
    other = other_company_against(pu, unit.owner.cvr_number if unit.owner_id else None)
    if other:
        notice = {
            "level": notice["level"] if notice else "warning",
            "message": f"{notice['message']} {other}" if notice else other,
        }
    industry = ""
    if pu is not None:
        industry = " ".join(p for p in (pu.primary_industry_code, pu.primary_industry_text) if p)
        secondary = ", ".join(
            " ".join(p for p in (s.get("code"), s.get("text")) if p)
            for s in pu.secondary_industries
        )
        if secondary:
            industry += f" (bibrancher: {secondary})"
    cvr_employees = ""
    cvr_fte = ""
    if pu is not None:
        cvr_employees = (
            str(pu.employees) if pu.employees is not None else _interval(pu.employees_interval)
        )
        cvr_fte = (
            format(pu.full_time_employees.normalize(), "f").replace(".", ",")
            if pu.full_time_employees is not None
            else _interval(pu.full_time_employees_interval)
        )
    rule = STAFF_RULE
    home_care = unit.is_home_care
    return [
        Section(
            "data",
            "Data",
            [
                f("p_number", notice=notice),
                cvr(
                    "cvr_production_unit",
                    "Produktionsenhed i CVR",
                    f"{pu.name} (CVR {pu.cvr_number})" if pu else "",
                ),
                cvr("cvr_industry", "Branchekode i CVR", industry),
                f("cvr_valid_from"),
            ],
        ),
        Section(
            "personale",
            "Personale",
            [
                f("sick_leave_days"),
                f("leader_changes"),
                f("employees"),
                cvr("cvr_employees", "Antal ansatte i CVR", cvr_employees, CVR_STAFF_HELP),
                f("full_time_employees"),
                cvr(
                    "cvr_full_time_employees",
                    "Antal fuldtidsansatte i CVR",
                    cvr_fte,
                    CVR_STAFF_HELP,
                ),
            ],
            intro=rule,
        ),
        *(
            [
                Section(
                    "hjemmepleje",
                    "Hjemmepleje",
                    [f("fixed_teams"), *(f(name) for name in HOME_CARE_FIELDS)],
                    intro="Helhedspleje gives i borgerens eget hjem; der er derfor ingen "
                    "oplysninger om boliger og beboere. Oplysningerne her vises på enhedens "
                    "side og i sammenligningen, så borgere kan sammenligne på det, der betyder "
                    "noget i hverdagen.",
                )
            ]
            if home_care
            else [
                Section(
                    "bolig",
                    "Bolig",
                    [
                        f("housing_description"),
                        f("homes"),
                        f("homes_for_couples"),
                        f("housing_type"),
                        f("temporary_homes"),
                        f("temporary_homes_for_couples"),
                    ],
                )
            ]
        ),
        *_price_sections(unit, content, f),
        Section(
            "kontakt",
            "Kontakt",
            [
                f("leader_first_name"),
                f("leader_last_name"),
                sor("phone", "Telefon", unit.phone),
                sor("email", "E-mail", unit.email),
                sor("website", "Hjemmeside", unit.website),
            ],
            intro="Lederens navn skrives her; de øvrige kontaktoplysninger kommer fra SOR og "
            "rettes i SOR.",
        ),
        Section("billeder", "Billeder", template="backoffice/_images.html"),
        Section(
            "faglig",
            "Faglig tilgang og aktiviteter",
            [
                f(name)
                for name in (
                    "values",
                    "vision",
                    "approaches",
                    "resident_relations",
                    "relatives",
                    "activities",
                    "food",
                    "food_link",
                    "surroundings",
                    "civil_society",
                    "fixed_teams",
                )
                if name in form.fields and not (home_care and name == "fixed_teams")
            ],
        ),
        Section("forhold", "Forhold", [f("professions"), f("properties")]),
        Section(
            "aktivitetsadresse",
            "Aktivitetsadresse",
            [sor("activity_address", "Aktivitetsadresse", format_address(unit.activity_address))],
        ),
        Section(
            "besoegsadresse",
            "Besøgsadresse",
            [
                sor("visiting_address", "Besøgsadresse", format_address(unit.visiting_address)),
                Item(
                    name="municipality",
                    label="Beliggenhedskommune",
                    value=str(unit.municipality) if unit.municipality else "",
                    source="Fra SOR og DAR",
                ),
            ],
        ),
        Section(
            "postadresse",
            "Postadresse",
            [sor("postal_address", "Postadresse", format_address(unit.postal_address))],
        ),
    ]


def _price_sections(unit: Unit, content: UnitContent, f) -> list[Section]:
    """Priser (and, for a care home, ledige boliger): what a relative asks first."""
    if unit.is_home_care:
        return [
            Section(
                "priser",
                "Priser",
                [f(name) for name in HOME_CARE_PRICE_FIELDS],
                intro="Hvad borgeren får uden at betale, og hvad tilkøb koster. Vises på "
                "enhedens side og i sammenligningen.",
            )
        ]
    reported = content.cost_reported_on
    return [
        Section(
            "priser",
            "Pris pr. måned",
            [
                *(f(name) for name in COST_FIELDS),
                f("cost_valid_from"),
                Item(
                    name="cost_reported_on",
                    label="Priserne oplyst",
                    value=reported.strftime("%d.%m.%Y") if reported else "",
                    help="Sættes automatisk, når et beløb eller datoen ændres og gemmes. Vises "
                    "som »Oplyst af enheden« med datoen.",
                ),
            ],
            intro="Beløbene vises på enhedens side med en sum, når alle fire er udfyldt. Et tomt "
            "felt vises som »ikke oplyst«; skriv 0, hvis der ingen udgift er.",
        ),
        Section(
            "ledige",
            "Ledige boliger og ventetid",
            [f(name) for name in VACANCY_FIELDS],
            intro=f"Opdater tallene mindst hver {vacancy_max_age_days()}. dag; ældre oplysninger "
            "vises som forældede.",
        ),
    ]


def _images(content: UnitContent) -> list[dict]:
    return [
        {
            "number": i,
            "image": getattr(content, f"image_{i}", None) if content.pk else None,
            "front": i == 1,
        }
        for i in range(1, 5)
    ]

"""Validation of what an editor writes; shared by the back office and the bulk import.

Errors refuse the save. `warnings` are values that are allowed but probably wrong (a P-number
of another company, an implausible figure): the back office asks the editor to confirm them,
the bulk import reports them.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from django import forms
from django.utils import timezone
from wagtail.whitelist import Whitelister

from plov.backoffice.fields import (
    DanishDateField,
    DanishDecimalField,
    WholeNumberField,
    format_decimal,
)
from plov.registers.pnumber import other_company
from plov.richtext import tables_as_paragraphs
from plov.text import InvisibleCharactersRemoved
from plov.units.costs import (
    COST_FIELDS,
    COST_REPORT_FIELDS,
    HOME_CARE_PRICE_FIELDS,
    MAX_MONTHLY_AMOUNT,
    MAX_WAITING_WEEKS,
    VACANCY_FIELDS,
    VACANCY_FIGURES,
    stamp_cost_report,
    vacancy_report_date,
)
from plov.units.homecare import (
    HOME_CARE_FIELDS,
    LANGUAGES,
    POLICY_MAX_LENGTH,
    SERVICES,
    home_care_problems,
    home_care_warnings,
    join_codes,
    split_codes,
)
from plov.units.models import UnitContent
from plov.units.personal_data import refuse_cpr_numbers

EDITORIAL_FIELDS = [
    "p_number",
    "cvr_valid_from",
    "sick_leave_days",
    "leader_changes",
    "employees",
    "full_time_employees",
    "housing_description",
    "homes",
    "homes_for_couples",
    "housing_type",
    "temporary_homes",
    "temporary_homes_for_couples",
    "rent_monthly",
    "service_monthly",
    "meals_monthly",
    "other_monthly",
    "cost_valid_from",
    "free_services",
    "extra_services",
    "free_homes",
    "waiting_weeks",
    "vacancies_reported_on",
    "leader_first_name",
    "leader_last_name",
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
    *HOME_CARE_FIELDS,
]


RICH_TEXT_FIELDS = [
    "housing_description",
    "values",
    "vision",
    "approaches",
    "resident_relations",
    "relatives",
    "activities",
    "food",
    "surroundings",
    "civil_society",
]


# A care home's fields: home-care providers and sites have no homes and no residents.
CARE_HOME_ONLY_FIELDS = [
    "housing_description",
    "homes",
    "homes_for_couples",
    "housing_type",
    "temporary_homes",
    "temporary_homes_for_couples",
    "resident_relations",
    *COST_FIELDS,
    "cost_valid_from",
    *VACANCY_FIELDS,
]
# Home care's fields (plov.units.homecare) and prices (what is free, what extras cost): a care
# home has residents, not visits, and a monthly cost instead.
HOME_CARE_ONLY_FIELDS = [*HOME_CARE_FIELDS, *HOME_CARE_PRICE_FIELDS]

# Plain (not rich) public text an editor writes: no CPR numbers either.
PLAIN_TEXT_FIELDS = ["punctuality_policy", *HOME_CARE_PRICE_FIELDS]

# Beyond this many sick days per full-time employee a figure is almost surely a typing error
# (205 for 20,5): the editor confirms it.
PLAUSIBLE_SICK_LEAVE_DAYS = 60

# (part, whole, Danish labels): a part may not be larger than its whole.
HOUSING_PARTS = [
    ("homes_for_couples", "homes", "Boliger for par", "Antal boliger"),
    ("temporary_homes", "homes", "Antal midlertidige boliger", "Antal boliger"),
    (
        "temporary_homes_for_couples",
        "temporary_homes",
        "Antal midlertidige boliger for par",
        "Antal midlertidige boliger",
    ),
    ("free_homes", "homes", "Ledige boliger", "Antal boliger"),
]

NUMBER_FIELDS = [
    *COST_FIELDS,
    *VACANCY_FIGURES,
    "leader_changes",
    "employees",
    "homes",
    "homes_for_couples",
    "temporary_homes",
    "temporary_homes_for_couples",
    "helpers_per_fortnight",
    "visit_window_minutes",
]


class CodesField(forms.MultipleChoiceField):
    """Checkboxes for codes from a fixed list, stored comma-separated in the list's order."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return split_codes(value) if isinstance(value, str) else value

    def to_python(self, value):
        # One value "en,pl" (the bulk import, a stored value posted back) or several.
        values = [value] if isinstance(value, str) else list(value or [])
        return super().to_python([code for v in values for code in split_codes(str(v))])

    def clean(self, value):
        return join_codes(super().clean(value), self.choices)

    def has_changed(self, initial, data):
        initial = split_codes(initial) if isinstance(initial, str) else initial
        return super().has_changed(initial, data)


def housing_problems(values: dict) -> dict[str, str]:
    """{field: message} for each part of the homes larger than its whole."""
    problems = {}
    for part, whole, part_label, whole_label in HOUSING_PARTS:
        a, b = values.get(part), values.get(whole)
        if a is not None and b is not None and a > b:
            problems[part] = (
                f"{part_label} ({a}) kan ikke være flere end {whole_label.lower()} ({b})"
            )
    return problems


def implausible_values(values: dict, changed: set[str] | None = None) -> list[str]:
    """Allowed but probably mistyped figures, each as a Danish sentence; with `changed`, only
    those that concern a changed field (a figure confirmed once is not asked about again)."""

    def concerns(*names: str) -> bool:
        return changed is None or bool(changed & set(names))

    found = []
    sick = values.get("sick_leave_days")
    if sick is not None and sick > PLAUSIBLE_SICK_LEAVE_DAYS and concerns("sick_leave_days"):
        found.append(
            f"Sygefravær på {format_decimal(sick)} dage pr. fuldtidsansat er usædvanligt højt "
            f"(over {PLAUSIBLE_SICK_LEAVE_DAYS}). Tjek tallet – skrev du fx 205 for 20,5?"
        )
    employees, fte = values.get("employees"), values.get("full_time_employees")
    if (
        employees is not None
        and fte is not None
        and fte > employees
        and concerns("employees", "full_time_employees")
    ):
        found.append(
            f"Antal fuldtidsansatte ({format_decimal(fte)}) er større end antal ansatte "
            f"({employees}). Tjek tallene."
        )
    return found


class UnitContentForm(InvisibleCharactersRemoved, forms.ModelForm):
    """Plain form: rich text arrives as HTML. The back office swaps in its editor widgets."""

    food_link = forms.URLField(
        label="Link til tilgang til mad", required=False, assume_scheme="https"
    )
    punctuality_policy = forms.CharField(
        label="Hvis et besøg bliver forsinket",
        required=False,
        max_length=POLICY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "Teksten om forsinkede besøg må højst være %(limit_value)d tegn "
            "(den er %(show_value)d).",
        },
    )
    languages = CodesField(label="Sprog ud over dansk", required=False, choices=LANGUAGES)
    services = CodesField(label="Ydelser", required=False, choices=SERVICES)

    class Meta:
        model = UnitContent
        fields = EDITORIAL_FIELDS
        widgets = {name: forms.Textarea for name in RICH_TEXT_FIELDS}
        field_classes = {
            "cvr_valid_from": DanishDateField,
            "cost_valid_from": DanishDateField,
            "vacancies_reported_on": DanishDateField,
            "sick_leave_days": DanishDecimalField,
            "full_time_employees": DanishDecimalField,
            **{name: WholeNumberField for name in NUMBER_FIELDS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []
        only_for_others = CARE_HOME_ONLY_FIELDS if self.is_home_care else HOME_CARE_ONLY_FIELDS
        for name in only_for_others:
            self.fields.pop(name, None)
        for name in [*COST_FIELDS, *VACANCY_FIGURES]:
            if name in self.fields:
                # The limits are checked by clean_<name>, with messages that name the field.
                field = self.fields[name]
                field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
                if name in COST_FIELDS:
                    field.error_messages["invalid"] = (
                        "Skriv beløbet i hele kroner uden øre, fx 7500."
                    )
        if "waiting_weeks" in self.fields:
            self.fields["waiting_weeks"].error_messages.update(
                invalid="Skriv ventetiden i hele uger, fx 8."
            )
        # The prices as stored, to see on save whether the unit reports new ones.
        self._stored_costs = (
            SimpleNamespace(
                **{n: getattr(self.instance, n) for n in [*COST_REPORT_FIELDS, "cost_reported_on"]}
            )
            if self.instance.pk
            else None
        )

    @property
    def unit(self):
        return getattr(self.instance, "unit", None) if self.instance.unit_id else None

    @property
    def is_home_care(self) -> bool:
        unit = self.unit
        return unit is not None and unit.is_home_care

    def clean(self):
        cleaned = super().clean()
        refuse_cpr_numbers(self, RICH_TEXT_FIELDS + PLAIN_TEXT_FIELDS)  # public: no CPR numbers
        if "punctuality_policy" in cleaned:
            cleaned["punctuality_policy"] = (cleaned["punctuality_policy"] or "").strip()
        # Hostile or pasted markup (scripts, styles, Word's spans) never reaches the database.
        for name in RICH_TEXT_FIELDS:
            if cleaned.get(name):
                cleaned[name] = Whitelister().clean(tables_as_paragraphs(cleaned[name]))
        self._clean_vacancy_date(cleaned)
        problems = {**housing_problems(cleaned), **home_care_problems(cleaned)}
        for name, message in problems.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        # Only what changed is asked about: a value confirmed and saved once stays confirmed.
        changed = set(self.changed_data) if self.instance.pk else None
        self.warnings = implausible_values(cleaned, changed)
        if self.is_home_care:
            self.warnings += home_care_warnings(cleaned, changed)
        unit = self.unit
        if (
            unit is not None
            and cleaned.get("p_number")
            and "p_number" not in self.errors
            and (changed is None or "p_number" in changed)
        ):
            owner_cvr = unit.owner.cvr_number if unit.owner_id else None
            message = other_company(cleaned["p_number"], owner_cvr)
            if message:
                self.warnings.insert(0, message)
        return cleaned

    def _clean_amount(self, name: str, what: str, maximum: int, unit: str):
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise forms.ValidationError(
                f"{what} kan ikke være et negativt tal. Skriv 0, hvis der ingen er."
            )
        if value is not None and value > maximum:
            limit = f"{maximum:,}".replace(",", ".")
            hint = " Skrev du øre med?" if unit == "kr." else ""
            raise forms.ValidationError(
                f"{what} kan højst være {limit} {unit}".rstrip(".") + "." + hint
            )
        return value

    def clean_rent_monthly(self):
        return self._clean_amount("rent_monthly", "Huslejen", MAX_MONTHLY_AMOUNT, "kr.")

    def clean_service_monthly(self):
        return self._clean_amount("service_monthly", "Servicepakken", MAX_MONTHLY_AMOUNT, "kr.")

    def clean_meals_monthly(self):
        return self._clean_amount("meals_monthly", "Forplejningen", MAX_MONTHLY_AMOUNT, "kr.")

    def clean_other_monthly(self):
        return self._clean_amount(
            "other_monthly", "Andre faste udgifter", MAX_MONTHLY_AMOUNT, "kr."
        )

    def clean_free_homes(self):
        return self._clean_amount("free_homes", "Antal ledige boliger", 10_000, "boliger")

    def clean_waiting_weeks(self):
        return self._clean_amount("waiting_weeks", "Ventetiden", MAX_WAITING_WEEKS, "uger")

    def _clean_reported_date(self, name: str, what: str):
        value = self.cleaned_data.get(name)
        today = timezone.localdate()
        if value is not None and value > today:
            raise forms.ValidationError(
                f"{what} kan ikke ligge i fremtiden (i dag er {today:%d.%m.%Y}). "
                "Skriv datoen, når den er nået."
            )
        return value

    def clean_cost_valid_from(self):
        return self._clean_reported_date("cost_valid_from", "Datoen, priserne gælder fra,")

    def clean_vacancies_reported_on(self):
        return self._clean_reported_date("vacancies_reported_on", "Datoen for ledige boliger")

    def _clean_vacancy_date(self, cleaned: dict) -> None:
        """No figures, no date; new figures without a new date are today's report."""
        if "vacancies_reported_on" not in self.fields or "vacancies_reported_on" in self.errors:
            return
        changed = set(self.changed_data) if self.instance.pk else None
        figures = {name: cleaned.get(name) for name in VACANCY_FIGURES}
        cleaned["vacancies_reported_on"] = vacancy_report_date(
            figures,
            cleaned.get("vacancies_reported_on"),
            figures_changed=changed is None or bool(changed & set(VACANCY_FIGURES)),
            date_changed=changed is None or "vacancies_reported_on" in changed,
            today=timezone.localdate(),
        )

    def save(self, commit: bool = True):
        """Saves as ModelForm does; a change of prices is dated today (`stamp_cost_report`)."""
        instance = super().save(commit=False)
        stamp_cost_report(self._stored_costs, instance, timezone.localdate())
        if commit:
            instance.save()
            self._save_m2m()
        return instance

    def clean_p_number(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data.get("p_number") or "")
        if value and not re.fullmatch(r"\d{10}", value):
            raise forms.ValidationError("P-nummeret skal bestå af 10 cifre")
        return value

    def clean_sick_leave_days(self):
        value = self.cleaned_data.get("sick_leave_days")
        if value is not None and not 0 <= value <= 366:
            raise forms.ValidationError("Sygefraværet skal være mellem 0 og 366 dage")
        return value

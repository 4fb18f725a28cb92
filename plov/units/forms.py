"""Validation of what an editor writes; shared by the back office and the bulk import."""

from __future__ import annotations

import re

from django import forms
from wagtail.whitelist import Whitelister

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


class UnitContentForm(forms.ModelForm):
    """Plain form: rich text arrives as HTML. The back office swaps in its editor widgets."""

    food_link = forms.URLField(
        label="Link til tilgang til mad", required=False, assume_scheme="https"
    )

    class Meta:
        model = UnitContent
        fields = EDITORIAL_FIELDS
        widgets = {name: forms.Textarea for name in RICH_TEXT_FIELDS}

    def clean(self):
        cleaned = super().clean()
        refuse_cpr_numbers(self, RICH_TEXT_FIELDS)  # public text: no CPR numbers
        # Hostile or pasted markup (scripts, styles, Word's spans) never reaches the database.
        for name in RICH_TEXT_FIELDS:
            if cleaned.get(name):
                cleaned[name] = Whitelister().clean(cleaned[name])
        return cleaned

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

"""Back-office forms for service agreements and the providers' agreement descriptions.

Validation is `plov.agreements.rules.agreement_problems` (the same rules as the bulk import);
the form only maps its Danish messages onto the fields they concern. Who may submit what is
decided by `plov.accounts.scope` in the views, not here.
"""

from __future__ import annotations

import hashlib
import html
import re

import nh3
from django import forms

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.agreements.rules import agreement_problems, agreement_warnings, housing_type_of
from plov.backoffice.fields import DanishDateField
from plov.text import InvisibleCharactersRemoved, strip_invisible
from plov.units.models import Municipality, Unit
from plov.units.personal_data import cpr_problem

DESCRIPTION_MAX_LENGTH = 10_000

MUNICIPAL_TYPES = [(t.value, t.label) for t in AgreementType if t != AgreementType.FREE_CARE_HOME]
ALL_TYPES = [(t.value, t.label) for t in AgreementType]


def plain_text(value: str) -> str:
    """The text an editor typed, with every tag (and any script or style content) removed.

    nh3 strips the markup and escapes the rest; the entities are then turned back into the
    characters the editor meant ("Mad & drikke"), since every page escapes on output. Repeated
    until stable, so markup written as entities ("&lt;b&gt;") cannot come back to life."""
    text = strip_invisible(value or "").replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set(), attributes={}))
        if cleaned == text:
            break
        text = cleaned
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return DanishDateField(label=label, required=False, help_text=help_text)


def _field_of(problem: str) -> str | None:
    """Which form field a message from `agreement_problems` concerns (None: the whole form)."""
    if problem.startswith("Aftaleidentifikation"):
        return "reference"
    if problem.startswith(("Startdato", "Perioden overlapper")):
        return "start"
    if problem.startswith("Slutdato"):
        return "end"
    if problem.startswith("En serviceleverance indgås med"):
        return "unit"
    return "type"


class AgreementForm(InvisibleCharactersRemoved, forms.Form):
    """Create or change one agreement. The party (municipality) is fixed by the view for a
    contract manager; only the agency chooses it, and only when creating."""

    municipality = forms.ModelChoiceField(
        label="Aftalepart",
        queryset=Municipality.objects.order_by("name"),
        empty_label="Vælg kommune",
        error_messages={
            "required": "Vælg aftaleparten (kommunen)",
            "invalid_choice": "Vælg en kommune fra listen",
        },
    )
    unit = forms.ModelChoiceField(
        label="Enhed",
        queryset=Unit.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Søg enheden frem og vælg den",
            "invalid_choice": "Enheden findes ikke; søg den frem igen",
        },
    )
    reference = forms.CharField(
        label="Aftaleidentifikation",
        max_length=100,
        required=False,
        help_text="Kommunens egen identifikation af aftalen, fx kontraktnummeret.",
    )
    # A plain text field shown as a select: an unknown or reserved type is answered with the
    # rules' own Danish message rather than a generic "invalid choice".
    type = forms.CharField(label="Type", required=False, widget=forms.Select)
    start = _date_field("Startdato")
    end = _date_field("Slutdato", "Udfyldes kun, hvis aftalen har en slutdato.")
    # The version the form started from (optimistic concurrency, `plov.agreements.history`).
    base_revision = forms.CharField(required=False, widget=forms.HiddenInput)
    # The warnings the user confirmed (`warnings_key`): a confirmation answers exactly the
    # warnings shown, not ones a later change of type or unit brings.
    confirm_warnings = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        party: Municipality | None,
        by_agency: bool,
        units,
        instance: ServiceAgreement | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.party = party
        self.by_agency = by_agency
        self.instance = instance
        self.warnings: list[str] = []
        self.fields["unit"].queryset = units
        self.fields["type"].widget.choices = [("", "Vælg type")] + (
            ALL_TYPES if by_agency else MUNICIPAL_TYPES
        )
        if party is not None:
            del self.fields["municipality"]

    def clean_reference(self) -> str:
        return (self.cleaned_data.get("reference") or "").strip()

    def clean_type(self) -> str:
        return (self.cleaned_data.get("type") or "").strip().lower()

    def clean(self):
        data = super().clean()
        party = self.party or data.get("municipality")
        unit = data.get("unit")
        if not data.get("type") and "type" not in self.errors:
            self.add_error("type", "Vælg en type")
        if party is None or unit is None:
            if data.get("start") and data.get("end") and data["end"] < data["start"]:
                self.add_error("end", "Slutdato må ikke ligge før startdato")
            return data
        changing_unit = self.instance is None or self.instance.unit_id != unit.pk
        if unit.closed_on and changing_unit:
            self.add_error("unit", f"Enheden er lukket i SOR ({unit.closed_on:%d.%m.%Y})")
        problems = agreement_problems(
            party=party,
            unit=unit,
            agreement_type=data.get("type", ""),
            start=data.get("start"),
            end=data.get("end"),
            reference=data.get("reference", ""),
            by_agency=self.by_agency,
            current=self.instance,
        )
        already = set(self.errors)  # e.g. no second message for an unreadable date
        for problem in problems:
            field = _field_of(problem)
            if field not in already:
                self.add_error(field, problem)
        reference = data.get("reference")
        if reference:
            taken = ServiceAgreement.objects.filter(municipality=party, reference=reference)
            if self.instance is not None:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "reference",
                    f"{party} har allerede en serviceleverance med aftaleidentifikationen "
                    f"{reference}",
                )
        data["party"] = party
        unchanged = (
            self.instance is not None
            and self.instance.unit_id == unit.pk
            and self.instance.type == data.get("type")
        )
        if not self.errors and not unchanged:
            # Asked once, when the type or unit is chosen; not again at every later save.
            self.warnings = agreement_warnings(
                party=party,
                unit=unit,
                agreement_type=data.get("type", ""),
                housing_type=housing_type_of(unit),
            )
        return data

    @property
    def warnings_key(self) -> str:
        return warnings_key(self.warnings)

    @property
    def needs_confirmation(self) -> bool:
        """Valid, but with warnings the user has not confirmed yet."""
        return bool(self.warnings) and (
            self.cleaned_data.get("confirm_warnings") != self.warnings_key
        )


def warnings_key(warnings: list[str]) -> str:
    if not warnings:
        return ""
    digest = hashlib.sha256("\n".join(warnings).encode(), usedforsecurity=False)
    return digest.hexdigest()[:16]


class EndAgreementForm(forms.Form):
    """ "Afslut": the agreement ends on this day (inclusive)."""

    end = DanishDateField(
        label="Slutdato",
        help_text="Aftalen gælder til og med denne dato.",
        error_messages={"required": "Slutdato skal udfyldes"},
    )
    base_revision = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agreement: ServiceAgreement, by_agency: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.by_agency = by_agency

    def clean(self):
        data = super().clean()
        if "end" not in data:
            return data
        a = self.agreement
        for problem in agreement_problems(
            party=a.municipality,
            unit=a.unit,
            agreement_type=a.type,
            start=a.start,
            end=data["end"],
            reference=a.reference,
            by_agency=self.by_agency,
            current=a,
        ):
            if problem.startswith("Perioden overlapper"):
                continue  # ending an agreement never makes an overlap worse
            self.add_error("end" if problem.startswith("Slutdato") else None, problem)
        return data


class AnnulAgreementForm(forms.Form):
    """ "Annullér": the agreement was registered by mistake. It stays in the history but is
    never counted nor shown."""

    reason = forms.CharField(
        label="Begrundelse",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Fx «Oprettet på den forkerte enhed». Vises kun i versionshistorikken.",
        error_messages={
            "required": "Skriv, hvorfor aftalen annulleres",
            "max_length": "Begrundelsen må højst være %(limit_value)d tegn",
        },
    )
    base_revision = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = plain_text(self.cleaned_data.get("reason", ""))
        if not reason:
            raise forms.ValidationError("Skriv, hvorfor aftalen annulleres")
        return reason


class DescriptionForm(forms.ModelForm):
    """The private provider's aftalebeskrivelse: plain text, cleaned of any markup."""

    text = forms.CharField(
        label="Aftalebeskrivelse",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=(
            "Beskriv de individuelle ydelser og forhold, I har aftalt med kommunen. "
            "Teksten vises for borgere, der søger i kommunen. Kun almindelig tekst; "
            "formatering fjernes."
        ),
        error_messages={
            "required": "Aftalebeskrivelsen skal udfyldes",
            "max_length": "Aftalebeskrivelsen må højst være %(limit_value)d tegn",
        },
    )

    class Meta:
        model = AgreementDescription
        fields = ["text"]

    def clean_text(self) -> str:
        text = plain_text(self.cleaned_data.get("text", ""))
        if not text:
            raise forms.ValidationError("Aftalebeskrivelsen skal udfyldes")
        problem = cpr_problem(text, "Aftalebeskrivelsen")
        if problem:
            raise forms.ValidationError(problem)
        return text

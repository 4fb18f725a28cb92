"""The supervisor's forms in the back office: written feedback (PDF, date, status, summary), a
sanction (type, decision date, themes, deadline or period) and lifting a sanction.

A PDF is checked by its content (`plov.media.documents.check_pdf`), never by its name. Who may
submit what is decided by `plov.accounts.scope` in the views, not here. Every message is Danish
and names the field it concerns; a refused form keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from plov import clock
from plov.agreements.forms import plain_text
from plov.backoffice.fields import INVALID_DATE, DanishDateField
from plov.media import documents
from plov.supervision.models import Sanction, SanctionType, SupervisionStatus
from plov.text import InvisibleCharactersRemoved
from plov.units.models import UnitKind
from plov.units.personal_data import cpr_problem

ORDERS = (SanctionType.ORDER, SanctionType.ADVICE_ORDER)  # påbud: a deadline
BANS = (SanctionType.BAN_NEW_RESIDENTS, SanctionType.BAN_NEW_CITIZENS)  # forbud: a period

SUMMARY_MAX_LENGTH = 5_000
REPORT_URL_MAX_LENGTH = 500
NO_REPORT = (
    "Vælg tilbagemeldingens PDF-fil, eller indsæt et link til den rapport, Ældretilsynet har "
    "offentliggjort"
)
NOT_HTTPS = (
    "Linket til rapporten skal begynde med https:// (en sikker forbindelse), fx "
    "https://www.aeldretilsynet.dk/…"
)
NOT_A_URL = (
    "Linket til rapporten er ikke en gyldig webadresse. Kopiér hele adressen fra browserens "
    "adresselinje, fx https://www.aeldretilsynet.dk/…"
)


def report_url_problem(value: str) -> str | None:
    """Why `value` cannot be the link to a report (None: it can, or it is empty). Only https
    (a relative must never be sent to an unencrypted or a script address), a real host, no
    user name or password in the address, no spaces."""
    if not value:
        return None
    if not value.lower().startswith("https://"):
        return NOT_HTTPS
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError:
        return NOT_A_URL
    parts = urlsplit(value)
    if parts.username or parts.password or not parts.hostname or "." not in parts.hostname:
        return NOT_A_URL
    return None


THEMES_MAX_LENGTH = 2_000


def _date_field(label: str, *, required: bool, help_text: str = "", required_message: str = ""):
    return DanishDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"invalid": INVALID_DATE, "required": required_message or "Udfyld datoen"},
    )


def _not_in_the_future(value: dt.date | None, what: str) -> None:
    if value is not None and value > clock.today():
        raise ValidationError(f"{what} må ikke ligge i fremtiden", code="future")


class FeedbackForm(forms.Form):
    """Register Ældretilsynet's written feedback on one inspection, or correct it (`editing`):
    then the PDF is optional, and a new one replaces the registered one."""

    document = forms.FileField(
        label="Tilbagemelding (PDF)",
        help_text="Tilsynets skriftlige tilbagemelding. Kun PDF.",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": "Vælg tilbagemeldingens PDF-fil",
            "empty": "Filen er tom.",
            "invalid": "Vælg tilbagemeldingens PDF-fil",
        },
    )
    report_url = forms.CharField(
        label="Eller: link til Ældretilsynets rapport",
        required=False,
        max_length=REPORT_URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        help_text=(
            "I stedet for en PDF-fil (eller ud over den): adressen på rapporten, som "
            "Ældretilsynet selv har offentliggjort. Skal begynde med https://."
        ),
        error_messages={"max_length": "Linket må højst være %(limit_value)d tegn"},
    )
    inspected_on = _date_field(
        "Tilsynsdato",
        required=True,
        help_text="Dagen for tilsynsbesøget.",
        required_message="Tilsynsdato skal udfyldes",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Vælg status"), *SupervisionStatus.choices],
        help_text="Tilsynets samlede vurdering. Den vises på enhedens offentlige side.",
        error_messages={
            "required": "Vælg status",
            "invalid_choice": "Vælg en status fra listen",
        },
    )
    summary = forms.CharField(
        label="Sammenfatning",
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Valgfri. Kort sammenfatning i almindeligt dansk; vises på den offentlige side. "
            "Skriv ikke navne eller andre personoplysninger."
        ),
        error_messages={"max_length": "Sammenfatningen må højst være %(limit_value)d tegn"},
    )

    def __init__(
        self,
        *args,
        editing: bool = False,
        has_pending: bool = False,
        has_document: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.pdf_bytes: bytes | None = None
        # A feedback needs its report: a PDF (chosen now, kept from the preview or, when
        # correcting, the one registered) or a link; `clean` checks that one of them is there.
        self.has_document = has_pending or has_document
        limit = documents.max_document_mb()
        field = self.fields["document"]
        field.required = False
        if editing:
            field.required = False
            field.label = "Ny tilbagemelding (PDF)"
            field.help_text = (
                f"Kun hvis PDF-filen skal udskiftes. Kun PDF, højst {limit} MB. Den hidtidige "
                "fil slettes og vises ikke længere. Lad feltet stå tomt for at beholde den."
            )
        else:
            field.help_text = f"Tilsynets skriftlige tilbagemelding. Kun PDF, højst {limit} MB."

    def clean_document(self):
        return documents.clean_pdf_upload(self, "document")

    def clean_report_url(self) -> str:
        value = (self.cleaned_data.get("report_url") or "").strip()
        problem = report_url_problem(value)
        if problem:
            raise ValidationError(problem, code="report_url")
        return value

    def clean(self):
        data = super().clean()
        if (
            not self.has_document
            and not data.get("document")
            and not data.get("report_url")
            and "document" not in self.errors
            and "report_url" not in self.errors
        ):
            self.add_error("document", NO_REPORT)
        return data

    def clean_inspected_on(self):
        value = self.cleaned_data.get("inspected_on")
        _not_in_the_future(value, "Tilsynsdato")
        return value

    def clean_summary(self) -> str:
        summary = plain_text(self.cleaned_data.get("summary", ""))
        problem = cpr_problem(summary, "Sammenfatningen")
        if problem:
            raise ValidationError(problem, code="cpr")
        return summary


class SanctionForm(InvisibleCharactersRemoved, forms.Form):
    """Register or change a sanction (§9). A påbud has a deadline (frist), a ban a period end
    (gælder til); neither date, nor the lifted date, may lie before the decision date."""

    type = forms.ChoiceField(
        label="Type",
        choices=[("", "Vælg type"), *SanctionType.choices],
        error_messages={
            "required": "Vælg sanktionens type",
            "invalid_choice": "Vælg en type fra listen",
        },
    )
    decided_on = _date_field(
        "Afgørelsesdato",
        required=True,
        help_text="Den dag Ældretilsynet traf afgørelsen.",
        required_message="Afgørelsesdato skal udfyldes",
    )
    themes = forms.CharField(
        label="Temaer",
        required=False,
        max_length=THEMES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Hvad afgørelsen handler om, fx «Medicinhåndtering, personlig pleje». Vises på den "
            "offentlige side. Skriv ikke navne eller andre personoplysninger."
        ),
        error_messages={"max_length": "Temaerne må højst være %(limit_value)d tegn"},
    )
    deadline = _date_field(
        "Frist (påbud)",
        required=False,
        help_text="Kun for påbud: fristen for at efterkomme påbuddet.",
    )
    period_end = _date_field(
        "Forbuddet gælder til (forbud)",
        required=False,
        help_text="Kun for forbud: den sidste dag forbuddet gælder.",
    )
    lifted_on = _date_field(
        "Ophævet",
        required=False,
        help_text="Lad feltet stå tomt, hvis sanktionen ikke er ophævet.",
    )

    def __init__(
        self, *args, instance: Sanction | None = None, unit_kind: str | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.unit_kind = unit_kind
        if instance is None or instance.lifted_on is None:
            # Lifting has its own page ("Ophæv"); the date is corrected here once it is set.
            del self.fields["lifted_on"]

    def clean_decided_on(self):
        value = self.cleaned_data.get("decided_on")
        _not_in_the_future(value, "Afgørelsesdato")
        return value

    def clean_themes(self) -> str:
        themes = plain_text(self.cleaned_data.get("themes", ""))
        problem = cpr_problem(themes, "Temaerne")
        if problem:
            raise ValidationError(problem, code="cpr")
        return themes

    def clean_lifted_on(self):
        value = self.cleaned_data.get("lifted_on")
        _not_in_the_future(value, "Ophævelsesdato")
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        problem = sanction_kind_problem(kind, self.unit_kind)
        if problem:
            self.add_error("type", problem)
        decided = data.get("decided_on")
        deadline, period_end = data.get("deadline"), data.get("period_end")
        if kind in ORDERS:
            if deadline is None and "deadline" not in self.errors:
                self.add_error("deadline", "Et påbud skal have en frist")
            if period_end is not None:
                self.add_error(
                    "period_end",
                    "Et påbud har en frist, ikke en periode: lad «Forbuddet gælder til» stå tomt",
                )
        elif kind in BANS:
            if period_end is None and "period_end" not in self.errors:
                self.add_error("period_end", "Et forbud skal have en dato, det gælder til")
            if deadline is not None:
                self.add_error(
                    "deadline", "Et forbud har en periode, ikke en frist: lad «Frist» stå tomt"
                )
        if decided is not None:
            for name, label in (
                ("deadline", "Fristen"),
                ("period_end", "Forbuddets slutdato"),
                ("lifted_on", "Ophævelsesdatoen"),
            ):
                value = data.get(name)
                if value is not None and value < decided and name not in self.errors:
                    self.add_error(name, f"{label} må ikke ligge før afgørelsesdatoen")
        return data


# Which bans fit which units: care homes have residents who move in, home care has citizens.
BAN_FOR_KIND = {
    UnitKind.CARE_HOME: SanctionType.BAN_NEW_RESIDENTS,
    UnitKind.HOME_CARE_SITE: SanctionType.BAN_NEW_CITIZENS,
    UnitKind.HOME_CARE_PROVIDER: SanctionType.BAN_NEW_CITIZENS,
}


def sanction_kind_problem(sanction_type: str | None, unit_kind: str | None) -> str | None:
    """Why a sanction of this type cannot be given to a unit of this kind (None: it can).

    A påbud fits every unit. A ban is refused on the wrong kind of unit: «Forbud mod at
    modtage nye borgere» is meant for home care, «Forbud mod indflytning af nye beboere» for a
    care home (plejeenhed)."""
    if sanction_type not in BANS or unit_kind not in BAN_FOR_KIND:
        return None
    fitting = BAN_FOR_KIND[unit_kind]
    if sanction_type == fitting:
        return None
    chosen = SanctionType(sanction_type).label
    if unit_kind == UnitKind.CARE_HOME:
        return f"«{chosen}» gælder hjemmepleje. For en plejeenhed vælges «{fitting.label}»"
    return f"«{chosen}» gælder plejeenheder. For hjemmepleje vælges «{fitting.label}»"


class LiftSanctionForm(forms.Form):
    """Lifting ("Ophæv"): the sanction stops applying on this day."""

    lifted_on = _date_field(
        "Ophævet den",
        required=True,
        help_text="Sanktionen gælder ikke længere fra og med denne dato.",
        required_message="Ophævelsesdato skal udfyldes",
    )

    def __init__(self, *args, sanction: Sanction, **kwargs):
        super().__init__(*args, **kwargs)
        self.sanction = sanction

    def clean_lifted_on(self):
        value = self.cleaned_data.get("lifted_on")
        _not_in_the_future(value, "Ophævelsesdato")
        if value is not None and value < self.sanction.decided_on:
            raise ValidationError(
                f"Ophævelsesdatoen må ikke ligge før afgørelsesdatoen "
                f"({self.sanction.decided_on:%d.%m.%Y})",
                code="before_decision",
            )
        return value

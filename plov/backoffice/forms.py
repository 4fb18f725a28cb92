"""The unit editor's form: `UnitContentForm` with the admin's widgets, Danish labels and help
texts from the editor guide, the relations (faggrupper, egenskaber), and rich text cleaned twice
(Wagtail's whitelister in the base form, then nh3) so that nothing pasted from Word, no script
and no attribute but a link's address reaches the database.

Register fields (name, addresses, SOR-ID, …) are not in the form, so no POST can change them.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict

import nh3
from django import forms
from django.utils.html import strip_tags
from wagtail.admin.rich_text import DraftailRichTextArea

from plov.units.costs import vacancy_max_age_days
from plov.units.forms import EDITORIAL_FIELDS, RICH_TEXT_FIELDS, UnitContentForm
from plov.units.homecare import MAX_HELPERS, MAX_VISIT_WINDOW, POLICY_MAX_LENGTH
from plov.units.models import Profession, Property

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]
ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

RELATION_FIELDS = ["professions", "properties"]
FORM_FIELDS = [*EDITORIAL_FIELDS, *RELATION_FIELDS]

PASTE_HELP = "Tekst, der sættes ind fra fx Word, renses automatisk for formatering."
STAFF_RULE = "Udfyldes feltet, vises dit tal; ellers vises CVR's."
# The read-only CVR figure beside each staff field cannot be filled in: it says when it shows.
CVR_STAFF_HELP = "Fra CVR. Vises, når feltet ovenfor er tomt."

LABELS = {
    "p_number": "P-nummer",
    "cvr_valid_from": "CVR gældende fra",
    "sick_leave_days": "Sygefravær",
    "leader_changes": "Lederomsætning",
    "employees": "Antal ansatte",
    "full_time_employees": "Antal fuldtidsansatte",
    "housing_description": "Beskrivelse",
    "homes": "Antal boliger",
    "homes_for_couples": "Boliger for par",
    "housing_type": "Boligtype",
    "temporary_homes": "Antal midlertidige boliger",
    "temporary_homes_for_couples": "Antal midlertidige boliger for par",
    "rent_monthly": "Husleje pr. måned (kr.)",
    "service_monthly": "Servicepakke pr. måned (kr.)",
    "meals_monthly": "Forplejning pr. måned (kr.)",
    "other_monthly": "Andre faste udgifter pr. måned (kr.)",
    "cost_valid_from": "Priserne gælder fra",
    "free_services": "Det koster ikke noget",
    "extra_services": "Tilkøbsydelser og priser",
    "free_homes": "Ledige boliger nu",
    "waiting_weeks": "Forventet ventetid (uger)",
    "vacancies_reported_on": "Ledige boliger og ventetid oplyst den",
    "leader_first_name": "Leders fornavn",
    "leader_last_name": "Leders efternavn",
    "values": "Værdigrundlag",
    "vision": "Overordnet vision",
    "approaches": "Faglige tilgange og metoder",
    "resident_relations": "Beboerrelation",
    "relatives": "Pårørende",
    "activities": "Aktiviteter",
    "food": "Tilgang til mad",
    "food_link": "Link til tilgang til mad",
    "surroundings": "Omgivelser",
    "civil_society": "Civilsamfund",
    "fixed_teams": "Faste teams",
    "helpers_per_fortnight": "Forskellige hjælpere på 14 dage",
    "visit_window_minutes": "Besøg til tiden (minutter)",
    "punctuality_policy": "Hvis et besøg bliver forsinket",
    "languages": "Sprog ud over dansk",
    "services": "Ydelser",
    "professions": "Faggrupper",
    "properties": "Egenskaber",
}

HELP_TEXTS = {
    "p_number": (
        "Enhedens P-nummer (10 cifre). Det kontrolleres mod CVR, når du gemmer: branchekoden skal "
        "være 871010 Drift af plejehjem, 881010 Drift af hjemmepleje eller 869019 Hjemmesygepleje."
    ),
    "cvr_valid_from": "Datoen for, hvornår enheden er CVR-registreret fra.",
    "sick_leave_days": (
        "Antal dagsværk pr. fuldtidsårsværk for hele seneste kalenderår. Et dagsværk er 7,4 timer. "
        "Kun fravær på grund af egen sygdom og arbejdsskade; ikke sygefravær efter §56, i fleks- "
        "og skånejob, barns sygdom eller barsels- og adoptionsorlov. Alle medarbejdere med pleje- "
        "og omsorgsopgaver, inkl. praktikanter og elever. Opdateres én gang årligt."
    ),
    "leader_changes": (
        "Antal skift af den øverste leder de seneste fem år (0, hvis det er den samme leder). "
        "Konstitueringer tæller med. Opdateres årligt og når der ansættes en ny leder."
    ),
    "employees": STAFF_RULE,
    "full_time_employees": STAFF_RULE,
    "housing_description": (
        "Beskriv fx om det er et plejehjem, midlertidige pladser eller andet. " + PASTE_HELP
    ),
    "homes": "Det samlede antal boliger ved enheden.",
    "homes_for_couples": "Antal boliger, der er forbeholdt eller passende for par.",
    "housing_type": "Den type bolig, der er tale om.",
    "temporary_homes": "Antal midlertidige boliger ved enheden.",
    "temporary_homes_for_couples": "Antal midlertidige boliger, der er beregnet til par.",
    "rent_monthly": (
        "Huslejen pr. måned for en almindelig bolig, før boligydelse, i hele kroner (fx 7500). "
        "Lad feltet stå tomt, hvis I ikke kender beløbet: så vises »ikke oplyst«."
    ),
    "service_monthly": (
        "Servicepakken pr. måned (fx rengøring, tøjvask, vaskemidler), i hele kroner. "
        "Skriv 0, hvis der ingen servicepakke er."
    ),
    "meals_monthly": (
        "Forplejningen (mad og drikke) pr. måned for en fuld kostpakke, i hele kroner. "
        "Skriv 0, hvis maden ikke købes hos jer."
    ),
    "other_monthly": (
        "Andre faste udgifter pr. måned (fx tv-pakke, internet, forsikring), i hele kroner. "
        "Skriv 0, hvis der ingen andre faste udgifter er. Prisen i alt vises kun, når alle fire "
        "beløb er udfyldt."
    ),
    "cost_valid_from": (
        "Datoen, priserne gælder fra (dd.mm.åååå), fx 01.01.2026. Datoen for, hvornår I har "
        "oplyst priserne, sættes automatisk, når I gemmer et ændret beløb."
    ),
    "free_services": (
        "Hvad borgeren får uden at betale, fx personlig pleje og praktisk hjælp, som kommunen "
        "har visiteret til. Kort og i almindeligt sprog."
    ),
    "extra_services": (
        "Fritvalgs- og tilkøbsydelser, borgeren selv kan købe, med pris, fx »Ekstra rengøring: "
        "350 kr. pr. time«. Én ydelse pr. linje."
    ),
    "free_homes": "Antal boliger, der er ledige i dag. Skriv 0, hvis ingen er ledige.",
    "waiting_weeks": (
        "Den forventede ventetid i hele uger for en borger, der vælger netop jeres plejehjem. "
        "Skriv 0, hvis der ingen ventetid er."
    ),
    "vacancies_reported_on": (
        "Datoen for oplysningen (dd.mm.åååå). Lader I den stå, når I retter tallene, bliver det "
        "dags dato. Oplysninger, der er mere end {days} dage gamle, vises som forældede."
    ),
    "leader_first_name": "Fornavn på enhedens leder.",
    "leader_last_name": "Efternavn på enhedens leder.",
    "values": "Beskriv jeres værdigrundlag. " + PASTE_HELP,
    "vision": "En tekst om visionen for jeres enhed. " + PASTE_HELP,
    "approaches": (
        "De faglige tilgange og metoder, der ligger til grund for plejen og omsorgen. " + PASTE_HELP
    ),
    "resident_relations": "Hvordan I går til relationen til beboerne. " + PASTE_HELP,
    "relatives": (
        "Hvordan pårørende inddrages i plejeenheden og i samarbejdet om beboeren, fx hvordan og "
        "hvor ofte der er kontakt, eller hvordan pårørende inddrages i beslutninger. " + PASTE_HELP
    ),
    "activities": "Informationer om aktiviteter i plejeenheden. " + PASTE_HELP,
    "food": (
        "Enhedens tilgang til mad, herunder fx hvor maden laves eller leveres fra. " + PASTE_HELP
    ),
    "food_link": "Et link, hvor man kan læse mere om enhedens tilgang til mad.",
    "surroundings": "De omgivelser, der ligger nær enheden. " + PASTE_HELP,
    "civil_society": (
        "Hvordan enheden samarbejder med og åbner sig mod det lokale civilsamfund, fx foreninger, "
        "kirker, skoler eller andre lokale aktører. " + PASTE_HELP
    ),
    "fixed_teams": "Sæt flueben, hvis enheden arbejder med faste teams.",
    "helpers_per_fortnight": (
        "Det antal forskellige medarbejdere, en typisk borger møder på 14 dage (et helt tal "
        f"mellem 1 og {MAX_HELPERS}). Tæl alle, der kommer i hjemmet, også afløsere og vikarer."
    ),
    "visit_window_minutes": (
        "Hvor mange minutter før eller efter det aftalte tidspunkt besøget som regel kommer, "
        f"fx 15 (et helt tal mellem 0 og {MAX_VISIT_WINDOW}). Lad feltet stå tomt, hvis I ikke "
        "har en fast regel."
    ),
    "punctuality_policy": (
        "Hvad I gør, når et besøg bliver forsinket eller aflyst, fx om borgeren får besked, og "
        f"hvordan. Almindelig tekst, højst {POLICY_MAX_LENGTH} tegn."
    ),
    "languages": "Sæt flueben ved de sprog, medarbejderne kan tale med borgerne på ud over dansk.",
    "services": "Sæt flueben ved de ydelser, I leverer.",
    "professions": "Vælg de faggrupper, der er ansat på enheden.",
    "properties": "Vælg de egenskaber, enheden har til rådighed.",
}


# Home care has citizens in their own homes, not residents in a care home.
HOME_CARE_HELP_TEXTS = {
    "relatives": (
        "Hvordan pårørende inddrages i plejen og i samarbejdet om borgeren, fx hvordan og hvor "
        "ofte der er kontakt, eller hvordan pårørende inddrages i beslutninger. " + PASTE_HELP
    ),
    "activities": "Informationer om aktiviteter, I tilbyder borgerne. " + PASTE_HELP,
    "fixed_teams": (
        "Sæt flueben, hvis borgerne får hjælp af faste teams, så de møder de samme medarbejdere."
    ),
}


def sanitise_html(value: str) -> str:
    """Rich text as plov stores it: paragraphs, lists, emphasis and plain links only."""
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # An emptied editor posts "<p></p>": that is no text (and no change from an empty field).
    return cleaned.strip() if strip_tags(cleaned).replace("&nbsp;", "").strip() else ""


class RichTextWidget(DraftailRichTextArea):
    """Wagtail's Draftail editor; a value that is not the editor's JSON (an old browser, a
    script, a test) is taken as HTML, which the form then cleans like any other."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(*args, **kwargs)
        self.options["placeholder"] = "Skriv teksten her"

    def value_from_datadict(self, data, files, name):
        raw = data.get(name)
        if raw is None:
            return None
        try:
            parsed = json.loads(raw)
        except (TypeError, ValueError):
            return raw
        if not isinstance(parsed, dict):
            return "" if parsed in (None, "") else raw
        try:
            return self.converter.to_database_format(raw)
        except Exception:  # a malformed contentstate is refused as text, never a crash
            return ""


class UnitEditorForm(UnitContentForm):
    professions = forms.ModelMultipleChoiceField(
        queryset=Profession.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    properties = forms.ModelMultipleChoiceField(
        queryset=Property.objects.order_by("group", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the editor started from: a save over a newer version is refused.
    base_revision = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UnitContentForm.Meta):
        fields = FORM_FIELDS
        widgets = {
            **{name: RichTextWidget() for name in RICH_TEXT_FIELDS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in LABELS:
                field.label = LABELS[name]
            if name in HELP_TEXTS:
                field.help_text = HELP_TEXTS[name].replace("{days}", str(vacancy_max_age_days()))
        if "housing_type" in self.fields:
            self.fields["housing_type"].choices = [
                ("", "Vælg boligtype"),
                *[c for c in self.fields["housing_type"].choices if c[0]],
            ]
        for name in RICH_TEXT_FIELDS:
            if name in self.fields:
                # Draftail's editable area is named by the field's label (axe: a textbox needs a
                # name; Wagtail labels the hidden input only).
                self.fields[name].widget.options["ariaLabelledBy"] = f"{self[name].auto_id}-label"
        if self.is_home_care:
            for name, text in HOME_CARE_HELP_TEXTS.items():
                self.fields[name].help_text = text
        # Egenskaber are offered in their groups; validation still uses the queryset.
        groups: OrderedDict[str, list] = OrderedDict()
        for prop in Property.objects.order_by("group", "name"):
            groups.setdefault(prop.group, []).append((prop.pk, prop.name))
        self.fields["properties"].widget.choices = list(groups.items())
        if not self.is_bound:
            latest = getattr(self.instance, "latest_revision_id", None)
            self.initial["base_revision"] = str(latest) if latest else ""

    def clean(self):
        cleaned = super().clean()
        for name in RICH_TEXT_FIELDS:
            if name in cleaned:
                cleaned[name] = sanitise_html(cleaned.get(name) or "")
        return cleaned

    def clean_base_revision(self) -> int | None:
        value = (self.cleaned_data.get("base_revision") or "").strip()
        return int(value) if value.isdigit() else None

    @property
    def editorial_fields(self) -> list[str]:
        return [name for name in FORM_FIELDS if name in self.fields]

    @property
    def warnings_signature(self) -> str:
        """What the editor confirms: these warnings, for these values (a changed value that
        still warns is asked about again)."""
        text = "\n".join(self.warnings)
        return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""

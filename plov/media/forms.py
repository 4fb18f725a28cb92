"""The back-office forms for a unit's images, documents and housing descriptions (Danish)."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3
from django import forms
from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from plov.backoffice.fields import WholeNumberField, name_empty_choice
from plov.media import documents, images
from plov.text import strip_invisible
from plov.units.models import HousingDescription, UnitDocument

SLOT_LABELS = {
    1: "Forsidebillede (vises i søgeresultater)",
    2: "Billede 2",
    3: "Billede 3",
    4: "Billede 4",
}

_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|tr)\s*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str, *, multiline: bool = False) -> str:
    """Text without markup: tags (and script/style contents) removed by nh3, entities decoded,
    control characters dropped, line breaks normalised (kept only when `multiline`)."""
    value = strip_invisible(value or "").replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        value = _BLOCK_END.sub("\n", value)
    value = html.unescape(nh3.clean(value, tags=set()))
    value = unicodedata.normalize("NFC", _CONTROL.sub("", value))
    if multiline:
        lines = [line.rstrip() for line in value.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return " ".join(value.split())


class PlainTextField(forms.CharField):
    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return plain_text(value, multiline=self.multiline) if value else value


# --- a chosen file the browser forgets ------------------------------------------------------

REPICK_IMAGE = "Vælg billedet igen – af sikkerhedshensyn kan browseren ikke huske filen."
REPICK_PDF = "Vælg PDF-filen igen – af sikkerhedshensyn kan browseren ikke huske filen."


class RepickFileMixin:
    """A browser cannot put a chosen file back into a file input: when the form comes back with
    errors and a file had been chosen, `file_forgotten` is the note shown by the file field."""

    repick_message = ""

    @property
    def file_forgotten(self) -> str:
        if self.is_bound and self.errors and self.files.get("file"):
            return self.repick_message
        return ""


# --- images ---------------------------------------------------------------------------------


class ImageSlotForm(RepickFileMixin, forms.Form):
    """Upload or replace the image in one slot, and its alternative text.

    With an image already in the slot, the file may be left out to change only the text."""

    repick_message = REPICK_IMAGE

    file = forms.FileField(
        label="Billedfil",
        required=False,
        help_text=(
            "JPEG, PNG, WebP eller HEIC (fotos fra iPhone). Filnavnet må gerne indeholde æ, ø, å, "
            "parenteser og mellemrum. Billedet gemmes som JPEG i højst "
            f"{images.max_side()} pixels, og oplysninger som GPS-position fjernes."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE}),
    )
    alt_text = PlainTextField(
        label="Alternativ tekst",
        max_length=255,
        required=True,
        help_text=(
            "Beskriv kort, hvad billedet viser, for dem der ikke kan se det, "
            "f.eks. »Beboere og personale spiser frokost i fællesstuen«."
        ),
        error_messages={
            "required": "Skriv en alternativ tekst, der beskriver billedet.",
            "max_length": "Den alternative tekst må højst være %(limit_value)d tegn.",
        },
    )

    # The focal point (Wagtail's): where on the current image, in per cent from the left and the
    # top, the part that must stay in every crop is. Set by clicking on the image (focal-point.js).
    focal_x = forms.FloatField(required=False, min_value=0, max_value=100, widget=forms.HiddenInput)
    focal_y = forms.FloatField(required=False, min_value=0, max_value=100, widget=forms.HiddenInput)
    focal_clear = forms.BooleanField(
        label="Fjern fokuspunktet",
        required=False,
        help_text="Billedet beskæres da om midten.",
    )

    def __init__(self, *args, slot: int, current=None, **kwargs):
        self.slot = slot
        self.current = current
        super().__init__(*args, **kwargs)
        if current is None or current.focal_point_x is None:
            del self.fields["focal_clear"]
        self.fields["file"].label = SLOT_LABELS[slot]
        if current is None:
            self.fields["file"].required = True
            self.fields["file"].error_messages["required"] = "Vælg en billedfil."
        else:
            self.fields["file"].help_text = (
                "Vælg kun en fil, hvis billedet skal udskiftes. " + self.fields["file"].help_text
            )
            self.fields["file"].widget = forms.FileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE})
        self.cleaned_image: images.CleanImage | None = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            self.cleaned_image = images.clean_image(upload)
        except images.ImageRejected as exc:
            raise ValidationError(str(exc), code="invalid_image") from None
        return upload

    @property
    def focal_point(self) -> tuple[float, float] | None:
        """The focal point chosen on the current image (per cent), if one was chosen."""
        x, y = self.cleaned_data.get("focal_x"), self.cleaned_data.get("focal_y")
        return (x, y) if x is not None and y is not None else None

    def clean_alt_text(self):
        text = self.cleaned_data.get("alt_text", "")
        if not text:
            raise ValidationError(self.fields["alt_text"].error_messages["required"])
        if re.fullmatch(r"(?i).+\.(jpe?g|png|webp|heic|heif|gif)", text):
            raise ValidationError(
                "Den alternative tekst skal beskrive billedet, ikke være et filnavn."
            )
        return text


# --- documents ------------------------------------------------------------------------------


class UnitDocumentForm(RepickFileMixin, forms.ModelForm):
    repick_message = REPICK_PDF

    name = PlainTextField(
        label="Navn",
        max_length=255,
        help_text="Navnet vises på den offentlige side. Æ, ø og å må gerne bruges.",
        error_messages={"required": "Skriv dokumentets navn."},
    )
    file = forms.FileField(
        label="PDF-fil",
        required=True,
        help_text=f"Kun PDF. Højst {documents.max_document_mb()} MB.",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": "Vælg en PDF-fil."},
    )

    class Meta:
        model = UnitDocument
        fields = ["name", "document_type", "annulled"]
        labels = {"document_type": "Type", "annulled": "Dokumentet er annulleret"}
        help_texts = {
            "annulled": "Et annulleret dokument vises ikke på plejeoverblikket.dk.",
        }
        error_messages = {"document_type": {"required": "Vælg dokumentets type."}}

    def __init__(self, *args, with_file: bool, reusable=None, **kwargs):
        """`reusable`: the unit documents (UnitDocument) of the organisation's other units
        whose file may be chosen instead of uploading one ("Vælg en eksisterende fil")."""
        super().__init__(*args, **kwargs)
        self.pdf_bytes: bytes | None = None
        if with_file:
            self.fields["file"].help_text = f"Kun PDF. Højst {documents.max_document_mb()} MB."
            offered = _reusable_choices(reusable)
            if offered:
                self.fields["file"].required = False
                self.fields["existing"] = ExistingFileField(offered)
        else:
            del self.fields["file"]
        self.order_fields(["name", "file", "existing", "document_type", "annulled"])
        name_empty_choice(self.fields["document_type"], "Vælg dokumenttype")

    def clean_file(self):
        return documents.clean_pdf_upload(self, "file")

    def clean(self):
        cleaned = super().clean()
        if "existing" in self.fields and not self.has_error("file"):
            upload, existing = cleaned.get("file"), cleaned.get("existing")
            if upload and existing:
                self.add_error(
                    "existing", "Vælg enten en ny PDF-fil eller en eksisterende fil, ikke begge."
                )
            elif not upload and not existing and not self.has_error("existing"):
                self.add_error("file", "Vælg en PDF-fil, eller vælg en eksisterende fil.")
        return cleaned


def _reusable_choices(unit_documents) -> dict:
    """{Wagtail document: "Prisliste 2026 (Lindehuset) – prisliste.pdf"}, one per file."""
    offered: dict = {}
    for unit_document in unit_documents or []:
        file = unit_document.document
        if file.pk not in {f.pk for f in offered}:
            offered[file] = f"{unit_document.name} ({unit_document.unit.name}) – {file.title}"
    return offered


class ExistingFileField(forms.ModelChoiceField):
    """One of the organisation's files already on another of its units; nothing else."""

    def __init__(self, offered: dict):
        from wagtail.documents import get_document_model

        self.labels = {file.pk: label for file, label in offered.items()}
        super().__init__(
            queryset=get_document_model().objects.filter(pk__in=self.labels),
            required=False,
            label="Eller vælg en eksisterende fil",
            empty_label="Ingen – jeg uploader en ny fil",
            help_text=(
                "Et dokument, der allerede ligger på en af organisationens andre enheder, fx den "
                "samme prisliste. Filen deles; navn, type og annullering gælder kun denne enhed."
            ),
            error_messages={"invalid_choice": "Vælg en af organisationens egne filer på listen."},
        )

    def label_from_instance(self, obj) -> str:
        return self.labels.get(obj.pk, obj.title)


# --- housing descriptions -------------------------------------------------------------------

LIMITS = {
    "persons_per_home": (1, 10),
    "rent": (0, 100_000),
    "deposit": (0, 1_000_000),
    "rooms": (1, 10),
}


class HousingDescriptionForm(forms.ModelForm):
    persons_per_home = WholeNumberField(
        label="Bolig for antal personer",
        min_value=LIMITS["persons_per_home"][0],
        max_value=LIMITS["persons_per_home"][1],
        initial=1,
    )
    rent = WholeNumberField(
        label="Husleje (kr. pr. måned)",
        required=False,
        min_value=LIMITS["rent"][0],
        max_value=LIMITS["rent"][1],
        help_text="Et helt tal i kroner pr. måned.",
    )
    deposit = WholeNumberField(
        label="Indskud (kr.)",
        required=False,
        min_value=LIMITS["deposit"][0],
        max_value=LIMITS["deposit"][1],
        help_text="Et helt tal i kroner.",
    )
    rooms = WholeNumberField(
        label="Antal værelser",
        required=False,
        min_value=LIMITS["rooms"][0],
        max_value=LIMITS["rooms"][1],
    )
    description = PlainTextField(
        label="Beskrivelse",
        required=False,
        multiline=True,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Almindelig tekst; formatering fra Word og hjemmesider fjernes automatisk.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        name_empty_choice(self.fields["title"], "Vælg titel")

    class Meta:
        model = HousingDescription
        fields = ["title", "persons_per_home", "rent", "deposit", "rooms", "description"]
        labels = {"title": "Titel"}
        error_messages = {
            "title": {
                "required": "Vælg en titel.",
                "invalid_choice": "Vælg en af titlerne på listen.",
            }
        }


# --- Wagtail's image library ------------------------------------------------------------------


class LibraryImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): for an image in a unit's media
    folder the file cannot be replaced (uploads are cleaned on the unit's page only) nor the
    image moved out of the folder; title, alternative text and focal point can be changed by
    whoever holds the unit's lock (`plov.media.permissions`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from plov.media.permissions import unit_of_collection

        if self.instance.pk and unit_of_collection(self.instance.collection_id) is not None:
            for name in ("file", "collection"):
                if name in self.fields:
                    self.fields[name].disabled = True


class LibraryDocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE, also its multiple upload): a
    file uploaded in the library passes the same PDF check as a unit document (no active
    content); a unit's documents are not changed there at all (`plov.media.permissions`)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            try:
                documents.check_pdf(upload)
            except documents.DocumentRejected as exc:
                raise ValidationError(str(exc), code="invalid_pdf") from None
            upload.seek(0)
        return upload

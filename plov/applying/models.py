"""How to apply for a care home or home care in a municipality (visitation): written by the
municipality's editors in the back office, with the same lock and versions as a unit's content
(`plov.backoffice.locking`; every save is a Wagtail revision), shown on the public site at
/kommune/<slug>/ansoeg/ and linked from every unit page of the municipality."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from wagtail.models import LockableMixin, RevisionMixin

from plov.units.models import Municipality

PHONE = RegexValidator(
    r"^\+?[0-9 ]{8,16}$", "Skriv telefonnummeret med 8 cifre, fx 33 66 33 66 (evt. +45 foran)."
)

# The fields an editor writes, in the form's order (versions compare and restore these).
FIELDS = (
    "care_home_text",
    "home_care_text",
    "phone",
    "phone_hours",
    "email",
    "url",
)


class ApplicationGuidance(LockableMixin, RevisionMixin, models.Model):
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="application"
    )
    care_home_text = models.TextField(
        "sådan søger du om plejebolig",
        blank=True,
        help_text="Hvordan borgeren søger om plejebolig i kommunen, og hvad der sker bagefter "
        "(visitation, svar, ventetid). Almindelig tekst; en tom linje giver et nyt afsnit.",
    )
    home_care_text = models.TextField(
        "sådan søger du om helhedspleje",
        blank=True,
        help_text="Hvordan borgeren søger om helhedspleje (hjemmehjælp), og hvordan leverandøren "
        "vælges.",
    )
    phone = models.CharField("telefon", max_length=20, blank=True, validators=[PHONE])
    phone_hours = models.CharField(
        "telefontid", max_length=100, blank=True, help_text="Fx hverdage kl. 8-12."
    )
    email = models.EmailField("e-mail", blank=True)
    url = models.URLField(
        "link til kommunens side",
        blank=True,
        help_text="Kommunens egen side om at søge plejebolig eller helhedspleje (https://…).",
    )
    updated_at = models.DateTimeField("senest ændret", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "ansøgningsvejledning"
        verbose_name_plural = "ansøgningsvejledninger"

    def __str__(self) -> str:
        return f"Sådan søger du – {self.municipality}"

    @property
    def is_filled(self) -> bool:
        return any(getattr(self, name) for name in FIELDS)

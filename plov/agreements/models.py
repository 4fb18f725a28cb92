"""Service agreements (serviceleverancer) between a municipality and a unit it offers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from plov.units.models import Municipality, Unit


class AgreementType(models.TextChoices):
    OPERATING_AGREEMENT = "driftsoverenskomst", _("Driftsoverenskomst")
    OWN_PRODUCTION = "myndighedsproduktion", _("Myndighedsproduktion")
    LOCAL_CARE_HOME = "lokalplejehjem", _("Lokalplejehjem")
    FREE_CARE_HOME = "friplejebolig", _("Friplejebolig")  # created only by the national agency


class ServiceAgreementQuerySet(models.QuerySet):
    def in_force(self, on: dt.date) -> ServiceAgreementQuerySet:
        return self.filter(
            Q(end__isnull=True) | Q(end__gte=on), start__lte=on, annulled_at__isnull=True
        )


class CurrentAgreementManager(models.Manager.from_queryset(ServiceAgreementQuerySet)):
    """Every agreement that was not annulled: the default manager, so that nothing that counts
    or shows agreements (publication, search, open data, unit pages, `unit.agreements`) can
    see an agreement registered by mistake."""

    def get_queryset(self) -> ServiceAgreementQuerySet:
        return super().get_queryset().filter(annulled_at__isnull=True)


class ServiceAgreement(RevisionMixin, models.Model):
    """An agreement between a municipality (the party) and a unit.

    Every save is a Wagtail revision (`plov.agreements.history`). An agreement registered by
    mistake is *annulled*, not deleted: `objects` no longer returns it, `all_objects` does (the
    back office's history)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name="aftalepart",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="agreements", verbose_name="enhed"
    )
    reference = models.CharField("aftaleidentifikation", max_length=100)
    type = models.CharField("type", max_length=30, choices=AgreementType.choices)
    start = models.DateField("startdato")
    end = models.DateField("slutdato", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    annulled_at = models.DateTimeField("annulleret", null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    annul_reason = models.CharField("begrundelse for annullering", max_length=500, blank=True)

    objects = CurrentAgreementManager()
    all_objects = ServiceAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "reference"]
        verbose_name = "serviceleverance"
        verbose_name_plural = "serviceleverancer"
        constraints = [
            # An annulled agreement keeps its reference; the correct one may use it again.
            models.UniqueConstraint(
                fields=["municipality", "reference"],
                condition=Q(annulled_at__isnull=True),
                name="agreement_reference_unique_per_party",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.unit} ({self.get_type_display()})"

    def in_force(self, on: dt.date) -> bool:
        if self.annulled_at is not None:
            return False
        return self.start <= on and (self.end is None or self.end >= on)

    @property
    def annulled(self) -> bool:
        return self.annulled_at is not None


class AgreementDescription(models.Model):
    """The private provider's description (aftalebeskrivelse) of what it agreed with one
    municipality. Written by the provider's editor; the contract manager sees it read-only."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="agreement_descriptions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("beskrivelse")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "aftalebeskrivelse"
        verbose_name_plural = "aftalebeskrivelser"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "municipality"], name="one_description_per_unit_and_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.municipality}"

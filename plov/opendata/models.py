"""What open data remembers: the units' public changes, for the change feed
(/api/v1/changes). Written by `plov.opendata.changes` from where the changes happen."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ChangeEvent(models.Model):
    """One change to a unit as the open data shows it: created, changed (which fields),
    closed, published or hidden. Agreements starting and ending are not stored: their dates
    are in `ServiceAgreement` (the feed reads them there)."""

    class Kind(models.TextChoices):
        CREATED = "unit_created", "Oprettet"
        CHANGED = "unit_changed", "Ændret"
        CLOSED = "unit_closed", "Lukket"
        PUBLISHED = "unit_published", "Vist"
        HIDDEN = "unit_hidden", "Skjult"

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The open-data field names that changed (CHANGED only), e.g. ["name", "phone"].
    fields = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Whether the unit was shown to citizens when it happened: the feed lists a change to a
    # unit that was not shown only when it is the publication itself.
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "ændring (åbne data)"
        verbose_name_plural = "ændringer (åbne data)"

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

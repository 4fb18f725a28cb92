"""Supervising authorities (Ældretilsynet's three supervising municipalities) and which
municipalities each covers. Coverage is data the agency maintains, never code."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from plov.units.models import Municipality


class SupervisingAuthority(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "tilsynsmyndighed"
        verbose_name_plural = "tilsynsmyndigheder"

    def __str__(self) -> str:
        return self.name


class AuthorityCoverageQuerySet(models.QuerySet):
    def in_force(self, on: dt.date) -> AuthorityCoverageQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class AuthorityCoverage(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="authority_coverage"
    )
    authority = models.ForeignKey(
        SupervisingAuthority, on_delete=models.PROTECT, related_name="coverage"
    )
    valid_from = models.DateField("gyldig fra", null=True, blank=True)
    valid_to = models.DateField("gyldig til", null=True, blank=True)

    objects = AuthorityCoverageQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "valid_from"]
        verbose_name = "tilsynsdækning"
        verbose_name_plural = "tilsynsdækning"

    def __str__(self) -> str:
        return f"{self.municipality} → {self.authority}"

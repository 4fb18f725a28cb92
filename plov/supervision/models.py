"""Supervising authorities (Ældretilsynet's three supervising municipalities) and which
municipalities each covers. Coverage is data the agency maintains, never code."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

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
        Municipality,
        on_delete=models.CASCADE,
        related_name="authority_coverage",
        verbose_name="kommune",
    )
    authority = models.ForeignKey(
        SupervisingAuthority,
        on_delete=models.PROTECT,
        related_name="coverage",
        verbose_name="tilsynsmyndighed",
    )
    valid_from = models.DateField("gyldig fra", null=True, blank=True)
    valid_to = models.DateField("gyldig til", null=True, blank=True)

    objects = AuthorityCoverageQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "valid_from"]
        verbose_name = "dækningsperiode"
        verbose_name_plural = "dækningsperioder"

    def __str__(self) -> str:
        return f"{self.municipality} → {self.authority}"


class SupervisionStatus(models.TextChoices):
    """The unit's current status against Ældretilsynet's overall assessment."""

    NO_REMARKS = "ingen_bemaerkninger", _("Ingen bemærkninger")
    MINOR = "mindre_bemaerkninger", _("Mindre bemærkninger")
    SIGNIFICANT = "vaesentlige_bemaerkninger", _("Væsentlige bemærkninger")
    CRITICAL = "kritiske_bemaerkninger", _("Kritiske bemærkninger")


class SupervisionFeedback(models.Model):
    """The supervisor's written feedback on one inspection of a unit (PDF + date + status)."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="supervision_feedback"
    )
    authority = models.ForeignKey(SupervisingAuthority, on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField("tilsynsdato")
    status = models.CharField("status", max_length=40, choices=SupervisionStatus.choices)
    summary = models.TextField("sammenfatning", blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Ældretilsynet's own published report, instead of (or beside) the PDF: an https address.
    report_url = models.URLField("link til tilsynsrapporten", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = "tilsynstilbagemelding"
        verbose_name_plural = "tilsynstilbagemeldinger"

    def __str__(self) -> str:
        return f"{self.unit} {self.inspected_on}"

    @property
    def has_report(self) -> bool:
        """Whether a relative can read the report: a PDF attached or a link to it."""
        return self.document_id is not None or bool(self.report_url)


REPLY_MAX_LENGTH = 1000


class FeedbackReply(RevisionMixin, models.Model):
    """Enhedens bemærkninger: the unit's own short comment on one supervision feedback (its
    right of reply, issue 12 point 5). Written only by the unit's editors
    (`plov.accounts.scope.can_reply_to_supervision`); it never changes the authority's feedback,
    which is another row. Every change is a Wagtail revision (`plov.supervision.replies`); an
    emptied text takes the comment off the public page, and the versions keep what it said."""

    feedback = models.OneToOneField(
        SupervisionFeedback, on_delete=models.CASCADE, related_name="reply"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="feedback_replies"
    )
    text = models.TextField("enhedens bemærkninger", blank=True)
    written_on = models.DateField("dato", null=True, blank=True)  # when the text was published
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "enhedens bemærkninger"
        verbose_name_plural = "enhedens bemærkninger"

    def __str__(self) -> str:
        return f"Enhedens bemærkninger til tilsynet {self.feedback.inspected_on:%d.%m.%Y}"

    @property
    def shown(self) -> bool:
        return bool(self.text.strip())


class SanctionType(models.TextChoices):
    """Decisions under the Elder Supervision Act §9."""

    ORDER = "paabud", _("Påbud om at sikre kvaliteten")
    ADVICE_ORDER = "paabud_raadgivning", _("Påbud om at modtage rådgivning og sparring")
    BAN_NEW_RESIDENTS = "forbud_indflytning", _("Forbud mod indflytning af nye beboere")
    BAN_NEW_CITIZENS = "forbud_nye_borgere", _("Forbud mod at modtage nye borgere")


class SanctionQuerySet(models.QuerySet):
    def in_force(self, on: dt.date) -> SanctionQuerySet:
        return self.filter(
            Q(lifted_on__isnull=True) | Q(lifted_on__gt=on),
            Q(period_end__isnull=True) | Q(period_end__gte=on),
            decided_on__lte=on,
        )


class Sanction(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="sanctions")
    authority = models.ForeignKey(SupervisingAuthority, on_delete=models.PROTECT, related_name="+")
    type = models.CharField("type", max_length=30, choices=SanctionType.choices)
    decided_on = models.DateField("afgørelsesdato")
    themes = models.TextField("temaer", blank=True)
    deadline = models.DateField("frist", null=True, blank=True)
    period_end = models.DateField("gælder til", null=True, blank=True)
    lifted_on = models.DateField("ophævet", null=True, blank=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = "sanktion"
        verbose_name_plural = "sanktioner"

    def __str__(self) -> str:
        return f"{self.get_type_display()} – {self.unit}"


class QualityResult(models.Model):
    """A quality indicator or a user-satisfaction result for one unit and period."""

    class Kind(models.TextChoices):
        INDICATOR = "indicator", "Kvalitetsindikator"
        SATISFACTION = "satisfaction", "Brugertilfredshed"

    class Better(models.TextChoices):
        """Which way the figure is better (the file's `bedst`); blank: not stated."""

        HIGHER = "higher", "Højt er bedst"
        LOWER = "lower", "Lavt er bedst"

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="quality_results")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField("kode", max_length=50)
    name = models.CharField("navn", max_length=255)
    period = models.CharField("periode", max_length=20)  # e.g. "2025" or "2025-H1"
    value = models.DecimalField("værdi", max_digits=12, decimal_places=3)
    unit_of_measure = models.CharField("enhed", max_length=50, blank=True)
    national_average = models.DecimalField(
        "landsgennemsnit", max_digits=12, decimal_places=3, null=True, blank=True
    )
    better = models.CharField("bedst", max_length=10, choices=Better.choices, blank=True)
    respondents = models.PositiveIntegerField(
        "antal besvarelser",
        null=True,
        blank=True,
        help_text="Hvor mange (besvarelser, beboere eller borgere) tallet bygger på.",
    )
    source = models.CharField("kilde", max_length=255, blank=True)
    published_on = models.DateField("offentliggjort", null=True, blank=True)

    class Meta:
        ordering = ["unit", "kind", "code", "-period"]
        verbose_name = "kvalitetsresultat"
        verbose_name_plural = "kvalitetsresultater"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "code", "period"], name="one_result_per_unit_code_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}: {self.value}"


TRANSITION_ENDS = dt.date(2027, 7, 1)


class TransitionProviderQuerySet(models.QuerySet):
    def current(self, on: dt.date) -> TransitionProviderQuerySet:
        return self.filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=on), added_on__lte=on, valid_until__gte=on
        )


class TransitionProvider(models.Model):
    """A company on the transition list (overgangsordning): until 1 July 2027 it delivers only
    under the Social Services Act. Maintained by the national agency."""

    name = models.CharField("virksomhed", max_length=255)
    cvr_number = models.CharField("CVR-nummer", max_length=8)
    added_on = models.DateField("optaget på listen")
    valid_until = models.DateField("gælder til", default=TRANSITION_ENDS)
    removed_on = models.DateField("fjernet fra listen", null=True, blank=True)
    note = models.TextField("bemærkning", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TransitionProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "virksomhed på overgangsordningen"
        verbose_name_plural = "virksomheder på overgangsordningen"
        constraints = [
            models.CheckConstraint(
                condition=Q(cvr_number__regex=r"^\d{8}$"), name="transition_cvr_is_8_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (CVR {self.cvr_number})"

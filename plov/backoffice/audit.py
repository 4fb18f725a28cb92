"""The audit log: who did what, when. Built on Wagtail's log entries, so the agency can read it
in the admin's history reports. Nothing personal beyond the user's name and organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Model
from wagtail.log_actions import log


class AuditAction(models.TextChoices):
    """The actions plov logs besides Wagtail's own (wagtail.lock, wagtail.unlock,
    wagtail.edit, ...): the value is stored in the log entry, the label shown."""

    LOGIN = "plov.login", "Logget ind"
    LOCK_RELEASED = "plov.lock_released", "Lås frigivet af administrator"
    SAVED = "plov.save", "Gemt"
    PUBLISHED = "plov.publish", "Publiceret"
    UNPUBLISHED = "plov.unpublish", "Ikke længere publiceret"
    AGREEMENT_CREATED = "plov.agreement_created", "Serviceleverance oprettet"
    AGREEMENT_CHANGED = "plov.agreement_changed", "Serviceleverance ændret"
    AGREEMENT_ENDED = "plov.agreement_ended", "Serviceleverance afsluttet"
    AGREEMENT_ANNULLED = "plov.agreement_annulled", "Serviceleverance annulleret"
    DESCRIPTION_SAVED = "plov.description_saved", "Aftalebeskrivelse gemt"
    UPLOADED = "plov.upload", "Fil uploadet"
    MEDIA_REMOVED = "plov.media_removed", "Billede, dokument eller boligbeskrivelse fjernet"
    MEDIA_RESTORED = "plov.media_restored", "Billede, dokument eller boligbeskrivelse gendannet"
    FEEDBACK_CREATED = "plov.supervision_feedback_created", "Tilsynstilbagemelding registreret"
    FEEDBACK_CHANGED = "plov.supervision_feedback_changed", "Tilsynstilbagemelding rettet"
    FEEDBACK_WITHDRAWN = "plov.supervision_feedback_withdrawn", "Tilsynstilbagemelding tilbagekaldt"
    SANCTION_CREATED = "plov.sanction_created", "Sanktion registreret"
    SANCTION_CHANGED = "plov.sanction_changed", "Sanktion ændret"
    SANCTION_LIFTED = "plov.sanction_lifted", "Sanktion ophævet"


# action → label, for registering the actions with Wagtail's log
ACTIONS = dict(AuditAction.choices)


def audit_value(value) -> str:
    """A field's value as the audit log's changes record it: a date as 2026-02-01, a unit by
    its SOR-ID, nothing as ""."""
    from plov.units.models import Unit

    if value is None:
        return ""
    if isinstance(value, Unit):
        return value.sor_id or str(value.pk)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def audit(instance: Model, action: str, *, user, data: dict[str, Any] | None = None) -> None:
    """Record an action (an AuditAction, or one of Wagtail's) on an object by a user."""
    log(instance=instance, action=action, user=user, data=data or {})


def audit_many(entries: Iterable[tuple[Model, str, dict[str, Any]]], *, user=None) -> int:
    """Record many (instance, action, data) at once, as `audit` records one (the nightly
    publication run may log thousands). Returns how many."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import ModelLogEntry

    now = timezone.now()
    rows = [
        ModelLogEntry(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            label=str(instance),
            action=str(action),
            timestamp=now,
            data=data,
            object_id=str(instance.pk),
            user=user,
        )
        for instance, action, data in entries
    ]
    ModelLogEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

"""The audit log: who did what, when. Built on Wagtail's log entries, so the agency can read it
in the admin's history reports. Nothing personal beyond the user's name and organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model
from wagtail.log_actions import log

# Actions plov logs besides Wagtail's own (wagtail.lock, wagtail.unlock, wagtail.edit, ...).
ACTIONS = {
    "plov.login": "Logget ind",
    "plov.lock_released": "Lås frigivet af administrator",
    "plov.save": "Gemt",
    "plov.publish": "Publiceret",
    "plov.unpublish": "Ikke længere publiceret",
    "plov.agreement_created": "Serviceleverance oprettet",
    "plov.agreement_changed": "Serviceleverance ændret",
    "plov.agreement_ended": "Serviceleverance afsluttet",
    "plov.agreement_annulled": "Serviceleverance annulleret",
    "plov.description_saved": "Aftalebeskrivelse gemt",
    "plov.upload": "Fil uploadet",
    "plov.media_removed": "Billede, dokument eller boligbeskrivelse fjernet",
    "plov.media_restored": "Billede, dokument eller boligbeskrivelse gendannet",
    "plov.supervision_feedback_created": "Tilsynstilbagemelding registreret",
    "plov.supervision_feedback_changed": "Tilsynstilbagemelding rettet",
    "plov.supervision_feedback_withdrawn": "Tilsynstilbagemelding tilbagekaldt",
    "plov.sanction_created": "Sanktion registreret",
    "plov.sanction_changed": "Sanktion ændret",
    "plov.sanction_lifted": "Sanktion ophævet",
}


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
    """Record an action on an object by a user (use the action names in ACTIONS)."""
    log(instance=instance, action=action, user=user, data=data or {})

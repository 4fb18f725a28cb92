"""The writes of service agreements, one function each (issue 14, §2): the row, its version
(`history`), an audit entry and the publication of the affected unit, in one transaction.
Views, the CSV importer and the CLI call these, so every agreement written leaves the same
trace whoever wrote it. The callers check permissions and staleness first (and lock the row
they pass in with select_for_update).

`refresh=False` leaves the publication to the caller (the importer refreshes the units it
touched once, at the end); the public caches are cleared by the model signals on commit
(`plov.public.signals`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from plov.agreements import history
from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.backoffice.audit import AuditAction, audit, audit_value
from plov.publishing.refresh import refresh_publication
from plov.units.models import Municipality


def _data(agreement: ServiceAgreement, source: str | None, **extra) -> dict:
    data = {"kommune": agreement.municipality_id, "sor_id": agreement.unit.sor_id, **extra}
    if source:
        data["source"] = source
    return data


def _refresh(agreement: ServiceAgreement, user, refresh: bool, *also: int) -> None:
    if refresh:
        refresh_publication(unit_ids=[agreement.unit_id, *also], user=user)


def create_agreement(
    *, party: Municipality, values: dict, user, source: str | None = None, refresh: bool = True
) -> ServiceAgreement:
    """A new agreement of `party` (values: unit, type, start, end, reference, …)."""
    with transaction.atomic():
        agreement = ServiceAgreement.objects.create(municipality=party, created_by=user, **values)
        history.record(agreement, user)
        audit(
            agreement,
            AuditAction.AGREEMENT_CREATED,
            user=user,
            data=_data(agreement, source, changes={k: audit_value(v) for k, v in values.items()}),
        )
        _refresh(agreement, user, refresh)
    return agreement


def change_agreement(
    agreement: ServiceAgreement,
    values: dict,
    *,
    user,
    source: str | None = None,
    refresh: bool = True,
) -> dict | None:
    """Set `values` on a stored agreement; what changed ([before, after] per field), or None
    when nothing did (an unchanged save is not a version)."""
    before = {k: getattr(agreement, k) for k in values}
    changes = {
        k: [audit_value(before[k]), audit_value(v)] for k, v in values.items() if before[k] != v
    }
    if not changes:
        return None
    previous_unit = agreement.unit_id  # an agreement moved to another unit: both change
    with transaction.atomic():
        history.ensure_baseline(agreement)
        for key, value in values.items():
            setattr(agreement, key, value)
        agreement.save()
        history.record(agreement, user)
        audit(
            agreement,
            AuditAction.AGREEMENT_CHANGED,
            user=user,
            data=_data(agreement, source, changes=changes),
        )
        _refresh(agreement, user, refresh, previous_unit)
    return changes


def end_agreement(agreement: ServiceAgreement, end: dt.date, *, user) -> None:
    """ "Afslut": the agreement ends on `end` (inclusive)."""
    with transaction.atomic():
        before = agreement.end
        history.ensure_baseline(agreement)
        agreement.end = end
        agreement.save(update_fields=["end", "updated_at"])
        history.record(agreement, user)
        audit(
            agreement,
            AuditAction.AGREEMENT_ENDED,
            user=user,
            data=_data(agreement, None, changes={"end": [audit_value(before), audit_value(end)]}),
        )
        _refresh(agreement, user, True)


def annul_agreement(agreement: ServiceAgreement, reason: str, *, user) -> None:
    """ "Annullér": kept with its versions, but never counted nor shown."""
    with transaction.atomic():
        history.ensure_baseline(agreement)
        agreement.annulled_at = timezone.now()
        agreement.annulled_by = user
        agreement.annul_reason = reason
        agreement.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
        history.record(agreement, user)
        audit(
            agreement,
            AuditAction.AGREEMENT_ANNULLED,
            user=user,
            data=_data(agreement, None, reference=agreement.reference),
        )
        _refresh(agreement, user, True)


def save_agreement_description(
    description: AgreementDescription, *, user, source: str | None = None, refresh: bool = True
) -> AgreementDescription:
    """The provider's description of its agreement with a municipality (saved as given)."""
    with transaction.atomic():
        description.save()
        data = {"kommune": description.municipality_id, "sor_id": description.unit.sor_id}
        if source:
            data["source"] = source
        audit(description, AuditAction.DESCRIPTION_SAVED, user=user, data=data)
        if refresh:
            refresh_publication(unit_ids=[description.unit_id], user=user)
    return description

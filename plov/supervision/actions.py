"""The writes of Ældretilsynet's registrations, one function each (issue 14, §2): the row and its
audit entry (`AuditAction`) in one transaction, so a registration leaves the same trace whoever
makes it (the back-office views, an import or the CLI). The callers check permissions first.

Supervision does not decide which units are shown (DOMAIN.md §5), so there is no publication
to refresh; the unit's public page and search caches are cleared by the model signals when the
transaction commits (`plov.public.signals`). The audit entry keeps the unit's identity and the
values, never free text (the summary only as "given").
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from plov.backoffice.audit import AuditAction, audit, audit_value
from plov.media.documents import discard_document
from plov.supervision.models import Sanction, SupervisingAuthority, SupervisionFeedback
from plov.units.models import Unit


def audit_data(unit: Unit, authority: SupervisingAuthority | None, **data) -> dict:
    """What the audit log keeps about a registration on `unit`."""
    return {
        "sor_id": unit.sor_id,
        "unit": unit.pk,
        "authority": authority.name if authority else "",
        **data,
    }


def register_feedback(
    *,
    unit: Unit,
    authority: SupervisingAuthority,
    inspected_on: dt.date,
    status: str,
    summary: str = "",
    report_url: str = "",
    document=None,
    user,
) -> SupervisionFeedback:
    """A new written feedback on an inspection. `document` (a Wagtail document, already saved
    in the unit's media folder) is deleted with its file if the write fails."""
    try:
        with transaction.atomic():
            feedback = SupervisionFeedback.objects.create(
                unit=unit,
                authority=authority,
                inspected_on=inspected_on,
                status=status,
                summary=summary,
                document=document,
                report_url=report_url,
            )
            audit(
                feedback,
                AuditAction.FEEDBACK_CREATED,
                user=user,
                data=audit_data(
                    unit,
                    authority,
                    inspected_on=audit_value(feedback.inspected_on),
                    status=feedback.status,
                    summary_given=bool(feedback.summary),
                    document=document.pk if document else None,
                    size=document.file_size if document else None,
                    report_url=feedback.report_url,
                    confirmed_without_personal_data=True,
                ),
            )
    except Exception:
        discard_document(document)
        raise
    return feedback


def lift_sanction(
    sanction: Sanction,
    lifted_on: dt.date,
    *,
    user,
    authority: SupervisingAuthority | None = None,
) -> Sanction:
    """ "Ophæv": the sanction stops applying on `lifted_on`. `authority` is the one the audit
    entry names (the unit's authority today; the sanction's own when not given)."""
    with transaction.atomic():
        sanction = (
            Sanction.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(pk=sanction.pk)
        )
        before = sanction.lifted_on
        sanction.lifted_on = lifted_on
        sanction.save(update_fields=["lifted_on"])
        audit(
            sanction,
            AuditAction.SANCTION_LIFTED,
            user=user,
            data=audit_data(
                sanction.unit,
                authority if authority is not None else sanction.authority,
                sanction=sanction.pk,
                type=sanction.type,
                changes={"lifted_on": [audit_value(before), audit_value(lifted_on)]},
            ),
        )
    return sanction

"""The writes of Ældretilsynet's registrations, one function each (issue 14, §2): the row and its
audit entry (`AuditAction`) in one transaction, so a registration leaves the same trace whoever
makes it (the back-office views, an import or the CLI). The callers check permissions first.

Supervision does not decide which units are shown (DOMAIN.md §5), so there is no publication
to refresh; the unit's public page and search caches are cleared by the model signals when the
transaction commits (`plov.public.signals`). The audit entry keeps the unit's identity and the
values, never free text (the summary only as "given", the themes only as "ændret").

The audit entry names the unit's authority as the caller passes it (the views: the unit's
authority today, None when no authority covers the unit today); when not given, the
registration's own authority.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from plov.backoffice.audit import AuditAction, audit, audit_value
from plov.media.documents import discard_document
from plov.supervision.models import Sanction, SupervisingAuthority, SupervisionFeedback
from plov.units.models import Unit


class _Own:
    """The default `authority` of an audit entry: the registration's own."""

    def __repr__(self) -> str:
        return "OWN"


OWN = _Own()
Authority = SupervisingAuthority | None | _Own

# What a correction or a change may set.
FEEDBACK_FIELDS = ("inspected_on", "status", "summary", "report_url")
SANCTION_FIELDS = ("type", "decided_on", "themes", "deadline", "period_end", "lifted_on")


def audit_data(unit: Unit, authority: SupervisingAuthority | None, **data) -> dict:
    """What the audit log keeps about a registration on `unit`."""
    return {
        "sor_id": unit.sor_id,
        "unit": unit.pk,
        "authority": authority.name if authority else "",
        **data,
    }


def _named(
    authority: Authority, record: SupervisionFeedback | Sanction
) -> SupervisingAuthority | None:
    return record.authority if isinstance(authority, _Own) else authority


def _check_fields(values: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(unknown)}")


def apply_changes(record, values: dict, *, free_text: str) -> dict:
    """Set `values` on `record`; return what changed, for the audit log: [before, after] per
    field, and only "ændret" for the free-text field (its content is never logged)."""
    before = {k: getattr(record, k) for k in values}
    for key, value in values.items():
        setattr(record, key, value)
    return {
        k: ("ændret" if k == free_text else [audit_value(before[k]), audit_value(v)])
        for k, v in values.items()
        if before[k] != v
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


def correct_feedback(
    feedback: SupervisionFeedback,
    values: dict,
    *,
    document=None,
    user,
    authority: Authority = OWN,
) -> tuple[SupervisionFeedback, dict]:
    """ "Ret tilbagemelding": set `values` (of FEEDBACK_FIELDS) and, with `document`, replace the
    PDF; the replaced document is deleted with its file when the change commits. Returns the
    feedback as stored and what changed ({} when nothing did: no write, no entry).
    `SupervisionFeedback.DoesNotExist` if it was withdrawn meanwhile. `document` (already saved)
    is deleted with its file if the write fails."""
    try:
        _check_fields(values, FEEDBACK_FIELDS)
        with transaction.atomic():
            feedback = (
                SupervisionFeedback.objects.select_for_update(of=("self",))
                .select_related("unit", "authority", "document")
                .get(pk=feedback.pk, unit_id=feedback.unit_id)
            )
            changes = apply_changes(feedback, values, free_text="summary")
            fields = [k for k in values if k in changes]
            replaced = None
            if document is not None:
                replaced = feedback.document
                feedback.document = document
                fields.append("document")
                changes["document"] = [replaced.pk if replaced else None, document.pk]
            if changes:
                feedback.save(update_fields=fields)
                audit(
                    feedback,
                    AuditAction.FEEDBACK_CHANGED,
                    user=user,
                    data=audit_data(
                        feedback.unit,
                        _named(authority, feedback),
                        feedback=feedback.pk,
                        changes=changes,
                        summary_given=bool(feedback.summary),
                    ),
                )
                discard_document(replaced)
    except Exception:
        discard_document(document)
        raise
    return feedback, changes


def withdraw_feedback(
    feedback: SupervisionFeedback, *, user, authority: Authority = OWN
) -> SupervisionFeedback:
    """ "Tilbagekald tilbagemelding": the feedback (with the unit's reply) and its document are
    deleted, the file once the deletion commits. Returns the deleted feedback (its values kept,
    for the caller's message). `SupervisionFeedback.DoesNotExist` if it was withdrawn
    meanwhile."""
    with transaction.atomic():
        feedback = (
            SupervisionFeedback.objects.select_for_update(of=("self",))
            .select_related("unit", "authority", "document")
            .get(pk=feedback.pk, unit_id=feedback.unit_id)
        )
        document = feedback.document
        audit(
            feedback,
            AuditAction.FEEDBACK_WITHDRAWN,
            user=user,
            data=audit_data(
                feedback.unit,
                _named(authority, feedback),
                feedback=feedback.pk,
                inspected_on=audit_value(feedback.inspected_on),
                status=feedback.status,
                summary_given=bool(feedback.summary),
                document=document.pk if document else None,
            ),
        )
        feedback.delete()
        discard_document(document)
    return feedback


def register_sanction(
    *,
    unit: Unit,
    authority: SupervisingAuthority,
    type: str,
    decided_on: dt.date,
    themes: str = "",
    deadline: dt.date | None = None,
    period_end: dt.date | None = None,
    user,
) -> Sanction:
    """A new sanction (a påbud with its `deadline`, a ban with its `period_end`); lifting it is
    `lift_sanction`, its own entry."""
    with transaction.atomic():
        sanction = Sanction.objects.create(
            unit=unit,
            authority=authority,
            type=type,
            decided_on=decided_on,
            themes=themes,
            deadline=deadline,
            period_end=period_end,
        )
        audit(
            sanction,
            AuditAction.SANCTION_CREATED,
            user=user,
            data=audit_data(
                unit,
                authority,
                type=sanction.type,
                decided_on=audit_value(sanction.decided_on),
                deadline=audit_value(sanction.deadline),
                period_end=audit_value(sanction.period_end),
                themes_given=bool(sanction.themes),
            ),
        )
    return sanction


def change_sanction(
    sanction: Sanction, values: dict, *, user, authority: Authority = OWN
) -> tuple[Sanction, dict]:
    """ "Ret sanktion": set `values` (of SANCTION_FIELDS). Returns the sanction as stored and
    what changed ({} when nothing did: no write, no entry)."""
    _check_fields(values, SANCTION_FIELDS)
    with transaction.atomic():
        sanction = (
            Sanction.objects.select_for_update(of=("self",))
            .select_related("unit", "authority")
            .get(pk=sanction.pk)
        )
        changes = apply_changes(sanction, values, free_text="themes")
        if changes:
            sanction.save(update_fields=list(values))
            audit(
                sanction,
                AuditAction.SANCTION_CHANGED,
                user=user,
                data=audit_data(
                    sanction.unit,
                    _named(authority, sanction),
                    sanction=sanction.pk,
                    changes=changes,
                ),
            )
    return sanction, changes


def lift_sanction(
    sanction: Sanction,
    lifted_on: dt.date,
    *,
    user,
    authority: Authority = OWN,
) -> Sanction:
    """ "Ophæv": the sanction stops applying on `lifted_on`."""
    with transaction.atomic():
        sanction = (
            Sanction.objects.select_for_update(of=("self",))
            .select_related("unit", "authority")
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
                _named(authority, sanction),
                sanction=sanction.pk,
                type=sanction.type,
                changes={"lifted_on": [audit_value(before), audit_value(lifted_on)]},
            ),
        )
    return sanction

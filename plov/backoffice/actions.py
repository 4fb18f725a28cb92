"""What follows a write of a unit's editorial content (issue 14, §2), for the editor's save and
a restored version alike: the audit entry and the publication of the unit and the provider
above it, in one transaction. A unit that was shown and stays shown is not logged as published
again: `refresh_publication` logs only a unit that comes on or goes off the public site."""

from __future__ import annotations

from django.db import transaction

from plov.backoffice.audit import AuditAction, audit
from plov.publishing.refresh import refresh_publication
from plov.units.models import Unit, UnitContent


def content_saved(unit: Unit, content: UnitContent, revision, *, user, data: dict) -> None:
    """`content` was saved as `revision` by `user` (data: what the audit entry adds)."""
    with transaction.atomic():
        audit(content, AuditAction.SAVED, user=user, data={"revision": revision.pk, **data})
        refresh_publication(unit_ids=[unit.pk], user=user, audit_data={"revision": revision.pk})

"""Versions of a service agreement: every change (create, edit, end, annul, import) is a Wagtail
revision of the `ServiceAgreement`, with who and when; the back office shows them newest first
with what changed. The revision is the stored state after the change (no drafts).

Optimistic concurrency: an edit form carries the revision it started from (`base_revision`);
a save whose base is not the agreement's latest revision is refused (`stale`), so a second
contract manager never silently overwrites the first one's change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wagtail.models import Revision

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.backoffice.locking import format_time, user_name
from plov.units.models import Municipality, Unit

LABELS = {
    "municipality": "Aftalepart",
    "unit": "Enhed",
    "reference": "Aftaleidentifikation",
    "type": "Type",
    "start": "Startdato",
    "end": "Slutdato",
    "annulled_at": "Annulleret",
    "annul_reason": "Begrundelse for annullering",
}
SYSTEM = "System (import)"


def record(agreement: ServiceAgreement, user) -> Revision:
    """A version of the agreement as it is stored now (the audit row is the caller's)."""
    return agreement.save_revision(user=user, log_action=False, clean=False)


def ensure_baseline(agreement: ServiceAgreement) -> Revision | None:
    """An agreement stored before versions existed (or by an old import) becomes version 1
    with its stored values, so that the first change can be compared with it."""
    if agreement.latest_revision_id is not None:
        return None
    revision = Revision.objects.create(
        content_object=agreement,
        base_content_type=agreement.get_base_content_type(),
        user=agreement.created_by,
        content=agreement.serializable_data(),
        object_str=str(agreement),
        created_at=agreement.created_at,
    )
    ServiceAgreement.all_objects.filter(pk=agreement.pk).update(latest_revision=revision)
    agreement.latest_revision = revision
    return revision


def revisions_of(agreement: ServiceAgreement):
    return (
        Revision.objects.for_instance(agreement)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def base_of(agreement: ServiceAgreement) -> str:
    """The value an edit form carries as the version it started from."""
    return str(agreement.latest_revision_id or "")


def is_stale(current: ServiceAgreement, base: str | None) -> bool:
    """Whether a form that started from `base` would overwrite a change made since."""
    return (base or "") != base_of(current)


def _display(name: str, value, names: dict) -> str:
    if value in (None, ""):
        return ""
    if name == "municipality":
        return names["municipality"].get(value, str(value))
    if name == "unit":
        return names["unit"].get(value, str(value))
    if name == "type":
        try:
            return str(AgreementType(value).label)
        except ValueError:
            return str(value)
    if name in ("start", "end"):
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
        except ValueError:
            return str(value)
    if name == "annulled_at":
        try:
            return format_time(dt.datetime.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Version:
    number: int
    revision: Revision
    changes: list[Change]

    @property
    def author(self) -> str:
        return user_name(self.revision.user) if self.revision.user_id else SYSTEM

    @property
    def created(self) -> str:
        return format_time(self.revision.created_at)


def versions(agreement: ServiceAgreement) -> list[Version]:
    """Newest first, numbered from 1 (the oldest); each with the fields it changed (the first
    with every field it set)."""
    revisions = list(revisions_of(agreement))[::-1]
    contents = [r.content for r in revisions]
    names = {
        "municipality": dict(
            Municipality.objects.filter(
                code__in={c.get("municipality") for c in contents}
            ).values_list("code", "name")
        ),
        "unit": {
            u.pk: f"{u.name} ({u.sor_id})" if u.sor_id else u.name
            for u in Unit.objects.filter(pk__in={c.get("unit") for c in contents})
        },
    }
    result = []
    previous: dict = {}
    for number, (revision, content) in enumerate(zip(revisions, contents, strict=True), 1):
        changes = []
        for name, label in LABELS.items():
            before = _display(name, previous.get(name), names)
            after = _display(name, content.get(name), names)
            if before != after:
                changes.append(Change(label, before, after))
        result.append(Version(number, revision, changes))
        previous = content
    return result[::-1]


def latest_change(agreement: ServiceAgreement) -> str:
    """ "gemt af NN 03.12.2026 kl. 15:12" for the newest version, for a refusal message."""
    latest = revisions_of(agreement).first()
    if latest is None:
        return ""
    who = user_name(latest.user) if latest.user_id else SYSTEM
    return f"af {who} {format_time(latest.created_at)}"

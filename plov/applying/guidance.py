"""The business rules of a municipality's application guidance, without HTTP: the public
address, saving a version, comparing and restoring versions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from plov.applying.models import FIELDS, ApplicationGuidance
from plov.backoffice import locking
from plov.units.models import Municipality


def municipality_slug(municipality: Municipality) -> str:
    """'København' → 'koebenhavn', as unit slugs spell Danish letters."""
    from plov.public.unitpage import unit_slug

    return unit_slug(municipality.name)


@lru_cache(maxsize=1)
def _codes_by_slug() -> dict[str, int]:
    return {municipality_slug(m): m.code for m in Municipality.objects.only("code", "name")}


def municipality_for_slug(slug: str) -> Municipality | None:
    code = _codes_by_slug().get(slug)
    if code is None:
        _codes_by_slug.cache_clear()  # the reference data may have been loaded since
        code = _codes_by_slug().get(slug)
    return Municipality.objects.filter(code=code).first() if code is not None else None


def guidance_of(municipality: Municipality) -> ApplicationGuidance | None:
    return (
        ApplicationGuidance.objects.select_related("locked_by", "municipality")
        .filter(municipality=municipality)
        .first()
    )


def get_or_create(municipality: Municipality) -> ApplicationGuidance:
    guidance, _created = ApplicationGuidance.objects.get_or_create(municipality=municipality)
    return guidance


def changed_fields(stored: ApplicationGuidance, values: dict) -> list[str]:
    return [name for name in FIELDS if (getattr(stored, name) or "") != (values.get(name) or "")]


def save(guidance: ApplicationGuidance, values: dict, user) -> list[str]:
    """Store the editor's values as a new version; the user must hold the lock
    (`locking.LockLost` otherwise, and nothing is written). Returns the changed fields (none:
    no new version, the lock is renewed)."""
    with transaction.atomic():
        stored = ApplicationGuidance.objects.select_for_update().get(pk=guidance.pk)
        if not locking.holds_lock(stored, user):
            raise locking.LockLost(locking.MUST_LOCK)
        changed = changed_fields(stored, values)
        if changed:
            if not stored.revisions.exists():  # version 1: as it was before the first save
                stored.save_revision(user=None, clean=False, log_action=False)
            for name in FIELDS:
                setattr(stored, name, values.get(name) or "")
            stored.updated_at = timezone.now()
            stored.updated_by = user
            stored.save()
            stored.save_revision(user=user, clean=False, log_action=True)
        locking.refresh(stored, user)
    return changed


@dataclass(frozen=True)
class Version:
    number: int
    revision: Revision
    changed: list[str]  # the fields this version changed from the one before it

    @property
    def author(self) -> str:
        return (
            locking.user_name(self.revision.user) if self.revision.user else "Før første redigering"
        )

    @property
    def created(self) -> str:
        return locking.format_time(self.revision.created_at)


def versions(guidance: ApplicationGuidance) -> list[Version]:
    """Every version, newest first, with what each changed."""
    revisions = list(guidance.revisions.select_related("user").order_by("created_at", "pk"))
    result, previous = [], {}
    for number, revision in enumerate(revisions, start=1):
        content = revision.content
        changed = [n for n in FIELDS if (content.get(n) or "") != (previous.get(n) or "")]
        result.append(Version(number, revision, changed if number > 1 else []))
        previous = content
    return list(reversed(result))


def restore(guidance: ApplicationGuidance, revision_id: int, user) -> list[str]:
    """Save a version's values again as a new version (the lock is needed, as for a save)."""
    revision = guidance.revisions.filter(pk=revision_id).first()
    if revision is None:
        raise ApplicationGuidance.DoesNotExist
    values = {name: revision.content.get(name) or "" for name in FIELDS}
    return save(guidance, values, user)

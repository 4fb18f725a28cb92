"""The unit page cache, and clearing it when anything a unit page shows changes.

A unit page's rendered parts are cached per unit and language (see `views_unit.unit_page`).
Their cache key carries a *generation* per unit and one for the whole site; clearing the cache
for a unit gives it a new generation, so its old entries are never read again (they expire).
Saving or deleting anything a page shows clears that unit; a register import run (its
`ImportRun` row) or a new supervision coverage clears every unit. The key also carries the day
(agreements and sanctions start and end at midnight) and the unit's `register_updated_at`,
which the importers stamp even on bulk writes that send no signals. Whether a unit is
published or closed is never cached: the view reads it on every request.

Searches, the map and the front page are cached under a *public generation* that every one of
these changes renews. All of it lives in the shared cache (`PLOV_CACHE_URL`): a change made
through one app server is seen at once by every other.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.registers.models import ImportRun
from plov.supervision.models import (
    AuthorityCoverage,
    FeedbackReply,
    QualityResult,
    Sanction,
    SupervisionFeedback,
)
from plov.units.models import HousingDescription, Unit, UnitContent, UnitDocument, UnitKind

CACHE_TIMEOUT = 60 * 60  # an hour: the bound on staleness from changes that send no signal
SITE_KEY = "plov:unitpage:generation"
# Searches, the map and the front page list many units: any change to any unit gives them a
# new generation (see `public_generation`).
PUBLIC_KEY = "plov:public:generation"


def _code_stamp() -> str:
    """A fingerprint of the code that renders the page: a deployment that changes the page
    never serves parts rendered by the old code from a shared cache."""
    digest = hashlib.sha1(usedforsecurity=False)
    here = Path(__file__).resolve().parent
    for path in (here / "unitpage.py", here / "templates" / "public" / "unit.html"):
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(path.name.encode())
    return digest.hexdigest()[:10]


CODE_STAMP = _code_stamp()


def _unit_key(pk: int) -> str:
    return f"plov:unitpage:generation:{pk}"


def cache_generation(pk: int) -> str:
    """The current generation of a unit's cached page (unit and site-wide parts)."""
    keys = [_unit_key(pk), SITE_KEY]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
    if len(found) < len(keys):
        found = cache.get_many(keys)
    # With no working cache every request gets a fresh generation, i.e. no stale page.
    return ".".join([CODE_STAMP, *(found.get(key) or uuid.uuid4().hex for key in keys)])


def public_generation() -> str:
    """The current generation of the cached searches and lists (all units)."""
    found = cache.get(PUBLIC_KEY)
    if found is None:
        cache.add(PUBLIC_KEY, uuid.uuid4().hex, None)
        found = cache.get(PUBLIC_KEY)
    return f"{CODE_STAMP}.{found or uuid.uuid4().hex}"


def _renew(keys: list[str]) -> None:
    """New generations for these keys, now and again when the transaction commits: another
    app server that renders the page before the commit still reads the old rows, and whatever
    it caches then must not outlive the commit."""

    def renew() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)

    renew()
    transaction.on_commit(renew)


def clear_unit_cache(*pks: int | None) -> None:
    """Forget the cached pages of these units (all languages), and every cached search."""
    keys = [_unit_key(pk) for pk in pks if pk]
    if keys:
        _renew([*keys, PUBLIC_KEY])


def clear_all_unit_caches() -> None:
    _renew([SITE_KEY, PUBLIC_KEY])


def _clear_with_family(unit_id: int | None, kind: str | None = None, parent_id=None) -> None:
    """A unit, the provider listing it, and (for a provider) its sites, which show its texts."""
    if not unit_id:
        return
    pks = [unit_id, parent_id]
    if kind is None or kind == UnitKind.HOME_CARE_PROVIDER:
        pks += list(Unit.objects.filter(parent_id=unit_id).values_list("pk", flat=True))
    clear_unit_cache(*pks)


@receiver(post_save, sender=Unit, dispatch_uid="plov.public.unit_saved")
@receiver(post_delete, sender=Unit, dispatch_uid="plov.public.unit_deleted")
def unit_changed(sender, instance: Unit, **kwargs) -> None:
    _clear_with_family(instance.pk, instance.kind, instance.parent_id)


@receiver(post_save, sender=UnitContent, dispatch_uid="plov.public.content_saved")
@receiver(post_delete, sender=UnitContent, dispatch_uid="plov.public.content_deleted")
def content_changed(sender, instance: UnitContent, **kwargs) -> None:
    _clear_with_family(instance.unit_id)


@receiver(m2m_changed, sender=UnitContent.professions.through, dispatch_uid="plov.public.prof")
@receiver(m2m_changed, sender=UnitContent.properties.through, dispatch_uid="plov.public.props")
def content_relations_changed(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, UnitContent):
        clear_unit_cache(instance.unit_id)


UNIT_CHILDREN = (
    ServiceAgreement,
    AgreementDescription,
    SupervisionFeedback,
    FeedbackReply,
    Sanction,
    QualityResult,
    UnitDocument,
    HousingDescription,
)


def child_changed(sender, instance, **kwargs) -> None:
    clear_unit_cache(instance.unit_id)


for _model in UNIT_CHILDREN:
    post_save.connect(child_changed, sender=_model, dispatch_uid=f"plov.public.{_model.__name__}")
    post_delete.connect(
        child_changed, sender=_model, dispatch_uid=f"plov.public.{_model.__name__}.delete"
    )


@receiver(post_save, sender=ImportRun, dispatch_uid="plov.public.import_run")
@receiver(post_save, sender=AuthorityCoverage, dispatch_uid="plov.public.coverage")
@receiver(post_delete, sender=AuthorityCoverage, dispatch_uid="plov.public.coverage_deleted")
def site_data_changed(sender, instance, **kwargs) -> None:
    clear_all_unit_caches()

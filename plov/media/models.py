"""Each unit's media folder: a Wagtail collection "Enheder" › "<unit name> (<SOR-ID>)".

The folder is made on the unit's first upload and remembered here, so a unit renamed in SOR
keeps its folder (the collection is renamed to match at the next upload).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import Collection

from plov.units.models import Unit

UNITS_COLLECTION = "Enheder"


def folder_name(unit: Unit) -> str:
    suffix = f" ({unit.sor_id})" if unit.sor_id else f" (enhed {unit.pk})"
    return unit.name.strip()[: 255 - len(suffix)] + suffix


class UnitMediaFolder(models.Model):
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="media_folder")
    collection = models.OneToOneField(Collection, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "enhedens mediemappe"
        verbose_name_plural = "enhedernes mediemapper"

    def __str__(self) -> str:
        return self.collection.name

    @classmethod
    def collection_for(cls, unit: Unit) -> Collection:
        """The unit's collection, made (with "Enheder" above it) if it does not exist yet."""
        with transaction.atomic():
            # Serialise first uploads of the same unit (PostgreSQL; SQLite serialises writes).
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
            folder = cls.objects.select_related("collection").filter(unit=unit).first()
            name = folder_name(unit)
            if folder is not None:
                if folder.collection.name != name:
                    folder.collection.name = name
                    folder.collection.save(update_fields=["name"])
                return folder.collection
            parent = _units_collection()
            collection = parent.add_child(instance=Collection(name=name))
            cls.objects.create(unit=unit, collection=collection)
            return collection


def collections_for(units: list[Unit]) -> dict[int, Collection]:
    """unit id → the unit's media folder, for many units at once (the demo's reports).

    Collections are kept sorted by name (Wagtail's `node_order_by`), so adding one shifts the
    paths of the later ones: made one by one, hundreds of folders take minutes. When
    "Enheder" is still empty (as after the demo has cleared it), the missing folders are
    inserted in one query, with the paths treebeard would give them in name order; otherwise
    each is made by `UnitMediaFolder.collection_for`."""
    found = {
        f.unit_id: f.collection
        for f in UnitMediaFolder.objects.filter(unit__in=units).select_related("collection")
    }
    missing = [u for u in dict.fromkeys(units) if u.pk not in found]
    if not missing:
        return found
    with transaction.atomic():
        parent = _units_collection()
        if parent.get_children().exists():
            for unit in missing:
                found[unit.pk] = UnitMediaFolder.collection_for(unit)
            return found
        ordered = sorted(missing, key=lambda u: folder_name(u))
        collections = Collection.objects.bulk_create(
            [
                Collection(
                    name=folder_name(unit),
                    path=Collection._get_path(parent.path, parent.depth + 1, step),
                    depth=parent.depth + 1,
                    numchild=0,
                )
                for step, unit in enumerate(ordered, start=1)
            ]
        )
        Collection.objects.filter(pk=parent.pk).update(numchild=len(collections))
        UnitMediaFolder.objects.bulk_create(
            [
                UnitMediaFolder(unit=unit, collection=collection)
                for unit, collection in zip(ordered, collections, strict=True)
            ]
        )
        found.update({u.pk: c for u, c in zip(ordered, collections, strict=True)})
    return found


def _units_collection() -> Collection:
    root = Collection.get_first_root_node()
    Collection.objects.select_for_update().filter(pk=root.pk).first()
    existing = root.get_children().filter(name=UNITS_COLLECTION).first()
    if existing is not None:
        return existing
    return root.add_child(instance=Collection(name=UNITS_COLLECTION))


def restore_days() -> int:
    """How many days a removed image, document or housing description can be restored."""
    return int(settings.PLOV_MEDIA_RESTORE_DAYS)


class RemovedMedia(models.Model):
    """An image, document or housing description removed from a unit (or an image replaced),
    kept for `restore_days()` so that it can be restored from the unit's history; then purged
    (`plov purge-removed-media`, also at the end of `plov nightly`). The image or file itself
    stays in the unit's media folder until the purge; `data` holds what restoring needs."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Billede"
        DOCUMENT = "document", "Dokument"
        HOUSING = "housing", "Boligbeskrivelse"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="removed_media")
    kind = models.CharField("art", max_length=10, choices=Kind.choices)
    label = models.CharField("beskrivelse", max_length=400)
    data = models.JSONField("data", default=dict)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField("fjernet", auto_now_add=True)

    class Meta:
        verbose_name = "fjernet billede eller dokument"
        verbose_name_plural = "fjernede billeder og dokumenter"
        ordering = ["-removed_at", "-pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def restorable_until(self) -> dt.datetime:
        return self.removed_at + dt.timedelta(days=restore_days())

    @classmethod
    def expired(cls):
        return cls.objects.filter(removed_at__lt=timezone.now() - dt.timedelta(days=restore_days()))

    @classmethod
    def restorable(cls, unit: Unit):
        """The unit's removals that can still be restored, newest first."""
        since = timezone.now() - dt.timedelta(days=restore_days())
        return cls.objects.filter(unit=unit, removed_at__gte=since).select_related("removed_by")

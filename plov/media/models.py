"""Each unit's media folder: a Wagtail collection "Enheder" › "<unit name> (<SOR-ID>)".

The folder is made on the unit's first upload and remembered here, so a unit renamed in SOR
keeps its folder (the collection is renamed to match at the next upload).
"""

from __future__ import annotations

from django.db import models, transaction
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


def _units_collection() -> Collection:
    root = Collection.get_first_root_node()
    Collection.objects.select_for_update().filter(pk=root.pk).first()
    existing = root.get_children().filter(name=UNITS_COLLECTION).first()
    if existing is not None:
        return existing
    return root.add_child(instance=Collection(name=UNITS_COLLECTION))

"""Removing, restoring and purging a unit's images, documents and housing descriptions.

A removal (an image taken out of its slot or replaced by another, a document or a housing
description deleted) is kept as a `RemovedMedia` row with what restoring needs; the image or file
stays in the unit's media folder. For `restore_days()` (30) it can be restored from the unit's
*Versionshistorik* (and its media page), by whoever holds the unit's lock; then `purge()` (the
command `plov purge-removed-media`, and the end of `plov nightly`) deletes the row and the file.

Every removal and restoration is logged (AuditAction.MEDIA_REMOVED, MEDIA_RESTORED) with the
unit in its data, as uploads and edits are, so that `events(unit)` is the unit's media history.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from plov.backoffice.audit import AuditAction
from plov.backoffice.locking import format_time, user_name
from plov.media.documents import discard_document
from plov.media.models import RemovedMedia, UnitMediaFolder
from plov.units.models import HousingDescription, Unit, UnitContent, UnitDocument

SLOT_NAMES = {1: "Forsidebillede", 2: "Billede 2", 3: "Billede 3", 4: "Billede 4"}
HOUSING_FIELDS = ["title", "persons_per_home", "rent", "deposit", "rooms", "description"]


class NotRestorable(Exception):
    """The removal cannot be restored (any more); the message is for the editor."""


def log_data(unit: Unit, **data) -> dict:
    """What a media entry in the log keeps about the unit (`events` finds them by it)."""
    return {"unit": unit.pk, "sor_id": unit.sor_id, **data}


def _removed(unit: Unit, user, kind: str, label: str, data: dict, **objects) -> RemovedMedia:
    removed = RemovedMedia.objects.create(
        unit=unit, kind=kind, label=label, data=data, removed_by=user, **objects
    )
    log(
        removed,
        AuditAction.MEDIA_REMOVED,
        user=user,
        data=log_data(
            unit, kind=kind, label=label, removed=removed.pk, replaced=bool(data.get("replaced"))
        ),
    )
    return removed


# --- removing --------------------------------------------------------------------------------


def remove_image(content: UnitContent, slot: int, user, *, replaced: bool = False):
    """Take the image out of `slot` (the caller saves `content`); None if the slot was empty."""
    image = getattr(content, f"image_{slot}")
    if image is None:
        return None
    setattr(content, f"image_{slot}", None)
    return _removed(
        content.unit,
        user,
        RemovedMedia.Kind.IMAGE,
        f"{SLOT_NAMES[slot]}: {image.title}",
        {"slot": slot, "alt_text": image.description, "replaced": replaced},
        image=image,
    )


def remove_document(document: UnitDocument, user) -> RemovedMedia:
    removed = _removed(
        document.unit,
        user,
        RemovedMedia.Kind.DOCUMENT,
        f"Dokumentet »{document.name}«",
        {
            "name": document.name,
            "document_type": document.document_type,
            "annulled": document.annulled,
        },
        document=document.document,
    )
    document.delete()
    return removed


def remove_housing(housing: HousingDescription, user) -> RemovedMedia:
    removed = _removed(
        housing.unit,
        user,
        RemovedMedia.Kind.HOUSING,
        f"Boligbeskrivelsen »{housing.get_title_display()}«",
        {name: getattr(housing, name) for name in HOUSING_FIELDS},
    )
    housing.delete()
    return removed


# --- restoring -------------------------------------------------------------------------------


def restore(removed: RemovedMedia, content: UnitContent, user) -> str:
    """Put a removal back (the caller holds the lock, inside a transaction); the message."""
    unit = content.unit
    data = removed.data or {}
    if removed.kind == RemovedMedia.Kind.IMAGE:
        if removed.image is None:
            raise NotRestorable("Billedet findes ikke længere og kan ikke gendannes.")
        slot = int(data.get("slot", 1))
        field = f"image_{slot}"
        # The image in the slot now (its replacement) is itself a removal, restorable in turn.
        remove_image(content, slot, user, replaced=True)
        setattr(content, field, removed.image)
        content.save(update_fields=[field, "updated_at"])
        message = f"{SLOT_NAMES[slot]} er gendannet: {removed.image.title}."
    elif removed.kind == RemovedMedia.Kind.DOCUMENT:
        if removed.document is None:
            raise NotRestorable("Dokumentets fil findes ikke længere og kan ikke gendannes.")
        UnitDocument.objects.create(
            unit=unit,
            document=removed.document,
            name=data["name"],
            document_type=data["document_type"],
            annulled=bool(data.get("annulled")),
        )
        message = f"Dokumentet »{data['name']}« er gendannet."
    else:
        HousingDescription.objects.create(
            unit=unit, **{k: data.get(k) for k in HOUSING_FIELDS if k in data}
        )
        message = f"{removed.label} er gendannet."
    log(
        removed,
        AuditAction.MEDIA_RESTORED,
        user=user,
        data=log_data(unit, kind=removed.kind, label=removed.label, removed=removed.pk),
    )
    removed.delete()
    return message


# --- purging ---------------------------------------------------------------------------------


def _image_in_use(image) -> bool:
    return (
        UnitContent.objects.filter(
            Q(image_1=image) | Q(image_2=image) | Q(image_3=image) | Q(image_4=image)
        ).exists()
        or RemovedMedia.objects.filter(image=image).exists()
    )


def discard_image(image) -> None:
    """Delete an image no unit shows or can restore any more, if it lives in a unit's media
    folder (Wagtail removes the file after the commit). Images from elsewhere are kept."""
    if image is None or _image_in_use(image):
        return
    if UnitMediaFolder.objects.filter(collection_id=image.collection_id).exists():
        image.delete()


def purge() -> int:
    """Delete the removals older than `restore_days()`, with their files; how many."""
    count = 0
    for removed in RemovedMedia.expired().select_related("image", "document"):
        with transaction.atomic():
            image, document = removed.image, removed.document
            removed.delete()
            discard_image(image)
            discard_document(document)
        count += 1
    return count


# --- the unit's media history ------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    when: str
    who: str
    what: str


def _describe(entry: ModelLogEntry) -> str:
    data = entry.data or {}
    model = entry.content_type.model if entry.content_type_id else ""
    slot = data.get("slot")
    if entry.action == AuditAction.UPLOADED and slot:
        text = f"{SLOT_NAMES.get(slot, 'Billede')} uploadet: {data.get('title', '')}"
        return text + (" (erstattede det tidligere billede)" if data.get("replaced") else "")
    if entry.action == AuditAction.UPLOADED:
        reused = " (en eksisterende fil)" if data.get("reused") else ""
        return f"Dokumentet »{data.get('name', '')}« tilføjet{reused}"
    if entry.action == AuditAction.MEDIA_REMOVED:
        return f"{data.get('label', '')} {'udskiftet' if data.get('replaced') else 'fjernet'}"
    if entry.action == AuditAction.MEDIA_RESTORED:
        return f"{data.get('label', '')} gendannet"
    if entry.action == "wagtail.edit" and slot and "focal_point" in data:
        what = "fokuspunkt valgt" if data["focal_point"] else "fokuspunkt fjernet"
        return f"{SLOT_NAMES.get(slot, 'Billede')}: {what}"
    if entry.action == "wagtail.edit" and slot:
        return f"{SLOT_NAMES.get(slot, 'Billede')}: alternativ tekst rettet"
    if entry.action == "wagtail.create" and model == "housingdescription":
        return f"Boligbeskrivelsen »{entry.label}« tilføjet"
    if entry.action == "wagtail.edit" and model == "unitdocument":
        return f"Dokumentet »{entry.label}« rettet"
    if entry.action == "wagtail.edit" and model == "housingdescription":
        return f"Boligbeskrivelsen »{entry.label}« rettet"
    if entry.action == "wagtail.delete":
        return f"»{entry.label}« slettet"
    return entry.label


MEDIA_ACTIONS = [
    AuditAction.UPLOADED,
    AuditAction.MEDIA_REMOVED,
    AuditAction.MEDIA_RESTORED,
    "wagtail.create",
    "wagtail.edit",
    "wagtail.delete",
]


def events(unit: Unit, limit: int = 200) -> list[Event]:
    """What happened to the unit's images, documents and housing descriptions, newest first."""
    from django.contrib.contenttypes.models import ContentType

    # Narrowed by the indexed columns first (content type, object id, action); the unit in the
    # entry's data only among those.
    media_types = ContentType.objects.get_for_models(UnitDocument, HousingDescription, RemovedMedia)
    which = Q(content_type__in=list(media_types.values()))
    content_id = UnitContent.objects.filter(unit=unit).values_list("pk", flat=True).first()
    if content_id is not None:
        which |= Q(
            content_type=ContentType.objects.get_for_model(UnitContent), object_id=str(content_id)
        )
    entries = (
        ModelLogEntry.objects.filter(which, action__in=MEDIA_ACTIONS, data__unit=unit.pk)
        .select_related("user", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    return [
        Event(
            format_time(e.timestamp),
            user_name(e.user) if e.user_id else "System",
            _describe(e),
        )
        for e in entries
    ]

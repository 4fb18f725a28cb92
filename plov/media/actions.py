"""The writes of a unit's media page, one function each: images in the four slots, documents
(PDFs), housing descriptions, and restoring a removal. Each takes the acting user and plain data,
as the back-office views (`plov.media.views`), an import or the CLI would give it.

Every action checks, before it writes:

- scope: `plov.accounts.scope.can_edit_unit`, else `PermissionDenied` (the views ask it first
  and answer 403 themselves, so this only stops other callers);
- the unit's edit lock, by the unit editor's rule: inside the transaction the unit's content row
  is locked and the lock re-checked (`LockLost` with the editor's message if the user does not
  hold it), then renewed (`locking.refresh`), as each save in the editor renews it.

Then it writes the row(s) and the audit entry in one transaction: uploads as
AuditAction.UPLOADED, edits and new housing descriptions as Wagtail's `wagtail.edit` /
`wagtail.create`, removals and restorations through `plov.media.removal` (MEDIA_REMOVED,
MEDIA_RESTORED), always with the unit in the entry's data, so that `removal.events(unit)` is
the unit's media history.

Files: a new image or PDF is stored inside the transaction; if anything in it fails (the lock,
the row, the audit entry) the stored file is deleted again, so a failed write leaves neither a
row nor a file. Nothing removed here deletes a file at once: a replaced image and a deleted
document stay restorable (`RemovedMedia`) until `removal.purge()`, and the crops a new focal
point makes stale are deleted by Wagtail once the change commits (its `transaction.on_commit`).
An action is meant to be the outermost transaction: inside a caller's transaction that rolls
back later, a stored file would stay behind.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.rect import Rect
from wagtail.log_actions import log

from plov.accounts.scope import can_edit_unit, editable_units
from plov.backoffice import locking
from plov.backoffice.audit import AuditAction, audit
from plov.backoffice.locking import LockLost
from plov.media import removal
from plov.media.images import CleanImage, original_title, stored_name
from plov.media.models import RemovedMedia, UnitMediaFolder
from plov.media.removal import log_data
from plov.units.models import HousingDescription, Unit, UnitContent, UnitDocument, UnitKind

SLOTS = (1, 2, 3, 4)
DOCUMENT_FIELDS = ("name", "document_type", "annulled")
HOUSING_FIELDS = tuple(removal.HOUSING_FIELDS)
FORBIDDEN = "Du har ikke adgang til at ændre denne enhed."
FOCAL_POINT_FIELDS = ["focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"]


# --- the checks every action makes --------------------------------------------------------


def lock_problem(user, content: UnitContent | None) -> str | None:
    """None when `user` holds the unit's edit lock, else why not. As in the unit editor, a lock
    that expired but was not taken by anyone else still belongs to its holder."""
    if locking.holds_lock(content, user):
        return None
    state = locking.lock_state(content)
    if not state.locked:
        return (
            "Enheden er ikke låst. Lås enheden til redigering, før du ændrer billeder, "
            "dokumenter eller boligbeskrivelser."
        )
    return (
        f"Enheden er låst af {state.holder_name} siden {state.since_text}. "
        "Du kan ændre den, når låsen er frigivet."
    )


def check_scope(unit: Unit, user) -> None:
    if not can_edit_unit(user, unit):
        raise PermissionDenied(FORBIDDEN)


def _locked_content(unit: Unit, user) -> UnitContent:
    """Inside a transaction: the unit's content row, locked, with the edit lock re-checked and
    renewed; LockLost when the user does not hold it."""
    content = (
        UnitContent.objects.select_for_update(of=("self",))
        .select_related("locked_by")
        .filter(unit=unit)
        .first()
    )
    problem = lock_problem(user, content)
    if problem:
        raise LockLost(problem)
    content.unit = unit
    locking.refresh(content, user)
    return content


def _checked(unit: Unit, user) -> UnitContent:
    check_scope(unit, user)
    return _locked_content(unit, user)


def _check_slot(slot: int) -> None:
    if slot not in SLOTS:
        raise ValueError(f"No image slot {slot}")


def _check_fields(values: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(unknown)}")


def _set(record, values: dict) -> dict:
    """Set `values` on `record`; what changed, [before, after] per field, for the log."""
    changes = {}
    for key, value in values.items():
        before = getattr(record, key)
        if before != value:
            changes[key] = [before, value]
        setattr(record, key, value)
    return changes


def _discard_stored(obj) -> None:
    """Delete the file a Wagtail image or document stored, whose row was rolled back."""
    if obj is not None and obj.file.name:
        obj.file.storage.delete(obj.file.name)


# --- images ------------------------------------------------------------------------------


def upload_image(unit: Unit, slot: int, clean: CleanImage, *, file_name: str, alt_text: str, user):
    """Put a new image in `slot` (`clean`, as `images.clean_image` made it; `file_name` the
    editor's, kept as its title only). The image it replaces is a removal, restorable for
    `restore_days()`. Returns the new Wagtail image."""
    _check_slot(slot)
    field = f"image_{slot}"
    image = None
    try:
        with transaction.atomic():
            content = _checked(unit, user)
            current = getattr(content, field)
            image = get_image_model()(
                title=original_title(file_name),
                description=alt_text,
                collection=UnitMediaFolder.collection_for(unit),
                uploaded_by_user=user,
                width=clean.width,
                height=clean.height,
            )
            image.file = ContentFile(
                clean.content, name=stored_name(f"{unit.name}-billede-{slot}", "jpg")
            )
            image._set_image_file_metadata()
            image.save()
            removal.remove_image(content, slot, user, replaced=True)
            setattr(content, field, image)
            content.save(update_fields=[field, "updated_at"])
            audit(
                content,
                AuditAction.UPLOADED,
                user=user,
                data=log_data(
                    unit,
                    slot=slot,
                    image=image.pk,
                    title=image.title,
                    format=clean.source_format,
                    replaced=current.pk if current else None,
                ),
            )
    except Exception:
        _discard_stored(image)
        raise
    return image


def _focal_point(image, point: tuple[float, float] | None, clear: bool) -> list | None:
    """Set (or clear) the image's focal point; what it became ([] when cleared), or None when
    nothing changed. `point` is (x, y) in per cent of the width and the height; Wagtail's
    `fill` crops (the public pages') keep the focal point in view."""
    if image is None:
        return None
    if clear:
        if image.focal_point_x is None:
            return None
        image.set_focal_point(None)
        value = []
    elif point is not None:
        x, y = point
        size_x, size_y = max(1, image.width // 5), max(1, image.height // 5)
        cx, cy = round(image.width * x / 100), round(image.height * y / 100)
        rect = Rect.from_point(cx, cy, size_x, size_y)
        current = image.get_focal_point()
        if current is not None and current == rect:
            return None
        image.set_focal_point(rect)
        value = [cx, cy, size_x, size_y]
    else:
        return None
    image.save(update_fields=FOCAL_POINT_FIELDS)
    image.renditions.all().delete()  # the crops are made again around the new point
    return value


def change_image(
    unit: Unit,
    slot: int,
    *,
    alt_text: str,
    focal_point: tuple[float, float] | None = None,
    clear_focal_point: bool = False,
    user,
) -> dict:
    """Change the alternative text and the focal point of the image in `slot`. Returns what
    changed ("alt_text": [before, after], "focal_point": what it became), {} when nothing did
    (or the slot is empty): no write, no entry."""
    _check_slot(slot)
    changes: dict = {}
    with transaction.atomic():
        content = _checked(unit, user)
        current = getattr(content, f"image_{slot}")
        if current is not None and current.description != alt_text:
            old = current.description
            current.description = alt_text
            current.save(update_fields=["description"])
            changes["alt_text"] = [old, alt_text]
            log(
                content,
                "wagtail.edit",
                user=user,
                data=log_data(unit, slot=slot, image=current.pk, alt_text=[old, alt_text]),
            )
        focal = _focal_point(current, focal_point, clear_focal_point)
        if focal is not None:
            content.save(update_fields=["updated_at"])  # the public page is drawn again
            changes["focal_point"] = focal
            log(
                content,
                "wagtail.edit",
                user=user,
                data=log_data(unit, slot=slot, image=current.pk, focal_point=focal),
            )
    return changes


def remove_image(unit: Unit, slot: int, *, user) -> RemovedMedia | None:
    """Take the image out of `slot`; it stays restorable for `restore_days()`. None if the slot
    was empty (nothing written)."""
    _check_slot(slot)
    with transaction.atomic():
        content = _checked(unit, user)
        removed = removal.remove_image(content, slot, user)
        if removed is not None:
            content.save(update_fields=[f"image_{slot}", "updated_at"])
    return removed


# --- documents ---------------------------------------------------------------------------


def reusable_documents(unit: Unit, user) -> QuerySet[UnitDocument]:
    """The organisation's documents on its other units that `user` may edit, not annulled and
    not on `unit` already: their files may be chosen instead of uploading the same again."""
    if not unit.owner_id:
        return UnitDocument.objects.none()
    return (
        UnitDocument.objects.filter(
            unit__owner_id=unit.owner_id, unit__in=editable_units(user), annulled=False
        )
        .exclude(unit=unit)
        .exclude(document__in=UnitDocument.objects.filter(unit=unit).values("document"))
        .select_related("document", "unit")
        .order_by("name", "unit__name", "pk")
    )


def _add_document(unit: Unit, file, values: dict, user, **logged) -> UnitDocument:
    document = UnitDocument(unit=unit, document=file, **values)
    document.save()
    audit(
        document,
        AuditAction.UPLOADED,
        user=user,
        data=log_data(
            unit,
            name=document.name,
            document_type=document.document_type,
            annulled=document.annulled,
            file=file.pk,
            title=file.title,
            **logged,
        ),
    )
    return document


def add_document(
    unit: Unit,
    values: dict,
    *,
    pdf: bytes,
    file_name: str,
    user,
) -> UnitDocument:
    """A new document (`values` of DOCUMENT_FIELDS) with its PDF: `pdf` the bytes as
    `documents.check_pdf` accepted them, `file_name` the editor's, kept as the title only."""
    _check_fields(values, DOCUMENT_FIELDS)
    file = None
    try:
        with transaction.atomic():
            _checked(unit, user)
            file = get_document_model()(
                title=original_title(file_name),
                collection=UnitMediaFolder.collection_for(unit),
                uploaded_by_user=user,
            )
            file.file = ContentFile(pdf, name=stored_name(values.get("name", ""), "pdf"))
            file._set_document_file_metadata()
            file.save()
            return _add_document(unit, file, values, user, size=file.file_size)
    except Exception:
        _discard_stored(file)
        raise


def reuse_document(unit: Unit, existing, values: dict, *, user) -> UnitDocument:
    """A new document (`values` of DOCUMENT_FIELDS) with a file the organisation already has on
    another of its units (one of `reusable_documents`, else PermissionDenied); the file is
    shared, not copied."""
    _check_fields(values, DOCUMENT_FIELDS)
    with transaction.atomic():
        _checked(unit, user)
        if not reusable_documents(unit, user).filter(document=existing).exists():
            raise PermissionDenied("Vælg en af organisationens egne filer på listen.")
        return _add_document(unit, existing, values, user, reused=True)


def _stored(obj, unit: Unit):
    """Inside a transaction: a document or housing description as stored, locked;
    DoesNotExist if it is gone (or is not the unit's)."""
    stored = type(obj).objects.select_for_update(of=("self",)).get(pk=obj.pk, unit=unit)
    stored.unit = unit
    return stored


def _change(obj, values: dict, allowed: tuple[str, ...], *, user):
    _check_fields(values, allowed)
    unit = obj.unit
    with transaction.atomic():
        _checked(unit, user)
        obj = _stored(obj, unit)
        changes = _set(obj, values)
        if changes:
            obj.save(update_fields=list(changes))
            log(obj, "wagtail.edit", user=user, data=log_data(unit, changes=changes))
    return obj, changes


def _delete(obj, remove, *, user) -> RemovedMedia:
    unit = obj.unit
    with transaction.atomic():
        _checked(unit, user)
        return remove(_stored(obj, unit), user)


def change_document(document: UnitDocument, values: dict, *, user) -> tuple[UnitDocument, dict]:
    """Change a document's name, type or annulled flag (`values` of DOCUMENT_FIELDS). Returns
    it as stored and what changed ({} when nothing did: no write, no entry).
    `UnitDocument.DoesNotExist` if it was deleted meanwhile."""
    return _change(document, values, DOCUMENT_FIELDS, user=user)


def delete_document(document: UnitDocument, *, user) -> RemovedMedia:
    """Delete a document from its unit; its file stays restorable for `restore_days()`.
    `UnitDocument.DoesNotExist` if it was deleted meanwhile."""
    return _delete(document, removal.remove_document, user=user)


# --- housing descriptions ----------------------------------------------------------------


def _care_home(unit: Unit) -> None:
    if unit.kind != UnitKind.CARE_HOME:
        raise ValueError("Only care homes have housing descriptions")


def add_housing(unit: Unit, values: dict, *, user) -> HousingDescription:
    """A new housing description of a care home (`values` of HOUSING_FIELDS)."""
    _check_fields(values, HOUSING_FIELDS)
    _care_home(unit)
    with transaction.atomic():
        _checked(unit, user)
        housing = HousingDescription.objects.create(unit=unit, **values)
        log(housing, "wagtail.create", user=user, data=log_data(unit, **values))
    return housing


def change_housing(
    housing: HousingDescription, values: dict, *, user
) -> tuple[HousingDescription, dict]:
    """Change a housing description (`values` of HOUSING_FIELDS). Returns it as stored and what
    changed ({} when nothing did: no write, no entry). `HousingDescription.DoesNotExist` if it
    was deleted meanwhile."""
    return _change(housing, values, HOUSING_FIELDS, user=user)


def delete_housing(housing: HousingDescription, *, user) -> RemovedMedia:
    """Delete a housing description; it stays restorable for `restore_days()`.
    `HousingDescription.DoesNotExist` if it was deleted meanwhile."""
    return _delete(housing, removal.remove_housing, user=user)


# --- restoring ---------------------------------------------------------------------------


def restore(removed: RemovedMedia, *, user) -> str:
    """Put back an image, document or housing description removed less than `restore_days()`
    ago; the message for the editor. `removal.NotRestorable` (nothing written) when it cannot
    be, `RemovedMedia.DoesNotExist` when it was restored or purged meanwhile."""
    unit = removed.unit
    with transaction.atomic():
        content = _checked(unit, user)
        removed = (
            RemovedMedia.restorable(unit)
            .select_for_update(of=("self",))
            .select_related("image", "document")
            .get(pk=removed.pk)
        )
        return removal.restore(removed, content, user)

"""The back office's pages for a unit's images, documents and housing descriptions.

Every view asks `plov.accounts.scope` first: a unit the user may not see is a 404, a unit the
user may see but not edit is a 403, and nothing is written. Changing anything also needs the
unit's edit lock, by the unit editor's rule (`plov.backoffice.locking.holds_lock`); each change
renews it. Uploads are logged as AuditAction.UPLOADED, other changes as Wagtail's own
edit/create/delete log entries, so the unit's history shows them.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.rect import Rect
from wagtail.log_actions import log

from plov.accounts.http import forbidden
from plov.accounts.scope import can_edit_unit, can_view_unit
from plov.backoffice import locking
from plov.backoffice.audit import AuditAction, audit
from plov.backoffice.locking import LockLost
from plov.media import removal
from plov.media.forms import (
    SLOT_LABELS,
    HousingDescriptionForm,
    ImageSlotForm,
    UnitDocumentForm,
)
from plov.media.images import original_title, stored_name
from plov.media.models import RemovedMedia, UnitMediaFolder, restore_days
from plov.units.models import HousingDescription, Unit, UnitContent, UnitDocument, UnitKind

SLOTS = (1, 2, 3, 4)


def restore_note() -> str:
    return f"Det kan gendannes fra enhedens versionshistorik i {restore_days()} dage."


# --- serving an uploaded document ------------------------------------------------------------

DOCUMENT_CSP = "default-src 'none'; sandbox"


def serve_document(request, document_id, document_filename) -> HttpResponse:
    """Wagtail's document view (with its hooks: an annulled document is 404 to the public), and
    whatever it answers is never run in the site's origin: a download (`attachment`, even if the
    settings were changed), `nosniff`, and a CSP that sandboxes it and allows nothing."""
    from wagtail.documents.views.serve import serve

    response = serve(request, document_id, document_filename)
    disposition = response.get("Content-Disposition", "")
    if disposition and not disposition.startswith("attachment"):
        response["Content-Disposition"] = "attachment" + disposition[len("inline") :]
    elif response.status_code == 200 and not disposition:
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = DOCUMENT_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the edit lock: the editor's rule (plov.backoffice.locking) --------------------------


def lock_problem(user, content: UnitContent | None) -> str | None:
    """None when `user` holds the unit's edit lock, else why not. As in the unit editor, a lock
    that expired but was not taken by anyone else still belongs to its holder; each change here
    renews it (`locking.refresh`)."""
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


# --- the base view -------------------------------------------------------------------------


class UnitMediaView(WagtailAdminTemplateMixin, View):
    """Finds the unit and enforces scope and lock before any handler runs."""

    requires_edit = True
    care_homes_only = False
    header_icon = "image"
    page_title = "Billeder, dokumenter og boligbeskrivelser"

    def dispatch(self, request, *args, **kwargs):
        self.unit = get_object_or_404(Unit.objects.select_related("owner"), pk=kwargs["pk"])
        user = request.user
        if not can_view_unit(user, self.unit):
            raise Http404("Enheden findes ikke.")
        if self.care_homes_only and self.unit.kind != UnitKind.CARE_HOME:
            raise Http404("Kun plejeenheder har boligbeskrivelser.")
        self.may_edit = can_edit_unit(user, self.unit)
        self.content = (
            UnitContent.objects.select_related("locked_by").filter(unit=self.unit).first()
        )
        self.lock_problem = lock_problem(user, self.content) if self.may_edit else None
        if self.requires_edit:
            if not self.may_edit:
                return forbidden(
                    request,
                    "Du har ikke adgang til at ændre denne enhed.",
                    back_url=self.index_url(),
                )
            if self.lock_problem:
                return self.refuse(self.lock_problem, status=409)
        try:
            return super().dispatch(request, *args, **kwargs)
        except LockLost as lost:
            return self.refuse(str(lost), status=409)

    def refuse(self, message: str, *, status: int) -> HttpResponse:
        return TemplateResponse(
            self.request,
            "unitmedia/refused.html",
            {**self.base_context(), "message": message, "status": status},
            status=status,
        )

    # -- context --

    def index_url(self) -> str:
        return reverse("unitmedia:index", args=[self.unit.pk])

    def get_page_subtitle(self):
        return self.unit.name

    def unit_editor_url(self) -> str:
        """The unit's editing page in the back office (where the lock is taken), if any."""
        try:
            return reverse("backoffice:edit", args=[self.unit.pk])
        except NoReverseMatch:
            return ""

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": self.unit_editor_url(),
                "label": f"{self.unit.name} ({self.unit.sor_id or 'uden SOR-ID'})",
            },
            {"url": self.index_url(), "label": "Billeder og dokumenter"},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self) -> list[dict]:
        return []

    def base_context(self) -> dict:
        context = self.get_context_data()
        context.update(
            unit=self.unit, index_url=self.index_url(), unit_editor_url=self.unit_editor_url()
        )
        return context

    def render(self, template: str, status: int = 200, **context) -> TemplateResponse:
        return TemplateResponse(
            self.request, template, {**self.base_context(), **context}, status=status
        )

    # -- writing --

    def locked_content(self) -> UnitContent:
        """Inside a transaction: the unit's content row, locked, with the edit lock re-checked."""
        content = (
            UnitContent.objects.select_for_update(of=("self",))
            .select_related("locked_by")
            .filter(pk=self.content.pk)
            .first()
        )
        problem = lock_problem(self.request.user, content)
        if problem:
            raise LockLost(problem)
        locking.refresh(content, self.request.user)
        return content

    def log_data(self, **data) -> dict:
        return {"unit": self.unit.pk, "sor_id": self.unit.sor_id, **data}


# --- overview ------------------------------------------------------------------------------


class IndexView(UnitMediaView):
    requires_edit = False

    def get(self, request, pk):
        content = self.content
        slots = []
        for n in SLOTS:
            image = getattr(content, f"image_{n}", None) if content else None
            slots.append({"number": n, "label": SLOT_LABELS[n], "image": image})
        documents = (
            UnitDocument.objects.filter(unit=self.unit)
            .select_related("document")
            .order_by("annulled", "name", "pk")
        )
        housing = (
            HousingDescription.objects.filter(unit=self.unit).order_by("title", "pk")
            if self.unit.kind == UnitKind.CARE_HOME
            else None
        )
        can_change = self.may_edit and self.lock_problem is None
        return self.render(
            "unitmedia/index.html",
            removed=RemovedMedia.restorable(self.unit) if self.may_edit else [],
            restore_days=restore_days(),
            slots=slots,
            documents=documents,
            housing_descriptions=housing,
            is_care_home=self.unit.kind == UnitKind.CARE_HOME,
            can_change=can_change,
            lock_notice=self.lock_problem if self.may_edit else None,
            may_edit=self.may_edit,
        )


# --- images --------------------------------------------------------------------------------


def _set_focal_point(image, form) -> list | None:
    """Set (or clear) the image's focal point as chosen in the form; what changed, or None.
    Wagtail's `fill` crops (the public pages') keep the focal point in view."""
    if image is None:
        return None
    if form.cleaned_data.get("focal_clear"):
        if image.focal_point_x is None:
            return None
        image.set_focal_point(None)
        value = []
    elif form.focal_point is not None:
        x, y = form.focal_point
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
    image.save(
        update_fields=["focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"]
    )
    image.renditions.all().delete()  # the crops are made again around the new point
    return value


class ImageSlotView(UnitMediaView):
    """Upload, replace, or change the alternative text of the image in one slot."""

    def dispatch(self, request, *args, **kwargs):
        self.slot = int(kwargs["slot"])
        if self.slot not in SLOTS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def extra_breadcrumbs(self):
        return [{"url": "", "label": SLOT_LABELS[self.slot]}]

    def current(self):
        return getattr(self.content, f"image_{self.slot}", None)

    def form(self, data=None, files=None) -> ImageSlotForm:
        current = self.current()
        initial = {"alt_text": current.description} if current else None
        return ImageSlotForm(data, files, slot=self.slot, current=current, initial=initial)

    def show(self, form, status=200):
        return self.render(
            "unitmedia/image_form.html",
            status=status,
            form=form,
            slot=self.slot,
            slot_label=SLOT_LABELS[self.slot],
            current=self.current(),
            action_url=reverse("unitmedia:image", args=[self.unit.pk, self.slot]),
            remove_url=reverse("unitmedia:image_remove", args=[self.unit.pk, self.slot]),
            submit_button_label="Gem billede",
            submit_button_active_label="Gemmer …",
        )

    def get(self, request, pk, slot):
        return self.show(self.form())

    def post(self, request, pk, slot):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            messages.validation_error(
                request, "Billedet blev ikke gemt. Ret fejlene nedenfor.", form
            )
            return self.show(form, status=200)
        alt_text = form.cleaned_data["alt_text"]
        field = f"image_{self.slot}"
        with transaction.atomic():
            content = self.locked_content()
            current = getattr(content, field)
            if form.cleaned_image is None:  # the alternative text and the focal point
                if current is not None and current.description != alt_text:
                    old = current.description
                    current.description = alt_text
                    current.save(update_fields=["description"])
                    log(
                        content,
                        "wagtail.edit",
                        user=request.user,
                        data=self.log_data(
                            slot=self.slot, image=current.pk, alt_text=[old, alt_text]
                        ),
                    )
                focal = _set_focal_point(current, form)
                if focal is not None:
                    content.save(update_fields=["updated_at"])  # the public page is drawn again
                    log(
                        content,
                        "wagtail.edit",
                        user=request.user,
                        data=self.log_data(slot=self.slot, image=current.pk, focal_point=focal),
                    )
                messages.success(request, f"{SLOT_LABELS[self.slot]}: ændringerne er gemt.")
                return redirect(self.index_url())
            image = self.store_image(form, alt_text)
            # The image replaced can be restored from the history for 30 days.
            removal.remove_image(content, self.slot, request.user, replaced=True)
            setattr(content, field, image)
            content.save(update_fields=[field, "updated_at"])
            audit(
                content,
                AuditAction.UPLOADED,
                user=request.user,
                data=self.log_data(
                    slot=self.slot,
                    image=image.pk,
                    title=image.title,
                    format=form.cleaned_image.source_format,
                    replaced=current.pk if current else None,
                ),
            )
        messages.success(request, f"{SLOT_LABELS[self.slot]} er gemt.")
        return redirect(self.index_url())

    def store_image(self, form, alt_text):
        clean = form.cleaned_image
        upload = form.cleaned_data["file"]
        image = get_image_model()(
            title=original_title(upload.name),
            description=alt_text,
            collection=UnitMediaFolder.collection_for(self.unit),
            uploaded_by_user=self.request.user,
            width=clean.width,
            height=clean.height,
        )
        image.file = ContentFile(
            clean.content, name=stored_name(f"{self.unit.name}-billede-{self.slot}", "jpg")
        )
        image._set_image_file_metadata()
        try:
            image.save()
        except Exception:
            if image.file.name:
                image.file.storage.delete(image.file.name)
            raise
        return image


class ImageRemoveView(ImageSlotView):
    def extra_breadcrumbs(self):
        return [{"url": "", "label": "Fjern billede"}]

    def get(self, request, pk, slot):
        if self.current() is None:
            return redirect(self.index_url())
        return self.render(
            "unitmedia/confirm_delete.html",
            what=f"{SLOT_LABELS[self.slot]}: {self.current().title}",
            action_url=reverse("unitmedia:image_remove", args=[self.unit.pk, self.slot]),
            confirm_label="Ja, fjern billedet",
            note=restore_note(),
        )

    def post(self, request, pk, slot):
        field = f"image_{self.slot}"
        with transaction.atomic():
            content = self.locked_content()
            if removal.remove_image(content, self.slot, request.user):
                content.save(update_fields=[field, "updated_at"])
        messages.success(request, f"{SLOT_LABELS[self.slot]} er fjernet. {restore_note()}")
        return redirect(self.index_url())


# --- documents -----------------------------------------------------------------------------


def _changes(form) -> dict:
    return {
        name: [form.initial.get(name), form.cleaned_data.get(name)]
        for name in form.changed_data
        if name != "file"
    }


class DocumentView(UnitMediaView):
    """Add a document (with its PDF) or edit one's name, type and annulled flag."""

    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.document_pk = kwargs.get("document_pk")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> UnitDocument | None:
        if self.document_pk is None:
            return None
        return get_object_or_404(
            UnitDocument.objects.select_related("document"), pk=self.document_pk, unit=self.unit
        )

    def extra_breadcrumbs(self):
        label = "Nyt dokument" if self.document_pk is None else "Rediger dokument"
        return [{"url": "", "label": label}]

    def show(self, form, obj, status=200):
        if obj is None:
            action_url = reverse("unitmedia:document_add", args=[self.unit.pk])
        else:
            action_url = reverse("unitmedia:document_edit", args=[self.unit.pk, obj.pk])
        return self.render(
            "unitmedia/form.html",
            status=status,
            form=form,
            object=obj,
            heading="Nyt dokument" if obj is None else f"Rediger dokument: {obj.name}",
            action_url=action_url,
            delete_url=(
                reverse("unitmedia:document_delete", args=[self.unit.pk, obj.pk]) if obj else None
            ),
            submit_button_label="Gem dokument",
            submit_button_active_label="Gemmer …",
        )

    def reusable(self):
        """The organisation's documents on its other units that this user may edit: their
        files may be chosen instead of uploading the same one again (not annulled ones)."""
        from plov.accounts.scope import editable_units

        return (
            UnitDocument.objects.filter(
                unit__owner_id=self.unit.owner_id,
                unit__in=editable_units(self.request.user),
                annulled=False,
            )
            .exclude(unit=self.unit)
            .exclude(document__in=UnitDocument.objects.filter(unit=self.unit).values("document"))
            .select_related("document", "unit")
            .order_by("name", "unit__name", "pk")
        )

    def document_form(self, *args, obj=None) -> UnitDocumentForm:
        with_file = obj is None
        return UnitDocumentForm(
            *args,
            instance=obj,
            with_file=with_file,
            reusable=self.reusable() if with_file and self.unit.owner_id else None,
        )

    def get(self, request, pk, document_pk=None):
        obj = self.get_object()
        return self.show(self.document_form(obj=obj), obj)

    def post(self, request, pk, document_pk=None):
        obj = self.get_object()
        form = self.document_form(request.POST, request.FILES, obj=obj)
        if not form.is_valid():
            messages.validation_error(
                request, "Dokumentet blev ikke gemt. Ret fejlene nedenfor.", form
            )
            return self.show(form, obj)
        with transaction.atomic():
            self.locked_content()
            if obj is None:
                self.add(form)
            elif form.has_changed():
                changes = _changes(form)
                document = form.save()
                log(
                    document, "wagtail.edit", user=request.user, data=self.log_data(changes=changes)
                )
        messages.success(request, f"Dokumentet »{form.instance.name}« er gemt.")
        return redirect(self.index_url())

    def add(self, form) -> UnitDocument:
        existing = form.cleaned_data.get("existing")
        if existing is not None:  # a file the organisation already has on another unit
            document = form.save(commit=False)
            document.unit = self.unit
            document.document = existing
            document.save()
            audit(
                document,
                AuditAction.UPLOADED,
                user=self.request.user,
                data=self.log_data(
                    name=document.name,
                    document_type=document.document_type,
                    annulled=document.annulled,
                    file=existing.pk,
                    title=existing.title,
                    reused=True,
                ),
            )
            return document
        upload = form.cleaned_data["file"]
        file = get_document_model()(
            title=original_title(upload.name),
            collection=UnitMediaFolder.collection_for(self.unit),
            uploaded_by_user=self.request.user,
        )
        file.file = ContentFile(form.pdf_bytes, name=stored_name(form.cleaned_data["name"], "pdf"))
        file._set_document_file_metadata()
        try:
            file.save()
        except Exception:
            if file.file.name:
                file.file.storage.delete(file.file.name)
            raise
        document = form.save(commit=False)
        document.unit = self.unit
        document.document = file
        document.save()
        audit(
            document,
            AuditAction.UPLOADED,
            user=self.request.user,
            data=self.log_data(
                name=document.name,
                document_type=document.document_type,
                annulled=document.annulled,
                file=file.pk,
                title=file.title,
                size=file.file_size,
            ),
        )
        return document


class DocumentDeleteView(DocumentView):
    def extra_breadcrumbs(self):
        return [{"url": "", "label": "Slet dokument"}]

    def get(self, request, pk, document_pk):
        obj = self.get_object()
        return self.render(
            "unitmedia/confirm_delete.html",
            what=f"Dokumentet »{obj.name}«",
            action_url=reverse("unitmedia:document_delete", args=[self.unit.pk, obj.pk]),
            confirm_label="Ja, slet dokumentet",
            note=restore_note(),
        )

    def post(self, request, pk, document_pk):
        with transaction.atomic():
            self.locked_content()
            obj = self.get_object()
            removal.remove_document(obj, request.user)
        messages.success(request, f"Dokumentet »{obj.name}« er slettet. {restore_note()}")
        return redirect(self.index_url())


# --- housing descriptions ------------------------------------------------------------------


class HousingView(UnitMediaView):
    care_homes_only = True
    header_icon = "home"

    def dispatch(self, request, *args, **kwargs):
        self.housing_pk = kwargs.get("housing_pk")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> HousingDescription | None:
        if self.housing_pk is None:
            return None
        return get_object_or_404(HousingDescription, pk=self.housing_pk, unit=self.unit)

    def extra_breadcrumbs(self):
        label = "Ny boligbeskrivelse" if self.housing_pk is None else "Rediger boligbeskrivelse"
        return [{"url": "", "label": label}]

    def show(self, form, obj):
        if obj is None:
            action_url = reverse("unitmedia:housing_add", args=[self.unit.pk])
        else:
            action_url = reverse("unitmedia:housing_edit", args=[self.unit.pk, obj.pk])
        return self.render(
            "unitmedia/form.html",
            form=form,
            object=obj,
            heading=(
                "Ny boligbeskrivelse"
                if obj is None
                else f"Rediger boligbeskrivelse: {obj.get_title_display()}"
            ),
            action_url=action_url,
            delete_url=(
                reverse("unitmedia:housing_delete", args=[self.unit.pk, obj.pk]) if obj else None
            ),
            submit_button_label="Gem boligbeskrivelse",
            submit_button_active_label="Gemmer …",
        )

    def get(self, request, pk, housing_pk=None):
        obj = self.get_object()
        return self.show(HousingDescriptionForm(instance=obj), obj)

    def post(self, request, pk, housing_pk=None):
        obj = self.get_object()
        form = HousingDescriptionForm(request.POST, instance=obj)
        if not form.is_valid():
            messages.validation_error(
                request, "Boligbeskrivelsen blev ikke gemt. Ret fejlene nedenfor.", form
            )
            return self.show(form, obj)
        with transaction.atomic():
            self.locked_content()
            if obj is None:
                housing = form.save(commit=False)
                housing.unit = self.unit
                housing.save()
                log(
                    housing,
                    "wagtail.create",
                    user=request.user,
                    data=self.log_data(**{k: form.cleaned_data[k] for k in form.Meta.fields}),
                )
            elif form.has_changed():
                changes = _changes(form)
                housing = form.save()
                log(housing, "wagtail.edit", user=request.user, data=self.log_data(changes=changes))
        messages.success(request, "Boligbeskrivelsen er gemt.")
        return redirect(self.index_url())


class HousingDeleteView(HousingView):
    def extra_breadcrumbs(self):
        return [{"url": "", "label": "Slet boligbeskrivelse"}]

    def get(self, request, pk, housing_pk):
        obj = self.get_object()
        return self.render(
            "unitmedia/confirm_delete.html",
            what=f"Boligbeskrivelsen »{obj.get_title_display()}«",
            action_url=reverse("unitmedia:housing_delete", args=[self.unit.pk, obj.pk]),
            confirm_label="Ja, slet boligbeskrivelsen",
            note=restore_note(),
        )

    def post(self, request, pk, housing_pk):
        with transaction.atomic():
            self.locked_content()
            obj = self.get_object()
            removal.remove_housing(obj, request.user)
        messages.success(request, f"Boligbeskrivelsen er slettet. {restore_note()}")
        return redirect(self.index_url())


# --- restoring a removal ---------------------------------------------------------------------


class RestoreView(UnitMediaView):
    """Put back an image, document or housing description removed less than 30 days ago."""

    def post(self, request, pk, removed_pk):
        removed = get_object_or_404(RemovedMedia.restorable(self.unit), pk=removed_pk)
        back = _safe_back(request, self.index_url())
        try:
            with transaction.atomic():
                content = self.locked_content()
                message = removal.restore(removed, content, request.user)
        except removal.NotRestorable as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(request, message)
        return redirect(back)


def _safe_back(request, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    value = request.POST.get("next", "")
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return default

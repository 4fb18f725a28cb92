"""The back office's pages for a unit's images, documents and housing descriptions.

Every view asks `plov.accounts.scope` first: a unit the user may not see is a 404, a unit the
user may see but not edit is a 403, and nothing is written. Changing anything also needs the
unit's edit lock, by the unit editor's rule (`plov.backoffice.locking.holds_lock`): without it
the page says why (409). The writes themselves, with their audit entries and files, are
`plov.media.actions` (which checks scope and the lock again inside its transaction and renews
the lock); a view parses the form, calls the action and answers.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from plov.accounts.http import forbidden
from plov.accounts.scope import can_edit_unit, can_view_unit
from plov.backoffice.locking import LockLost
from plov.media import actions, removal
from plov.media.actions import SLOTS, lock_problem
from plov.media.forms import (
    SLOT_LABELS,
    HousingDescriptionForm,
    ImageSlotForm,
    UnitDocumentForm,
)
from plov.media.models import RemovedMedia, restore_days
from plov.units.models import HousingDescription, Unit, UnitContent, UnitDocument, UnitKind


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
        except LockLost as lost:  # lost between the check above and the action's
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
        if form.cleaned_image is None:  # the alternative text and the focal point
            actions.change_image(
                self.unit,
                self.slot,
                alt_text=alt_text,
                focal_point=form.focal_point,
                clear_focal_point=bool(form.cleaned_data.get("focal_clear")),
                user=request.user,
            )
            messages.success(request, f"{SLOT_LABELS[self.slot]}: ændringerne er gemt.")
            return redirect(self.index_url())
        actions.upload_image(
            self.unit,
            self.slot,
            form.cleaned_image,
            file_name=form.cleaned_data["file"].name,
            alt_text=alt_text,
            user=request.user,
        )
        messages.success(request, f"{SLOT_LABELS[self.slot]} er gemt.")
        return redirect(self.index_url())


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
        actions.remove_image(self.unit, self.slot, user=request.user)
        messages.success(request, f"{SLOT_LABELS[self.slot]} er fjernet. {restore_note()}")
        return redirect(self.index_url())


# --- documents -----------------------------------------------------------------------------


def _values(form) -> dict:
    """The model fields a document or housing description form sets, as cleaned."""
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


class DocumentView(UnitMediaView):
    """Add a document (with its PDF) or edit one's name, type and annulled flag."""

    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.document_pk = kwargs.get("document_pk")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> UnitDocument | None:
        if self.document_pk is None:
            return None
        obj = get_object_or_404(
            UnitDocument.objects.select_related("document"), pk=self.document_pk, unit=self.unit
        )
        obj.unit = self.unit
        return obj

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

    def document_form(self, *args, obj=None) -> UnitDocumentForm:
        with_file = obj is None
        return UnitDocumentForm(
            *args,
            instance=obj,
            with_file=with_file,
            reusable=actions.reusable_documents(self.unit, self.request.user)
            if with_file
            else None,
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
        try:
            document = self.save(form, obj)
        except UnitDocument.DoesNotExist:  # deleted meanwhile
            raise Http404("Dokumentet findes ikke.") from None
        messages.success(request, f"Dokumentet »{document.name}« er gemt.")
        return redirect(self.index_url())

    def save(self, form, obj) -> UnitDocument:
        user, values = self.request.user, _values(form)
        if obj is not None:
            return actions.change_document(obj, values, user=user)[0]
        existing = form.cleaned_data.get("existing")
        if existing is not None:  # a file the organisation already has on another unit
            return actions.reuse_document(self.unit, existing, values, user=user)
        return actions.add_document(
            self.unit,
            values,
            pdf=form.pdf_bytes,
            file_name=form.cleaned_data["file"].name,
            user=user,
        )


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
        obj = self.get_object()
        try:
            actions.delete_document(obj, user=request.user)
        except UnitDocument.DoesNotExist:  # deleted meanwhile
            raise Http404("Dokumentet findes ikke.") from None
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
        obj = get_object_or_404(HousingDescription, pk=self.housing_pk, unit=self.unit)
        obj.unit = self.unit
        return obj

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
        try:
            if obj is None:
                actions.add_housing(self.unit, _values(form), user=request.user)
            else:
                actions.change_housing(obj, _values(form), user=request.user)
        except HousingDescription.DoesNotExist:  # deleted meanwhile
            raise Http404("Boligbeskrivelsen findes ikke.") from None
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
        obj = self.get_object()
        try:
            actions.delete_housing(obj, user=request.user)
        except HousingDescription.DoesNotExist:  # deleted meanwhile
            raise Http404("Boligbeskrivelsen findes ikke.") from None
        messages.success(request, f"Boligbeskrivelsen er slettet. {restore_note()}")
        return redirect(self.index_url())


# --- restoring a removal ---------------------------------------------------------------------


class RestoreView(UnitMediaView):
    """Put back an image, document or housing description removed less than 30 days ago."""

    def post(self, request, pk, removed_pk):
        removed = get_object_or_404(RemovedMedia.restorable(self.unit), pk=removed_pk)
        removed.unit = self.unit
        back = _safe_back(request, self.index_url())
        try:
            message = actions.restore(removed, user=request.user)
        except RemovedMedia.DoesNotExist:  # restored meanwhile
            raise Http404("Det fjernede findes ikke længere.") from None
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

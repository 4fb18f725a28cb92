"""Ældretilsynet's registrations in the back office (DOMAIN.md §7, §9), under /admin/tilsyn/.

A supervisor (role from the login claims) registers, for the units its authority covers: the
written feedback on an inspection (PDF and/or a link to Ældretilsynet's published report,
tilsynsdato, status, optional sammenfatning) and
sanctions (type, afgørelsesdato, temaer, frist for a påbud or "gælder til" for a ban), changes
them and marks them lifted. A feedback can be corrected (its PDF replaced) or withdrawn; a
replaced or withdrawn PDF is deleted with its file, by the media pages' rule. The agency
(Sundhedsdatastyrelsen) may do the same for every unit.

Every view asks `plov.accounts.scope`: other roles get 403; a unit the user may not see is 404
on a GET; any POST on a unit the user may not supervise is 403 and writes nothing (forged
forms included). Every create, change, lift and withdrawal is an action in
`plov.supervision.actions` (the row and its audit entry in one transaction), and the unit's
public page cache is cleared (the signals in `plov.public.signals`, again on commit).
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from wagtail.admin import messages
from wagtail.documents import get_document_model

from plov.accounts.http import Forbidden
from plov.accounts.models import Role
from plov.accounts.scope import Scope, can_supervise, can_view_unit
from plov.backoffice.base import HOME, ScopedView
from plov.media.documents import discard_document
from plov.media.images import original_title, stored_name
from plov.media.models import UnitMediaFolder
from plov.public.unitpage import SANCTION_EXPLANATIONS, STATUS_EXPLANATIONS
from plov.supervision import actions
from plov.supervision.forms import FeedbackForm, LiftSanctionForm, SanctionForm
from plov.supervision.models import (
    Sanction,
    SanctionType,
    SupervisionFeedback,
    SupervisionStatus,
)
from plov.supervision.queries import (
    sanction_state,
    search,
    supervised_units,
    unit_authority,
    with_overview,
)
from plov.units.models import Municipality, Unit

PER_PAGE = 50
WITHOUT_SUPERVISION = "uden"  # the Tilsyn list's filter: no feedback registered
INDEX = {"url": reverse_lazy("plov_supervision:index"), "label": "Tilsyn"}

NOT_YOURS = (
    "Enheden ligger uden for din tilsynsmyndigheds område. Du kan kun registrere tilsyn og "
    "sanktioner for de enheder, din tilsynsmyndighed fører tilsyn med."
)
NO_ROLE = (
    "Tilsyn og sanktioner registreres af Ældretilsynet (og Sundhedsdatastyrelsen). Din rolle "
    "giver ikke adgang til disse sider."
)
NO_AUTHORITY = (
    "Enheden er ikke dækket af en tilsynsmyndighed i tilsynsdækningen. Kontakt "
    "Sundhedsdatastyrelsen, før der registreres tilsyn eller sanktioner."
)

# The preview (issue 18, point 13): a registration becomes public only from the preview page,
# where the supervisor sees it as the public will and confirms it holds no personal data.
PREVIEW, PUBLISH, CORRECT = "forhaandsvis", "offentliggoer", "ret"
CONFIRM_FIELD = "no_personal_data"
CONFIRM_LABEL = (
    "Jeg har læst det, som det vises offentligt, og det indeholder ingen navne, CPR-numre "
    "eller andre personoplysninger"
)
CONFIRM_MISSING = (
    "Intet er offentliggjort endnu: bekræft, at teksten ikke indeholder navne eller andre "
    "personoplysninger"
)
PENDING_FIELD = "pending_document"
PENDING_SALT = "plov.supervision.pending-document"
PENDING_MAX_AGE = 24 * 60 * 60

# --- helpers (the queries: plov.supervision.queries) ----------------------------------------------


def confirmation(request) -> tuple[bool, str]:
    """Whether the POST comes from the preview's "Offentliggør" with the confirmation ticked;
    else the message to show on the preview ("" when the preview is simply shown first)."""
    if request.POST.get("handling") != PUBLISH:
        return False, ""
    if request.POST.get(CONFIRM_FIELD) != "on":
        return False, CONFIRM_MISSING
    return True, ""


def supervises(scope: Scope) -> bool:
    """Whether the user reaches the supervision pages at all: the agency and supervisors."""
    return scope.is_agency or scope.has(Role.SUPERVISOR)


STATUS_LABELS = dict(SupervisionStatus.choices)
STATUS_CLASSES = {
    SupervisionStatus.NO_REMARKS: "",
    SupervisionStatus.MINOR: "",
    SupervisionStatus.SIGNIFICANT: "w-status--primary",
    SupervisionStatus.CRITICAL: "w-status--primary",
}


def public_url(unit: Unit) -> str:
    if not unit.published or unit.closed_on is not None:
        return ""
    try:
        return reverse("public:unit-short", args=[unit.pk])
    except Exception:  # the public site is not mounted (e.g. a back-office-only deployment)
        return ""


# --- the views -----------------------------------------------------------------------------


class SupervisionView(ScopedView):
    """A supervision page: agency and supervisors only."""

    header_icon = "clipboard-list"
    refusal = NO_ROLE

    def allowed(self) -> bool:
        return supervises(self.scope)


class SupervisionIndexView(SupervisionView):
    template_name = "supervision/index.html"
    page_title = "Tilsyn"

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": "Tilsyn"}]

    def get(self, request):
        base = supervised_units(self.scope).open()
        units = base.select_related("municipality", "owner")
        query = request.GET.get("q", "").strip()[:100]
        if query:
            units = search(units, query)
        municipalities = list(
            Municipality.objects.filter(
                code__in=base.values("municipality_id").distinct()
            ).order_by("name")
        )
        code = request.GET.get("kommune", "")
        if code.isdigit() and any(m.code == int(code) for m in municipalities):
            units = units.filter(municipality_id=int(code))
        else:
            code = ""
        units = with_overview(units, self.today)
        latest = request.GET.get("seneste", "")
        if latest == WITHOUT_SUPERVISION:
            units = units.filter(latest_status__isnull=True)
        elif latest in SupervisionStatus.values:
            units = units.filter(latest_status=latest)
        else:
            latest = ""
        sanction = request.GET.get("sanktion", "")
        if sanction == "ja":
            units = units.filter(sanctions_in_force__gt=0)
        elif sanction == "nej":
            units = units.filter(sanctions_in_force=0)
        else:
            sanction = ""
        units = units.order_by("name", "pk")
        page = Paginator(units, PER_PAGE).get_page(request.GET.get("side"))
        for unit in page.object_list:
            unit.latest_status_label = STATUS_LABELS.get(unit.latest_status, "")
            unit.latest_status_class = STATUS_CLASSES.get(unit.latest_status, "")
        params = {k: v for k, v in request.GET.items() if k != "side" and v}
        authorities = sorted(self.scope.authorities)
        return self.render_to_response(
            self.get_context_data(
                page=page,
                units=page.object_list,
                query=query,
                querystring=urlencode(params),
                is_agency=self.scope.is_agency,
                authorities=authorities,
                municipalities=municipalities,
                kommune=code,
                latest_choices=[
                    *SupervisionStatus.choices,
                    (WITHOUT_SUPERVISION, "Uden registreret tilsyn"),
                ],
                latest=latest,
                sanction=sanction,
                filtered=bool(query or code or latest or sanction),
                total=page.paginator.count,
                changes_since=self.today - dt.timedelta(days=30),
            )
        )


class UnitScopedView(SupervisionView):
    """A page about one unit: a GET on a unit the user may not see is 404 (and 403 if seen but
    not supervised); a POST on a unit the user may not supervise is 403, whatever it sends."""

    unit: Unit

    def dispatch(self, request, *args, **kwargs):
        self.unit_pk = kwargs.get("pk")
        return super().dispatch(request, *args, **kwargs)

    def setup_unit(self) -> Unit:
        unit = get_object_or_404(
            Unit.objects.select_related("municipality", "owner"), pk=self.unit_pk
        )
        user = self.request.user
        if self.request.method not in ("GET", "HEAD") and not can_supervise(user, unit):
            raise Forbidden(NOT_YOURS)
        if not can_view_unit(user, unit):
            raise Http404("Enheden findes ikke")
        if not can_supervise(user, unit):
            raise Forbidden(NOT_YOURS)
        self.unit = unit
        self.authority = unit_authority(unit, self.today)
        return unit

    def unit_url(self) -> str:
        return reverse("plov_supervision:unit", args=[self.unit.pk])

    def get_page_subtitle(self):
        return str(self.unit)

    def get_breadcrumbs_items(self):
        return [HOME, INDEX, {"url": self.unit_url(), "label": self.unit.name}, *self.extra()]

    def extra(self) -> list[dict]:
        return []

    def base_context(self, **context):
        return self.get_context_data(
            unit=self.unit,
            authority=self.authority,
            no_authority_message=NO_AUTHORITY,
            unit_url=self.unit_url(),
            **context,
        )

    # --- the preview -----------------------------------------------------------------------

    def pending_document(self):
        """The PDF stored when the preview was shown (signed for this unit and user, and linked
        to nothing yet), or None."""
        token = self.request.POST.get(PENDING_FIELD, "")
        if not token:
            return None
        try:
            value = signing.loads(token, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
        except signing.BadSignature:
            return None
        if value.get("unit") != self.unit.pk or value.get("by") != self.request.user.pk:
            return None
        document = (
            get_document_model()
            .objects.filter(
                pk=value.get("doc"), collection=UnitMediaFolder.collection_for(self.unit)
            )
            .first()
        )
        if document is None or SupervisionFeedback.objects.filter(document=document).exists():
            return None
        return document

    def keep_upload(self, form: FeedbackForm, pending):
        """A PDF chosen in this request is stored now (so that the preview and "Ret" keep it);
        it replaces an earlier pending one."""
        if not form.cleaned_data.get("document"):
            return pending
        file = self.new_feedback_document(form)
        file.save()
        discard_document(pending)
        return file

    def pending_token(self, document) -> str:
        if document is None:
            return ""
        return signing.dumps(
            {"doc": document.pk, "unit": self.unit.pk, "by": self.request.user.pk},
            salt=PENDING_SALT,
        )

    def render_preview(self, template: str, *, error: str = "", **context):
        hidden = [(name, self.request.POST.get(name, "")) for name in context.pop("fields")]
        return TemplateResponse(
            self.request,
            template,
            self.base_context(
                hidden=hidden,
                confirm_field=CONFIRM_FIELD,
                confirm_label=CONFIRM_LABEL,
                confirm_error=error,
                publish=PUBLISH,
                correct=CORRECT,
                **context,
            ),
        )

    def feedback_preview(self, form: FeedbackForm, document, error: str = "", feedback=None):
        data = form.cleaned_data
        preview = SupervisionFeedback(
            unit=self.unit,
            authority=self.authority,
            inspected_on=data["inspected_on"],
            status=data["status"],
            summary=data["summary"],
            document=document if document is not None else getattr(feedback, "document", None),
            report_url=data["report_url"],
        )
        return self.render_preview(
            "supervision/feedback_preview.html",
            error=error,
            fields=["inspected_on", "status", "summary", "report_url"],
            preview=preview,
            explanation=str(STATUS_EXPLANATIONS.get(preview.status, "")),
            feedback=feedback,
            pending_field=PENDING_FIELD,
            pending_token=self.pending_token(document),
            replaces_document=feedback is not None and document is not None,
        )

    def new_feedback_document(self, form: FeedbackForm):
        """The checked PDF of a feedback form as a document in the unit's media folder, not
        saved yet (the caller saves it, and deletes the stored file if its transaction fails)."""
        data = form.cleaned_data
        file = get_document_model()(
            title=original_title(data["document"].name),
            collection=UnitMediaFolder.collection_for(self.unit),
            uploaded_by_user=self.request.user,
        )
        file.file = ContentFile(
            form.pdf_bytes, name=stored_name(f"tilsyn-{data['inspected_on']:%Y-%m-%d}", "pdf")
        )
        file._set_document_file_metadata()
        return file


class UnitSupervisionView(UnitScopedView):
    """One unit: its feedback, its sanctions (in force first), and the actions."""

    template_name = "supervision/unit.html"
    page_title = "Tilsyn"

    def get_breadcrumbs_items(self):
        return [HOME, INDEX, {"url": "", "label": self.unit.name}]

    def get(self, request, pk: int):
        self.setup_unit()
        feedback = list(
            SupervisionFeedback.objects.filter(unit=self.unit).select_related(
                "authority", "document"
            )
        )
        sanctions = list(Sanction.objects.filter(unit=self.unit).select_related("authority"))
        for sanction in sanctions:
            sanction.state = sanction_state(sanction, self.today)
            sanction.is_current = sanction.state == "Gælder nu"
        current = [s for s in sanctions if s.state in ("Gælder nu", "Kommende")]
        earlier = [s for s in sanctions if s.state not in ("Gælder nu", "Kommende")]
        return self.render_to_response(
            self.base_context(
                feedback=feedback,
                latest=feedback[0] if feedback else None,
                current_sanctions=current,
                earlier_sanctions=earlier,
                public_url=public_url(self.unit),
            )
        )


class FeedbackCreateView(UnitScopedView):
    template_name = "supervision/feedback_form.html"
    page_title = "Registrér tilbagemelding"

    def extra(self):
        return [{"url": "", "label": self.page_title}]

    def render_form(self, form: FeedbackForm, pending=None):
        return self.render_to_response(
            self.base_context(
                form=form,
                pending=pending,
                pending_field=PENDING_FIELD,
                pending_token=self.pending_token(pending),
            )
        )

    def get(self, request, pk: int):
        self.setup_unit()
        return self.render_form(FeedbackForm())

    def post(self, request, pk: int):
        self.setup_unit()
        pending = self.pending_document()
        form = FeedbackForm(request.POST, request.FILES, has_pending=pending is not None)
        if not form.is_valid():
            return self.render_form(form, pending)
        if self.authority is None:
            form.add_error(None, NO_AUTHORITY)
            return self.render_form(form, pending)
        pending = self.keep_upload(form, pending)
        if request.POST.get("handling") == CORRECT:
            return self.render_form(form, pending)
        confirmed, error = confirmation(request)
        if not confirmed:
            return self.feedback_preview(form, pending, error)
        feedback = self.save(form, pending)
        messages.success(
            request,
            f"Tilbagemeldingen fra tilsynet den {feedback.inspected_on:%d.%m.%Y} "
            f"({feedback.get_status_display()}) er registreret for {self.unit.name}.",
        )
        return HttpResponseRedirect(self.unit_url())

    def save(self, form: FeedbackForm, file) -> SupervisionFeedback:
        data = form.cleaned_data
        return actions.register_feedback(
            unit=self.unit,
            authority=self.authority,
            inspected_on=data["inspected_on"],
            status=data["status"],
            summary=data["summary"],
            report_url=data["report_url"],
            document=file,
            user=self.request.user,
        )


class FeedbackScopedView(UnitScopedView):
    """A page about one feedback of the unit: the unit's scope rules first (so a forged POST is
    403 whatever feedback it names), then a feedback of another unit is 404."""

    feedback: SupervisionFeedback

    def extra(self):
        return [{"url": "", "label": self.page_title}]

    def setup_feedback(self, feedback_pk: int) -> SupervisionFeedback:
        self.setup_unit()
        self.feedback = get_object_or_404(
            SupervisionFeedback.objects.select_related("authority", "document"),
            pk=feedback_pk,
            unit=self.unit,
        )
        return self.feedback


class FeedbackEditView(FeedbackScopedView):
    """ "Ret tilbagemelding": correct the date, status and summary, and optionally replace the
    PDF; the replaced document is deleted with its file when the change commits."""

    template_name = "supervision/feedback_form.html"
    page_title = "Ret tilbagemelding"

    def render_form(self, form: FeedbackForm, pending=None):
        return self.render_to_response(
            self.base_context(
                form=form,
                feedback=self.feedback,
                pending=pending,
                pending_field=PENDING_FIELD,
                pending_token=self.pending_token(pending),
            )
        )

    def get(self, request, pk: int, feedback_pk: int):
        f = self.setup_feedback(feedback_pk)
        initial = {
            "inspected_on": f.inspected_on,
            "status": f.status,
            "summary": f.summary,
            "report_url": f.report_url,
        }
        return self.render_form(
            FeedbackForm(initial=initial, editing=True, has_document=f.document_id is not None)
        )

    def post(self, request, pk: int, feedback_pk: int):
        self.setup_feedback(feedback_pk)
        pending = self.pending_document()
        form = FeedbackForm(
            request.POST,
            request.FILES,
            editing=True,
            has_pending=pending is not None,
            has_document=self.feedback.document_id is not None,
        )
        if not form.is_valid():
            return self.render_form(form, pending)
        data = form.cleaned_data
        values = {
            "inspected_on": data["inspected_on"],
            "status": data["status"],
            "summary": data["summary"],
            "report_url": data["report_url"],
        }
        pending = self.keep_upload(form, pending)
        if request.POST.get("handling") == CORRECT:
            return self.render_form(form, pending)
        confirmed, error = confirmation(request)
        if not confirmed:
            return self.feedback_preview(form, pending, error, feedback=self.feedback)
        try:
            feedback, changes = actions.correct_feedback(
                self.feedback,
                values,
                document=pending,
                user=request.user,
                authority=self.authority,
            )
        except SupervisionFeedback.DoesNotExist:
            raise Http404("Tilbagemeldingen findes ikke") from None
        messages.success(
            request,
            f"Tilbagemeldingen fra tilsynet den {feedback.inspected_on:%d.%m.%Y} "
            f"({feedback.get_status_display()}) for {self.unit.name} er rettet."
            if changes
            else f"Tilbagemeldingen for {self.unit.name} er uændret.",
        )
        return HttpResponseRedirect(self.unit_url())


class FeedbackWithdrawView(FeedbackScopedView):
    """ "Tilbagekald tilbagemelding": after a confirmation, the feedback and its document are
    deleted (the file once the deletion commits); it disappears from the public page."""

    template_name = "supervision/feedback_withdraw.html"
    page_title = "Tilbagekald tilbagemelding"

    def get(self, request, pk: int, feedback_pk: int):
        feedback = self.setup_feedback(feedback_pk)
        latest = SupervisionFeedback.objects.filter(unit=self.unit).first()
        following = (
            SupervisionFeedback.objects.filter(unit=self.unit).exclude(pk=feedback.pk).first()
        )
        return self.render_to_response(
            self.base_context(
                feedback=feedback,
                is_latest=latest is not None and latest.pk == feedback.pk,
                following=following,
                public_url=public_url(self.unit),
            )
        )

    def post(self, request, pk: int, feedback_pk: int):
        self.setup_feedback(feedback_pk)
        try:
            feedback = actions.withdraw_feedback(
                self.feedback, user=request.user, authority=self.authority
            )
        except SupervisionFeedback.DoesNotExist:
            raise Http404("Tilbagemeldingen findes ikke") from None
        messages.success(
            request,
            f"Tilbagemeldingen fra tilsynet den {feedback.inspected_on:%d.%m.%Y} "
            f"for {self.unit.name} er tilbagekaldt og vises ikke længere på enhedens "
            "offentlige side.",
        )
        return HttpResponseRedirect(self.unit_url())


class SanctionFormView(UnitScopedView):
    """Register (no sanction_pk) or change (sanction_pk) a sanction of the unit."""

    template_name = "supervision/sanction_form.html"
    sanction: Sanction | None = None

    def get_page_title(self):
        return "Ret sanktion" if self.sanction is not None else "Registrér sanktion"

    def extra(self):
        return [{"url": "", "label": self.get_page_title()}]

    def setup_sanction(self, sanction_pk: int | None) -> None:
        self.setup_unit()
        if sanction_pk is not None:
            self.sanction = get_object_or_404(
                Sanction.objects.select_related("authority"), pk=sanction_pk, unit=self.unit
            )

    def make_form(self, data=None) -> SanctionForm:
        initial = {}
        if self.sanction is not None:
            s = self.sanction
            initial = {
                "type": s.type,
                "decided_on": s.decided_on,
                "themes": s.themes,
                "deadline": s.deadline,
                "period_end": s.period_end,
                "lifted_on": s.lifted_on,
            }
        return SanctionForm(data, initial=initial, instance=self.sanction, unit_kind=self.unit.kind)

    def render_form(self, form: SanctionForm):
        return self.render_to_response(
            self.base_context(
                form=form,
                sanction=self.sanction,
                orders=[SanctionType.ORDER.label, SanctionType.ADVICE_ORDER.label],
                bans=[SanctionType.BAN_NEW_RESIDENTS.label, SanctionType.BAN_NEW_CITIZENS.label],
            )
        )

    def get(self, request, pk: int, sanction_pk: int | None = None):
        self.setup_sanction(sanction_pk)
        return self.render_form(self.make_form())

    def post(self, request, pk: int, sanction_pk: int | None = None):
        self.setup_sanction(sanction_pk)
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        if self.sanction is None and self.authority is None:
            form.add_error(None, NO_AUTHORITY)
            return self.render_form(form)
        data = form.cleaned_data
        values = {
            "type": data["type"],
            "decided_on": data["decided_on"],
            "themes": data["themes"],
            "deadline": data.get("deadline"),
            "period_end": data.get("period_end"),
        }
        if "lifted_on" in form.fields:
            values["lifted_on"] = data.get("lifted_on")
        if request.POST.get("handling") == CORRECT:
            return self.render_form(form)
        confirmed, error = confirmation(request)
        if not confirmed:
            preview = Sanction(
                unit=self.unit,
                authority=self.sanction.authority if self.sanction else self.authority,
                **values,
            )
            return self.render_preview(
                "supervision/sanction_preview.html",
                error=error,
                fields=list(values),
                preview=preview,
                explanation=str(SANCTION_EXPLANATIONS.get(preview.type, "")),
                sanction=self.sanction,
                state=sanction_state(preview, self.today),
            )
        if self.sanction is None:
            sanction = actions.register_sanction(
                unit=self.unit, authority=self.authority, **values, user=request.user
            )
            verb = "registreret"
        else:
            sanction, _ = actions.change_sanction(
                self.sanction, values, user=request.user, authority=self.authority
            )
            verb = "gemt"
        messages.success(
            request, f"Sanktionen «{sanction.get_type_display()}» for {self.unit.name} er {verb}."
        )
        return HttpResponseRedirect(self.unit_url())


class SanctionLiftView(UnitScopedView):
    """Lifting ("Ophæv"): the sanction stops applying on the chosen day (today by default)."""

    template_name = "supervision/lift.html"
    page_title = "Ophæv sanktion"

    def extra(self):
        return [{"url": "", "label": self.page_title}]

    def setup_sanction(self, sanction_pk: int) -> Sanction:
        self.setup_unit()
        self.sanction = get_object_or_404(
            Sanction.objects.select_related("authority"), pk=sanction_pk, unit=self.unit
        )
        return self.sanction

    def render_form(self, form):
        return self.render_to_response(
            self.base_context(
                form=form,
                sanction=self.sanction,
                state=sanction_state(self.sanction, self.today),
            )
        )

    def get(self, request, pk: int, sanction_pk: int):
        sanction = self.setup_sanction(sanction_pk)
        initial = sanction.lifted_on or max(self.today, sanction.decided_on)
        return self.render_form(LiftSanctionForm(initial={"lifted_on": initial}, sanction=sanction))

    def post(self, request, pk: int, sanction_pk: int):
        sanction = self.setup_sanction(sanction_pk)
        form = LiftSanctionForm(request.POST, sanction=sanction)
        if not form.is_valid():
            return self.render_form(form)
        sanction = actions.lift_sanction(
            sanction, form.cleaned_data["lifted_on"], user=request.user, authority=self.authority
        )
        messages.success(
            request,
            f"Sanktionen «{sanction.get_type_display()}» for {self.unit.name} er ophævet "
            f"den {sanction.lifted_on:%d.%m.%Y}.",
        )
        return HttpResponseRedirect(self.unit_url())

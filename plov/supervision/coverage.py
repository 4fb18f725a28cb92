"""The coverage table in the back office: which supervising authority covers each municipality,
with history (gyldig fra / til). Maintained by the agency (Sundhedsdatastyrelsen) only.

A unit's authority is derived from this table whenever it is read, so a saved change moves the
units at once. Besides Wagtail's own create / edit / delete entries, every change that moves a
municipality writes `plov.authority_moved` entries to the audit log ("Aarhus (751): Ældretilsynet
Silkeborg → Ældretilsynet Odense fra 01.07.2026").

Access is the agency's role (`Scope.is_agency`), not model permissions: the permission policy
below answers for every action, and the views answer a refused user with a real 403.
"""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from plov import clock
from plov.accounts.http import Forbidden, refuses_forbidden
from plov.accounts.scope import Scope
from plov.backoffice.fields import DanishDateField, DanishDateInput, name_empty_choice
from plov.supervision.authorities import HandOverRefused, coverage_change, hand_over
from plov.supervision.models import AuthorityCoverage, SupervisingAuthority
from plov.units.models import Municipality

VALID_TO_BEFORE_FROM = "‘Gyldig til’ må ikke ligge før ‘gyldig fra’."


# --- who may ---------------------------------------------------------------------------------


class AgencyOnlyPolicy(BasePermissionPolicy):
    """Every action on the model is the agency's (and superusers'), nobody else's."""

    def user_has_permission(self, user, action) -> bool:
        return Scope.for_user(user).is_agency

    def user_has_any_permission(self, user, actions) -> bool:
        return Scope.for_user(user).is_agency

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True)
        return users.filter(pk__in=[u.pk for u in users if Scope.for_user(u).is_agency])

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


POLICY = AgencyOnlyPolicy(AuthorityCoverage)
register_permission_policy(AuthorityCoverage, POLICY)


# --- the form --------------------------------------------------------------------------------


def _period(start, end) -> str:
    """A period in plain Danish: "fra 01.07.2026 til 30.06.2027", "fra 01.07.2026", …"""
    if start and end:
        return f"fra {start:%d.%m.%Y} til {end:%d.%m.%Y}"
    if start:
        return f"fra {start:%d.%m.%Y} og uden slutdato"
    if end:
        return f"til og med {end:%d.%m.%Y}"
    return "uden start- og slutdato"


def overlap_problem(instance: AuthorityCoverage) -> str | None:
    """Why the row's period clashes with another row of the same municipality, else None."""
    if instance.municipality_id is None:
        return None
    others = AuthorityCoverage.objects.filter(municipality_id=instance.municipality_id)
    if instance.pk:
        others = others.exclude(pk=instance.pk)
    if instance.valid_to is not None:
        others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=instance.valid_to))
    if instance.valid_from is not None:
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=instance.valid_from))
    other = others.select_related("authority", "municipality").first()
    if other is None:
        return None
    return (
        f"{other.municipality.name} er allerede dækket af {other.authority} "
        f"{_period(other.valid_from, other.valid_to)}. To perioder for samme kommune må ikke "
        "overlappe: afslut først den gamle periode med ‘gyldig til’."
    )


class CoverageForm(WagtailAdminModelForm):
    class Meta:
        model = AuthorityCoverage
        fields = ["municipality", "authority", "valid_from", "valid_to"]
        labels = {"municipality": "Kommune", "authority": "Tilsynsmyndighed"}
        field_classes = {"valid_from": DanishDateField, "valid_to": DanishDateField}
        widgets = {"valid_from": DanishDateInput, "valid_to": DanishDateInput}
        help_texts = {
            "valid_from": "Første dag, myndigheden dækker kommunen (dd.mm.åååå). Tom: uden "
            "startdato.",
            "valid_to": "Sidste dag, myndigheden dækker kommunen (dd.mm.åååå). Tom: uden slutdato.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.code:03d})"
        name_empty_choice(self.fields["municipality"], "Vælg kommune")
        name_empty_choice(self.fields["authority"], "Vælg tilsynsmyndighed")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", VALID_TO_BEFORE_FROM)
            return cleaned
        if cleaned.get("municipality") is not None and not self.errors:
            candidate = AuthorityCoverage(
                pk=self.instance.pk,
                municipality=cleaned["municipality"],
                valid_from=start,
                valid_to=end,
            )
            problem = overlap_problem(candidate)
            if problem:
                raise forms.ValidationError(problem)
        return cleaned


# --- the views -------------------------------------------------------------------------------


class RefusesWith403:
    """Wagtail turns PermissionDenied into a redirect to the dashboard; we answer 403."""

    @refuses_forbidden
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class SavesAndLogsMoves(RefusesWith403):
    """Save as a `coverage_change` of the municipalities concerned (locked, the moves logged),
    re-checking the overlap rule under the lock."""

    def form_valid(self, form):
        instance = form.instance
        stored = (
            AuthorityCoverage.objects.filter(pk=instance.pk)
            .values_list("municipality_id", flat=True)
            .first()
            if instance.pk
            else None
        )
        codes = {c for c in (stored, instance.municipality_id) if c is not None}
        with coverage_change(codes, user=self.request.user):
            problem = overlap_problem(instance)
            if problem:
                form.add_error(None, problem)
                return self.form_invalid(form)
            return super().form_valid(form)


class CoverageIndexView(RefusesWith403, generic.IndexView):
    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                "Skift tilsynsmyndighed",
                url=reverse("tilsynsdaekning:hand_over"),
                icon_name="arrow-right",
            ),
            *super().header_buttons,
        ]


# --- a hand-over in one step -----------------------------------------------------------------


class HandOverForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label="Kommune",
        queryset=Municipality.objects.order_by("name"),
        empty_label="Vælg kommune",
    )
    authority = forms.ModelChoiceField(
        label="Ny tilsynsmyndighed",
        queryset=SupervisingAuthority.objects.order_by("name"),
        empty_label="Vælg tilsynsmyndighed",
    )
    effective = DanishDateField(
        label="Fra og med",
        help_text="Den første dag, den nye tilsynsmyndighed dækker kommunen (dd.mm.åååå). Den "
        "hidtidige periode slutter dagen før.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.code:03d})"


class HandOverView(WagtailAdminTemplateMixin, FormView):
    """ "Skift tilsynsmyndighed": end the period in force and start the new one, logged as one
    move (`plov.supervision.authorities.hand_over`)."""

    template_name = "coverage/hand_over.html"
    form_class = HandOverForm
    page_title = "Skift tilsynsmyndighed"
    header_icon = "site"

    @refuses_forbidden
    def dispatch(self, request, *args, **kwargs):
        if not Scope.for_user(request.user).is_agency:
            raise Forbidden("Tilsynsdækningen vedligeholdes af Sundhedsdatastyrelsen.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"effective": clock.today()}

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Forside"},
            {"url": reverse("tilsynsdaekning:index"), "label": "Tilsynsdækning"},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            moves = hand_over(
                data["municipality"],
                data["authority"],
                data["effective"],
                user=self.request.user,
            )
        except HandOverRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        name = data["municipality"].name
        messages.success(
            self.request,
            "; ".join(m.describe(name) for m in moves) or f"{name}: ingen ændring fra i dag.",
        )
        return redirect("tilsynsdaekning:index")


class CoverageCreateView(SavesAndLogsMoves, generic.CreateView):
    pass


class CoverageEditView(SavesAndLogsMoves, generic.EditView):
    pass


class CoverageDeleteView(RefusesWith403, generic.DeleteView):
    def delete_action(self):
        with coverage_change({self.object.municipality_id}, user=self.request.user):
            super().delete_action()


class CoverageHistoryView(RefusesWith403, history.HistoryView):
    pass


class CoverageUsageView(RefusesWith403, usage.UsageView):
    pass


class CoverageViewSet(ModelViewSet):
    model = AuthorityCoverage
    icon = "site"
    menu_label = "Tilsynsdækning"
    menu_name = "tilsynsdaekning"
    menu_order = 920
    add_to_admin_menu = True
    url_prefix = "tilsynsdaekning"
    name = "tilsynsdaekning"
    list_display = ["municipality", "authority", "valid_from", "valid_to"]
    list_filter = ["authority"]
    copy_view_enabled = False
    index_view_class = CoverageIndexView
    add_view_class = CoverageCreateView
    edit_view_class = CoverageEditView
    delete_view_class = CoverageDeleteView
    history_view_class = CoverageHistoryView
    usage_view_class = CoverageUsageView

    def get_form_class(self, for_update=False):
        return CoverageForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("skift/", HandOverView.as_view(), name="hand_over"),
        ]


coverage_viewset = CoverageViewSet()

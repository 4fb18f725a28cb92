"""Service agreements in Wagtail's admin: the pages under /admin/serviceleverancer/, the menu
items "Serviceleverancer" and "Aftalebeskrivelser" (shown only to the roles that use them; the
views check scope themselves), and the contract manager's block on the dashboard."""

from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from plov.accounts.scope import Scope, editable_units
from plov.units.models import Municipality, Organisation, UnitKind


@hooks.register("register_admin_urls")
def register_agreement_urls():
    return [
        path(
            "serviceleverancer/",
            include(("plov.agreements.urls", "plov_agreements"), namespace="plov_agreements"),
        )
    ]


def manages_agreements(request) -> bool:
    scope = Scope.for_user(request.user)
    return scope.is_agency or scope.contract_municipality is not None


def writes_descriptions(request) -> bool:
    """The agency, and editors of a company with home-care sites among their units."""
    scope = Scope.for_user(request.user)
    if scope.is_agency:
        return True
    if not scope.is_editor:
        return False
    return (
        editable_units(request.user)
        .filter(kind=UnitKind.HOME_CARE_SITE, owner__kind=Organisation.Kind.COMPANY)
        .exists()
    )


class AgreementsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return manages_agreements(request)


class DescriptionsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return writes_descriptions(request)


@hooks.register("register_admin_menu_item")
def agreements_menu_item():
    return AgreementsMenuItem(
        "Serviceleverancer",
        reverse("plov_agreements:index"),
        name="serviceleverancer",
        icon_name="doc-full",
        order=210,
    )


@hooks.register("register_admin_menu_item")
def descriptions_menu_item():
    return DescriptionsMenuItem(
        "Aftalebeskrivelser",
        reverse("plov_agreements:descriptions"),
        name="aftalebeskrivelser",
        icon_name="edit",
        order=220,
    )


class AgreementsAttentionPanel(Component):
    """Agreements ending within 60 days and the municipality's own units without an agreement
    in force: what a contract manager should look at first."""

    name = "plov_agreements_attention"
    template_name = "agreements/dashboard_panel.html"
    order = 90

    def __init__(self, municipality: Municipality):
        self.municipality = municipality

    def get_context_data(self, parent_context):
        from plov.agreements.queries import attention

        context = super().get_context_data(parent_context)
        context.update(attention(self.municipality.code))
        context["municipality"] = self.municipality
        return context


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels) -> None:
    scope = Scope.for_user(request.user)
    code = scope.contract_municipality
    if code is None:
        return
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is not None:
        panels.append(AgreementsAttentionPanel(municipality))

"""The back office's start page (/admin/) by role, and Wagtail's own chrome made ours.

Login lands on Wagtail's dashboard. Each role gets a panel there with its work and the way to it
("Mine enheder", "Tilsyn", the agency's tools); the contract manager's panel is the agreements
app's. Wagtail's help menu links to wagtail.org (English, and outside the closed network): they
are removed, as is its page search (nobody here edits Wagtail pages).
"""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from plov import clock
from plov.accounts.models import Role
from plov.accounts.scope import Scope, editable_units
from plov.units.models import Unit, UnitContent, UnitKind

CARE_UNITS = (UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE)


class StartPanel(Component):
    """One role's block on the start page: a heading, a few counts, links."""

    template_name = "accounts/start_panel.html"

    def __init__(
        self,
        name: str,
        heading: str,
        figures: list[tuple[str, int, str]],
        links: list[tuple[str, str]],
        order: int,
    ):
        self.name = name
        self.heading = heading
        self.figures = figures
        self.links = links
        self.order = order

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(
            panel_id=f"plov-start-{self.name}",
            heading=self.heading,
            # Danish thousands separator: 1.398; each count links to the list it counts.
            figures=[
                (label, f"{number:,}".replace(",", "."), url) for label, number, url in self.figures
            ],
            links=self.links,
        )
        return context


def editor_panel(user) -> StartPanel:
    units = editable_units(user).filter(closed_on__isnull=True)
    mine = reverse("backoffice:dashboard")
    return StartPanel(
        "editor",
        "Mine enheder",
        [
            ("enheder, du redigerer", units.count(), mine),
            (
                "vises ikke for borgerne endnu",
                units.filter(published=False).exclude(kind=UnitKind.HOME_CARE_PROVIDER).count(),
                mine + "?vises=nej",
            ),
            (
                "er låst af dig",
                UnitContent.objects.filter(unit__in=units, locked=True, locked_by=user).count(),
                mine + "?laast=mig",
            ),
        ],
        [(reverse("backoffice:dashboard"), "Gå til Mine enheder")],
        order=50,
    )


def supervisor_panel(scope: Scope) -> StartPanel:
    from plov.supervision.models import Sanction
    from plov.supervision.queries import supervised_units
    from plov.supervision.views import WITHOUT_SUPERVISION

    today = clock.today()
    units = supervised_units(scope).open()
    supervision = reverse("plov_supervision:index")
    return StartPanel(
        "supervisor",
        "Tilsyn – " + ", ".join(sorted(scope.authorities)),
        [
            ("enheder under tilsyn", units.count(), supervision),
            (
                "uden registreret tilsyn",
                units.filter(supervision_feedback__isnull=True).count(),
                supervision + "?seneste=" + WITHOUT_SUPERVISION,
            ),
            (
                "sanktioner, der gælder nu",
                Sanction.objects.in_force(today).filter(unit__in=units).count(),
                supervision + "?sanktion=ja",
            ),
        ],
        [(reverse("plov_supervision:index"), "Gå til Tilsyn")],
        order=60,
    )


def agency_panel() -> StartPanel:
    from plov.supervision.models import Sanction

    today = clock.today()
    care_units = Unit.objects.open().filter(kind__in=CARE_UNITS)
    locked = UnitContent.objects.filter(locked=True).count()
    return StartPanel(
        "agency",
        "Sundhedsdatastyrelsen",
        [
            (
                "plejeenheder og helhedsplejeleverandørsteder",
                care_units.count(),
                reverse("backoffice:dashboard"),
            ),
            (
                "vises for borgerne",
                care_units.filter(published=True).count(),
                reverse("backoffice:dashboard") + "?vises=ja",
            ),
            ("låste enheder", locked, reverse("backoffice:locks")),
            (
                "sanktioner, der gælder nu",
                Sanction.objects.in_force(today).count(),
                reverse("plov_supervision:index") + "?sanktion=ja",
            ),
        ],
        [
            (reverse("plov_data_quality:index"), "Datakvalitet"),
            (reverse("backoffice:locks"), "Låste enheder"),
            (reverse("backoffice:audit_log"), "Revisionslog"),
            (reverse("tilsynsdaekning:index"), "Tilsynsdækning"),
            (reverse("plov_supervision:index"), "Tilsyn"),
        ],
        order=40,
    )


def guide_panel() -> StartPanel:
    """Every role's way to the guide (the Danish guides promise it on the start page)."""
    return StartPanel(
        "guide",
        "Vejledning",
        [],
        [(reverse("plov_guide"), "Læs vejledningen")],
        order=90,
    )


@hooks.register("construct_homepage_panels")
def add_start_panels(request, panels) -> None:
    scope = Scope.for_user(request.user)
    panels.append(guide_panel())
    if scope.is_agency:
        panels.append(agency_panel())
    if scope.is_editor:
        panels.append(editor_panel(request.user))
    if scope.has(Role.SUPERVISOR) and scope.authorities:
        panels.append(supervisor_panel(scope))


@hooks.register("register_admin_urls")
def register_guide_url():
    from plov.accounts.views import guide

    return [path("vejledning/", guide, name="plov_guide")]


@hooks.register("construct_help_menu")
def keep_only_local_help(request, menu_items) -> None:
    """Drop Wagtail's links to wagtail.org ("Nyheder i Wagtail", "Redaktørvejledning") and put
    plov's own guide first."""
    menu_items[:] = [
        MenuItem("Vejledning", reverse("plov_guide"), name="plov-guide", icon_name="help", order=0),
        *(
            item
            for item in menu_items
            if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
        ),
    ]

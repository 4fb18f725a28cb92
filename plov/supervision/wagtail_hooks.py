"""The agency maintains the transition list in the back office. Only users with the model's
permissions (the Sundhedsdatastyrelsen group) see it; the list is not organisation-scoped.

Ældretilsynet's registration pages (/admin/tilsyn/, menu item "Tilsyn") are shown to
supervisors and the agency; the views (`plov.supervision.views`) check scope themselves."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from plov.supervision.models import TransitionProvider


class TransitionProviderViewSet(SnippetViewSet):
    model = TransitionProvider
    icon = "list-ul"
    menu_label = "Overgangsordningen"
    list_display = ["name", "cvr_number", "added_on", "valid_until", "removed_on"]
    search_fields = ["name", "cvr_number"]
    add_to_admin_menu = True


register_snippet(TransitionProviderViewSet)


# --- Ældretilsynet's registrations: feedback and sanctions (plov.supervision.views) ---------


@hooks.register("register_admin_urls")
def register_supervision_urls():
    return [
        path(
            "tilsyn/",
            include(("plov.supervision.urls", "plov_supervision"), namespace="plov_supervision"),
        )
    ]


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        from plov.accounts.scope import Scope
        from plov.supervision.views import supervises

        return supervises(Scope.for_user(request.user))


@hooks.register("register_admin_menu_item")
def supervision_menu_item():
    return SupervisionMenuItem(
        "Tilsyn",
        reverse("plov_supervision:index"),
        name="tilsyn",
        icon_name="clipboard-list",
        order=230,
    )


# --- Coverage table (tilsynsdækning), the agency's: plov.supervision.coverage ----------------
# Appended block; keep it at the end of the file. Importing coverage registers its permission
# policy (agency only) before Wagtail could make a fallback one for the model.

from wagtail.log_actions import LogFormatter  # noqa: E402

from plov.supervision import coverage as _coverage  # noqa: E402
from plov.supervision.authorities import MOVED_ACTION, MOVED_LABEL  # noqa: E402


@hooks.register("register_admin_viewset")
def register_coverage_viewset():
    return _coverage.coverage_viewset


@hooks.register("register_log_actions")
def register_coverage_actions(actions) -> None:
    @actions.register_action(MOVED_ACTION)
    class AuthorityMoved(LogFormatter):
        label = MOVED_LABEL

        def format_message(self, log_entry) -> str:
            return f"{MOVED_LABEL}: {log_entry.label}"

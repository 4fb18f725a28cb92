from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plov.accounts.scope import Scope
from plov.backoffice.audit import ACTIONS


@hooks.register("register_log_actions")
def register_plov_actions(actions) -> None:
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_backoffice_urls():
    return [path("enheder/", include("plov.backoffice.urls", namespace="backoffice"))]


class EditorMenuItem(MenuItem):
    """Shown to editors and the agency."""

    def is_shown(self, request) -> bool:
        scope = Scope.for_user(request.user)
        return scope.is_agency or scope.is_editor


class AgencyMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return Scope.for_user(request.user).is_agency


@hooks.register("register_admin_menu_item")
def units_menu_item():
    return EditorMenuItem(
        "Mine enheder",
        reverse("backoffice:dashboard"),
        name="mine-enheder",
        icon_name="doc-full-inverse",
        order=100,
    )


@hooks.register("register_admin_menu_item")
def locks_menu_item():
    return AgencyMenuItem(
        "Låse", reverse("backoffice:locks"), name="laase", icon_name="lock", order=900
    )


@hooks.register("register_admin_menu_item")
def audit_menu_item():
    return AgencyMenuItem(
        "Revisionslog",
        reverse("backoffice:audit_log"),
        name="revisionslog",
        icon_name="history",
        order=910,
    )


@hooks.register("insert_global_admin_css")
def filters_css():
    """The filter rows' layout on every admin page (their fields never overlap a button)."""
    return format_html('<link rel="stylesheet" href="{}">', static("backoffice/filters.css"))


@hooks.register("insert_global_admin_js")
def forms_js():
    """Date fields on every admin page (units, agreements, supervision, coverage)."""
    return format_html('<script src="{}" defer></script>', static("backoffice/forms.js"))


# Wagtail features plov does not use: form pages, redirects, workflow settings and the page
# reports. Hidden from the menus so that no one looks for plov's work there (plov's own Låse and
# Revisionslog replace Låste sider and the page history). The page tree (*Sider*) stays: the
# agency edits its own pages there (plov.pages); Wagtail shows it only to those with page
# permissions, so editors never see it.
UNUSED_MENU_ITEMS = {"forms"}
UNUSED_REPORTS = {"locked-pages", "workflows", "workflow-tasks", "aging-pages", "page-types-usage"}
UNUSED_SETTINGS = {"workflows", "workflow-tasks", "redirects"}


@hooks.register("construct_main_menu")
def hide_unused_menu_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in UNUSED_MENU_ITEMS]


@hooks.register("construct_reports_menu")
def hide_unused_reports(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in UNUSED_REPORTS]


@hooks.register("construct_settings_menu")
def hide_unused_settings(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in UNUSED_SETTINGS]

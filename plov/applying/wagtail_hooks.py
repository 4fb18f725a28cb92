from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plov.accounts.scope import Scope


class ApplyingMenuItem(MenuItem):
    """The agency and municipalities' editors (a private provider's editor has no such page)."""

    def is_shown(self, request) -> bool:
        scope = Scope.for_user(request.user)
        return scope.is_agency or scope.editor_municipality is not None


@hooks.register("register_admin_urls")
def register_applying_urls():
    return [path("kommuner/", include("plov.applying.urls_backoffice", namespace="applying"))]


@hooks.register("register_admin_menu_item")
def applying_menu_item():
    return ApplyingMenuItem(
        "Sådan søger du",
        reverse("applying:index"),
        name="saadan-soeger-du",
        icon_name="help",
        order=150,
    )

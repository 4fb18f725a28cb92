"""The data-quality dashboard in Wagtail's admin: /admin/datakvalitet/ and the menu item
"Datakvalitet", shown to the agency and to municipal editors and contract managers (who see
their own municipality only; the views check scope themselves)."""

from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plov.accounts.scope import Scope


@hooks.register("register_admin_urls")
def register_data_quality_urls():
    return [
        path(
            "datakvalitet/",
            include(("plov.publishing.urls", "plov_data_quality"), namespace="plov_data_quality"),
        )
    ]


class DataQualityMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        from plov.publishing.views import may_see_data_quality

        return may_see_data_quality(Scope.for_user(request.user))


@hooks.register("register_admin_menu_item")
def data_quality_menu_item():
    return DataQualityMenuItem(
        "Datakvalitet",
        reverse("plov_data_quality:index"),
        name="datakvalitet",
        icon_name="warning",
        order=230,
    )

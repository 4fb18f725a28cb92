"""*Kørsler* in Wagtail's admin (the agency only): imports and background tasks."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from plov.registers import views_runs


@hooks.register("register_admin_urls")
def register_runs_url():
    return [path("koersler/", views_runs.runs, name="plov_runs")]


class RunsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views_runs.may_see_runs(request.user)


@hooks.register("register_admin_menu_item")
def runs_menu_item():
    return RunsMenuItem(
        "Kørsler", reverse("plov_runs"), name="koersler", icon_name="history", order=260
    )

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class PagesConfig(AppConfig):
    name = "plov.pages"
    label = "pages"
    verbose_name = "The agency's pages (driftsinfo, guidance, about, accessibility)"

    def ready(self) -> None:
        from plov.pages import permissions, status  # signal receivers

        status.connect_deletes()

        post_migrate.connect(permissions.grant_agency_page_permissions, sender=self)
        # Again once simple_translation's permission exists (its post_migrate comes later).
        post_migrate.connect(
            permissions.grant_agency_page_permissions,
            sender=apps.get_app_config("simple_translation"),
            dispatch_uid="plov.pages.grant_after_simple_translation",
        )

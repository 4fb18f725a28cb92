from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "plov.media"
    label = "unitmedia"
    verbose_name = "Unit images, documents and housing descriptions"

    def ready(self) -> None:
        from plov.media import permissions

        permissions.register()

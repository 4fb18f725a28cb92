from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "plov.public"
    label = "public"
    verbose_name = "Public site"

    def ready(self) -> None:
        from plov.public import signals  # noqa: F401  (connects the unit page cache receivers)

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "plov.public"
    label = "public"
    verbose_name = "Public site"

from django.apps import AppConfig


class ApplyingConfig(AppConfig):
    name = "plov.applying"
    label = "applying"
    verbose_name = "How to apply, per municipality (visitation)"

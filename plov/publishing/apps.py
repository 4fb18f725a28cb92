from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "plov.publishing"
    label = "publishing"
    verbose_name = "Publication rules and visibility"

from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "plov.backoffice"
    label = "backoffice"
    verbose_name = "Back office: unit editing, locks, versions, audit"

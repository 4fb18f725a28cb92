from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "plov.agreements"
    label = "agreements"
    verbose_name = "Service agreements"

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "plov.opendata"
    label = "opendata"
    verbose_name = "Open data: API, CSV, FHIR"

from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "plov.units"
    label = "units"
    verbose_name = "Units: municipalities, organisations, care homes, home-care providers and sites"

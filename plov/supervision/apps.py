from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "plov.supervision"
    label = "supervision"
    verbose_name = "Supervising authorities (Ældretilsynet)"

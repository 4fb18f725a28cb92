from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "plov.demo"
    label = "demo"
    verbose_name = "Demo data"

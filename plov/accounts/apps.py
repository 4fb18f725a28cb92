from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plov.accounts"
    label = "accounts"
    verbose_name = "Brugere og roller"
    default_auto_field = "django.db.models.BigAutoField"

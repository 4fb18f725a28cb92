from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plov.accounts"
    label = "accounts"
    verbose_name = "Brugere og roller"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receiver that stamps each login's time (the session's absolute lifetime)
        # before any login, not only once the middleware is first loaded.
        from plov import security  # noqa: F401

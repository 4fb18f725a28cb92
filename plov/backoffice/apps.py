from django.apps import AppConfig

from plov.backoffice.audit import AuditAction


class BackofficeConfig(AppConfig):
    name = "plov.backoffice"
    label = "backoffice"
    verbose_name = "Back office: unit editing, locks, versions, audit"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(log_login, dispatch_uid="plov.backoffice.log_login")


def log_login(sender, request, user, **kwargs) -> None:
    """Every login (single sign-on or demo) is in the audit log."""
    from plov.backoffice.audit import audit

    audit(user, AuditAction.LOGIN, user=user)

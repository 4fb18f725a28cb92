from django.apps import AppConfig
from django.db.models.signals import post_migrate

AGENCY_GROUP = "Sundhedsdatastyrelsen"


def grant_agency_permissions(sender, **kwargs) -> None:
    """The agency's group maintains the transition list (permissions exist only after migrate)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # auth's own post_migrate handler may not have run yet for this app
    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    permissions = Permission.objects.filter(
        content_type__app_label="supervision", codename__endswith="transitionprovider"
    )
    if not permissions.exists():
        return
    group, _ = Group.objects.get_or_create(name=AGENCY_GROUP)
    group.permissions.add(*permissions)


class SupervisionConfig(AppConfig):
    name = "plov.supervision"
    label = "supervision"
    verbose_name = "Supervising authorities (Ældretilsynet)"

    def ready(self) -> None:
        post_migrate.connect(grant_agency_permissions, sender=self)

"""A user's organisation, roles and SOR-ID narrowing, as the last login's claims said.

Nothing here is personal data beyond what the user model already holds (name): the
organisation's CVR number, role codes and SOR-IDs. The profile is rewritten from the claims at
every single sign-on login (`plov.accounts.auth`), so a role removed at the identity provider is
gone at the next login.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """plov's roles. The label is also the name of the Django group that carries the role's
    model permissions in Wagtail (the same names `plov/demo/users.py` uses)."""

    EDITOR = "editor", "Redaktør"
    CONTRACT_MANAGER = "contract_manager", "Driftsoverenskomstansvarlig"
    AGENCY = "agency", "Sundhedsdatastyrelsen"
    SUPERVISOR = "supervisor", "Ældretilsynet"


# The values SEB puts in the roles claim → plov's role. `ploGodkender` (the old approver role)
# is deliberately absent: it gives no rights. Matched case-insensitively.
ROLE_BY_CLAIM_VALUE: dict[str, Role] = {
    "ploRedaktør": Role.EDITOR,
    "driftsoverenskomstansvarlig": Role.CONTRACT_MANAGER,
    "Sundhedsdatastyrelsen": Role.AGENCY,
    "Ældretilsynet": Role.SUPERVISOR,
}

# Role → Django group name (the groups are created on demand, with wagtailadmin.access_admin).
GROUP_BY_ROLE: dict[str, str] = {role.value: role.label for role in Role}
ROLE_BY_GROUP: dict[str, str] = {name: role for role, name in GROUP_BY_ROLE.items()}


class UserProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plov_profile"
    )
    organisation_cvr = models.CharField("organisationens CVR-nummer", max_length=8, blank=True)
    roles = models.JSONField("roller", default=list, blank=True)  # list of Role values
    sor_ids = models.JSONField(
        "begrænset til SOR-ID'er", default=list, blank=True
    )  # empty: not narrowed
    last_claims_at = models.DateTimeField("senest opdateret fra login", null=True, blank=True)

    class Meta:
        verbose_name = "brugerprofil"
        verbose_name_plural = "brugerprofiler"

    def __str__(self) -> str:
        return f"{self.user} ({', '.join(self.roles) or 'ingen roller'})"

"""Demo logins, one per role, with Django's own users and groups.

Until single sign-on (SEB) carries a user's organisation and roles, the demo keeps it simple:
the role is a Django group, and the organisation's CVR number rides in the e-mail address as a
plus tag (`redaktoer-aarhus+55133018@demo.plejeoverblikket.dk`); `organisation_cvr(user)` reads
it back. No model of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db.models import Count

from plov import clock
from plov.demo.generator import AGENCY_CVR
from plov.units.models import Organisation

DEMO_DOMAIN = "demo.plejeoverblikket.dk"
DEFAULT_PASSWORD = "demo"

EDITOR = "Redaktør"
CONTRACT_MANAGER = "Driftsoverenskomstansvarlig"
AGENCY = "Sundhedsdatastyrelsen"
SUPERVISION = "Ældretilsynet"
GROUPS = [EDITOR, CONTRACT_MANAGER, AGENCY, SUPERVISION]

AARHUS, SILKEBORG = 751, 740


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # the group
    organisation: str  # shown in the command's summary
    cvr: str
    superuser: bool = False
    note: str = ""  # what the login is for, on the login page's button

    @property
    def label(self) -> str:
        """ "Redaktør, Aarhus Kommune"; the agency's role is its name, said once."""
        if self.organisation == self.role:
            return self.role
        return f"{self.role}, {self.organisation}"


def organisation_cvr(user: AbstractUser) -> str | None:
    """The CVR number a demo user acts for (from the e-mail's plus tag)."""
    match = re.fullmatch(r"[^@+]+\+(\d{8})@" + re.escape(DEMO_DOMAIN), user.email or "")
    return match.group(1) if match else None


def demo_logins() -> list[DemoLogin]:
    """The logins, with organisations as the imported registers have them."""

    def municipality(code: int) -> Organisation | None:
        return Organisation.objects.filter(municipality_id=code).first()

    aarhus, silkeborg = municipality(AARHUS), municipality(SILKEBORG)
    # The company with the most units: its editor has the most to show.
    company = (
        Organisation.objects.filter(kind=Organisation.Kind.COMPANY)
        .annotate(units_count=Count("units"))
        .order_by("-units_count", "name")
        .first()
    )
    logins = [DemoLogin("admin", AGENCY, "Sundhedsdatastyrelsen", AGENCY_CVR, superuser=True)]
    if aarhus:
        logins += [
            DemoLogin("redaktoer-aarhus", EDITOR, aarhus.name, aarhus.cvr_number or ""),
            DemoLogin("kontrakt-aarhus", CONTRACT_MANAGER, aarhus.name, aarhus.cvr_number or ""),
        ]
    if company:
        logins.append(DemoLogin("redaktoer-privat", EDITOR, company.name, company.cvr_number or ""))
    home_care = home_care_company()
    if home_care:
        logins.append(
            DemoLogin(
                "redaktoer-hjemmepleje",
                EDITOR,
                home_care.name,
                home_care.cvr_number or "",
                note="privat hjemmepleje med driftsoverenskomst",
            )
        )
    if silkeborg:
        # Ældretilsynet Silkeborg: supervision run by Silkeborg Kommune.
        logins.append(
            DemoLogin(
                "tilsyn-silkeborg",
                SUPERVISION,
                "Ældretilsynet Silkeborg",
                silkeborg.cvr_number or "",
            )
        )
    return logins


def home_care_company() -> Organisation | None:
    """A private home-care provider with a site that a municipality holds a driftsoverenskomst
    on (in force), so that its editor can write the aftalebeskrivelse; one whose description is
    still missing first, then by name. (In a small demo it may be the company of
    redaktoer-privat too.)"""

    from django.db.models import Exists, OuterRef

    from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
    from plov.units.models import UnitKind

    agreements = ServiceAgreement.objects.in_force(clock.today()).filter(
        type=AgreementType.OPERATING_AGREEMENT,
        unit__kind=UnitKind.HOME_CARE_SITE,
        unit__owner=OuterRef("pk"),
        unit__closed_on__isnull=True,
    )
    described = AgreementDescription.objects.filter(
        unit__owner=OuterRef("pk"), unit__kind=UnitKind.HOME_CARE_SITE
    ).exclude(text="")
    found = (
        Organisation.objects.filter(kind=Organisation.Kind.COMPANY, cvr_number__isnull=False)
        .filter(Exists(agreements))
        .annotate(described=Exists(described))
    )
    return found.order_by("described", "name", "pk").first()


def create_demo_users(password: str | None = None) -> dict[str, tuple[str, str]]:
    """Create or update the demo users and their groups; return username → (role, CVR)."""
    password = password or settings.PLOV_DEMO_PASSWORD or DEFAULT_PASSWORD
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group
    User = get_user_model()
    created = {}
    for login in demo_logins():
        user = User.objects.filter(username=login.username).first() or User(username=login.username)
        user.email = f"{login.username}+{login.cvr}@{DEMO_DOMAIN}"
        user.first_name = login.label[:150]
        user.last_name = ""
        user.is_active = True
        user.is_staff = login.superuser
        user.is_superuser = login.superuser
        user.set_password(password)
        user.save()
        user.groups.set([groups[login.role]])
        created[login.username] = (login.role, login.cvr)
    return created

"""Who may do what (plov.accounts.scope): roles × own / other organisation × actions, on the small
test country (Aarhus 751, CVR 55133018, owns the municipal units; CVR 12345678 the private ones)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from plov.accounts.models import UserProfile
from plov.accounts.scope import (
    Scope,
    authority_matches_municipality,
    can_create_agreement,
    can_edit_agreement,
    can_edit_unit,
    can_manage_agreements_of,
    can_release_lock,
    can_supervise,
    can_view_unit,
    editable_units,
    viewable_units,
)
from plov.agreements.models import AgreementType, ServiceAgreement
from plov.units.models import Municipality, Organisation, Unit, UnitKind
from tests import country as c

SILKEBORG_CVR = "29189919"  # hosts Ældretilsynet Silkeborg, which covers 751 and 746
GENTOFTE_CVR = "19438414"  # hosts Ældretilsynet Gentofte: covers neither
AGENCY_CVR = "33257872"

ACTORS = {
    "agency": dict(roles=["agency"], cvr=AGENCY_CVR),
    "superuser": dict(superuser=True),
    "editor_aarhus": dict(roles=["editor"], cvr=c.AARHUS_CVR),
    "editor_aarhus_north_only": dict(roles=["editor"], cvr=c.AARHUS_CVR, sor_ids=[c.SITE_NORTH]),
    "editor_company": dict(roles=["editor"], cvr=c.COMPANY_CVR),
    "editor_company_lindehus_only": dict(roles=["editor"], cvr=c.COMPANY_CVR, sor_ids=[c.LINDEHUS]),
    "editor_without_cvr": dict(roles=["editor"]),
    "contract_aarhus": dict(roles=["contract_manager"], cvr=c.AARHUS_CVR),
    "contract_company": dict(roles=["contract_manager"], cvr=c.COMPANY_CVR),  # not a municipality
    "supervisor_silkeborg": dict(roles=["supervisor"], cvr=SILKEBORG_CVR),
    "supervisor_gentofte": dict(roles=["supervisor"], cvr=GENTOFTE_CVR),
    "supervisor_aarhus": dict(roles=["supervisor"], cvr=c.AARHUS_CVR),  # Aarhus hosts none
    "no_role": dict(cvr=c.AARHUS_CVR),
    "inactive_agency": dict(roles=["agency"], cvr=AGENCY_CVR, active=False),
}

ADMINS = {"agency", "superuser"}

EDIT = {
    "solgaarden": ADMINS | {"editor_aarhus"},
    "site_north": ADMINS | {"editor_aarhus", "editor_aarhus_north_only"},
    "site_south": ADMINS | {"editor_aarhus"},
    "aarhus_provider": ADMINS | {"editor_aarhus", "editor_aarhus_north_only"},
    "lindehus": ADMINS | {"editor_company", "editor_company_lindehus_only"},
    "site_private": ADMINS | {"editor_company"},
    "company_provider": ADMINS | {"editor_company"},
}
SUPERVISE = {
    # The beliggenhedskommune decides: 751 and 746 are covered by Ældretilsynet Silkeborg; the
    # private provider aggregate has none.
    unit: ADMINS | ({"supervisor_silkeborg"} if unit != "company_provider" else set())
    for unit in EDIT
}
VIEW = {unit: EDIT[unit] | SUPERVISE[unit] | {"contract_aarhus"} for unit in EDIT}

AGREEMENTS = {
    # (municipality, unit, type): who may create it
    (751, "lindehus", AgreementType.OPERATING_AGREEMENT): ADMINS | {"contract_aarhus"},
    (751, "solgaarden", AgreementType.OWN_PRODUCTION): ADMINS | {"contract_aarhus"},
    (751, "lindehus", AgreementType.FREE_CARE_HOME): ADMINS,
    (746, "site_private", AgreementType.OPERATING_AGREEMENT): ADMINS,
    (751, "lindehus", "ukendt"): set(),
}


@pytest.fixture
def world(imported):
    for name, cvr, code in (
        ("Silkeborg Kommune", SILKEBORG_CVR, 740),
        ("Gentofte Kommune", GENTOFTE_CVR, 157),
    ):
        Organisation.objects.create(
            kind=Organisation.Kind.MUNICIPALITY, name=name, cvr_number=cvr, municipality_id=code
        )
    units = {
        "solgaarden": Unit.objects.get(sor_id=c.SOLGAARDEN),
        "site_north": Unit.objects.get(sor_id=c.SITE_NORTH),
        "site_south": Unit.objects.get(sor_id=c.SITE_SOUTH),
        "aarhus_provider": Unit.objects.get(
            kind=UnitKind.HOME_CARE_PROVIDER, owner__cvr_number=c.AARHUS_CVR
        ),
        "lindehus": Unit.objects.get(sor_id=c.LINDEHUS),
        "site_private": Unit.objects.get(sor_id=c.SITE_PRIVATE),
        "company_provider": Unit.objects.get(
            kind=UnitKind.HOME_CARE_PROVIDER, owner__cvr_number=c.COMPANY_CVR
        ),
    }
    assert units["site_north"].parent == units["aarhus_provider"]
    assert units["site_private"].parent == units["company_provider"]
    users = {name: make_user(name, **spec) for name, spec in ACTORS.items()}
    return units, users


def make_user(username, roles=(), cvr="", sor_ids=(), superuser=False, active=True):
    user = get_user_model().objects.create_user(username, is_superuser=superuser, is_active=active)
    UserProfile.objects.create(
        user=user, roles=list(roles), organisation_cvr=cvr, sor_ids=list(sor_ids)
    )
    return get_user_model().objects.get(pk=user.pk)


def allowed(users, check) -> set[str]:
    return {name for name, user in users.items() if check(user)}


@pytest.mark.parametrize("unit", sorted(EDIT))
def test_who_may_edit_each_unit(world, unit):
    units, users = world
    assert allowed(users, lambda u: can_edit_unit(u, units[unit])) == EDIT[unit]


@pytest.mark.parametrize("unit", sorted(VIEW))
def test_who_may_view_each_unit(world, unit):
    units, users = world
    assert allowed(users, lambda u: can_view_unit(u, units[unit])) == VIEW[unit]


@pytest.mark.parametrize("unit", sorted(SUPERVISE))
def test_who_may_supervise_each_unit(world, unit):
    units, users = world
    assert allowed(users, lambda u: can_supervise(u, units[unit])) == SUPERVISE[unit]


@pytest.mark.parametrize("case", list(AGREEMENTS), ids=lambda case: "-".join(map(str, case)))
def test_who_may_create_each_agreement(world, case):
    units, users = world
    code, unit, agreement_type = case
    municipality = Municipality.objects.get(code=code)
    assert (
        allowed(users, lambda u: can_create_agreement(u, municipality, units[unit], agreement_type))
        == AGREEMENTS[case]
    )


def test_agreements_are_managed_by_the_municipalitys_own_contract_manager(world):
    units, users = world
    assert allowed(users, lambda u: can_manage_agreements_of(u, 751)) == ADMINS | {
        "contract_aarhus"
    }
    assert (
        allowed(users, lambda u: can_manage_agreements_of(u, Municipality.objects.get(code=746)))
        == ADMINS
    )
    agreement = ServiceAgreement(
        municipality_id=751,
        unit=units["lindehus"],
        reference="A-1",
        type=AgreementType.OPERATING_AGREEMENT,
        start="2025-01-01",
    )
    assert allowed(users, lambda u: can_edit_agreement(u, agreement)) == ADMINS | {
        "contract_aarhus"
    }
    agreement.type = AgreementType.FREE_CARE_HOME
    assert allowed(users, lambda u: can_edit_agreement(u, agreement)) == ADMINS


def test_only_the_agency_releases_locks(world):
    _, users = world
    assert allowed(users, can_release_lock) == ADMINS


def test_every_unit(world):
    """The query sets agree with the predicates on every unit of the country."""
    _, users = world
    everything = list(Unit.objects.select_related("owner"))
    for name, user in users.items():
        editable = set(editable_units(user).values_list("pk", flat=True))
        viewable = set(viewable_units(user).values_list("pk", flat=True))
        assert editable == {u.pk for u in everything if can_edit_unit(user, u)}, name
        assert viewable == {u.pk for u in everything if can_view_unit(user, u)}, name
        assert editable <= viewable, name


def test_a_municipality_cannot_edit_a_private_providers_units(world):
    units, users = world
    private = [u for u in units.values() if u.owner.kind == Organisation.Kind.COMPANY]
    for name in ("editor_aarhus", "editor_aarhus_north_only", "contract_aarhus"):
        assert not any(can_edit_unit(users[name], unit) for unit in private)
    assert not editable_units(users["editor_aarhus"]).filter(owner__kind="company").exists()


def test_anonymous_users_may_do_nothing(world):
    units, _ = world
    anonymous = AnonymousUser()
    assert Scope.for_user(anonymous) == Scope()
    assert not can_view_unit(anonymous, units["solgaarden"])
    assert not editable_units(anonymous).exists()
    assert not can_release_lock(None)


def test_the_supervisors_authority_is_found_by_the_hosting_municipalitys_name(world):
    _, users = world
    assert Scope.for_user(users["supervisor_silkeborg"]).authorities == {"Ældretilsynet Silkeborg"}
    assert Scope.for_user(users["supervisor_gentofte"]).authorities == {"Ældretilsynet Gentofte"}
    assert Scope.for_user(users["supervisor_aarhus"]).authorities == frozenset()
    assert authority_matches_municipality("Ældretilsynet Silkeborg", "silkeborg")
    assert authority_matches_municipality("Ældretilsynet Lyngby-Taarbæk", "Lyngby-Taarbæk")
    assert not authority_matches_municipality("Ældretilsynet Lyngby-Taarbæk", "Taarbæk")
    assert not authority_matches_municipality("Ældretilsynet Frederikshavn", "Frederiks")
    assert not authority_matches_municipality("Ældretilsynet", "")


def test_users_without_a_profile_take_their_roles_from_the_groups(world, settings):
    """`plov demo`'s users, logged in with a password: the group is the role and, in demo mode
    only, the e-mail's plus tag the organisation."""
    units, _ = world
    user = get_user_model().objects.create_user(
        "redaktoer-aarhus", email=f"redaktoer-aarhus+{c.AARHUS_CVR}@demo.plejeoverblikket.dk"
    )
    user.groups.add(Group.objects.create(name="Redaktør"))
    settings.PLOV_DEMO = True
    assert can_edit_unit(user, units["solgaarden"])
    assert not can_edit_unit(user, units["lindehus"])
    settings.PLOV_DEMO = False
    user = get_user_model().objects.get(pk=user.pk)
    assert not can_edit_unit(user, units["solgaarden"])

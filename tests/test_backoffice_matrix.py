"""Who may do what in the unit editor: roles × actions, through HTTP.

Each case runs one action as one actor on one unit of the small test country and checks the
answer: allowed, 403 (may see the unit, may not do this), 404 (may not see the unit) or a
redirect to the login page (not logged in). Every refused case also checks that nothing changed:
the unit, its content, the lock, the revisions and the log (apart from the login itself).

To be sure the scope is checked and not just the lock, the actor holds the lock (written
directly in the database) before trying to save, check in or restore.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from plov.backoffice.history import create_revision
from plov.units.models import Organisation, Unit, UnitContent, UnitKind
from tests import country as c
from tests.test_backoffice_editing import form_data, make_user, snapshot

SILKEBORG_CVR = "29189919"  # hosts Ældretilsynet Silkeborg, which covers Aarhus (751)
AGENCY_CVR = "33257872"

# actor → (how the user is made, the unit acted on, what the actor may do with it)
#   "edit": everything but releasing others' locks; "view": open the editor read-only;
#   "none": the unit does not exist for them; "anon": not logged in. Agency: also release.
ACTORS = {
    "editor_own_org": (dict(roles=["editor"], cvr=c.AARHUS_CVR), "solgaarden", "edit"),
    "editor_other_org": (dict(roles=["editor"], cvr=c.COMPANY_CVR), "solgaarden", "none"),
    "editor_narrowed_to_unit": (
        dict(roles=["editor"], cvr=c.AARHUS_CVR, sor_ids=[c.SITE_NORTH]),
        "site_north",
        "edit",
    ),
    "editor_narrowed_elsewhere": (
        dict(roles=["editor"], cvr=c.AARHUS_CVR, sor_ids=[c.SITE_NORTH]),
        "solgaarden",
        "none",
    ),
    "municipal_editor_on_private_unit": (
        dict(roles=["editor"], cvr=c.AARHUS_CVR),
        "lindehus",
        "none",
    ),
    "contract_manager": (dict(roles=["contract_manager"], cvr=c.AARHUS_CVR), "solgaarden", "view"),
    "supervisor": (dict(roles=["supervisor"], cvr=SILKEBORG_CVR), "solgaarden", "view"),
    "agency": (dict(roles=["agency"], cvr=AGENCY_CVR), "lindehus", "edit"),
    "anonymous": (None, "solgaarden", "anon"),
    "plogodkender_only": (dict(roles=[], cvr=c.AARHUS_CVR, admin=True), "solgaarden", "none"),
}
ACTIONS = [
    "dashboard_row",
    "open_editor",
    "lock",
    "save",
    "check_in",
    "history",
    "restore",
    "release_lock",
]


def scope_of(user):
    from plov.accounts.scope import Scope

    return Scope.for_user(user)


def expected(access: str, action: str, agency: bool) -> str:
    if access == "anon":
        return "login"
    if action == "dashboard_row":
        return "shown" if access == "edit" else "hidden"
    if access == "none":
        return "404"
    if action == "open_editor":
        return "ok"
    if action == "release_lock":
        return "ok" if agency else "403"
    return "ok" if access == "edit" else "403"


@pytest.fixture
def world(imported):
    Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Silkeborg Kommune",
        cvr_number=SILKEBORG_CVR,
        municipality_id=740,
    )
    return {
        "solgaarden": Unit.objects.get(sor_id=c.SOLGAARDEN),
        "site_north": Unit.objects.get(sor_id=c.SITE_NORTH),
        "lindehus": Unit.objects.get(sor_id=c.LINDEHUS),
        "company_provider": Unit.objects.get(
            kind=UnitKind.HOME_CARE_PROVIDER, owner__cvr_number=c.COMPANY_CVR
        ),
    }


def make_actor(spec):
    if spec is None:
        return None
    spec = dict(spec)
    admin = spec.pop("admin", False)
    user = make_user("actor", first="Aktør", last="Testesen", **spec)
    if admin:  # a stale admin permission: the request reaches plov's own checks
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return user


def two_versions(unit) -> tuple[UnitContent, object]:
    content, _ = UnitContent.objects.get_or_create(unit=unit)
    content.values = "<p>Første version</p>"
    content.save()
    first = create_revision(content, None)
    content.values = "<p>Anden version</p>"
    content.save()
    create_revision(content, None)
    return content, first


def hold_lock(unit, user) -> UnitContent:
    content, _ = UnitContent.objects.get_or_create(unit=unit)
    UnitContent.objects.filter(pk=content.pk).update(
        locked=True, locked_by=user, locked_at=timezone.now()
    )
    content.refresh_from_db()
    return content


def log_count() -> int:
    return ModelLogEntry.objects.exclude(action="plov.login").count()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor_name", list(ACTORS))
def test_matrix(client, world, actor_name, action):
    spec, unit_name, access = ACTORS[actor_name]
    unit = world[unit_name]
    user = make_actor(spec)
    other_editor = make_user(
        "kollega", ["editor"], unit.owner.cvr_number, first="Kirsten", last="Kollega"
    )
    if user is not None:
        client.force_login(user)
    outcome = expected(access, action, agency=actor_name == "agency")

    # Preconditions: the state in which an allowed actor would succeed.
    revision = None
    if action in ("save", "check_in"):
        hold_lock(unit, user or other_editor)
    elif action == "restore":
        _, revision = two_versions(unit)
        hold_lock(unit, user or other_editor)
    elif action == "release_lock":
        hold_lock(unit, other_editor)
    content = UnitContent.objects.filter(unit=unit).first()

    before, logs_before = snapshot(unit), log_count()
    edit_url = reverse("backoffice:edit", args=[unit.pk])
    if action == "dashboard_row":
        response = client.get(reverse("backoffice:dashboard"))
    elif action == "open_editor":
        response = client.get(edit_url)
    elif action == "lock":
        response = client.post(reverse("backoffice:lock", args=[unit.pk]))
    elif action == "save":
        response = client.post(edit_url, form_data(content, leader_first_name="Ændret"))
    elif action == "check_in":
        response = client.post(reverse("backoffice:check_in", args=[unit.pk]))
    elif action == "history":
        response = client.get(reverse("backoffice:history", args=[unit.pk]))
    elif action == "restore":
        response = client.post(reverse("backoffice:restore", args=[unit.pk, revision.pk]))
    elif action == "release_lock":
        response = client.post(
            reverse("backoffice:release", args=[unit.pk]), {"holder": str(other_editor.pk)}
        )

    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif outcome in ("403", "404"):
        assert response.status_code == int(outcome)
    elif outcome in ("shown", "hidden") and response.status_code == 302:
        # Neither an editor nor the agency: sent to their own list, which lists no units.
        assert outcome == "hidden" and not (scope_of(user).is_editor or scope_of(user).is_agency)
        assert not response.url.startswith(reverse("backoffice:dashboard"))
    elif outcome in ("shown", "hidden"):
        assert response.status_code == 200
        listed = {row["unit"].pk for row in response.context["rows"]}
        assert (unit.pk in listed) == (outcome == "shown")
    if outcome in ("login", "403", "404", "hidden", "shown"):
        assert snapshot(unit) == before
        assert log_count() == logs_before
        return

    # Allowed: the action did what it says.
    assert outcome == "ok"
    content = UnitContent.objects.filter(unit=unit).first()
    if action == "open_editor":
        assert response.status_code == 200
        page = response.content.decode()
        assert unit.name in page
        if access == "view":
            assert "Lås og rediger" not in page and 'name="leader_first_name"' not in page
            assert snapshot(unit) == before
        else:
            assert "Lås og rediger" in page
    elif action == "history":
        assert response.status_code == 200
    elif action == "lock":
        assert response.status_code == 302
        assert content.locked and content.locked_by == user
    elif action == "save":
        assert response.status_code == 302
        assert content.leader_first_name == "Ændret"
        # The first save also keeps the content as it was before it, as version 1.
        assert content.revisions.count() == before["revisions"] + (
            2 if not before["revisions"] else 1
        )
    elif action == "check_in":
        assert response.status_code == 302
        assert not content.locked
    elif action == "restore":
        assert response.status_code == 302
        assert content.values == "<p>Første version</p>"
        assert content.revisions.count() == before["revisions"] + 1
    elif action == "release_lock":
        assert response.status_code == 302
        assert not content.locked
        assert ModelLogEntry.objects.filter(action="plov.lock_released", user=user).exists()


def test_the_matrix_covers_every_role_and_action():
    assert len(ACTORS) * len(ACTIONS) == 80
    outcomes = {expected(a, x, n == "agency") for n, (_, _, a) in ACTORS.items() for x in ACTIONS}
    assert outcomes == {"ok", "403", "404", "login", "shown", "hidden"}


@pytest.mark.parametrize("actor_name", ["contract_manager", "supervisor", "editor_own_org"])
def test_the_agencys_pages_are_refused_to_everyone_else(client, world, actor_name):
    user = make_actor(ACTORS[actor_name][0])
    client.force_login(user)
    for name in ("locks", "audit_log"):
        response = client.get(reverse(f"backoffice:{name}"))
        assert response.status_code == 403
        # A real page in the admin's layout that says why, not Wagtail's silent redirect.
        page = response.content.decode()
        assert "Ingen adgang" in page and "Siden er kun for Sundhedsdatastyrelsen." in page


def test_the_agency_may_use_its_pages(client, world):
    client.force_login(make_actor(ACTORS["agency"][0]))
    for name in ("locks", "audit_log"):
        assert client.get(reverse(f"backoffice:{name}")).status_code == 200


def test_a_restore_of_another_units_version_is_not_found(client, world):
    user = make_actor(ACTORS["editor_own_org"][0])
    _, foreign = two_versions(world["lindehus"])
    hold_lock(world["solgaarden"], user)
    client.force_login(user)
    before = snapshot(world["solgaarden"])
    response = client.post(reverse("backoffice:restore", args=[world["solgaarden"].pk, foreign.pk]))
    assert response.status_code == 404
    assert snapshot(world["solgaarden"]) == before
    html = client.get(
        reverse("backoffice:history", args=[world["solgaarden"].pk]), {"a": foreign.pk}
    )
    assert html.status_code == 404

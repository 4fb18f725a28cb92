"""The back office's start page (/admin/) by role, and Wagtail's chrome made ours: no page search
that leads to "no access", no links or requests to wagtail.org or Gravatar, our name and icon."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from plov.accounts.scope import Scope, editable_units
from plov.supervision.models import SupervisionFeedback
from plov.units.models import Organisation, Unit, UnitContent, UnitKind
from tests import country as c
from tests.test_backoffice_editing import make_user

SILKEBORG_CVR = "29189919"  # hosts Ældretilsynet Silkeborg, which covers Aarhus (751)
AGENCY_CVR = "33257872"


@pytest.fixture
def world(imported):
    Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Silkeborg Kommune",
        cvr_number=SILKEBORG_CVR,
        municipality_id=740,
    )
    return imported


def start_page(client, **spec) -> tuple[object, str]:
    user = make_user("bruger", first="Anne", last="Jensen", **spec)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return user, response.content.decode()


def panel(page: str, panel_id: str) -> str:
    match = re.search(rf'id="{panel_id}.*?</section>', page, flags=re.S)
    assert match, f"no panel {panel_id}"
    return match.group(0)


def figure(text: str, label: str) -> int:
    return int(re.search(rf"<strong>([\d.]+)</strong> {label}", text).group(1).replace(".", ""))


def test_an_editor_starts_at_their_units(client, world):
    user, page = start_page(client, roles=["editor"], cvr=c.AARHUS_CVR)
    block = panel(page, "plov-start-editor")
    units = editable_units(user).filter(closed_on__isnull=True)
    assert figure(block, "enheder, du redigerer") == units.count() > 0
    hidden = units.filter(published=False).exclude(kind=UnitKind.HOME_CARE_PROVIDER).count()
    assert figure(block, "vises ikke for borgerne endnu") == hidden
    assert f'href="{reverse("backoffice:dashboard")}"' in block
    # A lock the editor holds is counted.
    unit = units.exclude(kind=UnitKind.HOME_CARE_PROVIDER).first()
    UnitContent.objects.update_or_create(unit=unit, defaults={"locked": True, "locked_by": user})
    assert (
        figure(panel(client.get("/admin/").content.decode(), "plov-start-editor"), "er låst af dig")
        == 1
    )
    for other in ("plov-start-supervisor", "plov-start-agency"):
        assert f'id="{other}' not in page


def test_a_supervisor_starts_at_their_authoritys_units(client, world):
    user, page = start_page(client, roles=["supervisor"], cvr=SILKEBORG_CVR)
    block = panel(page, "plov-start-supervisor")
    assert "Tilsyn – Ældretilsynet Silkeborg" in block
    covered = Scope.for_user(user).supervised_municipalities
    assert 751 in covered  # Aarhus
    in_area = Unit.objects.open().filter(
        kind__in=[UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE], municipality_id__in=covered
    )
    assert figure(block, "enheder under tilsyn") == in_area.count() > 0
    assert figure(block, "uden registreret tilsyn") == in_area.count()
    assert f'href="{reverse("plov_supervision:index")}"' in block
    assert 'id="plov-start-editor' not in page


def test_the_agency_starts_with_its_tools(client, world):
    _, page = start_page(client, roles=["agency"], cvr=AGENCY_CVR)
    block = panel(page, "plov-start-agency")
    for name in (
        "plov_data_quality:index",
        "backoffice:locks",
        "backoffice:audit_log",
        "tilsynsdaekning:index",
        "plov_supervision:index",
    ):
        assert f'href="{reverse(name)}"' in block


def test_a_contract_manager_keeps_the_agreements_panel_only(client, world):
    _, page = start_page(client, roles=["contract_manager"], cvr=c.AARHUS_CVR)
    assert 'id="plov-agreements-attention' in page
    assert set(re.findall(r'id="(plov-start-[a-z]+)', page)) == {"plov-start-guide"}


@pytest.mark.parametrize("roles,cvr", [(["editor"], c.AARHUS_CVR), (["agency"], AGENCY_CVR)])
def test_wagtails_chrome_is_ours_and_calls_no_one(client, world, roles, cvr):
    _, page = start_page(client, roles=roles, cvr=cvr)
    assert "Søg i alle sider" not in page  # the page search led to "no access"
    assert "<title>" in page and re.search(r"<title>[^<]*Plejeoverblikket</title>", page)
    for outside in ("gravatar.com", "wagtail.org", "guide.wagtail", "whats-new-in-wagtail"):
        assert outside not in page, outside
    account = client.get("/admin/account/").content.decode()
    assert "Europe/Copenhagen" not in account and "localtime" not in account  # no zone choice


def test_a_feedback_counts_as_supervised(client, world):
    from plov.supervision.models import SupervisingAuthority, SupervisionStatus

    unit = Unit.objects.get(sor_id=c.SOLGAARDEN)
    SupervisionFeedback.objects.create(
        unit=unit,
        authority=SupervisingAuthority.objects.get(name="Ældretilsynet Silkeborg"),
        inspected_on="2026-01-05",
        status=SupervisionStatus.NO_REMARKS,
    )
    _, page = start_page(client, roles=["supervisor"], cvr=SILKEBORG_CVR)
    block = panel(page, "plov-start-supervisor")
    assert figure(block, "uden registreret tilsyn") == figure(block, "enheder under tilsyn") - 1


def test_the_site_has_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response["Location"]).status_code == 200
    assert 'rel="icon"' in client.get("/").content.decode()


def test_wagtails_default_page_carries_the_sites_name(db):
    from wagtail.models import Page

    titles = set(Page.objects.filter(depth=2).values_list("title", flat=True))
    assert titles == {"Plejeoverblikket"}


# --- the guide (issue 18, point 14) and counts that link to their lists (point 18) ----------


@pytest.mark.parametrize(
    "roles,cvr",
    [
        (["editor"], c.AARHUS_CVR),
        (["contract_manager"], c.AARHUS_CVR),
        (["supervisor"], SILKEBORG_CVR),
        (["agency"], AGENCY_CVR),
    ],
)
def test_every_role_finds_the_guide_on_the_start_page_and_in_help(client, world, roles, cvr):
    _, page = start_page(client, roles=roles, cvr=cvr)
    guide = reverse("plov_guide")
    assert guide == "/admin/vejledning/"
    assert f'href="{guide}"' in panel(page, "plov-start-guide")
    # Wagtail's sidebar is built from JSON: the help menu's items are in it, ours first.
    sidebar = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S).group(1)
    help_menu = sidebar[sidebar.index('"help"') :]
    assert help_menu.index('"Vejledning"') < help_menu.index('"Genveje"')
    assert guide in help_menu
    response = client.get(guide)
    assert response.status_code == 200
    text = response.content.decode()
    for essential in (
        "Lås og rediger",
        "Gem ofte",
        "Tjek ind",
        "Serviceleverancer",
        "enhedstypen <em>plejeenhed</em>",
        "helhedsplejeleverandørsted",
        "servicedesk@sundhedsdata.dk",
        "driftsinfosund.dk",
    ):
        assert essential in text, essential


def test_the_guide_is_for_logged_in_users_only(client, db):
    response = client.get("/admin/vejledning/")
    assert response.status_code == 302 and "login" in response["Location"]


def _links(block: str) -> dict[str, str]:
    """label → href of the start panel's linked counts."""
    return {
        label.strip(): href
        for href, label in re.findall(
            r'<a href="([^"]+)"><strong>[\d.]+</strong> ([^<]+)</a>', block
        )
    }


def test_an_editors_counts_open_the_lists_they_count(client, world):
    user, page = start_page(client, roles=["editor"], cvr=c.AARHUS_CVR)
    block = panel(page, "plov-start-editor")
    links = _links(block)
    assert set(links) == {
        "enheder, du redigerer",
        "vises ikke for borgerne endnu",
        "er låst af dig",
    }
    unit = (
        editable_units(user)
        .filter(published=False)
        .exclude(kind=UnitKind.HOME_CARE_PROVIDER)
        .first()
    )
    UnitContent.objects.update_or_create(unit=unit, defaults={"locked": True, "locked_by": user})
    for label, href in links.items():
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        shown = int(re.search(r'id="units-count">(\d+) enhed', listed).group(1))
        expected = figure(panel(client.get("/admin/").content.decode(), "plov-start-editor"), label)
        assert shown == expected, label
    hidden = client.get(links["vises ikke for borgerne endnu"]).content.decode()
    assert "Vises ikke</span>" in hidden and "plov-status--ok" not in hidden
    assert f'data-unit="{unit.pk}"' in client.get(links["er låst af dig"]).content.decode()


def test_the_agency_and_supervisor_counts_link_to_their_lists(client, world):
    _, page = start_page(client, roles=["agency"], cvr=AGENCY_CVR)
    links = _links(panel(page, "plov-start-agency"))
    assert links["låste enheder"] == reverse("backoffice:locks")
    assert links["vises for borgerne"] == reverse("backoffice:dashboard") + "?vises=ja"
    assert links["sanktioner, der gælder nu"] == reverse("plov_supervision:index") + "?sanktion=ja"
    client.force_login(make_user("tilsyn", roles=["supervisor"], cvr=SILKEBORG_CVR))
    page = client.get("/admin/").content.decode()
    links = _links(panel(page, "plov-start-supervisor"))
    assert links["uden registreret tilsyn"] == reverse("plov_supervision:index") + "?seneste=uden"
    for href in links.values():
        assert client.get(href).status_code == 200

"""/api/v1/tilsyn/: Ældretilsynet's authoritative list for supervisors (and the agency).

Session login only: anonymous → 401, other roles → 403 (and nothing changes); a supervisor gets
the units under their own authority, the agency all of them; JSON, CSV, and a change list since
a date. The rows are the ones `plov.supervision.register` derives: the API adds no rules."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from plov.clock import today
from plov.opendata.exports import csv_safe, csv_text
from plov.supervision.models import AuthorityCoverage, SupervisingAuthority
from plov.supervision.register import supervised_units
from plov.units.models import Organisation, Unit, UnitKind
from tests import country as c
from tests.test_backoffice_editing import make_user

SILKEBORG_CVR = "29189919"  # hosts Ældretilsynet Silkeborg: covers Aarhus (751), Skanderborg
HJOERRING_CVR = "29189692"  # hosts Ældretilsynet Hjørring
AGENCY_CVR = "33257872"
BASE = "/api/v1/tilsyn"
ENDPOINTS = [
    f"{BASE}/enheder",
    f"{BASE}/enheder.csv",
    f"{BASE}/aendringer?siden={today().isoformat()}",
    f"{BASE}/aendringer.csv?siden={today().isoformat()}",
]
OPEN_SUPERVISED = {
    c.SOLGAARDEN,
    c.KAERBO,
    c.NESTED_PARENT,
    c.NESTED_CHILD,
    c.LINDEHUS,
    c.SITE_NORTH,
    c.SITE_SOUTH,
    c.SITE_PRIVATE,
}


@pytest.fixture
def world(imported):
    for name, cvr, code in (
        ("Silkeborg Kommune", SILKEBORG_CVR, 740),
        ("Hjørring Kommune", HJOERRING_CVR, 860),
    ):
        Organisation.objects.create(
            kind=Organisation.Kind.MUNICIPALITY, name=name, cvr_number=cvr, municipality_id=code
        )
    return imported


def user(kind: str):
    specs = {
        "silkeborg": dict(roles=["supervisor"], cvr=SILKEBORG_CVR),
        "hjoerring": dict(roles=["supervisor"], cvr=HJOERRING_CVR),
        "agency": dict(roles=["agency"], cvr=AGENCY_CVR),
        "editor": dict(roles=["editor"], cvr=c.AARHUS_CVR),
        "contract_manager": dict(roles=["contract_manager"], cvr=c.AARHUS_CVR),
        "supervisor_without_authority": dict(roles=["supervisor"], cvr=c.AARHUS_CVR),
        "no_roles": dict(roles=[], cvr=c.AARHUS_CVR),
    }
    return make_user(kind, **specs[kind])


def as_rows(response) -> list[list[str]]:
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def state() -> tuple:
    """What a refused request must leave as it was."""
    return (
        list(
            AuthorityCoverage.objects.values_list(
                "pk", "municipality", "authority", "valid_from", "valid_to"
            )
        ),
        list(Unit.objects.order_by("pk").values_list("pk", "name", "municipality", "closed_on")),
        ModelLogEntry.objects.exclude(action="plov.login").count(),
    )


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401_in_danish(client, world, url):
    before = state()
    response = client.get(url)
    assert response.status_code == 401
    assert "Log ind" in response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    "kind", ["editor", "contract_manager", "supervisor_without_authority", "no_roles"]
)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_other_roles_get_403(client, world, kind, url):
    client.force_login(user(kind))
    before = state()
    response = client.get(url)
    assert response.status_code == 403
    assert "kun for Ældretilsynets" in response.json()["detail"]
    assert state() == before


def test_a_supervisor_may_not_ask_for_another_authority(client, world):
    client.force_login(user("silkeborg"))
    before = state()
    for url in (f"{BASE}/enheder", f"{BASE}/enheder.csv"):
        response = client.get(url, {"myndighed": "Ældretilsynet Hjørring"})
        assert response.status_code == 403
        assert response.json()["detail"] == "Du fører ikke tilsyn for 'Ældretilsynet Hjørring'."
    assert state() == before


# --- the list ------------------------------------------------------------------------------


def test_a_supervisor_gets_the_units_under_their_authority(client, world):
    client.force_login(user("silkeborg"))
    response = client.get(f"{BASE}/enheder")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert body["authorities"] == ["Ældretilsynet Silkeborg"]
    # Aarhus and Skanderborg are Silkeborg's; Kærbo has no valid address, so no authority
    assert {i["sor_id"] for i in body["items"]} == OPEN_SUPERVISED - {c.KAERBO}
    assert body["total"] == len(body["items"])
    assert body["items"] == supervised_units(authorities={"Ældretilsynet Silkeborg"})
    site = next(i for i in body["items"] if i["sor_id"] == c.SITE_PRIVATE)
    assert site == {
        "sor_id": c.SITE_PRIVATE,
        "name": site["name"],
        "kind": "home_care_site",
        "owner": site["owner"],
        "owner_cvr": c.COMPANY_CVR,
        "p_number": site["p_number"],
        "visiting_address": "Adelgade 3, 1. tv, 8660 Skanderborg",
        "municipality": "746",
        "municipality_name": "Skanderborg",
        "supervising_authority": "Ældretilsynet Silkeborg",
        "published": False,
        "status": "aktiv",
        "registration_error": None,
    }

    client.force_login(user("hjoerring"))
    body = client.get(f"{BASE}/enheder").json()
    assert (body["authorities"], body["items"]) == (["Ældretilsynet Hjørring"], [])


def test_the_agency_gets_every_unit_and_may_filter_by_authority(client, world):
    client.force_login(user("agency"))
    body = client.get(f"{BASE}/enheder").json()
    assert body["authorities"] == []
    assert {i["sor_id"] for i in body["items"]} == OPEN_SUPERVISED
    kaerbo = next(i for i in body["items"] if i["sor_id"] == c.KAERBO)
    assert kaerbo["supervising_authority"] is None and kaerbo["municipality"] is None
    assert kaerbo["registration_error"].startswith("Besøgsadressen er ikke en gyldig adresse")
    only = client.get(f"{BASE}/enheder", {"myndighed": "Ældretilsynet Silkeborg"}).json()
    assert {i["sor_id"] for i in only["items"]} == OPEN_SUPERVISED - {c.KAERBO}
    missing = client.get(f"{BASE}/enheder", {"myndighed": "Ældretilsynet Atlantis"})
    assert missing.status_code == 404


def test_the_list_follows_the_units_rules(client, world):
    """Every open care home and home-care site, published or not; never a closed unit, never
    the automatic home-care provider."""
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    Unit.objects.filter(pk=solgaarden.pk).update(published=True)
    Unit.objects.filter(sor_id=c.NESTED_CHILD).update(closed_on=today() - dt.timedelta(days=3))
    expected = set(
        Unit.objects.filter(
            kind__in=[UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE], closed_on__isnull=True
        ).values_list("sor_id", flat=True)
    )
    client.force_login(user("agency"))
    items = client.get(f"{BASE}/enheder").json()["items"]
    assert {i["sor_id"] for i in items} == expected == OPEN_SUPERVISED - {c.NESTED_CHILD}
    assert all(i["kind"] != "home_care_provider" for i in items)
    by_id = {i["sor_id"]: i for i in items}
    assert by_id[c.SOLGAARDEN]["published"] is True
    assert by_id[c.LINDEHUS]["published"] is False


def test_the_csv_is_the_same_list_for_danish_excel(client, world):
    client.force_login(user("silkeborg"))
    response = client.get(f"{BASE}/enheder.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tilsynsliste.csv"'
    assert response["Cache-Control"] == "private, no-store"
    rows = as_rows(response)
    assert rows[0] == [
        "SOR-ID",
        "Navn",
        "Type",
        "Ejer",
        "Ejers CVR",
        "P-nummer",
        "Besøgsadresse",
        "Beliggenhedskommune (kode)",
        "Beliggenhedskommune",
        "Tilsynsmyndighed",
        "Vises på plejeoverblikket",
        "Status",
        "Registreringsfejl",
    ]
    assert {r[0] for r in rows[1:]} == OPEN_SUPERVISED - {c.KAERBO}
    site = next(r for r in rows if r[0] == c.SITE_PRIVATE)
    assert site[2] == "Helhedsplejeleverandørsted"  # the type by its Danish name
    assert site[6:12] == [
        "Adelgade 3, 1. tv, 8660 Skanderborg",
        "746",
        "Skanderborg",
        "Ældretilsynet Silkeborg",
        "nej",
        "aktiv",
    ]


def test_csv_cells_cannot_be_spreadsheet_formulas(client, world):
    Unit.objects.filter(sor_id=c.SOLGAARDEN).update(name='=HYPERLINK("http://x","klik")')
    Unit.objects.filter(sor_id=c.LINDEHUS).update(name="@SUM(1+1)", published=True)
    client.force_login(user("agency"))
    names = {r[0]: r[1] for r in as_rows(client.get(f"{BASE}/enheder.csv"))}
    assert names[c.SOLGAARDEN] == '\'=HYPERLINK("http://x","klik")'
    assert names[c.LINDEHUS] == "'@SUM(1+1)"
    # the open CSV shares the writer
    client.logout()
    open_rows = as_rows(client.get("/data/enheder.csv"))
    assert [r[1] for r in open_rows if r[0] == c.LINDEHUS] == ["'@SUM(1+1)"]
    assert [csv_safe(v) for v in ("-1", "+45", "\tx", "Ærø", "")] == [
        "'-1",
        "'+45",
        "'\tx",
        "Ærø",
        "",
    ]
    assert csv_text(["=A"], [["b"]]) == "\ufeff'=A\r\nb\r\n"


# --- the change list -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["31-01-2026", "2026-02-30", "2026-W05-1", "i går", "20260131"])
def test_a_bad_date_is_400_in_danish(client, world, bad):
    client.force_login(user("silkeborg"))
    for url in (f"{BASE}/aendringer", f"{BASE}/aendringer.csv"):
        response = client.get(url, {"siden": bad})
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Ugyldig dato i siden=")
        assert "ÅÅÅÅ-MM-DD" in response.json()["detail"]


def test_changes_since_a_date_include_closures_and_edits(client, world, country, tmp_path):
    from plov.registers.sor import import_sor

    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    Unit.objects.update(
        register_updated_at=timezone.now() - dt.timedelta(days=30),
        created_at=timezone.now() - dt.timedelta(days=30),
    )
    client.force_login(user("silkeborg"))
    assert client.get(f"{BASE}/aendringer", {"siden": yesterday}).json()["items"] == []
    country.sor = [e for e in country.sor if e.sor_id != c.LINDEHUS]
    country.entity(c.SITE_NORTH).phone = "70101010"
    import_sor(country.write(tmp_path / "day2")[0])
    body = client.get(f"{BASE}/aendringer", {"siden": yesterday}).json()
    assert body["since"] == yesterday
    assert {i["sor_id"]: i["status"] for i in body["items"]} == {
        c.LINDEHUS: "lukket",
        c.SITE_NORTH: "aktiv",
    }
    assert all(i["previous_supervising_authority"] is None for i in body["items"])
    rows = as_rows(client.get(f"{BASE}/aendringer.csv", {"siden": yesterday}))
    assert rows[0][-1] == "Tidligere tilsynsmyndighed"
    assert {r[0]: r[11] for r in rows[1:]} == {c.LINDEHUS: "lukket", c.SITE_NORTH: "aktiv"}
    # Hjørring supervises none of them
    client.force_login(user("hjoerring"))
    assert client.get(f"{BASE}/aendringer", {"siden": yesterday}).json()["items"] == []


def test_a_move_in_the_coverage_table_is_a_change_for_both_authorities(client, world):
    from plov.supervision.authorities import coverage_moves, coverage_periods, log_moves

    Unit.objects.update(
        register_updated_at=timezone.now() - dt.timedelta(days=30),
        created_at=timezone.now() - dt.timedelta(days=30),
    )
    since = today().isoformat()
    before = coverage_periods({751})
    AuthorityCoverage.objects.filter(municipality_id=751).update(
        authority=SupervisingAuthority.objects.get(name="Ældretilsynet Hjørring")
    )
    log_moves(coverage_moves(before, coverage_periods({751})))  # as the back office does
    aarhus = {c.SOLGAARDEN, c.NESTED_PARENT, c.NESTED_CHILD, c.LINDEHUS, c.SITE_NORTH, c.SITE_SOUTH}

    client.force_login(user("hjoerring"))
    assert {i["sor_id"] for i in client.get(f"{BASE}/enheder").json()["items"]} == aarhus
    changes = client.get(f"{BASE}/aendringer", {"siden": since}).json()["items"]
    assert {i["sor_id"] for i in changes} == aarhus
    assert {(i["supervising_authority"], i["previous_supervising_authority"]) for i in changes} == {
        ("Ældretilsynet Hjørring", "Ældretilsynet Silkeborg")
    }

    client.force_login(user("silkeborg"))
    assert {i["sor_id"] for i in client.get(f"{BASE}/enheder").json()["items"]} == {c.SITE_PRIVATE}
    # the units that left Silkeborg are in Silkeborg's change list, with their new authority
    changes = client.get(f"{BASE}/aendringer", {"siden": since}).json()["items"]
    assert {i["sor_id"] for i in changes} == aarhus


# --- the OpenAPI document ------------------------------------------------------------------


def test_the_endpoints_are_in_the_openapi_document_with_session_auth(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/tilsyn/enheder",
        "/api/v1/tilsyn/enheder.csv",
        "/api/v1/tilsyn/aendringer",
        "/api/v1/tilsyn/aendringer.csv",
    ):
        operation = doc["paths"][path]["get"]
        assert operation["security"] == [{"SupervisorSession": []}]
        assert {"401", "403"} <= set(operation["responses"])
    assert (
        "text/csv"
        in doc["paths"]["/api/v1/tilsyn/enheder.csv"]["get"]["responses"]["200"]["content"]
    )
    assert doc["components"]["securitySchemes"]["SupervisorSession"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
    }

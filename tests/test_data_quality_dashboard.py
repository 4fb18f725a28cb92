"""The agency's data-quality dashboard (/admin/datakvalitet/) and its CSV, on the small test
country: Aarhus (751) owns the municipal units; Omsorgshuset ApS (CVR 12345678) owns Lindehuset
in Aarhus and a home-care site in Skanderborg (746). The agency sees every municipality; a
municipality's editors and contract manager see their own municipality only; a private company's
editor sees nothing. Counts always equal the lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.publishing.data_quality import KINDS, counts, detailed_findings, findings
from plov.publishing.refresh import refresh_publication
from plov.units.models import Organisation, Unit, UnitContent
from tests import country as c
from tests.test_backoffice_editing import make_user

SKANDERBORG, AARHUS = 746, 751
SKANDERBORG_CVR = "29189633"
AGENCY_CVR = "33257872"

INDEX = reverse("plov_data_quality:index")
CSV_URL = reverse("plov_data_quality:csv")


def page(code: int) -> str:
    return reverse("plov_data_quality:municipality", args=[code])


ACTORS = {
    "agency": dict(roles=["agency"], cvr=AGENCY_CVR),
    "editor_aarhus": dict(roles=["editor"], cvr=c.AARHUS_CVR),
    "contract_aarhus": dict(roles=["contract_manager"], cvr=c.AARHUS_CVR),
    "editor_skanderborg": dict(roles=["editor"], cvr=SKANDERBORG_CVR),
    "editor_company": dict(roles=["editor"], cvr=c.COMPANY_CVR),
    "supervisor": dict(roles=["supervisor"], cvr=c.AARHUS_CVR),
}


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def snapshot() -> tuple:
    return (
        sorted(Unit.objects.values_list("pk", "published", "closed_on", "register_updated_at")),
        sorted(UnitContent.objects.values_list("unit_id", "p_number", "updated_at")),
        ServiceAgreement.objects.count(),
    )


@pytest.fixture
def world(imported):
    Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Skanderborg Kommune",
        cvr_number=SKANDERBORG_CVR,
        municipality_id=SKANDERBORG,
    )
    # Solgården complete and published, but not touched for 400 days (stale); Lindehus with a
    # P-number whose industry code is wrong.
    solgaarden = unit(c.SOLGAARDEN)
    UnitContent.objects.create(unit=solgaarden, p_number=c.P_SOLGAARDEN)
    ServiceAgreement.objects.create(
        municipality_id=AARHUS,
        unit=solgaarden,
        reference="AAR-1",
        type=AgreementType.OWN_PRODUCTION,
        start=dt.date(2024, 1, 1),
    )
    UnitContent.objects.create(unit=unit(c.LINDEHUS), p_number=c.P_WRONG_CODE)
    refresh_publication()
    old = timezone.now() - dt.timedelta(days=400)
    Unit.objects.filter(pk=solgaarden.pk).update(register_updated_at=old)
    UnitContent.objects.filter(unit=solgaarden).update(updated_at=old)
    return {name: make_user(name, **spec) for name, spec in ACTORS.items()}


@pytest.fixture
def as_user(world):
    def login(name):
        client = Client()
        client.force_login(world[name])
        return client

    return login


def html(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed(soup: BeautifulSoup) -> Counter:
    """(sor_id-less) unit id, kind → number of list rows on a page."""
    return Counter(row["data-kind"] for row in soup.select("tr[data-unit]"))


def table_counts(soup: BeautifulSoup) -> dict[str, dict[str, int]]:
    """The national table: municipality code → kind → number (with "total")."""
    table = {}
    for row in soup.select("#data-quality-table tbody tr"):
        table[row["data-municipality"]] = {
            cell["data-kind"]: int(cell.get_text(strip=True)) for cell in row.select("td")
        }
    return table


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# --- what is found -----------------------------------------------------------------------------


def test_the_fixture_has_findings_of_the_kinds_the_tests_rely_on(world):
    kinds = {(r["sor_id"], r["kind"]) for r in findings()}
    assert (c.SOLGAARDEN, "stale") in kinds
    assert (c.LINDEHUS, "p_number_code") in kinds
    assert (c.KAERBO, "invalid_address") in kinds
    assert (c.NESTED_PARENT, "nested_care_home") in kinds
    assert (c.SITE_PRIVATE, "no_agreement") in kinds
    assert unit(c.SOLGAARDEN).published


def test_detailed_findings_add_owner_and_municipality_without_changing_the_findings(world):
    rows = findings()
    detailed = detailed_findings(rows)
    assert len(detailed) == len(rows)
    assert sorted((r["unit_id"], r["kind"], r["detail"]) for r in rows) == sorted(
        (r["unit_id"], r["kind"], r["detail"]) for r in detailed
    )
    lindehus = next(r for r in detailed if r["sor_id"] == c.LINDEHUS)
    assert lindehus["owner_name"] == "Omsorgshuset ApS"
    assert lindehus["owner_cvr"] == c.COMPANY_CVR
    assert lindehus["municipality_name"] == "Aarhus"
    assert lindehus["published"] is False


def test_the_cli_still_prints_counts_and_findings(world):
    out = io.StringIO()
    call_command("data_quality", "--list", "--json", "--kommune", str(AARHUS), stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == {"national", "municipalities", "findings"}
    assert set(result["findings"][0]) == {
        "sor_id",
        "unit_id",
        "name",
        "kind",
        "label",
        "detail",
        "municipality",
    }
    assert sum(result["national"].values()) == len(result["findings"])


# --- the agency --------------------------------------------------------------------------------


def test_the_agencys_national_table_equals_the_municipal_lists(as_user):
    client = as_user("agency")
    soup = html(client.get(INDEX))
    table = table_counts(soup)
    summary = counts(findings())
    assert set(table) == {str(AARHUS), str(SKANDERBORG)}
    for code, per_kind in summary["municipalities"].items():
        assert {k: v for k, v in table[str(code)].items() if k != "total"} == per_kind
        assert table[str(code)]["total"] == sum(per_kind.values())
        # the municipality's page lists exactly as many units per kind as the table counts
        municipal = html(client.get(page(code)))
        assert dict(listed(municipal)) == {k: n for k, n in per_kind.items() if n}
        for row in municipal.select("#data-quality-summary tbody tr"):
            assert int(row.select_one("td").get_text(strip=True)) == per_kind[row["data-kind"]]
    footer = [
        int(td.get_text(strip=True))
        for td in soup.select('#data-quality-table tfoot tr[data-municipality="national"] td')
    ]
    assert footer == [summary["national"][k] for k in KINDS] + [len(findings())]
    assert "Datakvalitet – hele landet" in soup.get_text()


def test_the_agency_lists_one_kind_nationally(as_user):
    client = as_user("agency")
    soup = html(client.get(INDEX, {"type": "no_agreement"}))
    rows = soup.select("tr[data-unit]")
    expected = [r for r in findings() if r["kind"] == "no_agreement"]
    assert len(rows) == len(expected) > 0
    assert {r["data-kind"] for r in rows} == {"no_agreement"}
    assert f"{KINDS['no_agreement']} ({len(expected)})" in soup.get_text()
    # an unknown kind lists nothing and does not fail
    assert not html(client.get(INDEX, {"type": "nonsense"})).select("tr[data-unit]")


def test_each_finding_links_to_the_unit_editor_and_the_public_page_when_published(as_user):
    soup = html(as_user("agency").get(page(AARHUS)))
    solgaarden = unit(c.SOLGAARDEN)
    row = soup.select_one(f'tr[data-unit="{solgaarden.pk}"][data-kind="stale"]')
    links = {a["href"] for a in row.select("a")}
    assert reverse("backoffice:edit", args=[solgaarden.pk]) in links
    assert f"/enhed/{solgaarden.pk}/" in " ".join(links)  # the public page
    kaerbo = unit(c.KAERBO)  # not published: no public link
    row = soup.select_one(f'tr[data-unit="{kaerbo.pk}"][data-kind="invalid_address"]')
    assert {a["href"] for a in row.select("a")} == {reverse("backoffice:edit", args=[kaerbo.pk])}
    assert "Besøgsadressen findes ikke i DAR" in soup.get_text()


def test_the_filter_by_kind_shows_one_section(as_user):
    soup = html(as_user("agency").get(page(AARHUS), {"type": "p_number_code"}))
    assert set(listed(soup)) == {"p_number_code"}
    assert [s["id"] for s in soup.select("section[id^=fund-]")] == ["fund-p_number_code"]
    # the summary still counts every kind
    assert len(soup.select("#data-quality-summary tbody tr")) == len(KINDS)


def test_units_without_a_municipality_are_the_agencys(as_user):
    Unit.objects.filter(sor_id=c.LINDEHUS).update(municipality=None, dar_address=None)
    Organisation.objects.filter(cvr_number=c.COMPANY_CVR).update(municipality=None)
    client = as_user("agency")
    table = table_counts(html(client.get(INDEX)))
    assert table["0"]["total"] == sum(1 for r in findings() if r["municipality"] is None) > 0
    soup = html(client.get(page(0)))
    assert {r["data-unit"] for r in soup.select("tr[data-unit]")} == {str(unit(c.LINDEHUS).pk)}
    assert as_user("editor_aarhus").get(page(0)).status_code == 403


def test_an_unknown_municipality_is_404(as_user):
    assert as_user("agency").get(page(999)).status_code == 404
    assert as_user("agency").get(CSV_URL, {"kommune": "999"}).status_code == 404
    assert as_user("agency").get(CSV_URL, {"kommune": "abc"}).status_code == 404


# --- municipalities ----------------------------------------------------------------------------


def test_a_municipal_editor_sees_their_own_municipality_only(as_user):
    before = snapshot()
    client = as_user("editor_aarhus")
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"] == page(AARHUS)
    soup = html(client.get(page(AARHUS)))
    per_kind = counts(findings())["municipalities"][AARHUS]
    assert dict(listed(soup)) == {k: n for k, n in per_kind.items() if n}
    # the municipality's own units link to the editor; the private Lindehus in Aarhus is listed
    # (the municipality follows up on it) but not linked to an editor the user cannot open
    solgaarden, lindehus = unit(c.SOLGAARDEN), unit(c.LINDEHUS)
    own = soup.select_one(f'tr[data-unit="{solgaarden.pk}"]')
    assert own.select_one(f'a[href="{reverse("backoffice:edit", args=[solgaarden.pk])}"]')
    private = soup.select_one(f'tr[data-unit="{lindehus.pk}"]')
    assert private is not None
    assert not private.select(f'a[href="{reverse("backoffice:edit", args=[lindehus.pk])}"]')
    # no national table, no other municipality
    assert not soup.select("#data-quality-table")
    assert client.get(page(SKANDERBORG)).status_code == 403
    assert client.get(CSV_URL, {"kommune": SKANDERBORG}).status_code == 403
    assert snapshot() == before


def test_a_contract_manager_sees_their_municipality_and_may_open_every_unit(as_user):
    client = as_user("contract_aarhus")
    assert client.get(INDEX)["Location"] == page(AARHUS)
    soup = html(client.get(page(AARHUS)))
    lindehus = unit(c.LINDEHUS)
    row = soup.select_one(f'tr[data-unit="{lindehus.pk}"]')
    assert row.select_one(f'a[href="{reverse("backoffice:edit", args=[lindehus.pk])}"]')
    assert client.get(page(SKANDERBORG)).status_code == 403


def test_another_municipalitys_editor_sees_only_theirs(as_user):
    client = as_user("editor_skanderborg")
    soup = html(client.get(page(SKANDERBORG)))
    assert {r["data-unit"] for r in soup.select("tr[data-unit]")} == {str(unit(c.SITE_PRIVATE).pk)}
    assert client.get(page(AARHUS)).status_code == 403


@pytest.mark.parametrize("name", ["editor_company", "supervisor"])
def test_private_companies_editors_and_others_get_403(as_user, name):
    before = snapshot()
    client = as_user(name)
    for url in (INDEX, page(AARHUS), page(SKANDERBORG), page(0), CSV_URL):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Omsorgshuset" not in response.content.decode()
    assert client.get(CSV_URL, {"kommune": AARHUS}).status_code == 403
    assert snapshot() == before


def test_the_menu_item_follows_the_roles(as_user):
    shown = {
        name: f'"{INDEX}"' in as_user(name).get(reverse("wagtailadmin_home")).content.decode()
        for name in ACTORS
    }
    assert shown == {
        "agency": True,
        "editor_aarhus": True,
        "contract_aarhus": True,
        "editor_skanderborg": True,
        "editor_company": False,
        "supervisor": False,
    }


# --- CSV ---------------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_finding(as_user):
    response = as_user("agency").get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [
        "Kommunekode",
        "Kommune",
        "Fundkode",
        "Fund",
        "SOR-ID",
        "Enhed",
        "Enhedstype",
        "Ejer",
        "Ejers CVR",
        "Detaljer",
        "Link til enheden",
        "Offentlig side",
    ]
    assert len(rows) == len(findings())
    assert Counter(r[2] for r in rows) == Counter(r["kind"] for r in findings())
    lindehus = unit(c.LINDEHUS)
    row = next(r for r in rows if r[4] == c.LINDEHUS and r[2] == "p_number_code")
    assert row[:9] == [
        "751",
        "Aarhus",
        "p_number_code",
        KINDS["p_number_code"],
        c.LINDEHUS,
        "Lindehuset",
        "Plejeenhed",
        "Omsorgshuset ApS",
        c.COMPANY_CVR,
    ]
    assert row[9].startswith("PNummeret har den forkerte branchekode")
    assert row[10] == "http://testserver" + reverse("backoffice:edit", args=[lindehus.pk])
    assert row[11] == ""  # not published
    solgaarden = next(r for r in rows if r[4] == c.SOLGAARDEN and r[2] == "stale")
    assert solgaarden[11].startswith(f"http://testserver/enhed/{unit(c.SOLGAARDEN).pk}/")


def test_the_csv_of_one_municipality(as_user):
    header, *rows = csv_rows(as_user("agency").get(CSV_URL, {"kommune": SKANDERBORG}))
    assert {r[0] for r in rows} == {"746"}
    assert len(rows) == sum(counts(findings())["municipalities"][SKANDERBORG].values())
    # a municipal user gets their own municipality, asked for or not
    for params in ({}, {"kommune": AARHUS}):
        header, *rows = csv_rows(as_user("editor_aarhus").get(CSV_URL, params))
        assert {r[0] for r in rows} == {"751"}
        assert len(rows) == sum(counts(findings())["municipalities"][AARHUS].values())


# --- speed -------------------------------------------------------------------------------------


def test_no_query_per_unit(as_user):
    """The pages' query counts do not grow with the number of units and findings."""
    client = as_user("agency")
    urls = (INDEX, INDEX + "?type=no_p_number", page(AARHUS), CSV_URL)

    def queries() -> list[int]:
        numbers = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            numbers.append(len(captured.captured_queries))
        return numbers

    client.get(INDEX)  # warm up (session, content types)
    before = queries()
    template = unit(c.LINDEHUS)
    for i in range(5):
        template.pk = None
        template.sor_id = f"2999999999{i:02d}"
        template.name = f"Ekstra enhed {i} {'x' * i}-{i * 7}"
        template.save()
    assert len(findings()) > 0
    assert queries() == before
    assert max(before) < 40

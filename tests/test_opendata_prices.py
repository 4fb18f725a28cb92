"""Monthly cost, vacancies and home care's prices in open data: `/api/v1/units/{id}` objects
with `source` and `as_of`, the CSV's matching columns, the OpenAPI document and the data
dictionary, and `updated_since` after an editor's change."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from plov.clock import today
from plov.units.models import UnitContent
from tests import country as c
from tests.test_opendata import get_all, shown, unit  # noqa: F401  (fixture)


@pytest.fixture
def priced(shown):  # noqa: F811  (the fixture imported above)
    UnitContent.objects.filter(unit=unit(c.SOLGAARDEN)).update(
        rent_monthly=7_850,
        service_monthly=650,
        meals_monthly=3_900,
        other_monthly=0,
        cost_valid_from=dt.date(2026, 1, 1),
        cost_reported_on=today() - dt.timedelta(days=3),
        free_homes=2,
        waiting_weeks=6,
        vacancies_reported_on=today() - dt.timedelta(days=5),
    )
    UnitContent.objects.filter(unit=unit(c.LINDEHUS)).update(
        rent_monthly=9_100,
        cost_reported_on=today() - dt.timedelta(days=40),
        waiting_weeks=20,
        vacancies_reported_on=today() - dt.timedelta(days=45),
    )
    UnitContent.objects.filter(unit=unit(c.SITE_NORTH)).update(
        extra_services="Ekstra rengøring: 350 kr. pr. time"
    )
    return shown


def test_a_unit_has_its_monthly_cost_and_vacancies_with_source_and_date(priced, client):
    body = client.get(f"/api/v1/units/{unit(c.SOLGAARDEN).pk}").json()
    reported = (today() - dt.timedelta(days=3)).isoformat()
    assert body["monthly_cost"] == {
        "rent": 7_850,
        "service": 650,
        "meals": 3_900,
        "other": 0,
        "total": 12_400,
        "currency": "DKK",
        "valid_from": "2026-01-01",
        "source": "unit",
        "reported_at": reported,
        "as_of": reported,
    }
    as_of = (today() - dt.timedelta(days=5)).isoformat()
    assert body["vacancies"] == {
        "free_homes": 2,
        "waiting_weeks": 6,
        "reported_at": as_of,
        "outdated": False,
        "source": "unit",
        "as_of": as_of,
    }
    assert body["home_care_prices"] is None


def test_missing_amounts_are_null_and_an_old_report_is_outdated(priced, client):
    body = client.get(f"/api/v1/units/{unit(c.LINDEHUS).pk}").json()
    cost = body["monthly_cost"]
    assert cost["rent"] == 9_100 and cost["service"] is None and cost["total"] is None
    assert body["vacancies"]["outdated"] is True
    assert body["vacancies"]["free_homes"] is None and body["vacancies"]["waiting_weeks"] == 20


def test_home_care_has_prices_and_no_monthly_cost_and_nothing_given_is_null(priced, client):
    north = client.get(f"/api/v1/units/{unit(c.SITE_NORTH).pk}").json()
    assert north["monthly_cost"] is None and north["vacancies"] is None
    assert north["home_care_prices"]["extra_services"] == "Ekstra rengøring: 350 kr. pr. time"
    assert north["home_care_prices"]["source"] == "unit"
    south = client.get(f"/api/v1/units/{unit(c.SITE_SOUTH).pk}").json()
    assert south["home_care_prices"] is None


def test_the_list_carries_the_same_objects(priced, client):
    by_sor = {u["sor_id"]: u for u in get_all(client, "/api/v1/units")}
    assert by_sor[c.SOLGAARDEN]["monthly_cost"]["total"] == 12_400
    assert by_sor[c.LINDEHUS]["vacancies"]["outdated"] is True


def test_the_csv_has_matching_columns_empty_where_not_given(priced, client):
    response = client.get("/data/enheder.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {r["SOR-ID"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    sol = rows[c.SOLGAARDEN]
    assert sol["Husleje pr. måned"] == "7850" and sol["Andre faste udgifter pr. måned"] == "0"
    assert sol["Pris pr. måned i alt"] == "12400"
    assert sol["Priser gælder fra"] == "2026-01-01" and sol["Priser kilde"] == "unit"
    assert sol["Priser oplyst"] == (today() - dt.timedelta(days=3)).isoformat()
    assert sol["Ledige boliger"] == "2" and sol["Ventetid i uger"] == "6"
    assert sol["Ledige boliger forældet"] == "nej" and sol["Ledige boliger kilde"] == "unit"
    linde = rows[c.LINDEHUS]
    assert linde["Servicepakke pr. måned"] == "" and linde["Pris pr. måned i alt"] == ""
    assert linde["Ledige boliger forældet"] == "ja"
    assert rows[c.SITE_NORTH]["Husleje pr. måned"] == ""


def test_openapi_describes_the_new_objects_from_the_dictionary(db, client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in ("MonthlyCostOut", "VacanciesOut", "HomeCarePricesOut"):
        assert name in schemas, name
        for field, spec in schemas[name]["properties"].items():
            assert "English:" in spec.get("description", ""), (name, field)
    assert (
        "before housing benefit" in schemas["MonthlyCostOut"]["properties"]["rent"]["description"]
    )
    unit_props = schemas["UnitOut"]["properties"]
    assert {"monthly_cost", "vacancies", "home_care_prices"} <= set(unit_props)


def test_updated_since_sees_an_editors_change_of_prices(priced, client):
    long_ago = timezone.now() - dt.timedelta(days=10)
    from plov.units.models import Unit

    Unit.objects.update(register_updated_at=long_ago)
    UnitContent.objects.update(updated_at=long_ago)
    since = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    assert get_all(client, "/api/v1/units", updated_since=since) == []
    content = UnitContent.objects.get(unit=unit(c.SOLGAARDEN))
    content.free_homes = 0  # what the editor's save does: updated_at moves
    content.save()
    listed = get_all(client, "/api/v1/units", updated_since=since)
    assert [u["sor_id"] for u in listed] == [c.SOLGAARDEN]
    assert listed[0]["vacancies"]["free_homes"] == 0


def test_quality_figures_carry_as_of_beside_their_source(priced, client):
    from plov.supervision.models import QualityResult

    solgaarden = unit(c.SOLGAARDEN)
    QualityResult.objects.create(
        unit=solgaarden,
        kind="indicator",
        code="FALD",
        name="Faldulykker",
        period="2025",
        value=12,
        national_average=14,
        source="Sundhedsdatastyrelsen",
        published_on=dt.date(2026, 3, 1),
    )
    QualityResult.objects.create(
        unit=solgaarden,
        kind="satisfaction",
        code="TILF",
        name="Tilfredshed",
        period="2025",
        value=80,
        national_average=78,
        source="Sundhedsdatastyrelsen",
    )
    quality = client.get(f"/api/v1/units/{solgaarden.pk}").json()["quality"]
    by_code = {q["code"]: q for q in quality}
    assert by_code["FALD"]["source"] == "Sundhedsdatastyrelsen"
    assert by_code["FALD"]["as_of"] == "2026-03-01"
    assert by_code["TILF"]["as_of"] == "2025"

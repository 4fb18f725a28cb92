"""The agency's data-quality overview gains "Pris ikke oplyst" and "Ledige boliger ikke
opdateret i 30 dage" for care homes (never for home care), shown on the dashboard."""

from __future__ import annotations

import datetime as dt

from plov.clock import today
from plov.publishing.data_quality import KINDS, findings, price_and_vacancy_findings
from plov.units.models import UnitContent
from tests import country as c
from tests.test_data_quality_dashboard import (  # noqa: F401  (fixtures)
    AARHUS,
    as_user,
    html,
    page,
    unit,
    world,
)


def kinds_of(sor_id: str) -> dict[str, str]:
    return {r["kind"]: r["detail"] for r in findings() if r["sor_id"] == sor_id}


def test_the_two_new_kinds_are_named_in_danish():
    assert KINDS["no_price"] == "Pris ikke oplyst"
    assert KINDS["stale_vacancies"] == "Ledige boliger ikke opdateret i 30 dage"


def test_a_care_home_without_prices_or_vacancies_is_listed(world):  # noqa: F811
    found = kinds_of(c.SOLGAARDEN)
    assert found["no_price"] == "ingen beløb oplyst"
    assert found["stale_vacancies"] == "aldrig oplyst"
    # home care has no monthly cost and no vacancies
    assert not {"no_price", "stale_vacancies"} & set(kinds_of(c.SITE_NORTH))


def test_a_partial_price_and_an_old_report_are_listed_a_complete_and_fresh_one_not(world):  # noqa: F811
    content = UnitContent.objects.get(unit=unit(c.SOLGAARDEN))
    UnitContent.objects.filter(pk=content.pk).update(
        rent_monthly=7000,
        meals_monthly=3500,
        free_homes=1,
        vacancies_reported_on=today() - dt.timedelta(days=31),
    )
    found = kinds_of(c.SOLGAARDEN)
    assert found["no_price"] == "mangler: servicepakke, andre faste udgifter"
    assert found["stale_vacancies"] == (
        f"senest oplyst {(today() - dt.timedelta(days=31)).isoformat()}"
    )
    UnitContent.objects.filter(pk=content.pk).update(
        service_monthly=600, other_monthly=0, vacancies_reported_on=today() - dt.timedelta(30)
    )
    assert not {"no_price", "stale_vacancies"} & set(kinds_of(c.SOLGAARDEN))


def test_the_rule_alone():
    fresh = UnitContent(
        rent_monthly=1,
        service_monthly=1,
        meals_monthly=1,
        other_monthly=1,
        waiting_weeks=3,
        vacancies_reported_on=dt.date(2026, 3, 1),
    )
    assert price_and_vacancy_findings(fresh, dt.date(2026, 3, 31)) == []
    assert price_and_vacancy_findings(fresh, dt.date(2026, 4, 1)) == [
        ("stale_vacancies", "senest oplyst 2026-03-01")
    ]
    assert [k for k, _ in price_and_vacancy_findings(None, dt.date(2026, 4, 1))] == [
        "no_price",
        "stale_vacancies",
    ]


def test_the_dashboard_shows_them_to_the_agency_and_the_municipality(as_user):  # noqa: F811
    for who in ("agency", "editor_aarhus"):
        soup = html(as_user(who).get(page(AARHUS)))
        text = soup.get_text()
        assert "Pris ikke oplyst" in text and "Ledige boliger ikke opdateret i 30 dage" in text
        solgaarden = unit(c.SOLGAARDEN)
        assert soup.select_one(f'tr[data-unit="{solgaarden.pk}"][data-kind="no_price"]')
        assert soup.select_one(f'tr[data-unit="{solgaarden.pk}"][data-kind="stale_vacancies"]')
    # a company's editor does not see Aarhus's list
    assert as_user("editor_company").get(page(AARHUS)).status_code == 403

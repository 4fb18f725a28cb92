"""What a relative reads about cost and room: the monthly cost with its total, date and the
housing-benefit note; "ikke oplyst", never 0; vacancies outdated after the set age; the
plejeboliggaranti; every figure's source and date in one small form; compare side by side;
the English site."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import formats, translation

from plov.clock import today
from plov.public.unitpage import unit_url
from plov.units.costs import CARE_HOME_GUARANTEE_LAW_URL, HOUSING_BENEFIT_URL
from plov.units.models import UnitContent
from tests import country as c
from tests.test_public_unit import shown, unit  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def long_date(day: dt.date, lang: str = "da") -> str:
    with translation.override(lang):
        return formats.date_format(day, "DATE_FORMAT")


@pytest.fixture
def priced(shown):  # noqa: F811  (the fixture imported above)
    """Solgården gives every amount and a current vacancy report; Lindehuset only its rent and
    a report older than the set age."""
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
        free_homes=0,
        waiting_weeks=20,
        vacancies_reported_on=today() - dt.timedelta(days=45),
    )
    UnitContent.objects.filter(unit=unit(c.SITE_NORTH)).update(
        free_services="Personlig pleje og praktisk hjælp efter visitation.",
        extra_services="Ekstra rengøring: 350 kr. pr. time\nIndkøb: 95 kr. pr. gang",
        updated_at=dt.datetime(2026, 2, 3, 12, tzinfo=dt.UTC),
    )


def page(client, sor_id: str, lang: str = "") -> str:
    u = unit(sor_id)
    with translation.override(lang or "da"):
        url = unit_url(u)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_monthly_cost_shows_each_amount_the_total_the_date_and_the_benefit_note(client, priced):
    html = page(client, c.SOLGAARDEN)
    assert 'data-cost="rent">7.850 kr.' in html
    assert 'data-cost="service">650 kr.' in html
    assert 'data-cost="meals">3.900 kr.' in html
    assert 'data-cost="other">0 kr.' in html  # an entered 0 is a figure
    assert 'data-cost="total"><strong>12.400 kr.</strong>' in html
    assert "Husleje (før boligydelse)" in html
    assert f"Priserne gælder fra {long_date(dt.date(2026, 1, 1))}." in html
    reported = today() - dt.timedelta(days=3)
    assert f'<span class="plov-source">Oplyst af enheden {long_date(reported)}</span>' in html
    assert "boligydelse, som gør huslejen mindre" in html
    assert f'href="{HOUSING_BENEFIT_URL}"' in html
    assert 'id="facts-total">12.400 kr.' in html


def test_a_missing_amount_says_ikke_oplyst_and_there_is_no_total(client, priced):
    html = page(client, c.LINDEHUS)
    assert 'data-cost="rent">9.100 kr.' in html
    assert 'data-cost="service">Ikke oplyst' in html
    assert 'data-cost="total"><strong>Ikke oplyst</strong>' in html
    assert ">0 kr." not in html
    assert "Prisen i alt kan ikke regnes ud" in html
    assert 'id="facts-total">Ikke oplyst' in html


def test_no_prices_at_all_says_so(client, shown):  # noqa: F811
    html = page(client, c.SOLGAARDEN)
    assert "Stedet har ikke oplyst, hvad det koster at bo her." in html
    assert 'data-cost="total"' not in html


def test_a_current_vacancy_report_and_the_guarantee(client, priced):
    html = page(client, c.SOLGAARDEN)
    assert "Ledige boliger nu" in html and "6 uger" in html
    assert 'id="facts-vacancies">2 ledige nu' in html
    assert "Oplysningen er forældet" not in html
    assert "senest to måneder efter, at du er kommet på kommunens almindelige venteliste" in html
    assert "Garantien gælder ikke, hvis du ønsker at bo på et bestemt plejehjem" in html
    assert f'href="{CARE_HOME_GUARANTEE_LAW_URL}"' in html


def test_an_old_vacancy_report_is_shown_as_outdated_not_current(client, priced, settings):
    html = page(client, c.LINDEHUS)
    assert "Oplysningen er forældet" in html
    assert "Stedet har ikke opdateret tallene i over 30 dage." in html
    assert "Ledige boliger (forældet)" in html and "Ledige boliger nu" not in html
    assert 'id="facts-vacancies"><a href="#ledige">Oplysningen er forældet</a>' in html
    reported = long_date(today() - dt.timedelta(days=45))
    assert f"<strong>Forældet:</strong> Oplyst af enheden {reported}" in html
    # the age is a setting
    settings.PLOV_VACANCY_MAX_AGE_DAYS = 60
    cache.clear()
    assert "Oplysningen er forældet" not in page(client, c.LINDEHUS)


def test_every_figure_carries_its_source_in_the_same_small_form(client, priced):
    html = page(client, c.SOLGAARDEN)
    assert '<span class="plov-source">Fra SOR</span>' in html
    assert '<span class="plov-source">Fra CVR (' in html or "Fra CVR</span>" in html
    assert '<span class="plov-source">Ældretilsynet ' in html
    assert '<span class="plov-source">Kvalitetsindikator ' in html


def test_home_care_shows_what_is_free_and_what_extras_cost(client, priced):
    html = page(client, c.SITE_NORTH)
    assert "Den hjælp, kommunen har visiteret dig til, koster ikke noget." in html
    assert "<li>Ekstra rengøring: 350 kr. pr. time</li>" in html
    assert "<li>Indkøb: 95 kr. pr. gang</li>" in html
    assert f"Oplyst af enheden {long_date(dt.date(2026, 2, 3))}" in html
    assert "Pris pr. måned i alt" not in html and "Plejeboliggarantien" not in html


def test_compare_shows_costs_and_vacancies_side_by_side(client, priced):
    ids = ",".join(str(unit(s).pk) for s in (c.SOLGAARDEN, c.LINDEHUS, c.SITE_NORTH))
    html = client.get(f"/sammenlign/?ids={ids}").content.decode()
    for label in ("Husleje (før boligydelse)", "Servicepakke", "Forplejning", "I alt pr. måned"):
        assert f'<th scope="row">{label}</th>' in html, label
    assert '<td data-cost="total"><strong>12.400 kr.</strong>' in html
    assert '<td data-cost="service">Ikke oplyst' in html  # Lindehuset
    assert '<td data-cost="total"><span class="plov-muted">Ikke relevant</span>' in html  # site
    assert "<strong>Forældet:</strong> Oplyst af enheden" in html
    assert "Ekstra rengøring: 350 kr. pr. time" in html
    assert html.count('<span class="plov-source">Oplyst af enheden') >= 3


def test_the_english_page_speaks_english(client, priced):
    html = page(client, c.LINDEHUS, "en")
    for text in (
        "Monthly cost",
        "Rent (before housing benefit)",
        "Not stated",
        "Vacancies and waiting time",
        "The information is out of date",
        "care home guarantee",
        "Calculate your housing benefit on borger.dk",
        "Provided by the place itself, ",
    ):
        assert text in html, text


# --- search ----------------------------------------------------------------------------------


def test_search_sorts_by_total_monthly_cost_with_unknown_totals_last(priced):
    from plov.public.search import search
    from plov.publishing.refresh import refresh_publication

    refresh_publication()
    UnitContent.objects.filter(unit=unit(c.LINDEHUS)).update(
        service_monthly=500, meals_monthly=3_500, other_monthly=100
    )  # 13.200 kr.
    with translation.override("da"):
        result = search({"sorter": "pris"})
        options = result.sort_options
    names = [item.unit.name for item in result.items]
    assert result.query.sort == "pris" and ("pris", "Pris pr. måned (lavest først)") in options
    assert names.index(unit(c.SOLGAARDEN).name) < names.index(unit(c.LINDEHUS).name)
    totals = {item.unit.name: item.monthly_total for item in result.items}
    assert totals[unit(c.SOLGAARDEN).name] == 12_400
    assert totals[unit(c.LINDEHUS).name] == 13_200
    assert [t is None for t in totals.values()] == sorted(t is None for t in totals.values())


def test_search_filters_by_a_highest_total_and_leaves_out_unknown_totals(client, priced):
    from plov.public.search import search

    names = [i.unit.name for i in search({"pris_max": "12.500"}).items]
    assert names == [unit(c.SOLGAARDEN).name]  # Lindehuset's total is not known
    assert search({"pris_max": "12000"}).items == []
    with translation.override("da"):
        bad = search({"pris_max": "billigt"})
    assert bad.query.max_cost is None and any("hele kroner" in n for n in bad.notices)
    html = client.get("/soeg/?pris_max=12500").content.decode()
    assert '<option value="12500" selected>' in html
    # home care has no monthly cost: the parameter is not read there
    assert search({"type": "helhedspleje", "pris_max": "1"}).query.max_cost is None


def test_without_housing_descriptions_the_overview_rent_is_the_monthly_rent(client, priced):
    html = page(client, c.LINDEHUS)  # Lindehuset has no housing descriptions
    assert "<dt>Husleje pr. måned</dt>\n            <dd>9.100 kr.</dd>" in html

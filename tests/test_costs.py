"""The rules for monthly cost and vacancies (plov.units.costs) and the validation of what an
editor enters for them (plov.units.forms.UnitContentForm): totals, missing figures, outdated
reports, amounts in whole kroner, no negative amounts, no dates in the future."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from plov.units import costs
from plov.units.forms import UnitContentForm
from plov.units.models import UnitContent

TODAY = dt.date(2026, 3, 12)


def content(**values) -> UnitContent:
    return UnitContent(**values)


# --- monthly cost ----------------------------------------------------------------------------


def test_the_total_is_the_sum_of_all_four_amounts():
    cost = costs.monthly_cost(
        content(
            rent_monthly=7_850,
            service_monthly=650,
            meals_monthly=3_900,
            other_monthly=0,
            cost_valid_from=dt.date(2026, 1, 1),
        )
    )
    assert cost.total == 12_400
    assert cost.complete
    assert cost.missing == []
    assert cost.valid_from == dt.date(2026, 1, 1)
    assert [key for key, _label, _amount in cost.parts] == ["rent", "service", "meals", "other"]


def test_a_missing_amount_leaves_the_total_unknown_never_a_partial_sum():
    cost = costs.monthly_cost(content(rent_monthly=7_850, meals_monthly=3_900))
    assert cost.total is None
    assert not cost.complete
    assert cost.missing == ["Servicepakke", "Andre faste udgifter"]
    assert cost.service is None  # not 0


def test_an_entered_zero_is_a_figure_not_missing():
    cost = costs.monthly_cost(
        content(rent_monthly=0, service_monthly=0, meals_monthly=0, other_monthly=0)
    )
    assert cost.total == 0
    assert cost.missing == []


def test_no_amount_at_all_is_no_monthly_cost():
    assert costs.monthly_cost(content()) is None
    assert costs.monthly_cost(content(cost_valid_from=dt.date(2026, 1, 1))) is None
    assert costs.monthly_cost(None) is None


def test_a_change_of_an_amount_or_of_the_valid_from_date_is_dated_today():
    stored = SimpleNamespace(
        rent_monthly=7_000,
        service_monthly=600,
        meals_monthly=3_800,
        other_monthly=0,
        cost_valid_from=dt.date(2025, 1, 1),
        cost_reported_on=dt.date(2025, 1, 5),
    )
    same = content(**vars(stored))
    costs.stamp_cost_report(stored, same, TODAY)
    assert same.cost_reported_on == dt.date(2025, 1, 5)  # nothing changed: the old report
    for name, value in (("rent_monthly", 7_100), ("cost_valid_from", dt.date(2026, 1, 1))):
        edited = content(**(vars(stored) | {name: value}))
        costs.stamp_cost_report(stored, edited, TODAY)
        assert edited.cost_reported_on == TODAY, name
    cleared = content(cost_reported_on=dt.date(2025, 1, 5))
    costs.stamp_cost_report(stored, cleared, TODAY)
    assert cleared.cost_reported_on is None  # no amounts, no report
    new = content(rent_monthly=7_000)
    costs.stamp_cost_report(None, new, TODAY)
    assert new.cost_reported_on == TODAY


# --- vacancies -------------------------------------------------------------------------------


def test_a_report_within_the_max_age_is_current_and_older_is_outdated():
    report = content(free_homes=2, waiting_weeks=6, vacancies_reported_on=TODAY - dt.timedelta(30))
    current = costs.vacancies(report, today=TODAY, max_age_days=30)
    assert (current.free_homes, current.waiting_weeks, current.outdated) == (2, 6, False)
    old = costs.vacancies(
        content(free_homes=2, vacancies_reported_on=TODAY - dt.timedelta(31)),
        today=TODAY,
        max_age_days=30,
    )
    assert old.outdated and not old.current
    assert old.waiting_weeks is None


def test_the_max_age_is_the_setting(settings):
    settings.PLOV_VACANCY_MAX_AGE_DAYS = 7
    report = content(free_homes=0, vacancies_reported_on=TODAY - dt.timedelta(8))
    assert costs.vacancies(report, today=TODAY).outdated
    assert costs.vacancies(report, today=TODAY).max_age_days == 7


def test_a_report_without_figures_is_no_report_and_one_without_a_date_is_outdated():
    assert costs.vacancies(content(vacancies_reported_on=TODAY), today=TODAY) is None
    assert costs.vacancies(content(free_homes=1), today=TODAY, max_age_days=30).outdated


def test_new_figures_without_a_new_date_are_todays_report():
    old = dt.date(2026, 1, 2)
    date = costs.vacancy_report_date
    assert (
        date({"free_homes": 1}, old, figures_changed=True, date_changed=False, today=TODAY) == TODAY
    )
    assert date({"free_homes": 1}, old, figures_changed=True, date_changed=True, today=TODAY) == old
    assert (
        date({"free_homes": 1}, old, figures_changed=False, date_changed=False, today=TODAY) == old
    )
    assert (
        date({"free_homes": 1}, None, figures_changed=False, date_changed=False, today=TODAY)
        == TODAY
    )
    assert (
        date(
            {"free_homes": None, "waiting_weeks": None},
            old,
            figures_changed=True,
            date_changed=False,
            today=TODAY,
        )
        is None
    )


# --- the form --------------------------------------------------------------------------------


def form(**data) -> UnitContentForm:
    return UnitContentForm(data)


def test_amounts_are_whole_kroner_as_danes_write_them():
    f = form(
        rent_monthly="7.850", service_monthly="650 kr.", meals_monthly="3 900", other_monthly="0"
    )
    assert f.is_valid(), f.errors
    assert [f.cleaned_data[n] for n in costs.COST_FIELDS] == [7_850, 650, 3_900, 0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("7850,50", "Skriv beløbet i hele kroner uden øre, fx 7500."),
        ("-100", "Huslejen kan ikke være et negativt tal. Skriv 0, hvis der ingen er."),
        ("785000", "Huslejen kan højst være 100.000 kr. Skrev du øre med?"),
        ("syv tusind", "Skriv beløbet i hele kroner uden øre, fx 7500."),
    ],
)
def test_a_wrong_amount_is_refused_with_a_danish_message(value, message):
    f = form(rent_monthly=value)
    assert not f.is_valid()
    assert f.errors["rent_monthly"] == [message]


def test_waiting_weeks_and_free_homes_cannot_be_negative():
    f = form(waiting_weeks="-2", free_homes="-1")
    assert not f.is_valid()
    assert f.errors["waiting_weeks"] == [
        "Ventetiden kan ikke være et negativt tal. Skriv 0, hvis der ingen er."
    ]
    assert "negativt" in f.errors["free_homes"][0]


def test_more_free_homes_than_homes_is_refused():
    f = form(homes="20", free_homes="25")
    assert not f.is_valid()
    assert f.errors["free_homes"] == [
        "Ledige boliger (25) kan ikke være flere end antal boliger (20)"
    ]


def test_dates_cannot_lie_in_the_future():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    f = form(
        rent_monthly="7000",
        cost_valid_from=tomorrow.strftime("%d.%m.%Y"),
        free_homes="1",
        vacancies_reported_on=tomorrow.strftime("%d.%m.%Y"),
    )
    assert not f.is_valid()
    assert f.errors["cost_valid_from"][0].startswith(
        "Datoen, priserne gælder fra, kan ikke ligge i fremtiden"
    )
    assert f.errors["vacancies_reported_on"][0].startswith(
        "Datoen for ledige boliger kan ikke ligge i fremtiden"
    )


def test_figures_without_a_date_are_reported_today_and_no_figures_have_no_date():
    f = form(free_homes="2", waiting_weeks="8")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["vacancies_reported_on"] == timezone.localdate()
    f = form(vacancies_reported_on="01.02.2026")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["vacancies_reported_on"] is None

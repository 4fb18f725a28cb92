"""Monthly cost, vacancies and home care's prices in the unit editor: Danish labels and help,
validation that loses nothing, the report dates set on save, versions and diff, restore, and
the scope rules (a company's editor cannot touch a municipality's care home)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.units.models import Unit, UnitContent
from tests import country as c
from tests.test_backoffice_editing import (
    action_url,
    content_of,
    editor_url,
    form_data,
    login,
    make_user,
    messages_of,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(imported):
    return {
        "solgaarden": Unit.objects.get(sor_id=c.SOLGAARDEN),
        "site_north": Unit.objects.get(sor_id=c.SITE_NORTH),
    }


@pytest.fixture
def anna(db):
    return make_user("anna", ["editor"], c.AARHUS_CVR, first="Anna", last="Andersen")


@pytest.fixture
def locked(client, units, anna):
    """Aarhus's editor has locked Solgården, which Aarhus offers its citizens."""
    unit = units["solgaarden"]
    ServiceAgreement.objects.create(
        municipality_id=751,
        unit=unit,
        reference="AAR-1",
        type=AgreementType.OWN_PRODUCTION,
        start=timezone.localdate() - dt.timedelta(days=10),
    )
    login(client, anna)
    client.post(action_url(unit, "lock"))
    return unit


def save(client, unit, **changes):
    return client.post(editor_url(unit), form_data(content_of(unit), **changes), follow=True)


def test_the_editor_shows_the_price_and_vacancy_sections_in_danish(client, locked):
    html = client.get(editor_url(locked)).content.decode()
    for text in (
        "Pris pr. måned",
        "Husleje pr. måned (kr.)",
        "Servicepakke pr. måned (kr.)",
        "Forplejning pr. måned (kr.)",
        "Andre faste udgifter pr. måned (kr.)",
        "Priserne gælder fra",
        "før boligydelse",
        "Ledige boliger og ventetid",
        "Forventet ventetid (uger)",
        "mere end 30 dage gamle, vises som forældede",
    ):
        assert text in html, text
    assert 'name="rent_monthly"' in html and 'name="vacancies_reported_on"' in html
    assert 'name="extra_services"' not in html  # home care's field, not a care home's


def test_home_care_gets_free_and_extra_services_not_a_monthly_cost(client, units, anna):
    site = units["site_north"]
    login(client, anna)
    client.post(action_url(site, "lock"))
    html = client.get(editor_url(site)).content.decode()
    assert 'name="free_services"' in html and 'name="extra_services"' in html
    assert "Tilkøbsydelser og priser" in html
    assert 'name="rent_monthly"' not in html and 'name="free_homes"' not in html
    response = save(
        client,
        site,
        p_number=c.P_SITE_NORTH,
        free_services="Personlig pleje og praktisk hjælp efter visitation.",
        extra_services="Ekstra rengøring: 350 kr. pr. time",
        rent_monthly="7000",  # not a home-care field: ignored
    )
    assert response.status_code == 200
    content = content_of(site)
    assert content.extra_services == "Ekstra rengøring: 350 kr. pr. time"
    assert content.rent_monthly is None


def test_saving_prices_and_vacancies_dates_the_report_and_makes_a_version(client, locked, anna):
    today = timezone.localdate()
    response = save(
        client,
        locked,
        p_number=c.P_SOLGAARDEN,
        homes="40",
        rent_monthly="7.850",
        service_monthly="650",
        meals_monthly="3900 kr.",
        other_monthly="0",
        cost_valid_from="1.1.2026" if today >= dt.date(2026, 1, 1) else today.strftime("%d.%m.%Y"),
        free_homes="2",
        waiting_weeks="6",
    )
    assert "Gemt og publiceret" in messages_of(response)
    content = content_of(locked)
    assert (content.rent_monthly, content.service_monthly, content.meals_monthly) == (
        7_850,
        650,
        3_900,
    )
    assert content.other_monthly == 0
    assert content.cost_reported_on == today
    assert content.vacancies_reported_on == today  # no date typed: today's report
    html = client.get(editor_url(locked)).content.decode()
    assert today.strftime("%d.%m.%Y") in html  # "Priserne oplyst"

    # A second save changes the rent: a new version, and the diff names it in Danish.
    save(client, locked, rent_monthly="8100")
    versions = list(content.revisions.order_by("pk"))
    assert len(versions) == 3  # before the first save, the first save, this one
    history = client.get(reverse("backoffice:history", args=[locked.pk])).content.decode()
    assert "Husleje pr. måned (kr.)" in history
    assert "<del>7.850</del> kr." in history and "<ins>8.100</ins> kr." in history

    # Restoring the first save brings 7.850 back, as a new version by the restorer.
    first_save = versions[1]
    client.post(reverse("backoffice:restore", args=[locked.pk, first_save.pk]), follow=True)
    content.refresh_from_db()
    assert content.rent_monthly == 7_850
    assert content.revisions.count() == 4
    assert content.revisions.order_by("-pk").first().user == anna


def test_an_unchanged_price_keeps_its_report_date(client, locked):
    save(client, locked, p_number=c.P_SOLGAARDEN, rent_monthly="7000")
    UnitContent.objects.filter(unit=locked).update(
        cost_reported_on=dt.date(2025, 6, 1), vacancies_reported_on=None
    )
    save(client, locked, leader_first_name="Grethe")
    content = content_of(locked)
    assert content.leader_first_name == "Grethe"
    assert content.cost_reported_on == dt.date(2025, 6, 1)


def test_a_vacancy_date_typed_by_the_editor_is_kept(client, locked):
    save(
        client,
        locked,
        p_number=c.P_SOLGAARDEN,
        free_homes="0",
        waiting_weeks="12",
        vacancies_reported_on="02.11.2025",
    )
    assert content_of(locked).vacancies_reported_on == dt.date(2025, 11, 2)


def test_bad_amounts_and_future_dates_are_refused_and_nothing_is_lost(client, locked):
    save(client, locked, p_number=c.P_SOLGAARDEN, rent_monthly="7000")
    before = snapshot(locked)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d.%m.%Y")
    response = save(
        client,
        locked,
        rent_monthly="-7000",
        meals_monthly="3900,50",
        cost_valid_from=tomorrow,
        free_homes="2",
    )
    html = response.content.decode()
    assert "Enheden er ikke gemt: ret fejlene nedenfor." in messages_of(response)
    assert "Huslejen kan ikke være et negativt tal" in html
    assert "Skriv beløbet i hele kroner uden øre, fx 7500." in html
    assert "kan ikke ligge i fremtiden" in html
    assert 'value="-7000"' in html and 'value="3900,50"' in html  # what was typed stays
    assert snapshot(locked) == before


def test_an_editor_of_another_organisation_cannot_change_prices(client, units, locked):
    """Solgården belongs to Aarhus; the company's editor may neither see nor save it."""
    before = snapshot(locked)
    other = make_user("olga", ["editor"], c.COMPANY_CVR, first="Olga")
    client.force_login(other)
    response = client.post(
        editor_url(locked), form_data(content_of(locked), rent_monthly="1", free_homes="99")
    )
    assert response.status_code in (403, 404)
    assert snapshot(locked) == before
    # and the municipality's own editor may (the care home is theirs): see the tests above

"""Home care compared on what matters (issue 12, point 6): fixed teams, how many different
helpers a citizen meets in a fortnight, time-keeping, languages and services, as editor fields
of home-care providers and sites – validated with Danish messages, versioned with a diff, never
on a care home, and refused to anyone but the unit's editors."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import Revision

from plov.backoffice import history
from plov.units.editorial import import_editorial
from plov.units.forms import UnitContentForm
from plov.units.homecare import (
    LANGUAGES,
    home_care_facts,
    home_care_problems,
    home_care_warnings,
    join_codes,
    language_labels,
    split_codes,
)
from plov.units.models import Unit, UnitContent
from tests import country as c
from tests import test_backoffice_editing as editing_tests
from tests import test_opendata as opendata_tests
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

units = editing_tests.units
anna = editing_tests.anna
shown = opendata_tests.shown


# --- the rules ---------------------------------------------------------------------------------


def test_codes_are_stored_in_the_lists_order_without_repeats_or_unknown_codes():
    assert join_codes(["pl", "en", "pl", "xx"], LANGUAGES) == "en,pl"
    assert split_codes("en,pl") == ["en", "pl"] and split_codes("") == []
    assert language_labels("pl,en,xx") == ["Engelsk", "Polsk"]


def test_impossible_figures_are_refused_in_danish():
    assert home_care_problems({"helpers_per_fortnight": 8, "visit_window_minutes": 30}) == {}
    problems = home_care_problems({"helpers_per_fortnight": 0, "visit_window_minutes": 300})
    assert problems["helpers_per_fortnight"] == (
        "Antal forskellige hjælpere på 14 dage skal være mellem 1 og 60 (du skrev 0)."
    )
    assert "mellem 0 og 240 (du skrev 300)" in problems["visit_window_minutes"]


def test_fixed_teams_with_many_helpers_is_asked_about_only_when_one_of_them_changed():
    values = {"fixed_teams": True, "helpers_per_fortnight": 20}
    (warning,) = home_care_warnings(values)
    assert "faste teams" in warning and "20 forskellige hjælpere" in warning
    assert home_care_warnings(values, changed={"languages"}) == []
    assert home_care_warnings({"fixed_teams": False, "helpers_per_fortnight": 20}) == []


def test_a_site_shows_its_own_facts_and_else_its_providers_with_the_source():
    site = UnitContent(fixed_teams=True, helpers_per_fortnight=6, languages="")
    provider = UnitContent(languages="en,ar", services="personlig_pleje,sygepleje")
    facts = {f.key: f for f in home_care_facts(site, provider)}
    assert facts["helpers_per_fortnight"].value == 6
    assert facts["helpers_per_fortnight"].source == "Oplyst af enheden"
    assert facts["languages"].value == ["Engelsk", "Arabisk"]
    assert facts["languages"].source == "Oplyst af leverandøren"
    assert facts["services"].value == ["Personlig pleje", "Sygepleje"]
    assert facts["visit_window_minutes"].value is None and not facts["visit_window_minutes"].known
    assert facts["fixed_teams"].value is True
    # Nothing stated anywhere: not known, no source (the page says "Ikke oplyst").
    empty = {f.key: f for f in home_care_facts(None, None)}
    assert all(not f.known and f.source is None for f in empty.values())


# --- the form ----------------------------------------------------------------------------------


def test_the_form_cleans_text_and_refuses_what_is_too_long_or_personal(units):
    site = units["site_north"]
    instance = UnitContent(unit=site)
    typed = "Vi ringer\u200b, hvis vi er mere end 15 min. forsinket.\u2067"
    form = UnitContentForm(
        {"punctuality_policy": f"  {typed}  ", "languages": ["pl", "en"], "services": "nat"},
        instance=instance,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["punctuality_policy"] == (
        "Vi ringer, hvis vi er mere end 15 min. forsinket."
    )
    assert form.cleaned_data["languages"] == "en,pl"
    assert form.cleaned_data["services"] == "nat"

    too_long = UnitContentForm({"punctuality_policy": "x" * 601}, instance=UnitContent(unit=site))
    assert not too_long.is_valid()
    assert too_long.errors["punctuality_policy"] == [
        "Teksten om forsinkede besøg må højst være 600 tegn (den er 601)."
    ]
    # Invisible characters do not count: 600 visible ones and a zero-width space are allowed.
    exact = UnitContentForm(
        {"punctuality_policy": "x" * 600 + "\u200b"}, instance=UnitContent(unit=site)
    )
    assert exact.is_valid(), exact.errors

    cpr = UnitContentForm(
        {"punctuality_policy": "Ring til 010203-1234"}, instance=UnitContent(unit=site)
    )
    assert not cpr.is_valid() and "CPR-nummer" in cpr.errors["punctuality_policy"][0]
    unknown = UnitContentForm({"languages": ["klingon"]}, instance=UnitContent(unit=site))
    assert not unknown.is_valid() and "languages" in unknown.errors


def test_a_care_home_has_none_of_home_cares_fields(units):
    form = UnitContentForm(instance=UnitContent(unit=units["solgaarden"]))
    for name in ("helpers_per_fortnight", "languages", "services", "punctuality_policy"):
        assert name not in form.fields
    assert (
        "helpers_per_fortnight"
        in UnitContentForm(instance=UnitContent(unit=units["site_north"])).fields
    )


def test_the_bulk_import_applies_the_same_rules(units, tmp_path):
    path = tmp_path / "editorial.json"
    records = [
        {
            "sor_id": c.SITE_NORTH,
            "helpers_per_fortnight": 7,
            "languages": ["en", "tr"],
            "services": "personlig_pleje,praktisk_hjaelp",
            "visit_window_minutes": 15,
        },
        {"sor_id": c.SOLGAARDEN, "languages": ["en"]},
        {"sor_id": c.SITE_PRIVATE, "helpers_per_fortnight": 99},
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    summary, rejected = import_editorial(path)
    content = content_of(units["site_north"])
    assert content.helpers_per_fortnight == 7 and content.languages == "en,tr"
    assert content.services == "personlig_pleje,praktisk_hjaelp"
    assert content.visit_window_minutes == 15
    assert len(rejected) == 2
    assert "felter for helhedspleje, ikke for en plejeenhed: languages" in rejected[0]
    assert "mellem 1 og 60 (du skrev 99)" in rejected[1]


# --- the back office ---------------------------------------------------------------------------


def test_an_editor_saves_the_home_care_fields_with_a_version_and_a_diff(client, units, anna):
    site = units["site_north"]
    login(client, anna).post(action_url(site, "lock"))
    page = client.get(editor_url(site)).content.decode()
    assert "Forskellige hjælpere på 14 dage" in page
    assert "Tæl alle, der kommer i hjemmet" in page  # help text
    assert 'name="languages" value="pl"' in page and 'name="services" value="nat"' in page

    data = form_data(
        content_of(site),
        fixed_teams="on",
        helpers_per_fortnight="6",
        visit_window_minutes="15",
        punctuality_policy="Vi ringer, hvis vi er mere end et kvarter forsinket.",
        languages=["pl", "en"],
        services=["personlig_pleje", "nat"],
    )
    response = client.post(editor_url(site), data)
    assert response.status_code == 302, messages_of(response)
    content = content_of(site)
    assert (content.helpers_per_fortnight, content.visit_window_minutes) == (6, 15)
    assert content.languages == "en,pl" and content.services == "personlig_pleje,nat"

    # Again, with one change: a new version, and the diff names the fields in Danish.
    response = client.post(editor_url(site), form_data(content_of(site), languages=["en", "ar"]))
    assert response.status_code == 302
    assert content_of(site).languages == "en,ar"
    versions = history.versions(content_of(site))
    assert len(versions) == 3  # before the first save, and two saves
    rows = {
        r.name: r
        for r in history.diff(content_of(site), versions[1].revision, versions[0].revision)
    }
    assert rows["languages"].changed
    assert (rows["languages"].before, rows["languages"].after) == (
        "Engelsk, Polsk",
        "Engelsk, Arabisk",
    )
    assert rows["languages"].label == "Sprog ud over dansk"
    assert not rows["services"].changed and rows["services"].after == (
        "Personlig pleje, Hjælp om natten"
    )
    page = client.get(action_url(site, "history")).content.decode()
    assert "Sprog ud over dansk" in page and "Arabisk" in page

    # Restoring the earlier version brings the languages back.
    client.post(reverse("backoffice:restore", args=[site.pk, versions[1].revision.pk]))
    assert content_of(site).languages == "en,pl"


def test_a_wrong_figure_is_refused_and_what_was_typed_stays(client, units, anna):
    site = units["site_north"]
    login(client, anna).post(action_url(site, "lock"))
    before = Revision.objects.count()
    response = client.post(
        editor_url(site),
        form_data(content_of(site), helpers_per_fortnight="0", punctuality_policy="Vi ringer."),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enheden er ikke gemt: ret fejlene nedenfor." in messages_of(response)
    assert "skal være mellem 1 og 60 (du skrev 0)" in page
    assert "Vi ringer.</textarea>" in page
    assert content_of(site).helpers_per_fortnight is None
    assert Revision.objects.count() == before


def test_another_companys_editor_and_a_supervisor_cannot_change_them(client, units, anna):
    site = units["site_north"]  # Aarhus Kommune's
    login(client, anna).post(action_url(site, "lock"))
    before = snapshot(site)
    for user in (
        make_user("other", ["editor"], c.COMPANY_CVR),
        make_user("tilsyn", ["supervisor"], "29189919"),
    ):
        login(client, user)
        response = client.post(editor_url(site), form_data(content_of(site), languages=["en"]))
        assert response.status_code in (403, 404)
        assert snapshot(site) == before


# --- what the public, the API and the CSV see --------------------------------------------------


@pytest.fixture
def home_care_shown(shown):
    """The open-data country, with Aarhus's sites and their provider filled in."""
    north = Unit.objects.get(sor_id=c.SITE_NORTH)
    south = Unit.objects.get(sor_id=c.SITE_SOUTH)
    UnitContent.objects.filter(unit=north).update(
        fixed_teams=True,
        helpers_per_fortnight=6,
        visit_window_minutes=15,
        punctuality_policy="Vi ringer, hvis vi er forsinket.",
        languages="en",
        services="personlig_pleje,nat",
    )
    provider = south.parent
    UnitContent.objects.update_or_create(unit=provider, defaults={"languages": "pl,ar"})
    cache.clear()
    return {"north": north, "south": south, "provider": provider}


def test_the_api_and_the_csv_carry_the_home_care_facts(client, home_care_shown):
    north = home_care_shown["north"]
    data = client.get(f"/api/v1/units/{north.pk}").json()
    assert data["fixed_teams"] is True
    assert (data["helpers_per_fortnight"], data["visit_window_minutes"]) == (6, 15)
    assert data["punctuality_policy"] == "Vi ringer, hvis vi er forsinket."
    assert data["languages"] == ["en"] and data["services"] == ["personlig_pleje", "nat"]
    care_home = client.get(f"/api/v1/units/{Unit.objects.get(sor_id=c.SOLGAARDEN).pk}").json()
    assert care_home["fixed_teams"] is False
    assert care_home["languages"] is None and care_home["helpers_per_fortnight"] is None

    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["UnitOut"]
    languages = schema["properties"]["languages"]
    assert "ISO 639" in languages["description"]
    assert "dsl" in json.dumps(languages)  # the fixed list, as an enum

    csv_text = b"".join(client.get("/data/enheder.csv").streaming_content).decode("utf-8-sig")
    header, *rows = csv_text.splitlines()
    columns = header.split(";")
    assert "Forskellige hjælpere på 14 dage" in columns and "Sprog ud over dansk" in columns
    (row,) = [r.split(";") for r in rows if r.startswith(c.SITE_NORTH)]
    record = dict(zip(columns, row, strict=True))
    assert record["Faste teams"] == "ja" and record["Forskellige hjælpere på 14 dage"] == "6"
    assert record["Sprog ud over dansk"] == "Engelsk"
    assert record["Ydelser"] == "Personlig pleje, Hjælp om natten"


def test_the_page_compare_and_search_show_them_with_the_providers_standing_in(
    client, home_care_shown
):
    north, south = home_care_shown["north"], home_care_shown["south"]
    page = client.get(f"/enhed/{south.pk}/", follow=True).content.decode()
    section = page[page.index('id="hverdag"') : page.index('id="personale"')]
    assert "Polsk, Arabisk" in section and "Kilde: Oplyst af leverandøren" in section
    page = client.get(f"/enhed/{north.pk}/", follow=True).content.decode()
    section = page[page.index('id="hverdag"') : page.index('id="personale"')]
    assert "6 forskellige hjælpere" in section
    assert "Højst 15 minutter før eller efter aftalt tid" in section
    assert "Vi ringer, hvis vi er forsinket." in section and "Kilde: Oplyst af enheden" in section

    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    compare = client.get(f"/sammenlign/?ids={north.pk},{solgaarden.pk}").content.decode()
    assert "Hjælpen i hverdagen" in compare and "Ikke relevant" in compare

    english = client.get(f"/en/enhed/{north.pk}/", follow=True).content.decode()
    assert "Help in everyday life" in english and "6 different helpers" in english

    def found(code: str) -> set[str]:
        page = client.get(
            "/soeg/", {"type": "helhedspleje", "kommune": "Aarhus", "sprog": code}
        ).content.decode()
        return {
            name
            for name in (north.name, south.name, "Omsorgshuset Skanderborg")
            if f">{name}<" in page
        }

    assert found("en") == {north.name}
    assert found("pl") == {south.name}  # its provider's languages, as its page shows
    assert found("ar") == {south.name}

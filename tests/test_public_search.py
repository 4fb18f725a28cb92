"""The public search (plov.public.search) and its pages, on the small country."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.clock import today
from plov.public.search import (
    haversine_km,
    name_score,
    normalise,
    owner_type,
    search,
)
from plov.publishing.refresh import refresh_publication
from plov.publishing.visibility import visible_units
from plov.supervision.models import Sanction, SupervisingAuthority, SupervisionFeedback
from plov.units.models import (
    Organisation,
    Profession,
    Property,
    Unit,
    UnitContent,
    UnitKind,
)
from tests import country as c

AARHUS, SKANDERBORG = 751, 746


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def content(sor_id: str) -> UnitContent:
    return UnitContent.objects.get_or_create(unit=unit(sor_id))[0]


def agree(sor_id: str, party: int, type_: str) -> None:
    ServiceAgreement.objects.create(
        municipality_id=party,
        unit=unit(sor_id),
        type=type_,
        start=today() - dt.timedelta(days=30),
        reference=f"{party}-{sor_id}",
    )


@pytest.fixture(autouse=True)
def _fresh_cache_and_danish():
    # A request to /en/… leaves English active in the test's thread (reverse() would say /en/).
    cache.clear()
    translation.activate("da")
    yield
    cache.clear()
    translation.activate("da")


@pytest.fixture
def towns(imported):
    """Aarhus offers Solgården and its two sites, and the private site lying in Skanderborg;
    the private care home Lindehuset lies in Aarhus but only Skanderborg has an agreement."""
    for sor_id, p_number in (
        (c.SOLGAARDEN, c.P_SOLGAARDEN),
        (c.LINDEHUS, c.P_LINDEHUS),
        (c.SITE_NORTH, c.P_SITE_NORTH),
        (c.SITE_SOUTH, c.P_SITE_SOUTH),
        (c.SITE_PRIVATE, c.P_SITE_PRIVATE),
    ):
        UnitContent.objects.update_or_create(unit=unit(sor_id), defaults={"p_number": p_number})
    agree(c.SOLGAARDEN, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_NORTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_SOUTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_PRIVATE, AARHUS, AgreementType.OPERATING_AGREEMENT)
    AgreementDescription.objects.create(
        unit=unit(c.SITE_PRIVATE), municipality_id=AARHUS, text="Hjemmehjælp hele døgnet."
    )
    agree(c.LINDEHUS, SKANDERBORG, AgreementType.OPERATING_AGREEMENT)
    refresh_publication()
    return imported


def names(result) -> list[str]:
    return [item.unit.name for item in result.items]


def sor_ids(result) -> set[str]:
    return {item.unit.sor_id for item in result.items}


# --- By municipality: exactly visible_units --------------------------------------------------


def test_a_municipality_search_shows_exactly_the_visible_units_of_each_kind(towns):
    for code in (AARHUS, SKANDERBORG):
        for kind, unit_kind in (
            ("plejehjem", UnitKind.CARE_HOME),
            ("helhedspleje", UnitKind.HOME_CARE_SITE),
        ):
            result = search({"kommune": str(code), "type": kind})
            expected = set(
                visible_units(code).filter(kind=unit_kind).values_list("sor_id", flat=True)
            )
            assert sor_ids(result) == expected, (code, kind)
            assert result.total == len(expected)


def test_a_municipality_sees_a_unit_lying_next_door_and_not_one_inside_without_agreement(towns):
    care_homes = search({"kommune": "Aarhus"})
    assert sor_ids(care_homes) == {c.SOLGAARDEN}
    assert unit(c.LINDEHUS).municipality_id == AARHUS  # lies in Aarhus, no agreement with it
    assert unit(c.LINDEHUS).published

    home_care = search({"kommune": "aarhus kommune", "type": "helhedspleje"})
    assert sor_ids(home_care) == {c.SITE_NORTH, c.SITE_SOUTH, c.SITE_PRIVATE}
    assert unit(c.SITE_PRIVATE).municipality_id == SKANDERBORG

    skanderborg = search({"kommune": "0746"})
    assert sor_ids(skanderborg) == {c.LINDEHUS}
    assert skanderborg.heading == "Plejehjem i Skanderborg Kommune"


def test_a_municipality_is_found_by_code_or_name_however_written(towns):
    for text in ("751", "0751", "Aarhus", "AARHUS", "aarhus kommune", "Aarhus Kommune"):
        result = search({"kommune": text})
        assert result.ok and result.municipality.code == AARHUS, text
    close = search({"kommune": "Arhus"})
    assert close.municipality.code == AARHUS
    assert close.notices == ["Vi viser resultater for Aarhus Kommune."]


def test_a_closed_unit_is_not_found(towns):
    Unit.objects.filter(sor_id=c.SOLGAARDEN).update(closed_on=today())
    assert search({"kommune": "751"}).total == 0
    assert search({"navn": "Solgården"}).total == 0


# --- By postcode or address -------------------------------------------------------------------


def test_a_postcode_search_orders_by_distance_from_the_postcodes_centre(towns):
    result = search({"adresse": "8000", "type": "helhedspleje", "afstand": "50"})
    assert result.origin.label == "8000 Aarhus C"
    # the centre is the mean of the postcode's DAR addresses
    lats = [a["y"] for a in towns.dar if a["postnr"] == "8000"]
    assert result.origin.latitude == pytest.approx(sum(lats) / len(lats))
    distances = [item.distance_km for item in result.items]
    assert distances == sorted(distances)
    assert sor_ids(result) == {c.SITE_NORTH, c.SITE_SOUTH, c.SITE_PRIVATE}
    private = next(i for i in result.items if i.unit.sor_id == c.SITE_PRIVATE)
    site = unit(c.SITE_PRIVATE)
    expected = haversine_km(
        result.origin.latitude, result.origin.longitude, site.latitude, site.longitude
    )
    assert private.distance_km == pytest.approx(expected)
    assert 15 < private.distance_km < 25
    assert result.items[-1].unit.sor_id == c.SITE_PRIVATE


def test_the_radius_leaves_out_what_lies_further_away(towns):
    near = search({"adresse": "8000", "type": "helhedspleje", "afstand": "10"})
    assert sor_ids(near) == {c.SITE_NORTH, c.SITE_SOUTH}
    assert all(item.distance_km <= 10 for item in near.items)
    far = search({"adresse": "8000", "type": "helhedspleje", "afstand": "50"})
    assert c.SITE_PRIVATE in sor_ids(far)
    assert far.items[-1].distance_km > 10


def test_a_postcode_search_shows_every_published_unit_near_it_agreement_or_not(towns):
    result = search({"adresse": "8000"})
    assert sor_ids(result) == {c.SOLGAARDEN, c.LINDEHUS}
    assert result.sort == "afstand"


def test_an_address_is_matched_on_dar(towns):
    for text in ("Solvej 4, 8000", "solvej 4 8000 Aarhus C", "Solvej 4"):
        result = search({"adresse": text, "afstand": "2"})
        assert result.ok, text
        assert result.origin.label == "Solvej 4, 8000 Aarhus C"
        assert result.items[0].unit.sor_id == c.SOLGAARDEN
        assert result.items[0].distance_km == pytest.approx(0, abs=0.01)
    missing = search({"adresse": "Solvej 400, 8000"})
    assert missing.errors[0].message.startswith("Vi kan ikke finde adressen «Solvej 400, 8000».")


def test_a_municipality_and_a_postcode_together_narrow_the_municipalitys_units(towns):
    result = search(
        {"kommune": "Aarhus", "adresse": "8000", "type": "helhedspleje", "afstand": "10"}
    )
    assert sor_ids(result) == {c.SITE_NORTH, c.SITE_SOUTH}
    assert result.heading == "Helhedspleje i Aarhus Kommune nær 8000 Aarhus C"


# --- By name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Solgaarden",
        "solgarden",
        "Plejecenter Solgarden",
        "SOLGÅRDEN",
        "plejecenter solgården",
        "solg",
    ],
)
def test_a_name_search_tolerates_case_danish_letters_and_small_typos(towns, text):
    result = search({"navn": text})
    assert names(result)[0] == "Plejecenter Solgården"
    assert "Lindehuset" not in names(result)


def test_a_name_search_finds_nothing_for_an_unrelated_name(towns):
    assert search({"navn": "Skovbrynet"}).total == 0
    assert names(search({"navn": "lindehus"})) == ["Lindehuset"]


def test_normalising_and_scoring():
    assert normalise("Plejecenter Solgården") == "plejecenter solgaarden"
    assert normalise("  SØHUSET/Ærø ") == "soehuset aeroe"
    assert name_score("solgarden", "plejecenter solgaarden") >= 88
    assert name_score("solgarden", "skovsgaarden") < 88


# --- Filters and sorting ------------------------------------------------------------------------


@pytest.fixture
def enriched(towns):
    solgaarden, lindehus = content(c.SOLGAARDEN), content(c.LINDEHUS)
    solgaarden.housing_type, solgaarden.homes = "aeldreboligloven", 40
    lindehus.housing_type, lindehus.homes = "almenboligloven", 60
    solgaarden.save()
    lindehus.save()
    balcony = Property.objects.get(name="Altan eller terrasse")
    garden = Property.objects.get(name="Have")
    solgaarden.properties.add(balcony, garden)
    lindehus.properties.add(garden)
    nurse = Profession.objects.get(name="Sygeplejerske")
    physio = Profession.objects.get(name="Fysioterapeut")
    solgaarden.professions.add(nurse, physio)
    lindehus.professions.add(nurse)
    north = content(c.SITE_NORTH)
    north.fixed_teams = True
    north.save()
    authority = SupervisingAuthority.objects.first()
    SupervisionFeedback.objects.create(
        unit=unit(c.SOLGAARDEN),
        authority=authority,
        inspected_on=today() - dt.timedelta(days=400),
        status="kritiske_bemaerkninger",
    )
    SupervisionFeedback.objects.create(
        unit=unit(c.SOLGAARDEN),
        authority=authority,
        inspected_on=today() - dt.timedelta(days=20),
        status="ingen_bemaerkninger",
    )
    SupervisionFeedback.objects.create(
        unit=unit(c.LINDEHUS),
        authority=authority,
        inspected_on=today() - dt.timedelta(days=50),
        status="vaesentlige_bemaerkninger",
    )
    Sanction.objects.create(
        unit=unit(c.LINDEHUS),
        authority=authority,
        type="paabud",
        decided_on=today() - dt.timedelta(days=10),
    )
    Sanction.objects.create(  # lifted: no longer in force
        unit=unit(c.SOLGAARDEN),
        authority=authority,
        type="paabud",
        decided_on=today() - dt.timedelta(days=300),
        lifted_on=today() - dt.timedelta(days=100),
    )
    return towns


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {c.SOLGAARDEN, c.LINDEHUS}),
        ({"boligtype": "aeldreboligloven"}, {c.SOLGAARDEN}),
        ({"boligtype": ["aeldreboligloven", "almenboligloven"]}, {c.SOLGAARDEN, c.LINDEHUS}),
        ({"egenskab": "HAVE"}, {c.SOLGAARDEN, c.LINDEHUS}),
        ({"egenskab": ["HAVE", "ALTAN"]}, {c.SOLGAARDEN}),
        ({"faggruppe": "NURSE"}, {c.SOLGAARDEN, c.LINDEHUS}),
        ({"faggruppe": ["NURSE", "PHYSIO"]}, {c.SOLGAARDEN}),
        ({"tilsyn": "ingen_bemaerkninger"}, {c.SOLGAARDEN}),
        ({"tilsyn": "kritiske_bemaerkninger"}, set()),  # only the latest feedback counts
        ({"tilsyn": ["kritiske_bemaerkninger", "vaesentlige_bemaerkninger"]}, {c.LINDEHUS}),
        ({"sanktion": "med"}, {c.LINDEHUS}),
        ({"sanktion": "uden"}, {c.SOLGAARDEN}),  # a lifted sanction does not count
        ({"ejerform": "private"}, {c.LINDEHUS}),
        ({"ejerform": "municipal"}, {c.SOLGAARDEN}),
        ({"ejerform": ["municipal", "private"]}, {c.SOLGAARDEN, c.LINDEHUS}),
        ({"ejerform": "friplejebolig"}, set()),
        ({"boligtype": "nonsense", "egenskab": "x1", "tilsyn": "<b>"}, {c.SOLGAARDEN, c.LINDEHUS}),
    ],
)
def test_filters(enriched, params, expected):
    ids = {
        "HAVE": Property.objects.get(name="Have").pk,
        "ALTAN": Property.objects.get(name="Altan eller terrasse").pk,
        "NURSE": Profession.objects.get(name="Sygeplejerske").pk,
        "PHYSIO": Profession.objects.get(name="Fysioterapeut").pk,
    }

    def resolve(value):
        if isinstance(value, list):
            return [str(ids.get(v, v)) for v in value]
        return str(ids.get(value, value))

    result = search({key: resolve(value) for key, value in params.items()})
    assert result.ok
    assert sor_ids(result) == expected


def test_the_fixed_teams_filter_applies_to_home_care(enriched):
    result = search({"type": "helhedspleje", "kommune": "751", "faste_teams": "1"})
    assert sor_ids(result) == {c.SITE_NORTH}


def test_a_result_shows_its_key_figures(enriched):
    result = search({"navn": "Lindehuset"})
    item = result.items[0]
    assert item.owner_type == "private" and item.owner_type_label == "Privat"
    assert item.homes == 60
    assert item.employees is None and item.employees_interval == "20–49"  # CVR interval only
    assert item.supervision_label == "Væsentlige bemærkninger"
    assert item.sanction_in_force is True
    assert item.address == "Lindevej 7B, 8000 Aarhus C"
    assert item.slug == "lindehuset"
    solgaarden = search({"navn": "Solgården"}).items[0]
    assert solgaarden.employees == 48  # from CVR
    assert solgaarden.sanction_in_force is False
    assert solgaarden.owner_type == "municipal"


def test_a_result_writes_address_and_interval_as_the_unit_page_does(enriched):
    """Search uses plov.units.formatting: floor and door the one Danish way, and CVR's top
    interval as "N eller flere" (not "N+"), as on the unit page."""
    from plov.registers.models import CvrProductionUnit

    CvrProductionUnit.objects.filter(p_number=c.P_LINDEHUS).update(
        employees_interval="ANTAL_1000_999999"
    )
    Unit.objects.filter(sor_id=c.LINDEHUS).update(
        visiting_address={
            "street": "Lindevej",
            "house_number": "7B",
            "floor": "1",
            "door": "tv",
            "postcode": "8000",
            "district": "Aarhus C",
        }
    )
    item = search({"navn": "Lindehuset"}).items[0]
    assert item.employees_interval == "1000 eller flere"
    assert item.address == "Lindevej 7B, 1. tv, 8000 Aarhus C"


def test_owner_type_comes_from_agreements_then_the_owner():
    municipal, company = Organisation.Kind.MUNICIPALITY, Organisation.Kind.COMPANY
    assert owner_type({"friplejebolig", "driftsoverenskomst"}, company) == "friplejebolig"
    assert owner_type({"lokalplejehjem"}, company) == "lokalplejehjem"
    assert owner_type({"myndighedsproduktion"}, municipal) == "municipal"
    assert owner_type({"driftsoverenskomst"}, municipal) == "private"
    assert owner_type(set(), municipal) == "municipal"
    assert owner_type(set(), company) == "private"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("navn", ["Lindehuset", "Plejecenter Solgården"]),
        ("boliger", ["Lindehuset", "Plejecenter Solgården"]),
        ("", ["Lindehuset", "Plejecenter Solgården"]),
    ],
)
def test_sorting(enriched, sort, expected):
    assert names(search({"sorter": sort})) == expected


def test_sorting_by_homes_puts_most_first(enriched):
    content_ = content(c.SOLGAARDEN)
    content_.homes = 99
    content_.save()
    assert names(search({"sorter": "boliger"})) == ["Plejecenter Solgården", "Lindehuset"]


def test_sorting_by_distance_needs_a_place(enriched):
    result = search({"sorter": "afstand"})
    assert result.sort == "navn"
    assert "Du kan kun sortere efter afstand" in result.notices[0]


def test_danish_alphabetical_order_puts_ae_oe_aa_last(towns):
    Unit.objects.filter(sor_id=c.LINDEHUS).update(name="Ågården")
    assert names(search({})) == ["Plejecenter Solgården", "Ågården"]


# --- Bad input: a clear message, never a 500 ------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kommune": "999"}, "kommune", "Der findes ingen kommune med kommunekoden 999."),
        ({"kommune": "Atlantis"}, "kommune", "Vi kender ikke kommunen «Atlantis»."),
        (
            {"adresse": "12a4"},
            "adresse",
            "«12a4» er ikke et postnummer. Et postnummer har fire cifre",
        ),
        ({"adresse": "800"}, "adresse", "«800» er ikke et postnummer."),
        ({"adresse": "9999"}, "adresse", "Vi kender ikke postnummeret 9999."),
        ({"adresse": "Findesikkevej"}, "adresse", "Skriv et postnummer, fx 8000, eller en adresse"),
        ({"navn": "<script>alert(1)</script>"}, "navn", "Feltet må ikke indeholde tegnene < og >."),
        ({"kommune": "<b>Aarhus</b>"}, "kommune", "Feltet må ikke indeholde tegnene < og >."),
        ({"navn": "x" * 300}, "navn", "Teksten er for lang. Skriv højst 100 tegn."),
        ({"navn": "!!!"}, "navn", "Skriv mindst ét bogstav eller tal af navnet."),
    ],
)
def test_bad_input_gives_a_clear_message_and_a_400(towns, client, params, field, message):
    result = search(params)
    assert not result.ok and result.total == 0
    assert result.errors_by_field[field].startswith(message)

    response = client.get(reverse("public:results"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vi kunne ikke søge" in html
    assert re.search(rf'<a href="#{field}">', html)  # the summary links to the field
    assert f'id="{field}-error"' in html and 'aria-invalid="true"' in html
    assert "<script>alert" not in html
    assert "<title>Fejl: " in html


@pytest.mark.parametrize("page", ["999999", "99999999999999999999", "0", "-3", "abc"])
def test_a_page_that_does_not_exist_shows_a_page_that_does(towns, client, page):
    result = search({"side": page})
    assert result.ok and result.page == 1 and result.total == 2
    assert len(result.notices) == 1
    response = client.get(reverse("public:results"), {"side": page})
    assert response.status_code == 200
    assert "findes ikke" in response.content.decode()


def test_an_unknown_radius_or_kind_falls_back_to_the_default(towns):
    result = search({"adresse": "8000", "afstand": "7", "type": "hotel"})
    assert result.ok and result.query.radius == 10 and result.query.kind == "plejehjem"
    assert result.notices == ["Afstanden skal være 2, 5, 10, 20 eller 50 km. Vi bruger 10 km."]


def test_garbage_in_every_parameter_never_fails(towns, client):
    junk = {
        key: ["\x00", "%", "'; DROP TABLE x;--", "9" * 40, "ø" * 200]
        for key in (
            "type",
            "kommune",
            "adresse",
            "afstand",
            "navn",
            "boligtype",
            "egenskab",
            "faggruppe",
            "faste_teams",
            "ejerform",
            "tilsyn",
            "sanktion",
            "sorter",
            "side",
            "format",
        )
    }
    for url in (reverse("public:results"), reverse("public:map"), reverse("public:home")):
        response = client.get(url, junk)
        assert response.status_code in (200, 400)


# --- Pages -----------------------------------------------------------------------------------------


def test_the_results_page_lists_the_units_with_links_and_figures(enriched, client):
    response = client.get(reverse("public:results"), {"kommune": "Aarhus", "type": "helhedspleje"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Helhedspleje i Aarhus Kommune – Plejeoverblikket</title>" in html
    assert html.count("<h1") == 1
    assert 'role="status"' in html and "Vi fandt 3 steder med helhedspleje." in html
    north = unit(c.SITE_NORTH)
    assert f'href="/enhed/{north.pk}/helhedspleje-nord/"' in html
    assert f'name="ids" value="{north.pk}"' in html
    assert 'action="/sammenlign/"' in html


def test_the_results_page_shows_distance_and_sort_options(towns, client):
    html = client.get(
        reverse("public:results"), {"adresse": "8000", "afstand": "50"}
    ).content.decode()
    assert "km fra 8000 Aarhus C" in html
    assert re.search(r"\d+,\d km fra", html)  # Danish decimal comma
    assert '<option value="afstand" selected>' in html


def test_the_front_page_has_the_search_form(db, client):
    response = client.get(reverse("public:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<title>Find plejehjem og helhedspleje – Plejeoverblikket</title>" in html
    assert 'id="kommune"' in html and '<option value="Aarhus">' in html
    assert 'action="/soeg/"' in html


def test_the_map_page_embeds_the_same_results_as_geojson(towns, client, settings):
    settings.PLOV_MAP_TILE_URL = ""
    response = client.get(reverse("public:map"), {"kommune": "751", "type": "helhedspleje"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="plov-map-data"' in html and "vendor/leaflet/leaflet.js" in html
    assert 'data-tile-url=""' in html

    data = client.get(
        reverse("public:map"), {"kommune": "751", "type": "helhedspleje", "format": "geojson"}
    ).json()
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["name"] for f in data["features"]} == {
        "Helhedspleje Nord",
        "Helhedspleje Syd",
        "Omsorgshuset Skanderborg",
    }
    north = unit(c.SITE_NORTH)
    feature = next(f for f in data["features"] if f["properties"]["id"] == north.pk)
    assert feature["geometry"]["coordinates"] == [north.longitude, north.latitude]
    assert feature["properties"]["url"] == f"/enhed/{north.pk}/helhedspleje-nord/"

    settings.PLOV_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    cache.clear()
    html = client.get(reverse("public:map"), {"kommune": "751"}).content.decode()
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html

    bad = client.get(reverse("public:map"), {"kommune": "999", "format": "geojson"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kommune"


def test_results_are_cached_per_query_string_and_language(towns, client):
    url = reverse("public:results")
    client.get(url, {"kommune": "751"})
    with CaptureQueriesContext(connection) as cached:
        client.get(url, {"kommune": "751"})
    with CaptureQueriesContext(connection) as other:
        client.get(url, {"kommune": "746"})
    assert len(cached) < len(other)

    from plov.public.views_search import _cache_key

    request = type("R", (), {"META": {"QUERY_STRING": "kommune=751"}})()
    with translation.override("da"):
        danish = _cache_key(request, "results")
    with translation.override("en"):
        english = _cache_key(request, "results")
    assert danish != english

    with CaptureQueriesContext(connection) as english_page:
        response = client.get("/en" + url, {"kommune": "751"})
    assert response.status_code == 200 and len(english_page) >= len(other)


# --- No N+1 ------------------------------------------------------------------------------------------


@pytest.fixture
def image(settings, tmp_path):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path / "media"
    return get_image_model().objects.create(title="Facaden", file=get_test_image_file())


def add_care_homes(n: int, image, start: int = 0) -> None:
    """`n` published care homes in Aarhus with everything a result shows."""
    owner = Organisation.objects.get(cvr_number=c.AARHUS_CVR)
    authority = SupervisingAuthority.objects.first()
    nurse = Profession.objects.get(name="Sygeplejerske")
    garden = Property.objects.get(name="Have")
    for i in range(start, start + n):
        home = Unit.objects.create(
            kind=UnitKind.CARE_HOME,
            sor_id=f"9{i:011d}",
            name=f"Testhjemmet {i:03d}",
            owner=owner,
            municipality_id=AARHUS,
            latitude=56.15 + i / 1000,
            longitude=10.2,
            visiting_address={
                "street": "Testvej",
                "house_number": str(i),
                "postcode": "8000",
                "district": "Aarhus C",
            },
            published=True,
        )
        unit_content = UnitContent.objects.create(
            unit=home, p_number=c.P_SOLGAARDEN, homes=20 + i, image_1=image
        )
        unit_content.professions.add(nurse)
        unit_content.properties.add(garden)
        ServiceAgreement.objects.create(
            municipality_id=AARHUS,
            unit=home,
            type=AgreementType.OWN_PRODUCTION,
            start=today() - dt.timedelta(days=5),
            reference=f"test-{i}",
        )
        SupervisionFeedback.objects.create(
            unit=home, authority=authority, inspected_on=today(), status="mindre_bemaerkninger"
        )
        Sanction.objects.create(unit=home, authority=authority, type="paabud", decided_on=today())


def count_queries(client, params) -> int:
    cache.clear()
    client.get(reverse("public:results"), params)  # renditions are made on the first view
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("public:results"), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {"kommune": "Aarhus"},
        {
            "adresse": "8000",
            "afstand": "50",
            "tilsyn": "mindre_bemaerkninger",
            "ejerform": "municipal",
        },
        {"navn": "testhjemmet", "sanktion": "med"},
    ],
)
def test_the_results_page_takes_as_many_queries_for_5_results_as_for_45(
    towns, client, image, params, django_assert_max_num_queries
):
    add_care_homes(5, image)
    few = count_queries(client, params)
    add_care_homes(40, image, start=5)
    many = count_queries(client, params)
    assert many == few
    cache.clear()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("public:results"), params)
    html = response.content.decode()
    assert html.count('class="plov-result"') == 20
    assert html.count("<img ") >= 19 and 'alt="Facaden"' in html  # Solgården has none


def test_a_town_name_is_searched_from_its_centre(towns):
    by_postcode = search({"adresse": "8000"})
    for text in ("Aarhus C", "aarhus  c", "AARHUS C."):
        result = search({"adresse": text})
        assert result.ok, text
        assert result.origin.label == "Aarhus C"
        assert (result.origin.latitude, result.origin.longitude) == pytest.approx(
            (by_postcode.origin.latitude, by_postcode.origin.longitude)
        )
        assert sor_ids(result) == sor_ids(by_postcode)
    assert search({"adresse": "Skanderborg"}).origin.label == "Skanderborg"
    # not a town, no number: the same message as before
    assert search({"adresse": "Aarhus Ø"}).errors[0].message.startswith("Skriv et postnummer")


def test_a_postcode_centre_follows_a_dar_delta(towns, tmp_path):
    from plov.registers.dar import import_dar
    from plov.registers.writers import write_jsonl

    before = search({"adresse": "8660"}).origin
    retired = [dict(a, status=2) for a in towns.dar if a["postnr"] == "8660"]
    import_dar(write_jsonl(tmp_path / "dar-delta.jsonl", retired))
    assert before is not None
    assert (
        search({"adresse": "8660"})
        .errors[0]
        .message.startswith("Vi kender ikke postnummeret 8660.")
    )


def _more_dar(tmp_path, towns, *changes):
    from plov.registers.dar import import_dar
    from plov.registers.writers import write_jsonl

    solvej = next(a for a in towns.dar if a["vejnavn"] == "Solvej")
    records = [dict(solvej, **change) for change in changes]
    import_dar(write_jsonl(tmp_path / "more.jsonl", records))


def test_a_street_without_a_number_is_searched_from_its_centre(towns):
    for text in ("Solvej", "solvej", "Solvej, 8000", "Solvej, 8000 Aarhus C"):
        result = search({"adresse": text, "afstand": "2"})
        assert result.ok, text
        assert result.origin.label == "Solvej, 8000 Aarhus C"
        assert result.items[0].unit.sor_id == c.SOLGAARDEN


def test_a_street_in_several_postcodes_lists_them_as_links(towns, tmp_path, client):
    _more_dar(
        tmp_path,
        towns,
        {"id": "b0000000-0000-0000-0000-00000000000a", "husnr": "9", "postnr": "8660",
         "postnrnavn": "Skanderborg", "kommunekode": "0746", "x": 9.93, "y": 56.04},
    )  # fmt: skip
    result = search({"adresse": "Solvej", "type": "helhedspleje"})
    assert result.errors[0].message == (
        "Vejen «Solvej» findes i flere postnumre. Vælg den, du mener:"
    )
    assert [c["label"] for c in result.address_choices] == [
        "Solvej, 8000 Aarhus C",
        "Solvej, 8660 Skanderborg",
    ]
    response = client.get(reverse("public:results"), {"adresse": "Solvej", "type": "helhedspleje"})
    assert response.status_code == 400
    html = response.content.decode()
    link = re.search(r'<a href="([^"]+)">Solvej, 8660 Skanderborg</a>', html)
    assert link, html
    followed = client.get(link.group(1).replace("&amp;", "&"))
    assert followed.status_code == 200
    assert "Skanderborg" in followed.content.decode()
    assert "type=helhedspleje" in link.group(1)  # the rest of the search is kept


def test_an_address_in_several_postcodes_lists_them_as_links(towns, tmp_path):
    _more_dar(
        tmp_path,
        towns,
        {"id": "b0000000-0000-0000-0000-00000000000b", "postnr": "8660",
         "postnrnavn": "Skanderborg", "kommunekode": "0746", "x": 9.93, "y": 56.04},
    )  # fmt: skip
    result = search({"adresse": "Solvej 4"})
    assert result.errors[0].message.startswith("Der er flere adresser, der hedder «Solvej 4».")
    choices = [c["label"] for c in result.address_choices]
    assert choices == ["Solvej 4, 8000 Aarhus C", "Solvej 4, 8660 Skanderborg"]
    assert search({"adresse": choices[1]}).origin.label == "Solvej 4, 8660 Skanderborg"


def test_town_names_fold_danish_letters():
    from plov.public.places import _town_key

    assert _town_key("Ærøskøbing") == _town_key("aeroeskoebing") == _town_key("ÆRØSKØBING")
    assert _town_key("Viby J.") == _town_key("viby  j")


def test_the_english_heading_is_plural_and_says_municipality(towns, client):
    html = client.get("/en/soeg/", {"kommune": "751"}).content.decode()
    assert ">Care homes in Aarhus Municipality</h1>" in html
    html = client.get("/en/soeg/", {"kommune": "400"}).content.decode()
    assert "Care homes in Bornholm Regional Municipality" in html
    translation.activate("da")
    html = client.get("/soeg/", {"kommune": "751"}).content.decode()
    assert "Plejehjem i Aarhus Kommune" in html
    assert (
        "Plejehjem i Københavns Kommune"
        in client.get("/soeg/", {"kommune": "101"}).content.decode()
    )


def test_the_footer_links_the_transition_list(db, client):
    html = client.get("/").content.decode()
    assert 'href="/overgangsordning/"' in html and "Overgangsliste" in html
    assert client.get("/overgangsordning/").status_code == 200


def test_the_nationwide_map_loads_its_points_as_one_cached_geojson_request(towns, client):
    html = client.get(reverse("public:map")).content.decode()
    assert 'id="plov-map-data"' not in html  # not inline: the page stays small
    url = re.search(r'data-points-url="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert url == "/kort/?format=geojson"
    response = client.get(url)
    assert response.status_code == 200 and "max-age=60" in response["Cache-Control"]
    assert len(response.json()["features"]) == len(search({}).points) > 0
    assert "leaflet.markercluster.js" in html
    # a municipality's map keeps its few points inline
    html = client.get(reverse("public:map"), {"kommune": "751"}).content.decode()
    assert 'id="plov-map-data"' in html and 'data-points-url=""' in html

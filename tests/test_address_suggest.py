"""Address suggestions as you type (plov.public.suggest, /api/v1/adresser), on DAR addresses
imported by the real importer. The typo cases need pg_trgm: run with DATABASE_URL=postgresql://…
(on SQLite, the demo's database, suggestions match prefixes only and those tests are skipped)."""

from __future__ import annotations

import itertools
import re

import pytest
from django.core.cache import cache
from django.db import connection

from plov.public.search import search
from plov.public.suggest import parse, suggest
from plov.registers.dar import import_dar
from plov.registers.models import DarAddress, DarStreet
from plov.registers.writers import dar_address, write_jsonl

AARHUS = {"postcode": "8000", "postcode_name": "Aarhus C", "municipality_code": 751}
SKANDERBORG = {"postcode": "8660", "postcode_name": "Skanderborg", "municipality_code": 746}
AEROE = {"postcode": "5970", "postcode_name": "Ærøskøbing", "municipality_code": 492}

needs_trigrams = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="typo tolerance is pg_trgm's (PostgreSQL)"
)


@pytest.fixture
def addresses(db, tmp_path):
    ids = (f"c0000000-0000-0000-0000-{n:012d}" for n in itertools.count(1))
    records = []

    def add(street, number, town, floor=None, door=None, status=1, lon=10.2, lat=56.15):
        records.append(
            dar_address(next(ids), street=street, house_number=number, floor=floor, door=door,
                        status=status, lon=lon, lat=lat, **town)
        )  # fmt: skip

    add("Solvej", "4", AARHUS)
    add("Solvej", "4", AARHUS, floor="1", door="tv")
    add("Solvej", "4", AARHUS, floor="st", door="th")
    add("Solvej", "4A", AARHUS)
    add("Solvej", "40", AARHUS)
    add("Solvej", "41", AARHUS)
    add("Solvej", "14", AARHUS)
    add("Solvej", "6", AARHUS, status=2)  # retired
    add("Solvej", "4", SKANDERBORG, lon=9.93, lat=56.04)
    add("Solvænget", "4", AARHUS)
    add("Nørregade", "10", AARHUS)
    add("Vestergade", "12", AEROE, lon=10.41, lat=54.89)
    add("Ærøvej", "3", AEROE, lon=10.42, lat=54.88)
    import_dar(write_jsonl(tmp_path / "dar.jsonl", records))
    cache.clear()
    return records


def texts(query: str) -> list[str]:
    return [s.text for s in suggest(query)]


def test_the_import_stores_the_folded_search_text_and_the_streets(addresses):
    flat = DarAddress.objects.get(street_name="Solvej", floor="1")
    assert flat.search_text == "solvej 4 1 tv 8000 aarhus c"
    assert (
        DarAddress.objects.get(street_name="Ærøvej").search_text == "aeroevej 3 5970 aeroeskoebing"
    )
    street = DarStreet.objects.get(street_name="Solvej", postcode="8000")
    assert (street.street_key, street.town_key, street.addresses) == ("solvej", "aarhus c", 7)
    assert not DarStreet.objects.filter(street_name="Solvej", postcode="8660", addresses=0)


def test_the_exact_number_comes_before_the_numbers_it_begins(addresses):
    assert texts("solvej 4") == [
        "Solvej 4, 8000 Aarhus C",
        "Solvej 4, 8660 Skanderborg",
        "Solvej 4, st. th, 8000 Aarhus C",
        "Solvej 4, 1. tv, 8000 Aarhus C",
        "Solvej 4A, 8000 Aarhus C",
        "Solvej 40, 8000 Aarhus C",
        "Solvej 41, 8000 Aarhus C",
    ]
    best = suggest("solvej 4")[0]
    assert (best.kind, best.street, best.house_number, best.floor, best.door) == (
        "address", "Solvej", "4", None, None
    )  # fmt: skip
    assert (best.postcode, best.town, best.latitude, best.longitude) == (
        "8000", "Aarhus C", 56.15, 10.2
    )  # fmt: skip
    assert best.id == addresses[0]["id"]


def test_case_and_a_missing_postcode_do_not_matter_and_a_town_narrows(addresses):
    assert texts("SOLVEJ 4 aar")[:3] == [
        "Solvej 4, 8000 Aarhus C",
        "Solvej 4, st. th, 8000 Aarhus C",
        "Solvej 4, 1. tv, 8000 Aarhus C",
    ]
    assert all("Aarhus" in t for t in texts("solvej 4 aar"))
    assert texts("Solvej 4, 8660") == ["Solvej 4, 8660 Skanderborg"]
    assert texts("solvej 4 skanderborg") == ["Solvej 4, 8660 Skanderborg"]
    assert texts("solvej 4 1 tv") == ["Solvej 4, 1. tv, 8000 Aarhus C"]
    assert texts("Solvej 4, 1. tv, 8000 Aarhus C") == ["Solvej 4, 1. tv, 8000 Aarhus C"]
    assert texts("solvej 4 a") == ["Solvej 4A, 8000 Aarhus C"]


def test_ae_oe_aa_typed_for_the_danish_letters(addresses):
    assert texts("aeroeskoebing")[0] == "5970 Ærøskøbing"
    assert texts("vestergade 12 aeroeskoebing") == ["Vestergade 12, 5970 Ærøskøbing"]
    assert texts("AEROEVEJ 3") == texts("ærøvej 3") == ["Ærøvej 3, 5970 Ærøskøbing"]
    assert texts("noerregade 10") == ["Nørregade 10, 8000 Aarhus C"]
    assert texts("solvae") == ["Solvænget, 8000 Aarhus C"]


@needs_trigrams
@pytest.mark.parametrize(
    "typed", ["solvje 4", "soolvej 4 aarhus", "solvejj 4", "slovej 4", "Solevj 4 8000"]
)
def test_a_small_typo_in_the_street_still_finds_it(addresses, typed):
    assert texts(typed)[0] == "Solvej 4, 8000 Aarhus C"


@needs_trigrams
def test_two_letters_swapped_in_a_short_street_name_are_a_typo_too(addresses):
    from plov.public.suggest import swapped_letters

    assert "solvej" in swapped_letters("slovej") and "slovej" not in swapped_letters("slovej")
    assert swapped_letters("ab cd") == ["ab dc", "ba cd"]  # never across the space
    assert texts("slovej")[:1] == ["Solvej, 8000 Aarhus C"]


@needs_trigrams
def test_a_typo_ranks_after_an_exact_street(addresses):
    assert texts("noeregade 10") == ["Nørregade 10, 8000 Aarhus C"]
    assert texts("vestergade 12 aeroeskobing") == ["Vestergade 12, 5970 Ærøskøbing"]


def test_a_street_without_a_number_and_a_postcode_are_suggested_as_places(addresses):
    # in the folded names' order (solvaenget, solvej), a name's biggest postcode first
    assert texts("solv") == [
        "Solvænget, 8000 Aarhus C",
        "Solvej, 8000 Aarhus C",
        "Solvej, 8660 Skanderborg",
    ]
    assert [s.kind for s in suggest("solv")] == ["street"] * 3
    assert texts("solvej") == ["Solvej, 8000 Aarhus C", "Solvej, 8660 Skanderborg"]
    assert texts("solvej aarhus") == ["Solvej, 8000 Aarhus C"]
    assert texts("80") == ["8000 Aarhus C"]
    assert texts("8660") == ["8660 Skanderborg"]
    assert texts("8000 aarhus") == ["8000 Aarhus C"]


def test_retired_addresses_and_nonsense_give_nothing(addresses):
    assert texts("solvej 6") == []
    assert texts("xyzzy 4") == []
    assert texts("") == texts("  ,. ") == []
    assert texts("solvej 4 nowhere") == []


def test_every_suggestion_is_text_the_search_finds(addresses):
    for query in ("solvej 4", "solv", "aeroeskoebing", "80", "vestergade 12"):
        for suggestion in suggest(query):
            result = search({"adresse": suggestion.text})
            assert result.ok, (suggestion.text, result.errors)
            assert result.origin.latitude == pytest.approx(suggestion.latitude, abs=1e-3)


def test_the_parser_reads_street_number_floor_door_postcode_and_town():
    parsed = parse("H.C. Andersens Boulevard 12, 3. th, 1553 København V")
    assert (parsed.street, parsed.number, parsed.floor_door) == (
        "h c andersens boulevard", "12", ("3", "th")
    )  # fmt: skip
    assert (parsed.postcode, parsed.town) == ("1553", "koebenhavn v")


# --- The API --------------------------------------------------------------------------------


def test_the_api_answers_json_with_cache_headers(addresses, client):
    response = client.get("/api/v1/adresser", {"q": "solvej 4 aar"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    body = response.json()
    assert body["query"] == "solvej 4 aar"
    assert body["items"][0] == {
        "kind": "address",
        "text": "Solvej 4, 8000 Aarhus C",
        "street": "Solvej",
        "house_number": "4",
        "floor": None,
        "door": None,
        "postcode": "8000",
        "town": "Aarhus C",
        "latitude": 56.15,
        "longitude": 10.2,
        "id": addresses[0]["id"],
    }
    again = client.get(
        "/api/v1/adresser", {"q": "solvej 4 aar"}, HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_the_api_refuses_what_it_does_not_know(addresses, client):
    unknown = client.get("/api/v1/adresser", {"q": "solvej", "limit": "5"})
    assert unknown.status_code == 400
    assert unknown.json()["accepted"] == ["q"]
    assert client.get("/api/v1/adresser").status_code == 422
    assert client.get("/api/v1/adresser", {"q": "x" * 101}).status_code == 422
    assert client.get("/api/v1/adresser", {"q": "<script>"}).json()["items"] == []


def test_the_openapi_document_describes_the_suggestions(db, client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/adresser"]["get"]
    assert operation["operationId"] == "suggestAddresses"
    assert [p["name"] for p in operation["parameters"]] == ["q"]
    schema = document["components"]["schemas"]["AddressSuggestion"]
    assert all(p.get("description") for p in schema["properties"].values())


def test_the_query_count_is_small(addresses, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        suggest("solvej 4 aar")
    with django_assert_max_num_queries(6):
        suggest("aeroeskoebing")
    assert connection.vendor in ("postgresql", "sqlite")


# --- The search's error lists candidates as links --------------------------------------------


@needs_trigrams
def test_an_address_not_found_lists_what_the_suggestions_make_of_it(addresses, client):
    result = search({"adresse": "Solvje 4, 8000"})
    assert result.errors[0].message == (
        "Vi kan ikke finde adressen «Solvje 4, 8000». Tjek stavemåden, eller søg på "
        "postnummer, fx 8000. Mente du en af disse?"
    )
    choices = [c["label"] for c in result.address_choices]
    assert choices[0] == "Solvej 4, 8000 Aarhus C"
    response = client.get("/soeg/", {"adresse": "Solvje 4, 8000", "type": "helhedspleje"})
    assert response.status_code == 400
    html = response.content.decode()
    link = re.search(r'<a href="([^"]+)">Solvej 4, 8000 Aarhus C</a>', html)
    assert link, html
    assert "type=helhedspleje" in link.group(1)  # the rest of the search is kept
    followed = client.get(link.group(1).replace("&amp;", "&"))
    assert followed.status_code == 200
    assert "Solvej 4, 8000 Aarhus C" in followed.content.decode()


def test_a_street_alone_with_a_typo_or_an_unknown_number_says_so(addresses):
    unknown = search({"adresse": "Solvej 99, 8000"})
    assert unknown.errors[0].message.endswith("søg på postnummer, fx 8000.")  # nothing to offer
    assert unknown.address_choices == []
    begun = search({"adresse": "Solvæ"})  # no street of that name: the streets it begins
    assert [c["label"] for c in begun.address_choices] == ["Solvænget, 8000 Aarhus C"]
    assert begun.errors[0].message.endswith("Mente du en af disse?")


# --- The answers are shared between servers (the cache) and renewed by a DAR import ----------


def test_the_api_answer_is_what_its_schema_says_and_what_suggest_finds(addresses, client):
    from plov.opendata.api import AddressSuggestions

    response = client.get("/api/v1/adresser", {"q": "Qxzøvej 4"})
    assert response.json() == {"query": "Qxzøvej 4", "items": []}
    for typed in ("solvej 4 aar", "Solvej 4", "aeroeskoebing", "8000", "solv"):
        body = client.get("/api/v1/adresser", {"q": typed}).content
        answer = AddressSuggestions.model_validate_json(body)
        assert answer.query == typed
        assert answer.model_dump()["items"] == [s.as_dict() for s in suggest(typed)]
        assert answer.items


def test_the_same_text_typed_again_is_answered_from_the_shared_cache(
    addresses, client, django_assert_num_queries
):
    first = client.get("/api/v1/adresser", {"q": "solvej 4 aar"}).json()
    with django_assert_num_queries(0):
        # the same text folded: case and spaces do not matter
        again = client.get("/api/v1/adresser", {"q": "Solvej  4 AAR"}).json()
    assert again["items"] == first["items"] and again["query"] == "Solvej  4 AAR"


def test_a_dar_import_that_changes_something_renews_the_answers(
    addresses, client, tmp_path, django_capture_on_commit_callbacks
):
    before = client.get("/api/v1/adresser", {"q": "solvej 4 skand"}).json()["items"]
    assert [i["text"] for i in before] == ["Solvej 4, 8660 Skanderborg"]
    new = dar_address("c0000000-0000-0000-0000-0000000000aa", street="Solvej",
                      house_number="4B", status=1, lon=9.93, lat=56.04, **SKANDERBORG)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        import_dar(write_jsonl(tmp_path / "dar-delta.jsonl", [new]))
    after = client.get("/api/v1/adresser", {"q": "solvej 4 skand"}).json()["items"]
    assert [i["text"] for i in after] == [
        "Solvej 4, 8660 Skanderborg",
        "Solvej 4B, 8660 Skanderborg",
    ]

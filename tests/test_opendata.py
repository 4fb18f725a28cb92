"""Open data: /api/v1/ (JSON + OpenAPI), /data/enheder.csv and /data/fhir.json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.http import http_date

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.clock import today
from plov.opendata.api import api
from plov.opendata.exports import CSV_HEADER, CVR_SYSTEM, SOR_SYSTEM, UNIT_KIND_SYSTEM
from plov.publishing.refresh import refresh_publication
from plov.publishing.visibility import visible_units
from plov.supervision.authorities import authority_by_municipality
from plov.units.models import Unit, UnitContent, UnitKind
from tests import country as c

AARHUS, SKANDERBORG, ODDER = 751, 746, 727


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def agree(sor_id, party, type_, *, start=None, end=None, ref=None) -> ServiceAgreement:
    return ServiceAgreement.objects.create(
        municipality_id=party,
        unit=unit(sor_id),
        type=type_,
        start=start or today() - dt.timedelta(days=30),
        end=end,
        reference=ref or f"{party}-{sor_id}-{type_}-{start}",
    )


def content(sor_id: str, **fields) -> None:
    UnitContent.objects.update_or_create(unit=unit(sor_id), defaults=fields)


@pytest.fixture
def shown(imported):
    """Solgården, Lindehuset and the three home-care sites published, with agreements.

    Omsorgshuset Skanderborg (private home-care site) has a described driftsoverenskomst with
    Aarhus and an undescribed one with Skanderborg: published, shown in Aarhus only. Kærbo has
    an agreement but an invalid address: not published.
    """
    content(c.SOLGAARDEN, p_number=c.P_SOLGAARDEN, homes=48, full_time_employees=Decimal("31.5"))
    content(c.LINDEHUS, p_number=c.P_LINDEHUS)
    content(c.SITE_NORTH, p_number=c.P_SITE_NORTH)
    content(c.SITE_SOUTH, p_number=c.P_SITE_SOUTH)
    content(c.SITE_PRIVATE, p_number=c.P_SITE_PRIVATE)
    agree(c.SOLGAARDEN, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SOLGAARDEN, ODDER, AgreementType.OPERATING_AGREEMENT)
    agree(c.SITE_NORTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_SOUTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.LINDEHUS, AARHUS, AgreementType.OPERATING_AGREEMENT)
    agree(c.SITE_PRIVATE, AARHUS, AgreementType.OPERATING_AGREEMENT)
    agree(c.SITE_PRIVATE, SKANDERBORG, AgreementType.OPERATING_AGREEMENT)
    AgreementDescription.objects.create(
        unit=unit(c.SITE_PRIVATE), municipality_id=AARHUS, text="Hjælp døgnet rundt."
    )
    agree(c.KAERBO, AARHUS, AgreementType.OWN_PRODUCTION)
    # Not in force today: ended yesterday, starts tomorrow.
    agree(
        c.LINDEHUS,
        SKANDERBORG,
        AgreementType.OPERATING_AGREEMENT,
        start=today() - dt.timedelta(days=400),
        end=today() - dt.timedelta(days=1),
    )
    agree(c.SITE_NORTH, ODDER, AgreementType.OWN_PRODUCTION, start=today() + dt.timedelta(days=1))
    refresh_publication()
    return imported


def published_ids() -> list[int]:
    return sorted(Unit.objects.published().values_list("pk", flat=True))


def get_all(client, url: str, **params) -> list[dict]:
    items, offset = [], 0
    while True:
        page = client.get(url, {**params, "limit": 2, "offset": offset}).json()
        items += page["items"]
        offset += 2
        if offset >= page["total"]:
            return items


# --- /api/v1/units -------------------------------------------------------------------------


def test_the_list_holds_exactly_the_published_open_units(shown, client):
    assert {u.sor_id for u in Unit.objects.published()} >= {
        c.SOLGAARDEN,
        c.LINDEHUS,
        c.SITE_NORTH,
        c.SITE_SOUTH,
        c.SITE_PRIVATE,
    }
    response = client.get("/api/v1/units")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["total"] == len(published_ids())
    assert [u["id"] for u in body["items"]] == published_ids()
    assert c.KAERBO not in {u["sor_id"] for u in body["items"]}


def test_a_unit_in_the_list_has_the_listing_shape_and_danish_text_intact(shown, client):
    items = {u["sor_id"]: u for u in client.get("/api/v1/units").json()["items"]}
    solgaarden = items[c.SOLGAARDEN]
    assert solgaarden["name"] == "Plejecenter Solgården"
    assert solgaarden["kind"] == "care_home" and solgaarden["kind_label"] == "Plejeenhed"
    assert solgaarden["category"] == "Plejehjem"
    assert solgaarden["owner_cvr"] == c.AARHUS_CVR
    assert solgaarden["municipality"] == "751"
    assert solgaarden["municipality_name"] == "Aarhus"
    assert solgaarden["supervising_authority"] == authority_by_municipality()[AARHUS]
    assert solgaarden["visiting_address"]["street"] == "Solvej"
    assert solgaarden["homes"] == 48
    assert solgaarden["full_time_employees"] == 31.5
    assert solgaarden["full_time_employees_source"] == "unit"
    assert solgaarden["phone"] == "87131000"
    assert {a["kommune"] for a in solgaarden["agreements"]} == {"751", "727"}
    # Odder's driftsoverenskomst for a care home needs no description: shown in both.
    assert [m["code"] for m in solgaarden["shown_in"]] == ["727", "751"]
    private_site = items[c.SITE_PRIVATE]
    assert [m["code"] for m in private_site["shown_in"]] == ["751"]  # Skanderborg undescribed
    assert private_site["provider_id"] == unit(c.SITE_PRIVATE).parent_id
    assert private_site["visiting_address"]["floor"] == "1"


def test_pages_cover_the_list_once_in_a_stable_order(shown, client):
    first = [u["id"] for u in get_all(client, "/api/v1/units")]
    again = [u["id"] for u in get_all(client, "/api/v1/units")]
    assert first == again == published_ids()
    page = client.get("/api/v1/units", {"limit": 1, "offset": 1}).json()
    assert page["limit"] == 1 and page["offset"] == 1
    assert [u["id"] for u in page["items"]] == published_ids()[1:2]


@pytest.mark.parametrize("offset", [10_000, 2**63, 10**30])
def test_an_offset_past_the_end_gives_an_empty_page(shown, client, offset):
    response = client.get("/api/v1/units", {"offset": offset})
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json()["total"] == len(published_ids())


@pytest.mark.parametrize("code", [AARHUS, SKANDERBORG, ODDER, 101])
def test_kommune_gives_exactly_what_a_citizen_searching_it_sees(shown, client, code):
    listed = {u["id"] for u in get_all(client, "/api/v1/units", kommune=f"{code:03d}")}
    assert listed == set(visible_units(code).values_list("pk", flat=True))
    if code == AARHUS:
        assert {unit(s).pk for s in (c.SOLGAARDEN, c.LINDEHUS, c.SITE_PRIVATE)} <= listed
    if code == SKANDERBORG:
        assert listed == set()  # its only agreement is undescribed, one is over


def test_kind_filters_and_combines_with_kommune(shown, client):
    sites = get_all(client, "/api/v1/units", kind="home_care_site")
    assert {u["sor_id"] for u in sites} == {c.SITE_NORTH, c.SITE_SOUTH, c.SITE_PRIVATE}
    homes = get_all(client, "/api/v1/units", kind="care_home", kommune="727")
    assert [u["sor_id"] for u in homes] == [c.SOLGAARDEN]
    providers = get_all(client, "/api/v1/units", kind="home_care_provider")
    assert providers and all(u["sor_id"] is None for u in providers)


def test_updated_since_compares_with_the_later_of_register_and_content(shown, client):
    long_ago = timezone.now() - dt.timedelta(days=10)
    Unit.objects.update(register_updated_at=long_ago)
    UnitContent.objects.update(updated_at=long_ago)
    recent = timezone.now() - dt.timedelta(hours=1)
    UnitContent.objects.filter(unit__sor_id=c.LINDEHUS).update(updated_at=recent)
    Unit.objects.filter(sor_id=c.SITE_NORTH).update(register_updated_at=recent)

    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    listed = get_all(client, "/api/v1/units", updated_since=since)
    assert {u["sor_id"] for u in listed} == {c.LINDEHUS, c.SITE_NORTH}
    # Without a zone the time is Danish time.
    naive = timezone.localtime(recent).replace(tzinfo=None).isoformat()
    assert {u["sor_id"] for u in get_all(client, "/api/v1/units", updated_since=naive)} == {
        c.LINDEHUS,
        c.SITE_NORTH,
    }
    assert get_all(client, "/api/v1/units", updated_since="2999-01-01T00:00:00Z") == []


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ti"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"kommune": "75"}, "kommune"),
        ({"kommune": "Aarhus"}, "kommune"),
        ({"kind": "plejehjem"}, "kind"),
        ({"updated_since": "i går"}, "updated_since"),
    ],
)
def test_bad_parameters_are_422_with_a_clear_message(shown, client, params, parameter):
    response = client.get("/api/v1/units", params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Ugyldig forespørgsel: " + parameter)
    assert [e["parameter"] for e in body["errors"]] == [parameter]


def test_an_unknown_parameter_is_400_naming_the_accepted_ones(shown, client):
    # `municipality` instead of `kommune`: not the whole list as if unfiltered
    response = client.get("/api/v1/units", {"municipality": "751"})
    assert response.status_code == 400
    body = response.json()
    document = client.get("/api/v1/openapi.json").json()
    documented = [
        p["name"] for p in document["paths"]["/api/v1/units"]["get"]["parameters"]
        if p["in"] == "query"
    ]  # fmt: skip
    assert body["accepted"] == documented
    assert set(documented) == {"kommune", "kind", "updated_since", "limit", "offset"}
    assert body["detail"] == (
        "Ukendt parameter: municipality. Tilladte parametre: " + ", ".join(documented) + "."
    )
    assert [e["parameter"] for e in body["errors"]] == ["municipality"]
    assert "400" in document["paths"]["/api/v1/units"]["get"]["responses"]
    # a known parameter beside an unknown one does not make it acceptable
    response = client.get("/api/v1/units", {"kommune": "751", "side": "2", "sort": "navn"})
    assert response.status_code == 400
    assert [e["parameter"] for e in response.json()["errors"]] == ["side", "sort"]
    # each operation has its own list; one without parameters accepts none
    response = client.get("/api/v1/agreements", {"kind": "care_home"})
    assert response.status_code == 400 and response.json()["accepted"] == [
        "kommune", "limit", "offset"
    ]  # fmt: skip
    assert client.get("/api/v1/supervising-authorities", {"x": "1"}).status_code == 400
    unit = Unit.objects.filter(published=True).first()
    assert client.get(f"/api/v1/units/{unit.pk}", {"format": "json"}).status_code == 400
    # the known ones still work
    assert client.get("/api/v1/units", {"kommune": "751", "limit": 5}).status_code == 200
    assert client.get(f"/api/v1/units/{unit.pk}").status_code == 200


def test_kommune_is_described_in_english_too(db, client):
    document = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/units", "/api/v1/agreements"):
        (kommune,) = [
            p for p in document["paths"][path]["get"]["parameters"] if p["name"] == "kommune"
        ]
        assert "English:" in kommune["description"] and "municipality" in kommune["description"]


def test_an_unknown_municipality_is_404(shown, client):
    response = client.get("/api/v1/units", {"kommune": "999"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Kommunekoden 999 findes ikke."


@pytest.mark.parametrize(
    "value", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00"]
)
def test_updated_since_at_the_ends_of_the_calendar_is_no_error(shown, client, value):
    response = client.get("/api/v1/units", {"updated_since": value})
    assert response.status_code == 200
    assert response.json()["total"] in (0, len(published_ids()))


# --- /api/v1/units/{id} --------------------------------------------------------------------


def test_one_published_unit(shown, client):
    solgaarden = unit(c.SOLGAARDEN)
    response = client.get(f"/api/v1/units/{solgaarden.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == solgaarden.pk and body["sor_id"] == c.SOLGAARDEN
    listed = next(u for u in client.get("/api/v1/units").json()["items"] if u["id"] == body["id"])
    # the unit alone adds its quality figures with their verdicts (tests/test_verdicts_api.py)
    assert body.pop("quality") == []
    assert body == listed


def test_an_unpublished_or_missing_unit_is_404(shown, client):
    kaerbo = unit(c.KAERBO)
    assert not kaerbo.published
    assert client.get(f"/api/v1/units/{kaerbo.pk}").status_code == 404
    assert client.get("/api/v1/units/987654321").status_code == 404
    assert client.get(f"/api/v1/units/{2**63 - 1}").status_code == 404


def test_a_closed_unit_is_410(shown, client, tmp_path):
    from plov.registers.sor import import_sor

    shown.sor = [e for e in shown.sor if e.sor_id != c.SOLGAARDEN]
    import_sor(shown.write(tmp_path / "day2")[0])
    solgaarden = unit(c.SOLGAARDEN)
    assert solgaarden.closed_on is not None
    response = client.get(f"/api/v1/units/{solgaarden.pk}")
    assert response.status_code == 410
    assert "lukket" in response.json()["detail"]
    assert solgaarden.pk not in {u["id"] for u in client.get("/api/v1/units").json()["items"]}


@pytest.mark.parametrize("value", ["abc", "0", "-3", str(2**63), "1.5"])
def test_a_bad_unit_id_is_422(shown, client, value):
    response = client.get(f"/api/v1/units/{value}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "id"


# --- /api/v1/agreements ---------------------------------------------------------------------


def test_agreements_in_force_today_for_published_units(shown, client):
    items = get_all(client, "/api/v1/agreements")
    expected = ServiceAgreement.objects.in_force(today()).filter(unit__published=True)
    assert sorted(a["id"] for a in items) == sorted(expected.values_list("pk", flat=True))
    assert [a["id"] for a in items] == sorted(a["id"] for a in items)
    listed_units = {a["unit_sor_id"] for a in items}
    assert c.KAERBO not in listed_units  # not published
    assert not any(a["end"] and a["end"] < today().isoformat() for a in items)  # ended
    assert not any(a["start"] > today().isoformat() for a in items)  # not started
    solgaarden = next(
        a for a in items if a["unit_sor_id"] == c.SOLGAARDEN and a["kommune"] == "751"
    )
    assert solgaarden["kommune_name"] == "Aarhus"
    assert solgaarden["type"] == "myndighedsproduktion"
    assert solgaarden["unit_name"] == "Plejecenter Solgården"


@pytest.mark.parametrize("code", [AARHUS, SKANDERBORG, ODDER])
def test_agreements_of_one_municipality_and_which_make_units_visible(shown, client, code):
    items = get_all(client, "/api/v1/agreements", kommune=f"{code:03d}")
    assert {a["kommune"] for a in items} <= {f"{code:03d}"}
    counting = {a["unit_id"] for a in items if a["shown_in_search"]}
    assert counting == set(visible_units(code).values_list("pk", flat=True))
    if code == SKANDERBORG:
        assert [(a["unit_sor_id"], a["shown_in_search"]) for a in items] == [
            (c.SITE_PRIVATE, False)
        ]


def test_agreements_reject_bad_parameters(shown, client):
    assert client.get("/api/v1/agreements", {"kommune": "7510"}).status_code == 422
    assert client.get("/api/v1/agreements", {"limit": 1000}).status_code == 422
    assert client.get("/api/v1/agreements", {"kommune": "998"}).status_code == 404
    assert client.get("/api/v1/agreements", {"offset": 10**25}).json()["items"] == []


# --- /api/v1/supervising-authorities ---------------------------------------------------------


def test_supervising_authorities_with_the_municipalities_they_cover_today(db, client):
    body = client.get("/api/v1/supervising-authorities").json()
    coverage = authority_by_municipality()
    assert body and coverage
    listed = {m["code"]: a["name"] for a in body for m in a["municipalities"]}
    assert listed == {f"{code:03d}": name for code, name in coverage.items()}
    aarhus = next(m for a in body for m in a["municipalities"] if m["code"] == "751")
    assert aarhus["name"] == "Aarhus"
    assert [a["name"] for a in body] == sorted(a["name"] for a in body)


# --- caching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/units", "/api/v1/agreements", "/api/v1/supervising-authorities", "/data/fhir.json"],
)
def test_etag_and_304(shown, client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=300"
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert client.get(url)["ETag"] == etag  # same data, same bytes

    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Cache-Control"] == "public, max-age=300"
    # GZipMiddleware weakens the ETag it sends; the weak form must match too.
    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other", ' + etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_changes_with_the_data(shown, client):
    etag = client.get("/api/v1/units")["ETag"]
    Unit.objects.filter(sor_id=c.LINDEHUS).update(name="Lindehuset – Ny afdeling")
    changed = client.get("/api/v1/units", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_last_modified_is_the_latest_update_among_the_returned_units(shown, client):
    base = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    Unit.objects.update(register_updated_at=base)
    UnitContent.objects.update(updated_at=base)
    latest = base + dt.timedelta(hours=5)
    UnitContent.objects.filter(unit__sor_id=c.LINDEHUS).update(updated_at=latest)

    response = client.get("/api/v1/units")
    assert response["Last-Modified"] == http_date(latest.timestamp())
    lindehus = unit(c.LINDEHUS).pk
    other_page = [pk for pk in published_ids() if pk != lindehus][:1]
    page = client.get("/api/v1/units", {"limit": 1, "offset": published_ids().index(other_page[0])})
    assert page["Last-Modified"] == http_date(base.timestamp())

    one = client.get(f"/api/v1/units/{lindehus}")
    assert one["Last-Modified"] == http_date(latest.timestamp())
    since = client.get(
        "/api/v1/units", headers={"If-Modified-Since": http_date(latest.timestamp())}
    )
    assert since.status_code == 304
    before = http_date((latest - dt.timedelta(seconds=1)).timestamp())
    assert client.get("/api/v1/units", headers={"If-Modified-Since": before}).status_code == 200
    # An ETag that does not match wins over a date that does.
    assert (
        client.get(
            "/api/v1/units",
            headers={"If-Modified-Since": http_date(latest.timestamp()), "If-None-Match": '"x"'},
        ).status_code
        == 200
    )
    empty = client.get("/api/v1/units", {"offset": 1000})
    assert "Last-Modified" not in empty


# --- OpenAPI and docs -----------------------------------------------------------------------


def test_the_openapi_document_describes_every_endpoint(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Plejeoverblikket – åbne data"
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) == {
        "/api/v1/units",
        "/api/v1/units/{id}",
        "/api/v1/agreements",
        "/api/v1/supervising-authorities",
        "/api/v1/changes",
        "/api/v1/adresser",
        # Ældretilsynet's authoritative list: logged-in supervisors and the agency only.
        "/api/v1/tilsyn/enheder",
        "/api/v1/tilsyn/enheder.csv",
        "/api/v1/tilsyn/aendringer",
        "/api/v1/tilsyn/aendringer.csv",
    }
    unit_schema = document["components"]["schemas"]["UnitOut"]
    assert all(p.get("description") for p in unit_schema["properties"].values())


def test_the_docs_page_is_self_contained(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/api/v1/openapi.json"' in page
    for path in ("/api/v1/units", "/api/v1/units/{id}", "/api/v1/agreements"):
        assert f"<h3><code>GET {path}</code>" in page
    assert "<td><code>kommune</code></td>" in page  # parameters
    assert "<td><code>shown_in</code></td>" in page  # response fields
    assert "&lt;" not in page  # markup is not escaped twice
    assert 'href="/data/enheder.csv"' in page and 'href="/data/fhir.json"' in page
    assert "<script" not in page
    # Nothing from another host: no absolute URL anywhere, no protocol-relative one either.
    assert not re.search(r"(https?:)?//", page)
    assert api.docs_url is None  # ninja's Swagger page would load from a CDN


# --- /data/enheder.csv ----------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == CSV_HEADER
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_csv_has_one_row_per_published_unit(shown, client):
    response = client.get("/data/enheder.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="enheder.csv"'
    rows = read_csv(response)
    assert len(rows) == len(published_ids())
    assert {r["SOR-ID"] for r in rows if r["SOR-ID"]} == set(
        Unit.objects.published().exclude(sor_id=None).values_list("sor_id", flat=True)
    )


def test_the_csv_speaks_danish(shown, client):
    rows = {r["SOR-ID"]: r for r in read_csv(client.get("/data/enheder.csv"))}
    solgaarden = rows[c.SOLGAARDEN]
    assert solgaarden["Navn"] == "Plejecenter Solgården"
    assert solgaarden["Type"] == "Plejeenhed"
    assert solgaarden["Ejer"] == "Aarhus Kommune"
    assert solgaarden["Ejers CVR"] == c.AARHUS_CVR
    assert solgaarden["Adresse"] == "Solvej 4"
    assert solgaarden["Postnummer"] == "8000"
    assert solgaarden["By"] == "Aarhus C"
    assert solgaarden["Beliggenhedskommune"] == "Aarhus"
    assert solgaarden["Tilsynsmyndighed"] == authority_by_municipality()[AARHUS]
    assert solgaarden["Antal boliger"] == "48"
    assert solgaarden["Fuldtidsmedarbejdere"] == "31,5"
    assert solgaarden["Kommuner med aftale"] == "Odder, Aarhus"
    # Danish time with its UTC offset (+01:00 in winter, +02:00 in summer)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+0[12]:00", solgaarden["Senest opdateret"])
    private_site = rows[c.SITE_PRIVATE]
    assert private_site["Type"] == "Helhedsplejeleverandørsted"
    assert private_site["Adresse"] == "Adelgade 3, 1. tv"
    assert private_site["Kommuner med aftale"] == "Aarhus"
    assert private_site["Ejer"] == "Omsorgshuset ApS"


# --- /data/fhir.json ------------------------------------------------------------------------


def test_the_fhir_export_is_a_valid_r4_bundle(shown, client):
    # fhir.resources 8 ships R5 (default), R4B (4.3.0) and STU3; R4B is the R4 line it has.
    from fhir.resources.R4B.bundle import Bundle

    response = client.get("/data/fhir.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json; fhirVersion=4.0")
    bundle = Bundle.model_validate_json(response.content)
    assert bundle.type == "collection"
    # it says which FHIR version it is written for
    assert bundle.meta.profile == ["http://hl7.org/fhir/StructureDefinition/Bundle|4.0.1"]

    resources = [e.resource for e in bundle.entry]
    by_type: dict[str, list] = {}
    for resource in resources:
        by_type.setdefault(resource.get_resource_type(), []).append(resource)
    physical = Unit.objects.published().exclude(kind=UnitKind.HOME_CARE_PROVIDER)
    areas = {"751", "727"}  # municipalities with agreements that show a unit
    assert len(by_type["HealthcareService"]) == physical.count()
    assert len(by_type["Location"]) == physical.count() + len(areas)
    assert len(by_type["Organization"]) == physical.values("owner").distinct().count() == 2

    urls = {e.fullUrl for e in bundle.entry}
    assert len(urls) == len(resources)
    by_url = {e.fullUrl: e.resource for e in bundle.entry}

    owners = {o.name: {i.system: i.value for i in o.identifier} for o in by_type["Organization"]}
    assert owners["Aarhus Kommune"][CVR_SYSTEM] == c.AARHUS_CVR
    assert owners["Aarhus Kommune"][SOR_SYSTEM] == c.AARHUS
    assert owners["Omsorgshuset ApS"][CVR_SYSTEM] == c.COMPANY_CVR

    services = {s.identifier[0].value: s for s in by_type["HealthcareService"]}
    assert set(services) == set(physical.values_list("sor_id", flat=True))
    solgaarden = services[c.SOLGAARDEN]
    assert solgaarden.identifier[0].system == SOR_SYSTEM
    assert solgaarden.category[0].text == "Plejehjem"
    assert by_url[solgaarden.providedBy.reference].name == "Aarhus Kommune"
    location = by_url[solgaarden.location[0].reference]
    assert location.name == "Plejecenter Solgården"
    assert location.address.line == ["Solvej 4"] and location.address.postalCode == "8000"
    assert location.address.city == "Aarhus C"
    assert float(location.position.latitude) == pytest.approx(56.1535, abs=1e-4)
    assert float(location.position.longitude) == pytest.approx(10.2039, abs=1e-4)
    assert {by_url[a.reference].name for a in solgaarden.coverageArea} == {
        "Aarhus Kommune",
        "Odder Kommune",
    }
    # the unit's kind, coded, and the municipalities served under agreements, named
    assert [(k.system, k.code, k.display) for k in solgaarden.type[0].coding] == [
        (UNIT_KIND_SYSTEM, "care_home", "Plejeenhed")
    ]
    assert {a.display for a in solgaarden.coverageArea} == {"Aarhus Kommune", "Odder Kommune"}
    site = services[c.SITE_PRIVATE]
    assert site.type[0].coding[0].code == "home_care_site"
    assert site.category[0].text == "Helhedspleje"
    assert by_url[site.providedBy.reference].name == "Omsorgshuset ApS"
    assert [by_url[a.reference].name for a in site.coverageArea] == ["Aarhus Kommune"]

    raw = json.loads(response.content)
    assert raw["resourceType"] == "Bundle"
    assert "urn:oid:1.2.208.176.1.2" not in response.content.decode()  # that is CPR, not CVR


@pytest.mark.parametrize("url", ["/api/v1/units", "/data/enheder.csv"])
def test_any_web_page_may_read_the_open_data(shown, client, url):
    """CORS: a browser app elsewhere may fetch the open data (no cookies), and a preflight
    for anything but reading is not granted."""
    response = client.get(url, HTTP_ORIGIN="https://kommune.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response.get("Access-Control-Expose-Headers", "")
    preflight = client.options(
        url, HTTP_ORIGIN="https://kommune.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="DELETE"
    )
    assert "DELETE" not in preflight.get("Access-Control-Allow-Methods", "")


@pytest.mark.parametrize("url", ["/admin/", "/", "/api/v1/tilsyn/enheder"])
def test_the_back_office_the_site_and_the_supervisors_api_allow_no_other_origin(db, client, url):
    response = client.get(url, HTTP_ORIGIN="https://kommune.example")
    assert "Access-Control-Allow-Origin" not in response


def test_municipalities_have_their_official_names_everywhere(shown, client):
    from plov.public.search import search
    from plov.units.models import Municipality

    # the reference data, as migrations load them from municipalities.csv
    assert Municipality.objects.get(code=101).full_name == "Københavns Kommune"
    assert str(Municipality.objects.get(code=400)) == "Bornholms Regionskommune"
    assert Municipality.objects.get(code=751).full_name == "Aarhus Kommune"
    # the site's search heading
    assert search({"kommune": "101"}).heading == "Plejehjem i Københavns Kommune"
    assert search({"kommune": "Bornholm"}).heading == "Plejehjem i Bornholms Regionskommune"
    # FHIR: the municipality a unit is shown in is a Location with its official name
    agree(c.SOLGAARDEN, 400, AgreementType.OPERATING_AGREEMENT)
    agree(c.SOLGAARDEN, 101, AgreementType.OPERATING_AGREEMENT)
    bundle = client.get("/data/fhir.json").json()
    areas = {
        e["resource"]["name"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Location"
        and e["resource"]["id"].startswith("kommune-")
    }
    assert {"Københavns Kommune", "Bornholms Regionskommune"} <= areas
    assert "København Kommune" not in areas and "Bornholm Kommune" not in areas


def test_the_demo_names_municipal_owners_officially():
    from plov.demo.generator import DemoGenerator

    places = DemoGenerator(scale=0.05)  # reads the reference data; generates nothing yet
    assert places.places[101].owner_name == "Københavns Kommune"
    assert places.places[400].owner_name == "Bornholms Regionskommune"


@pytest.mark.parametrize("url", ["/api/v1/units", "/api/v1/agreements"])
def test_list_pages_link_next_and_previous(shown, client, url):
    first = client.get(url, {"limit": 2})
    body = first.json()
    assert body["previous"] is None
    assert body["next"] == f"http://testserver{url}?limit=2&offset=2"
    assert f'<{body["next"]}>; rel="next"' in first["Link"]
    seen, page = [], body
    while True:
        seen += [i["id"] for i in page["items"]]
        if page["next"] is None:
            break
        page = client.get(page["next"]).json()
        assert page["previous"] is not None
    assert len(seen) == body["total"] == len(set(seen))
    kept = client.get(url, {"limit": 1, "kommune": "751"}).json()
    if kept["next"]:
        assert "kommune=751" in kept["next"]

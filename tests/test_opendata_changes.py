"""The change feed /api/v1/changes: units created, changed (which fields), closed, published
or hidden, agreements started and ended; paged with next/previous and a Link header."""

from __future__ import annotations

import datetime as dt

import pytest

from plov import clock
from plov.opendata.changes import record_content_change
from plov.opendata.models import ChangeEvent
from plov.publishing.refresh import refresh_publication
from plov.registers.sor import import_sor
from plov.units.models import Unit
from tests import country as c
from tests.test_opendata import shown  # noqa: F401  (fixture)

TODAY = clock.today()
SINCE = (TODAY - dt.timedelta(days=60)).isoformat()


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def feed(client, **params) -> list[dict]:
    """Every change, following the `next` links from the first page."""
    response = client.get("/api/v1/changes", {"limit": 3, **params})
    assert response.status_code == 200, response.content
    items = []
    while True:
        body = response.json()
        items += body["items"]
        if body["next"] is None:
            return items
        response = client.get(body["next"])
        assert response.status_code == 200


def kinds(items, sor_id: str) -> list[str]:
    return [i["kind"] for i in items if i["unit_sor_id"] == sor_id]


@pytest.mark.usefixtures("shown")
def test_publication_and_agreements_are_in_the_feed(client):
    items = feed(client, since=SINCE)
    published = set(Unit.objects.published().values_list("sor_id", flat=True))
    assert {i["unit_sor_id"] for i in items if i["kind"] == "unit_published"} == published
    assert c.KAERBO not in {i["unit_sor_id"] for i in items}  # never shown: never in the feed
    # Solgården's two agreements started 30 days ago; Lindehus' Skanderborg one ended
    # yesterday (it ends at midnight today, or when registered if later, as here); Site North's
    # Odder one starts tomorrow: not yet.
    assert kinds(items, c.SOLGAARDEN).count("agreement_started") == 2
    ended = [i for i in items if i["kind"] == "agreement_ended"]
    assert [(i["unit_sor_id"], i["agreement"]["kommune"]) for i in ended] == [(c.LINDEHUS, "746")]
    assert ended[0]["at"].startswith(TODAY.isoformat())
    assert not [
        i
        for i in items
        if i["unit_sor_id"] == c.SITE_NORTH
        and i["agreement"]
        and i["agreement"]["kommune"] == "727"
    ]
    assert [i["at"] for i in items] == sorted(i["at"] for i in items)  # oldest first
    assert len({i["id"] for i in items}) == len(items)


def test_a_sor_import_records_created_changed_and_closed(request, db, client, tmp_path):
    country = request.getfixturevalue("shown").copy()
    country.entity(c.SOLGAARDEN).name = "Plejecenter Solgården Syd"
    country.entity(c.SOLGAARDEN).phone = "70 10 20 30"
    country.entity(c.KAERBO).name = "Kærbo (nyt navn)"  # not shown: not in the feed
    country.sor.remove(country.entity(c.LINDEHUS))  # missing from SOR: closed
    country.sor.append(
        c.private("300000000099", "Nyt Plejehjem", visiting=country.entity(c.SOLGAARDEN).visiting)
    )
    sor_path, _, _ = country.write(tmp_path / "day2")
    before = ChangeEvent.objects.count()
    import_sor(sor_path, allow_mass_closure=True)
    refresh_publication()
    assert ChangeEvent.objects.count() > before

    items = feed(client, since=TODAY.isoformat())
    changed = [i for i in items if i["kind"] == "unit_changed"]
    assert [(i["unit_sor_id"], i["fields"]) for i in changed] == [(c.SOLGAARDEN, ["name", "phone"])]
    assert changed[0]["unit_name"] == "Plejecenter Solgården Syd"
    assert "unit_closed" in kinds(items, c.LINDEHUS)
    assert "300000000099" not in {i["unit_sor_id"] for i in items}  # created, not shown
    assert ChangeEvent.objects.filter(unit=unit("300000000099"), kind="unit_created").exists()
    assert c.KAERBO not in {i["unit_sor_id"] for i in items}


@pytest.mark.usefixtures("shown")
def test_an_editors_change_lists_the_public_fields_that_changed(client):
    solgaarden = unit(c.SOLGAARDEN)
    record_content_change(
        solgaarden.pk, {"homes": 48, "food": "<p>Hjemmelavet</p>", "internal_note": "a"},
        {"homes": 50, "food": "<p>Hjemmelavet</p>", "internal_note": "b"}, public=True,
    )  # fmt: skip
    record_content_change(unit(c.KAERBO).pk, None, {"homes": 10}, public=False)
    items = [i for i in feed(client, since=TODAY.isoformat()) if i["kind"] == "unit_changed"]
    assert [(i["unit_sor_id"], i["fields"]) for i in items] == [(c.SOLGAARDEN, ["homes"])]


@pytest.mark.usefixtures("shown")
def test_a_unit_hidden_is_in_the_feed(client):
    solgaarden = unit(c.SOLGAARDEN)
    solgaarden.content.p_number = ""
    solgaarden.content.save()
    refresh_publication()
    assert not unit(c.SOLGAARDEN).published
    items = feed(client, since=TODAY.isoformat())
    assert kinds(items, c.SOLGAARDEN)[-1] == "unit_hidden"


@pytest.mark.usefixtures("shown")
def test_pages_link_next_and_previous_and_send_a_link_header(client):
    first = client.get("/api/v1/changes", {"since": SINCE, "limit": 2})
    body = first.json()
    assert body["total"] > 4 and body["previous"] is None
    assert body["next"] == f"http://testserver/api/v1/changes?since={SINCE}&limit=2&offset=2"
    link = first["Link"]
    assert f'<{body["next"]}>; rel="next"' in link
    assert '; rel="first"' in link and '; rel="last"' in link and 'rel="prev"' not in link
    second = client.get(body["next"]).json()
    assert second["offset"] == 2
    assert second["previous"] == f"http://testserver/api/v1/changes?since={SINCE}&limit=2&offset=0"
    last_offset = (body["total"] - 1) // 2 * 2
    last = client.get("/api/v1/changes", {"since": SINCE, "limit": 2, "offset": last_offset})
    assert last.json()["next"] is None and 'rel="next"' not in last["Link"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/changes", 422),  # since is required
        ("/api/v1/changes?since=igår", 422),
        ("/api/v1/changes?since=2026-02-30", 422),
        ("/api/v1/changes?since=2026-01-01&limit=0", 422),
        ("/api/v1/changes?since=2026-01-01&from=2026-01-01", 400),
        ("/api/v1/changes?since=9999-12-31", 200),
        ("/api/v1/changes?since=0001-01-01", 200),
    ],
)
def test_bad_parameters_are_refused_as_the_api_does(db, client, url, status):
    response = client.get(url)
    assert response.status_code == status, response.content
    if status == 400:
        assert response.json()["accepted"] == ["since", "limit", "offset"]


def test_the_feed_is_in_the_openapi_document(db, client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/changes"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"since", "limit", "offset"}
    assert parameters["since"]["required"] is True
    assert "English" in parameters["since"]["description"]


@pytest.mark.usefixtures("shown")
def test_a_dar_import_that_moves_a_unit_is_a_change(client, tmp_path, request):
    from plov.registers.dar import import_dar

    country = request.getfixturevalue("country")
    solgaarden = country.entity(c.SOLGAARDEN).visiting
    moved = [dict(a) for a in country.dar]
    for address in moved:
        if (
            address.get("vejnavn") == solgaarden.street
            and address.get("husnr") == solgaarden.house_number
        ):
            address["y"] = float(address["y"]) + 0.01  # the address point is moved
    country.dar = moved
    _, _, dar_path = country.write(tmp_path / "dar2")
    import_dar(dar_path)
    items = [i for i in feed(client, since=TODAY.isoformat()) if i["kind"] == "unit_changed"]
    assert [(i["unit_sor_id"], i["fields"]) for i in items] == [(c.SOLGAARDEN, ["latitude"])]


@pytest.mark.usefixtures("shown")
def test_the_editorial_import_records_the_fields_it_changed(client, tmp_path):
    import json

    from plov.units.editorial import import_editorial

    path = tmp_path / "editorial.json"
    path.write_text(json.dumps([
        {"sor_id": c.SOLGAARDEN, "homes": 60, "food": "<p>Hjemmelavet mad</p>"},
        {"sor_id": c.KAERBO, "homes": 12},  # not shown: not in the feed
    ]), encoding="utf-8")  # fmt: skip
    summary, rejected = import_editorial(path)
    assert rejected == []
    items = [i for i in feed(client, since=TODAY.isoformat()) if i["kind"] == "unit_changed"]
    assert [(i["unit_sor_id"], i["fields"]) for i in items] == [(c.SOLGAARDEN, ["food", "homes"])]

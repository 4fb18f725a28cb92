"""Issue 16, point 8: the CSV and the API list carry what the site shows (latest supervision,
sanctions in force, quality figures with their year, coordinates, the public URL), every row
has a stable id, and a home-care provider's row says what the site knows of it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from plov import clock
from plov.opendata.dictionary import CSV_COLUMNS
from plov.supervision.models import (
    QualityResult,
    Sanction,
    SupervisingAuthority,
    SupervisionFeedback,
)
from plov.units.models import Unit, UnitKind
from tests import country as c
from tests.test_opendata import get_all, shown  # noqa: F401  (fixture)

TODAY = clock.today()


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def csv_rows(client) -> list[dict]:
    text = b"".join(client.get("/data/enheder.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def supervised(shown):  # noqa: F811
    solgaarden = unit(c.SOLGAARDEN)
    authority = SupervisingAuthority.objects.order_by("name").first()
    for day, status in (
        (TODAY - dt.timedelta(days=400), "kritiske_bemaerkninger"),
        (TODAY - dt.timedelta(days=20), "mindre_bemaerkninger"),
    ):
        SupervisionFeedback.objects.create(
            unit=solgaarden, authority=authority, inspected_on=day, status=status
        )
    Sanction.objects.create(
        unit=solgaarden,
        authority=authority,
        type="paabud",
        decided_on=TODAY - dt.timedelta(days=10),
    )
    Sanction.objects.create(
        unit=solgaarden,
        authority=authority,
        type="forbud_indflytning",
        decided_on=TODAY - dt.timedelta(days=300),
        lifted_on=TODAY - dt.timedelta(days=100),
    )  # not in force
    for period, value in (("2024", "6.1"), ("2025", "5.4")):
        QualityResult.objects.create(
            unit=solgaarden,
            kind="indicator",
            code="AEI-03",
            name="Beboere med tryksår",
            period=period,
            value=Decimal(value),
            unit_of_measure="%",
        )
    QualityResult.objects.create(
        unit=solgaarden,
        kind="satisfaction",
        code="BTU-1",
        name="Tilfredshed med hjælpen",
        period="2025",
        value=Decimal("87"),
        unit_of_measure="%",
    )
    return shown


@pytest.mark.usefixtures("supervised")
def test_the_csv_carries_what_the_unit_page_shows(client):
    rows = {r["SOR-ID"]: r for r in csv_rows(client)}
    row = rows[c.SOLGAARDEN]
    solgaarden = unit(c.SOLGAARDEN)
    assert row["ID"] == str(solgaarden.pk)
    assert row["Seneste tilsyn"] == (TODAY - dt.timedelta(days=20)).isoformat()
    assert row["Tilsynsresultat"] == "Mindre bemærkninger"
    assert row["Sanktioner i kraft"] == (
        f"Påbud om at sikre kvaliteten ({(TODAY - dt.timedelta(days=10)).isoformat()})"
    )
    assert row["Kvalitet og tilfredshed"] == (
        "Beboere med tryksår 2025: 5,4 %; Tilfredshed med hjælpen 2025: 87 %"
    )
    assert row["Breddegrad"] == "56,153500" and row["Længdegrad"] == "10,203900"
    path = urlsplit(row["Offentlig side"]).path
    assert path == f"/enhed/{solgaarden.pk}/plejecenter-solgaarden/"
    assert client.get(path).status_code == 200
    lindehus = rows[c.LINDEHUS]
    assert (lindehus["Seneste tilsyn"], lindehus["Sanktioner i kraft"]) == ("", "")


@pytest.mark.usefixtures("supervised")
def test_the_api_list_carries_the_same(client):
    items = {u["sor_id"]: u for u in get_all(client, "/api/v1/units")}
    solgaarden = items[c.SOLGAARDEN]
    assert solgaarden["supervision"] == {
        "inspected_on": (TODAY - dt.timedelta(days=20)).isoformat(),
        "status": "mindre_bemaerkninger",
        "status_label": "Mindre bemærkninger",
    }
    assert [s["type"] for s in solgaarden["sanctions_in_force"]] == ["paabud"]
    assert [(q["code"], q["period"], q["value"]) for q in solgaarden["quality_latest"]] == [
        ("AEI-03", "2025", 5.4),
        ("BTU-1", "2025", 87.0),
    ]
    assert solgaarden["public_url"].endswith(f"/enhed/{solgaarden['id']}/plejecenter-solgaarden/")
    assert items[c.LINDEHUS]["supervision"] is None
    assert items[c.LINDEHUS]["quality_latest"] == []


@pytest.mark.usefixtures("shown")
def test_every_row_has_an_id_and_a_provider_says_what_the_site_knows(client):
    rows = csv_rows(client)
    assert all(r["ID"] for r in rows) and len({r["ID"] for r in rows}) == len(rows)
    providers = Unit.objects.published().filter(kind=UnitKind.HOME_CARE_PROVIDER)
    assert providers.exists()
    by_id = {r["ID"]: r for r in rows}
    north, south = unit(c.SITE_NORTH), unit(c.SITE_SOUTH)
    municipal = by_id[str(north.parent_id)]
    assert municipal["SOR-ID"] == "" and municipal["Type"] == "Helhedsplejeleverandør"
    # The municipality's search shows its provider's sites: the row says so.
    assert municipal["Kommuner med aftale"] == "Aarhus"
    assert set(municipal["Helhedsplejeleverandørsteder"].split(", ")) >= {north.name}
    if south.parent_id == north.parent_id:
        assert south.name in municipal["Helhedsplejeleverandørsteder"]
    api = client.get(f"/api/v1/units/{north.parent_id}").json()
    assert {s["id"] for s in api["sites"]} >= {north.pk}
    assert [m["code"] for m in api["shown_in"]] == ["751"]
    sor_id = next(t for t in CSV_COLUMNS if t.name == "SOR-ID")
    assert "Tomt for en helhedsplejeleverandør" in sor_id.da  # why it can be empty

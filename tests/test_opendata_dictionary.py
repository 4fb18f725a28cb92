"""The open-data dictionary (plov.opendata.dictionary) drives the CSV headers and the OpenAPI
descriptions, describes every column and field, and keeps published CSV columns stable."""

from __future__ import annotations

import csv
import io

import pytest

from plov.opendata import dictionary
from plov.opendata.api import api
from plov.opendata.dictionary import (
    API_FIELDS,
    API_SCHEMA_TITLES,
    CSV_COLUMNS,
    CSV_VERSION,
    FROZEN_CSV_COLUMNS,
    SOURCES,
    TRANSITION_COLUMNS,
    TYPES,
)
from plov.opendata.exports import CSV_HEADER
from tests.test_opendata import shown  # noqa: F401  (fixture)

# The CSV columns as each version was published. This copy is the test's own: editing the
# dictionary's frozen list does not make a rename or a removal pass. A column may be appended
# to the current version; anything else needs a new version.
PUBLISHED_CSV_COLUMNS = {
    "1": (
        "SOR-ID",
        "Navn",
        "Type",
        "Ejer",
        "Ejers CVR",
        "Adresse",
        "Postnummer",
        "By",
        "Beliggenhedskommune",
        "Tilsynsmyndighed",
        "Antal boliger",
        "Medarbejdere",
        "Fuldtidsmedarbejdere",
        "Kommuner med aftale",
        "Senest opdateret",
        "Faste teams",
        "Forskellige hjælpere på 14 dage",
        "Besøg inden for minutter af aftalt tid",
        "Sprog ud over dansk",
        "Ydelser",
        "Husleje pr. måned",
        "Servicepakke pr. måned",
        "Forplejning pr. måned",
        "Andre faste udgifter pr. måned",
        "Pris pr. måned i alt",
        "Priser gælder fra",
        "Priser kilde",
        "Priser oplyst",
        "Ledige boliger",
        "Ventetid i uger",
        "Ledige boliger kilde",
        "Ledige boliger oplyst",
        "Ledige boliger forældet",
        "ID",
        "Offentlig side",
        "Breddegrad",
        "Længdegrad",
        "Seneste tilsyn",
        "Tilsynsresultat",
        "Sanktioner i kraft",
        "Kvalitet og tilfredshed",
        "Helhedsplejeleverandørsteder",
    ),
}
NOT_OPEN_DATA = {"Error", "ErrorItem"}  # the error body, not data


def header_of(response) -> list[str]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return next(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


def test_every_term_is_complete():
    for columns in (CSV_COLUMNS, TRANSITION_COLUMNS, *API_FIELDS.values()):
        names = [t.name for t in columns]
        assert len(names) == len(set(names)), names
        for t in columns:
            assert t.da.strip() and t.en.strip(), t
            assert t.type in TYPES, t
            assert t.source in SOURCES, t
    assert set(API_SCHEMA_TITLES) == set(API_FIELDS)


@pytest.mark.usefixtures("shown")
def test_the_csv_header_is_the_dictionary(client):
    assert [t.name for t in CSV_COLUMNS] == CSV_HEADER
    assert header_of(client.get("/data/enheder.csv")) == CSV_HEADER


def test_the_transition_list_header_is_the_dictionary(db, client):
    assert header_of(client.get("/overgangsordning.csv")) == [t.name for t in TRANSITION_COLUMNS]


def test_the_current_csv_version_is_frozen():
    """A new column must be added to the current version's frozen list too."""
    assert tuple(CSV_HEADER) == FROZEN_CSV_COLUMNS[CSV_VERSION]


@pytest.mark.parametrize("version", sorted(PUBLISHED_CSV_COLUMNS))
def test_published_csv_columns_are_never_renamed_or_removed(version):
    frozen = FROZEN_CSV_COLUMNS.get(version)
    assert frozen is not None, f"CSV version {version} was published; keep its column list"
    published = PUBLISHED_CSV_COLUMNS[version]
    assert frozen[: len(published)] == published, (
        f"A column of CSV version {version} was renamed, moved or removed: start a new version "
        "(dictionary.CSV_VERSION and FROZEN_CSV_COLUMNS) instead"
    )


def test_a_renamed_column_fails_the_check(monkeypatch):
    renamed = list(FROZEN_CSV_COLUMNS[CSV_VERSION])
    renamed[1] = "Enhedens navn"
    monkeypatch.setitem(dictionary.FROZEN_CSV_COLUMNS, CSV_VERSION, tuple(renamed))
    with pytest.raises(AssertionError, match="renamed, moved or removed"):
        test_published_csv_columns_are_never_renamed_or_removed(CSV_VERSION)


def open_data_schemas(schema: dict) -> set[str]:
    """The component schemas the open-data operations (not the supervisors' /tilsyn) use."""
    components = schema["components"]["schemas"]
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    walk(components[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/tilsyn"):
            walk(operations)
    return found - NOT_OPEN_DATA


def test_every_api_field_is_in_the_dictionary_and_the_reverse(db):
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    in_api = {
        (name, field)
        for name in open_data_schemas(schema)
        for field in components[name].get("properties", {})
    }
    in_dictionary = {(name, t.name) for name, terms in API_FIELDS.items() for t in terms}
    assert in_api - in_dictionary == set(), "API fields the dictionary does not describe"
    assert in_dictionary - in_api == set(), "dictionary terms no API schema has"


def test_the_openapi_descriptions_are_the_dictionarys(db):
    components = api.get_openapi_schema()["components"]["schemas"]
    for name, terms in API_FIELDS.items():
        properties = components[name]["properties"]
        for t in terms:
            assert properties[t.name]["description"] == f"{t.da} (English: {t.en})"

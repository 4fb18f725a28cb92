"""A small country in the registers' own formats, for tests.

Aarhus (751) owns two care homes and two home-care sites (one nested deeper in SOR); a
private company owns a care home in Aarhus and a home-care site in Skanderborg (746). One
municipal care home is nested under another care home; one unit has a visiting address that is
not in DAR; one unit is of an old type. Tests write these files with the real writers and import
them with the real importers.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from plov.registers.writers import (
    SorAddress,
    SorEntity,
    cvr_document,
    dar_address,
    write_json_array,
    write_jsonl,
    write_sor,
)

AARHUS_CVR = "55133018"
COMPANY_CVR = "12345678"
OTHER_COMPANY_CVR = "87654321"

# SOR-IDs
AARHUS = "100000000001"
AARHUS_ELDER = "100000000002"  # SI "Sundhed og Omsorg", not a care unit
SOLGAARDEN = "100000000010"  # municipal care home (OE), valid
KAERBO = "100000000011"  # municipal care home with an invalid visiting address
HOME_CARE_GROUP = "100000000020"  # OE grouping, not a care unit
SITE_NORTH = "100000000021"  # municipal home-care site, directly under the SI
SITE_SOUTH = "100000000022"  # municipal home-care site, two levels deeper
NESTED_PARENT = "100000000030"  # care home with a care home below it
NESTED_CHILD = "100000000031"
OLD_TYPE = "100000000040"  # still typed 'plejehjem'
COMPANY = "200000000001"
LINDEHUS = "200000000010"  # private care home in Aarhus
SITE_PRIVATE = "200000000020"  # private home-care site in Skanderborg

P_SOLGAARDEN = "1000000010"
P_LINDEHUS = "1000000020"
P_SITE_NORTH = "1000000030"
P_SITE_SOUTH = "1000000031"
P_SITE_PRIVATE = "1000000040"
P_WRONG_CODE = "1000000090"
P_HOME_NURSING = "1000000091"
P_SECONDARY = "1000000092"


@lru_cache(maxsize=1)
def _wgs84_to_utm32():
    from pyproj import Transformer

    # Building the transformer costs some 15 ms, and every test's country has eight addresses.
    return Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


def _utm(lon: float, lat: float) -> tuple[float, float]:
    east, north = _wgs84_to_utm32().transform(lon, lat)
    return round(east, 2), round(north, 2)


def _address(street, number, postcode, district, lon, lat, **extra) -> SorAddress:
    east, north = _utm(lon, lat)
    return SorAddress(street, number, postcode, district, east=east, north=north, **extra)


def municipal(sor_id, name, *, parent, unit_type="plejeenhed", sor_type="OE", **kw) -> SorEntity:
    return SorEntity(
        sor_id=sor_id,
        name=name,
        sor_type=sor_type,
        unit_type=unit_type,
        parent_id=parent,
        owner_sor_id=AARHUS,
        owner_name="Aarhus Kommune",
        owner_cvr=AARHUS_CVR,
        owner_type="kommune",
        municipality_code="751",
        **kw,
    )


def private(sor_id, name, *, parent=COMPANY, unit_type="plejeenhed", sor_type="SI", **kw):
    return SorEntity(
        sor_id=sor_id,
        name=name,
        sor_type=sor_type,
        unit_type=unit_type,
        parent_id=parent,
        owner_sor_id=COMPANY,
        owner_name="Omsorgshuset ApS",
        owner_cvr=COMPANY_CVR,
        owner_type="privat",
        **kw,
    )


@dataclass
class Country:
    sor: list[SorEntity] = field(default_factory=list)
    cvr: list[dict] = field(default_factory=list)
    dar: list[dict] = field(default_factory=list)

    def entity(self, sor_id: str) -> SorEntity:
        return next(e for e in self.sor if e.sor_id == sor_id)

    def copy(self) -> Country:
        return copy.deepcopy(self)

    def write(self, folder: Path) -> tuple[Path, Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        return (
            write_sor(folder / "SorEntity_daily.csv", self.sor),
            write_jsonl(folder / "cvr.jsonl", self.cvr),
            write_json_array(folder / "dar.json", self.dar),
        )


def small_country() -> Country:
    solvej = _address("Solvej", "4", "8000", "Aarhus C", 10.2039, 56.1535)
    sor = [
        SorEntity(
            AARHUS,
            "Aarhus Kommune",
            sor_type="IE",
            unit_type="kommune",
            owner_type="kommune",
            owner_cvr=AARHUS_CVR,
            municipality_code="751",
            owner_sor_id=AARHUS,
            owner_name="Aarhus Kommune",
        ),
        municipal(
            AARHUS_ELDER,
            "Sundhed og Omsorg",
            parent=AARHUS,
            unit_type="kommunal enhed",
            sor_type="SI",
        ),
        municipal(
            SOLGAARDEN,
            "Plejecenter Solgården",
            parent=AARHUS_ELDER,
            visiting=solvej,
            phone="87131000",
            email="solgaarden@aarhus.dk",
        ),
        municipal(
            KAERBO,
            "Plejecenter Kærbo",
            parent=AARHUS_ELDER,
            visiting=_address("Findesikkevej", "99", "8000", "Aarhus C", 10.2, 56.15),
        ),
        municipal(HOME_CARE_GROUP, "Hjemmeplejen", parent=AARHUS_ELDER, unit_type="kommunal enhed"),
        municipal(
            SITE_NORTH,
            "Helhedspleje Nord",
            parent=AARHUS_ELDER,
            unit_type="helhedsplejeleverandørsted",
            visiting=_address("Nørregade", "10", "8000", "Aarhus C", 10.2100, 56.1590),
        ),
        municipal(
            SITE_SOUTH,
            "Helhedspleje Syd",
            parent=HOME_CARE_GROUP,
            unit_type="helhedsplejeleverandørsted",
            visiting=_address("Søndergade", "2", "8000", "Aarhus C", 10.2080, 56.1520),
        ),
        municipal(
            NESTED_PARENT,
            "Plejecenter Åhaven",
            parent=AARHUS_ELDER,
            visiting=_address("Åboulevarden", "1", "8000", "Aarhus C", 10.2075, 56.1570),
        ),
        municipal(
            NESTED_CHILD,
            "Åhaven afsnit 2",
            parent=NESTED_PARENT,
            visiting=_address("Åboulevarden", "1", "8000", "Aarhus C", 10.2075, 56.1570),
        ),
        municipal(
            OLD_TYPE, "Hjemmeplejen Vest", parent=HOME_CARE_GROUP, unit_type="hjemmeplejeenhed"
        ),
        SorEntity(
            COMPANY,
            "Omsorgshuset ApS",
            sor_type="IE",
            unit_type="privat virksomhed",
            owner_sor_id=COMPANY,
            owner_name="Omsorgshuset ApS",
            owner_cvr=COMPANY_CVR,
        ),
        private(
            LINDEHUS,
            "Lindehuset",
            visiting=_address("Lindevej", "7B", "8000", "Aarhus C", 10.1900, 56.1500),
        ),
        private(
            SITE_PRIVATE,
            "Omsorgshuset Skanderborg",
            unit_type="helhedsplejeleverandørsted",
            visiting=_address(
                "Adelgade", "3", "8660", "Skanderborg", 9.9300, 56.0400, floor="1", door="tv"
            ),
        ),
    ]
    dar = [
        dar_address(
            "a0000000-0000-0000-0000-000000000001",
            street="Solvej",
            house_number="4",
            postcode="8000",
            postcode_name="Aarhus C",
            municipality_code=751,
            lon=10.2039,
            lat=56.1535,
        ),
        dar_address(
            "a0000000-0000-0000-0000-000000000002",
            street="Nørregade",
            house_number="10",
            postcode="8000",
            postcode_name="Aarhus C",
            municipality_code=751,
            lon=10.2100,
            lat=56.1590,
        ),
        dar_address(
            "a0000000-0000-0000-0000-000000000003",
            street="Søndergade",
            house_number="2",
            postcode="8000",
            postcode_name="Aarhus C",
            municipality_code=751,
            lon=10.2080,
            lat=56.1520,
        ),
        dar_address(
            "a0000000-0000-0000-0000-000000000004",
            street="Åboulevarden",
            house_number="1",
            postcode="8000",
            postcode_name="Aarhus C",
            municipality_code=751,
            lon=10.2075,
            lat=56.1570,
        ),
        dar_address(
            "a0000000-0000-0000-0000-000000000005",
            street="Lindevej",
            house_number="7b",
            postcode="8000",
            postcode_name="Aarhus C",
            municipality_code=751,
            lon=10.1900,
            lat=56.1500,
        ),
        dar_address(
            "a0000000-0000-0000-0000-000000000006",
            street="Adelgade",
            house_number="3",
            postcode="8660",
            postcode_name="Skanderborg",
            municipality_code=746,
            lon=9.9300,
            lat=56.0400,
        ),
        dar_address(
            "a0000000-0000-0000-0000-000000000007",
            street="Adelgade",
            house_number="3",
            floor="1",
            door="tv",
            postcode="8660",
            postcode_name="Skanderborg",
            municipality_code=746,
            lon=9.9300,
            lat=56.0400,
        ),
    ]
    cvr = [
        cvr_document(
            P_SOLGAARDEN,
            name="Plejecenter Solgården",
            cvr_number=AARHUS_CVR,
            employees=48,
            full_time_employees=39.5,
        ),
        cvr_document(
            P_LINDEHUS,
            name="Lindehuset",
            cvr_number=COMPANY_CVR,
            employees=None,
            employees_interval="ANTAL_20_49",
        ),
        cvr_document(
            P_SITE_NORTH,
            name="Hjemmeplejen Nord",
            cvr_number=AARHUS_CVR,
            primary=("881010", "Hjemmehjælp"),
            employees=80,
            full_time_employees=61.0,
        ),
        cvr_document(
            P_SITE_SOUTH,
            name="Hjemmeplejen Syd",
            cvr_number=AARHUS_CVR,
            primary=("881010", "Hjemmehjælp"),
            employees=70,
            full_time_employees=50.0,
        ),
        cvr_document(
            P_SITE_PRIVATE,
            name="Omsorgshuset Skanderborg",
            cvr_number=COMPANY_CVR,
            primary=("881010", "Hjemmehjælp"),
            employees=25,
            full_time_employees=20.0,
        ),
        cvr_document(
            P_WRONG_CODE,
            name="Frisør Lis",
            cvr_number=OTHER_COMPANY_CVR,
            primary=("960210", "Frisører"),
        ),
        cvr_document(
            P_HOME_NURSING,
            name="Sygeplejen",
            cvr_number=OTHER_COMPANY_CVR,
            primary=("869019", "Hjemmesygepleje"),
        ),
        cvr_document(
            P_SECONDARY,
            name="Blandet drift",
            cvr_number=OTHER_COMPANY_CVR,
            primary=("682040", "Udlejning af erhvervsejendomme"),
            secondary=[("871010", "Plejehjem")],
        ),
    ]
    return Country(sor=sor, cvr=cvr, dar=dar)

"""Writers of files in the registers' own formats. The demo, the tests and the benchmarks
use them, so that every file plov imports goes through the real importers."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plov.registers import sor

SOR_HEADER = [
    "SorId",
    "SorType",
    "EntityName",
    "EntityTypeName",
    "InstitutionOwnerEntityTypeName",
    "HealthInstitutionSorId",
    "HealthInstitutionEntityName",
    "HealthInstitutionEntityTypeName",
    "FirstFromDate",
    "FromDate",
    "ToDate",
    "ParentSorId",
    "InstitutionOwnerSorId",
    "InstitutionOwnerEntityName",
    "InstitutionOwnerCvrNumber",
    "MunicipalityCode",
    *(
        f"{prefix}{part}"
        for prefix in ("PostalAddress", "VisitingAddress", "ActivityAddress")
        for part in sor.ADDRESS_PARTS.values()
    ),
    "VirtualAddressTelephoneNumber",
    "VirtualAddressEmailAddress",
    "VirtualAddressWebsite",
    "OrganisationalLevelCode",
    "OrganisationalLevelName",
]


@dataclass
class SorAddress:
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    district: str = ""
    floor: str = ""
    door: str = ""
    east: float | None = None  # ETRS89 / UTM32N
    north: float | None = None


@dataclass
class SorEntity:
    sor_id: str
    name: str
    sor_type: str = "SI"  # IE / SI / OE
    unit_type: str = "plejeenhed"
    parent_id: str = ""
    owner_sor_id: str = ""
    owner_name: str = ""
    owner_cvr: str = ""
    owner_type: str = "privat"  # kommune / privat
    municipality_code: str = ""
    health_institution_id: str = ""
    first_from: str = "2010-01-01"
    from_date: str = "2024-01-01"
    to_date: str = ""
    visiting: SorAddress = field(default_factory=SorAddress)
    postal: SorAddress | None = None
    phone: str = ""
    email: str = ""
    website: str = ""

    def row(self) -> dict[str, str]:
        row = dict.fromkeys(SOR_HEADER, "")
        row.update(
            {
                "SorId": f'="{self.sor_id}"',
                "SorType": self.sor_type,
                "EntityName": self.name,
                "EntityTypeName": self.unit_type,
                "InstitutionOwnerEntityTypeName": self.owner_type,
                "HealthInstitutionSorId": self.health_institution_id,
                "FirstFromDate": self.first_from,
                "FromDate": self.from_date,
                "ToDate": self.to_date,
                "ParentSorId": self.parent_id,
                "InstitutionOwnerSorId": self.owner_sor_id,
                "InstitutionOwnerEntityName": self.owner_name,
                "InstitutionOwnerCvrNumber": self.owner_cvr,
                "MunicipalityCode": self.municipality_code,
                "VirtualAddressTelephoneNumber": self.phone,
                "VirtualAddressEmailAddress": self.email,
                "VirtualAddressWebsite": self.website,
            }
        )
        for prefix, address in (
            ("VisitingAddress", self.visiting),
            ("PostalAddress", self.postal or self.visiting),
            ("ActivityAddress", self.visiting),
        ):
            for attr, column in sor.ADDRESS_PARTS.items():
                value = getattr(address, attr)
                row[f"{prefix}{column}"] = "" if value is None else str(value)
        return row


def write_sor(path: Path, entities: Iterable[SorEntity]) -> Path:
    """Write SorEntity_daily.csv: semicolon-separated UTF-8 with a BOM, as SOR publishes it."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(SOR_HEADER)
        for entity in entities:
            row = entity.row()
            # SOR writes the id bare as ="…" (an Excel formula keeping it text), unquoted.
            handle.write(row.pop("SorId") + ";")
            writer.writerow(row.values())
    return path


def cvr_document(
    p_number: str,
    *,
    name: str,
    cvr_number: str,
    primary: tuple[str, str] = ("871010", "Plejehjem"),
    secondary: Iterable[tuple[str, str]] = (),
    employees: int | None = None,
    full_time_employees: float | None = None,
    employees_interval: str | None = None,
    year: int = 2025,
    street: str = "",
    house_number: int | None = None,
    postcode: int | None = None,
    district: str = "",
    municipality_code: int | None = None,
) -> dict:
    """A production unit in the CVR distribution's shape (VrproduktionsEnhed)."""
    secondary = list(secondary)

    def branch(code_text):
        return {"branchekode": code_text[0], "branchetekst": code_text[1]} if code_text else None

    return {
        "VrproduktionsEnhed": {
            "pNummer": int(p_number),
            "produktionsEnhedMetadata": {
                "nyesteNavn": {"navn": name},
                "nyesteCvrNummerRelation": int(cvr_number),
                "nyesteHovedbranche": branch(primary),
                **{
                    f"nyesteBibranche{i}": branch(secondary[i - 1] if i <= len(secondary) else None)
                    for i in (1, 2, 3)
                },
                "nyesteBeliggenhedsadresse": {
                    "vejnavn": street,
                    "husnummerFra": house_number,
                    "postnummer": postcode,
                    "postdistrikt": district,
                    "kommune": {"kommuneKode": municipality_code},
                },
                "nyesteAarsbeskaeftigelse": {
                    "aar": year,
                    "antalAnsatte": employees,
                    "antalAarsvaerk": full_time_employees,
                    "intervalKodeAntalAnsatte": employees_interval,
                    "intervalKodeAntalAarsvaerk": None,
                },
            },
        }
    }


def write_jsonl(path: Path, records: Iterable[dict]) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def dar_address(
    address_id: str,
    *,
    street: str,
    house_number: str,
    postcode: str,
    postcode_name: str,
    municipality_code: int,
    lon: float,
    lat: float,
    floor: str | None = None,
    door: str | None = None,
    status: int = 1,
) -> dict:
    """An address in DAWA's flat `mini` shape."""
    label = f"{street} {house_number}"
    if floor:
        label += f", {floor}."
        if door:
            label += f" {door}"
    return {
        "id": address_id,
        "status": status,
        "vejnavn": street,
        "husnr": house_number,
        "etage": floor,
        "dør": door,
        "supplerendebynavn": None,
        "postnr": postcode,
        "postnrnavn": postcode_name,
        "kommunekode": f"{municipality_code:04d}",
        "adgangsadresseid": address_id,
        "x": lon,
        "y": lat,
        "betegnelse": f"{label}, {postcode} {postcode_name}",
    }


def write_json_array(path: Path, records: Iterable[dict]) -> Path:
    """A JSON array written one record at a time, as DAWA's bulk download is."""
    path = Path(path)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for i, record in enumerate(records):
            handle.write((",\n" if i else "") + json.dumps(record, ensure_ascii=False))
        handle.write("\n]\n")
    return path

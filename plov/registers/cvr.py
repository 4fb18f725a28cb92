"""Import of CVR production units (`VrproduktionsEnhed` documents, one per line)."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from plov.registers.bulk import update_rows
from plov.registers.models import CvrProductionUnit
from plov.registers.readers import MalformedFile, read_json_records
from plov.registers.summary import ImportSummary

# --- The mapping: CVR distribution field names plov reads. ----------------------------------
DOCUMENT = "VrproduktionsEnhed"
P_NUMBER = "pNummer"
METADATA = "produktionsEnhedMetadata"
NAME = ("nyesteNavn", "navn")
CVR_NUMBER = "nyesteCvrNummerRelation"
PRIMARY = "nyesteHovedbranche"
SECONDARY = ("nyesteBibranche1", "nyesteBibranche2", "nyesteBibranche3")
INDUSTRY_CODE, INDUSTRY_TEXT = "branchekode", "branchetekst"
ADDRESS = "nyesteBeliggenhedsadresse"
EMPLOYMENT = ("nyesteAarsbeskaeftigelse", "nyesteKvartalsbeskaeftigelse")
EMPLOYEES, FTE = "antalAnsatte", "antalAarsvaerk"
EMPLOYEES_INTERVAL, FTE_INTERVAL = "intervalKodeAntalAnsatte", "intervalKodeAntalAarsvaerk"
YEAR = "aar"
BATCH = 2000


def _document(line: int, path: Path, raw: Any) -> dict:
    if isinstance(raw, dict) and "_source" in raw:
        raw = raw["_source"]
    if isinstance(raw, dict) and DOCUMENT in raw:
        raw = raw[DOCUMENT]
    if not isinstance(raw, dict) or P_NUMBER not in raw:
        raise MalformedFile(path, line, f"forventede et {DOCUMENT}-objekt med {P_NUMBER}")
    return raw


def _industry(value: Any) -> dict | None:
    if not isinstance(value, dict) or not value.get(INDUSTRY_CODE):
        return None
    return {"code": str(value[INDUSTRY_CODE]).zfill(6), "text": value.get(INDUSTRY_TEXT) or ""}


def _record(line: int, path: Path, doc: dict) -> dict:
    p_number = str(doc[P_NUMBER]).strip()
    if not p_number.isdigit() or len(p_number) != 10:
        raise MalformedFile(path, line, f"{P_NUMBER} {p_number!r} er ikke et 10-cifret P-nummer")
    meta = doc.get(METADATA) or {}
    if not isinstance(meta, dict):
        raise MalformedFile(path, line, f"{METADATA} er ikke et objekt")
    primary = _industry(meta.get(PRIMARY)) or {"code": "", "text": ""}
    secondary = [s for s in (_industry(meta.get(k)) for k in SECONDARY) if s]
    employment = next((meta[k] for k in EMPLOYMENT if isinstance(meta.get(k), dict)), {})
    address = meta.get(ADDRESS) if isinstance(meta.get(ADDRESS), dict) else {}
    municipality = address.get("kommune") or {}
    code = municipality.get("kommuneKode") if isinstance(municipality, dict) else None
    name = meta.get(NAME[0]) or {}
    employees = employment.get(EMPLOYEES)
    fte = employment.get(FTE)
    try:
        fte_value = None if fte is None else Decimal(str(fte)).quantize(Decimal("0.1"))
        employees_value = None if employees is None else int(employees)
    except (InvalidOperation, ValueError, TypeError):
        raise MalformedFile(
            path, line, f"beskæftigelsestallene {employees!r}/{fte!r} er ikke tal"
        ) from None
    cvr = meta.get(CVR_NUMBER)
    record = {
        "p_number": p_number,
        "name": (name.get(NAME[1]) if isinstance(name, dict) else "") or "",
        "cvr_number": "" if cvr is None else str(cvr).zfill(8),
        "primary_industry_code": primary["code"],
        "primary_industry_text": primary["text"],
        "secondary_industries": secondary,
        "employees": employees_value,
        "full_time_employees": fte_value,
        "employees_interval": employment.get(EMPLOYEES_INTERVAL) or "",
        "full_time_employees_interval": employment.get(FTE_INTERVAL) or "",
        "employment_year": employment.get(YEAR),
        "address": address,
        "municipality_code": int(code) if str(code or "").isdigit() else None,
    }
    record["record_hash"] = hashlib.sha1(
        json.dumps(record, sort_keys=True, default=str).encode(), usedforsecurity=False
    ).hexdigest()
    return record


def _write_batch(batch: list[dict], summary: ImportSummary) -> None:
    existing = dict(
        CvrProductionUnit.objects.filter(p_number__in=[r["p_number"] for r in batch]).values_list(
            "p_number", "record_hash"
        )
    )
    new, changed = [], []
    for record in batch:
        current = existing.get(record["p_number"])
        if current is None:
            new.append(CvrProductionUnit(**record))
        elif current != record["record_hash"]:
            changed.append(CvrProductionUnit(**record))
        else:
            summary.unchanged += 1
    CvrProductionUnit.objects.bulk_create(new)
    update_rows(changed, [f for f in batch[0] if f != "p_number"] if batch else [])
    summary.created += len(new)
    summary.updated += len(changed)


def import_cvr(path: Path) -> ImportSummary:
    """Upsert the production units in the file. Publication (the units' P-number checks)
    is left to whoever runs the import: the summary asks for a refresh of every unit."""
    path = Path(path)
    summary = ImportSummary(moves_publication=True)
    seen: set[str] = set()
    with transaction.atomic():
        batch: list[dict] = []
        for line, raw in read_json_records(path):
            record = _record(line, path, _document(line, path, raw))
            if record["p_number"] in seen:
                summary.skip(
                    "P-nummeret står to gange i filen", f"{record['p_number']} (linje {line})"
                )
                continue
            seen.add(record["p_number"])
            batch.append(record)
            if len(batch) >= BATCH:
                _write_batch(batch, summary)
                batch = []
        if batch:
            _write_batch(batch, summary)
    return summary

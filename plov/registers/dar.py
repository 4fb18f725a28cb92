"""Import of DAR addresses (DAWA's flat `mini` shape, JSON array or JSON Lines), and the
matching of units' visiting addresses against them."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from plov.registers.addresses import match_key, normalise_floor
from plov.registers.bulk import update_rows
from plov.registers.models import DarAddress
from plov.registers.readers import MalformedFile, json_type, read_json_records
from plov.registers.summary import ImportSummary
from plov.units.models import Municipality, Unit

# --- The mapping: DAWA field names plov reads (a Datafordeler adapter changes only this). ---
FIELDS = {
    "id": "id",
    "status": "status",
    "street_name": "vejnavn",
    "house_number": "husnr",
    "floor": "etage",
    "door": "dør",
    "postcode": "postnr",
    "postcode_name": "postnrnavn",
    "municipality_code": "kommunekode",
    "longitude": "x",
    "latitude": "y",
    "label": "betegnelse",
}
REQUIRED = ["id", "street_name", "house_number", "postcode", "municipality_code"]
# DAWA status: 1 valid, 3 preliminary; 2 and 4 are retired addresses.
VALID_STATUSES = {1, 3}
BATCH = 2000


def _record(line: int, path: Path, raw: object) -> dict:
    if not isinstance(raw, dict):
        raise MalformedFile(path, line, f"forventede et JSON-objekt, fandt {json_type(raw)}")
    missing = [FIELDS[f] for f in REQUIRED if raw.get(FIELDS[f]) in (None, "")]
    if missing:
        raise MalformedFile(path, line, f"adresse uden {', '.join(missing)}")
    code = str(raw[FIELDS["municipality_code"]]).strip()
    if not code.isdigit():
        raise MalformedFile(path, line, f"kommunekode {code!r} er ikke en kommunekode")
    postcode = str(raw[FIELDS["postcode"]]).strip()
    if not re.fullmatch(r"\d{4}", postcode):
        raise MalformedFile(path, line, f"postnr {postcode!r} er ikke et 4-cifret postnummer")

    def text(name: str) -> str:
        value = raw.get(FIELDS[name])
        return "" if value is None else str(value).strip()

    def number(name: str) -> float | None:
        value = raw.get(FIELDS[name])
        try:
            return None if value in (None, "") else float(value)
        except (TypeError, ValueError):
            raise MalformedFile(path, line, f"{FIELDS[name]} {value!r} er ikke et tal") from None

    status = raw.get(FIELDS["status"], 1)
    record = {
        "id": text("id"),
        "status": int(status) if str(status).isdigit() else 1,
        "street_name": text("street_name"),
        "house_number": text("house_number"),
        "floor": text("floor"),
        "door": text("door"),
        "postcode": postcode,
        "postcode_name": text("postcode_name"),
        "municipality_code": int(code),
        "longitude": number("longitude"),
        "latitude": number("latitude"),
        "label": text("label"),
    }
    record["match_key"] = match_key(record["street_name"], record["house_number"], postcode)
    record["record_hash"] = hashlib.sha1(
        json.dumps(record, sort_keys=True).encode(), usedforsecurity=False
    ).hexdigest()
    return record


def _write_batch(batch: list[dict], summary: ImportSummary) -> None:
    existing = dict(
        DarAddress.objects.filter(id__in=[r["id"] for r in batch]).values_list("id", "record_hash")
    )
    new, changed = [], []
    for record in batch:
        current = existing.get(record["id"])
        if current is None:
            new.append(DarAddress(**record))
        elif current != record["record_hash"]:
            changed.append(DarAddress(**record))
        else:
            summary.unchanged += 1
    DarAddress.objects.bulk_create(new)
    update_rows(changed, [f for f in FIELDS if f != "id"] + ["match_key", "record_hash"])
    summary.created += len(new)
    summary.updated += len(changed)


def import_dar(path: Path) -> ImportSummary:
    """Upsert the addresses in the file, then re-match every open unit's visiting address.

    Addresses are never deleted: a retired one comes with its status, and units stop matching it.
    """
    from plov.publishing.refresh import refresh_publication

    path = Path(path)
    summary = ImportSummary()
    seen: set[str] = set()
    with transaction.atomic():
        batch: list[dict] = []
        for line, raw in read_json_records(path):
            record = _record(line, path, raw)
            if record["id"] in seen:
                summary.skip(
                    "adresse-id'et står to gange i filen", f"{record['id']} (linje {line})"
                )
                continue
            seen.add(record["id"])
            batch.append(record)
            if len(batch) >= BATCH:
                _write_batch(batch, summary)
                batch = []
        _write_batch(batch, summary)
        match_visiting_addresses(Unit.objects.filter(sor_id__isnull=False))
        refresh_publication()
    return summary


def _pick(candidates: Iterable[DarAddress], visiting: dict) -> DarAddress | None:
    """Floor and door must match where SOR gives them; otherwise prefer the access address."""
    floor = normalise_floor(visiting.get("floor"))
    door = (visiting.get("door") or "").strip().lower()
    fitting = [
        a
        for a in candidates
        if (not floor or normalise_floor(a.floor) == floor)
        and (not door or a.door.strip().lower() == door)
    ]
    fitting.sort(key=lambda a: (bool(a.floor), bool(a.door), a.id))
    return fitting[0] if fitting else None


def match_units(units: list[Unit]) -> list[Unit]:
    """Set each unit's DAR address, beliggenhedskommune and coordinates in memory from its
    visiting address; return the units whose values changed (nothing is written)."""
    if not units:
        return []
    municipalities = set(Municipality.objects.values_list("code", flat=True))

    def key(unit: Unit) -> str:
        v = unit.visiting_address
        return match_key(v.get("street"), v.get("house_number"), v.get("postcode"))

    keys = list({key(u) for u in units})
    by_key: dict[str, list[DarAddress]] = {}
    for start in range(0, len(keys), 900):
        for address in DarAddress.objects.filter(
            match_key__in=keys[start : start + 900], status__in=VALID_STATUSES
        ).only("id", "floor", "door", "municipality_code", "latitude", "longitude", "match_key"):
            by_key.setdefault(address.match_key, []).append(address)
    changed = []
    for unit in units:
        v = unit.visiting_address
        address = _pick(by_key.get(key(unit), []), v)
        if address and address.municipality_code not in municipalities:
            address = None
        new = (
            (address.id, address.municipality_code, address.latitude, address.longitude)
            if address
            else (None, None, v.get("latitude"), v.get("longitude"))
        )
        old = (unit.dar_address_id, unit.municipality_id, unit.latitude, unit.longitude)
        if new != old:
            unit.dar_address_id, unit.municipality_id, unit.latitude, unit.longitude = new
            changed.append(unit)
    return changed


MATCH_FIELDS = ["dar_address", "municipality", "latitude", "longitude"]


def match_visiting_addresses(units: QuerySet[Unit]) -> int:
    """Re-match the units' visiting addresses and write what changed. Returns that count."""
    loaded = list(units.only("id", "visiting_address", *MATCH_FIELDS))
    return update_rows(match_units(loaded), MATCH_FIELDS)

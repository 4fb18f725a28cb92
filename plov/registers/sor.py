"""Import of SOR's daily entity file (`SorEntity_daily.csv`).

Each file is a full reconciliation: units in the file are created or updated, units missing
from it or whose ToDate has passed are closed (hidden, never deleted). The file is read once,
streaming; only the few thousand care-unit rows are kept, plus a compact parent index of every
entity, which the nesting rule needs. All writes happen in one transaction at the end, so a
malformed file or a killed run leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from plov import clock
from plov.opendata import changes
from plov.registers.addresses import to_wgs84
from plov.registers.bulk import update_rows
from plov.registers.guards import EntityCounts, check_sor_closures
from plov.registers.readers import CsvRows, MalformedFile
from plov.registers.summary import ImportSummary
from plov.units.models import Municipality, Organisation, Unit, UnitKind

# --- The mapping: every SOR column name plov reads, in one place. ---------------------------
COLUMNS = {
    "sor_id": "SorId",
    "sor_type": "SorType",
    "name": "EntityName",
    "unit_type": "EntityTypeName",
    "owner_type_name": "InstitutionOwnerEntityTypeName",
    "first_from_date": "FirstFromDate",
    "from_date": "FromDate",
    "to_date": "ToDate",
    "parent_id": "ParentSorId",
    "owner_sor_id": "InstitutionOwnerSorId",
    "owner_name": "InstitutionOwnerEntityName",
    "owner_cvr": "InstitutionOwnerCvrNumber",
    "municipality_code": "MunicipalityCode",
    "phone": "VirtualAddressTelephoneNumber",
    "email": "VirtualAddressEmailAddress",
    "website": "VirtualAddressWebsite",
}
ADDRESS_PREFIXES = {
    "visiting_address": "VisitingAddress",
    "postal_address": "PostalAddress",
    "activity_address": "ActivityAddress",
}
ADDRESS_PARTS = {
    "street": "StreetName",
    "house_number": "StreetBuildingId",
    "floor": "FloorId",
    "door": "SuiteId",
    "postcode": "PostCodeId",
    "district": "DistrictName",
    "east": "CoordETRS89z32EMeasure",
    "north": "CoordETRS89z32NMeasure",
}
REQUIRED = [
    *COLUMNS.values(),
    *(f"VisitingAddress{ADDRESS_PARTS[p]}" for p in ("street", "house_number", "postcode")),
]
OWNER_LEVEL_TYPES = {"IE", "IO"}
MUNICIPAL_OWNER_TYPES = {"kommune"}

# The unit types that become units (settings.PLOV_SOR_UNIT_TYPES); configurable because SOR
# introduces them now.
UNIT_TYPES: dict[str, str] = {
    unit_type: UnitKind(kind) for unit_type, kind in settings.PLOV_SOR_UNIT_TYPES.items()
}
# Older types the SOR guides ask owners to re-type: listed for the agency, not imported.
LEGACY_TYPES: set[str] = set(settings.PLOV_SOR_LEGACY_TYPES)

ERROR_KINDS = ("nested_care_home", "invalid_address", "duplicate")
ERROR_LABELS = {
    "nested_care_home": "plejeenhed over/under plejeenhed",
    "invalid_address": "besøgsadresse ikke i DAR",
    "duplicate": "mulig dublet",
}
# The Unit fields filled from a SOR row (see SorImporter.read).
REGISTER_FIELDS = [
    "name",
    "sor_type",
    "sor_unit_type",
    "sor_parent_id",
    "owner_type_name",
    "phone",
    "email",
    "website",
    "first_from_date",
    "from_date",
    "to_date",
    *ADDRESS_PREFIXES,
]


def _sor_id(raw: str) -> str:
    """SOR writes ids as ="7141000016000" so that Excel keeps them as text."""
    if raw.startswith('="') and raw.endswith('"'):
        return raw[2:-1].strip()
    return raw.strip()


@dataclass
class ParsedUnit:
    line: int
    kind: str
    sor_id: str
    owner_key: str
    fields: dict
    closed_on: dt.date | None
    nested: bool = False


@dataclass
class Owner:
    key: str
    kind: str
    name: str
    cvr_number: str | None
    sor_id: str | None
    municipality_code: int | None


class SorImporter:
    def __init__(self, path: Path, *, today: dt.date | None = None) -> None:
        self.path = Path(path)
        self.today = today or clock.today()
        self.summary = ImportSummary()
        self.parents: dict[str, str] = {}
        self.care_homes_open: set[str] = set()
        self.units: dict[str, ParsedUnit] = {}
        self.owners: dict[str, Owner] = {}
        self.legacy: list[dict] = []
        self.municipality_codes = set(Municipality.objects.values_list("code", flat=True))
        self.structure_changed = False  # did this run write anything?

    # --- Reading ---------------------------------------------------------------------------
    def _date(self, value: str, column: str, line: int) -> dt.date | None:
        value = value.strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            raise MalformedFile(
                self.path, line, f"{column} {value!r} er ikke en dato (skal være ÅÅÅÅ-MM-DD)"
            ) from None

    def _address(self, row: dict[str, str], prefix: str) -> dict:
        parts = {k: row.get(f"{prefix}{col}", "").strip() for k, col in ADDRESS_PARTS.items()}
        east, north = parts.pop("east"), parts.pop("north")
        try:
            coords = to_wgs84(float(east.replace(",", ".")), float(north.replace(",", ".")))
        except ValueError:
            coords = None
        if coords:
            parts["longitude"], parts["latitude"] = coords
        return {k: v for k, v in parts.items() if v not in ("", None)}

    def read(self) -> None:
        rows = CsvRows(self.path, REQUIRED)
        header, index = rows.header, rows.columns
        i_sor_id, i_parent = index[COLUMNS["sor_id"]], index[COLUMNS["parent_id"]]
        i_type, i_level = index[COLUMNS["unit_type"]], index[COLUMNS["sor_type"]]
        i_owner_type, i_name = index[COLUMNS["owner_type_name"]], index[COLUMNS["name"]]
        not_care = 0
        parents = self.parents
        type_of: dict[str, tuple[str, str | None]] = {}
        level_of: dict[str, str] = {}
        raw_type_counts: Counter[str] = Counter()
        for line, values in rows:
            # the hot loop: 100,000 rows a night, 98 % of them no care unit
            sor_id = values[i_sor_id]
            if sor_id[:2] == '="':
                sor_id = sor_id[2:-1]
            if not (sor_id.isdigit() and sor_id.isascii() and 6 <= len(sor_id) <= 18):
                raise MalformedFile(self.path, line, f"SorId {sor_id!r} er ikke et SOR-ID")
            parent_id = values[i_parent]
            if parent_id:
                if parent_id[:2] == '="':
                    parent_id = parent_id[2:-1]
                parents[sor_id] = parent_id
            # a file has a few dozen distinct unit types and levels: normalise each once
            raw_type, raw_level = values[i_type], values[i_level]
            raw_type_counts[raw_type] += 1
            if raw_type not in type_of:
                unit_type = raw_type.strip()
                type_of[raw_type] = (unit_type, UNIT_TYPES.get(unit_type.lower()))
            unit_type, kind = type_of[raw_type]
            sor_type = level_of.get(raw_level) or level_of.setdefault(
                raw_level, raw_level.strip().upper()
            )
            if kind is None:
                # Most of SOR is not a care unit: only the parent index is kept for those.
                if sor_type in OWNER_LEVEL_TYPES:
                    if values[i_owner_type].strip().lower() in MUNICIPAL_OWNER_TYPES:
                        self._owner(dict(zip(header, values, strict=True)), line)
                elif unit_type.lower() in LEGACY_TYPES:
                    where = f"{sor_id} (line {line})"
                    self.summary.skip(f"gammel enhedstype '{unit_type}' (skal ændres i SOR)", where)
                    self.legacy.append(
                        {"sor_id": sor_id, "name": values[i_name].strip(), "type": unit_type}
                    )
                else:
                    not_care += 1
                continue
            row = dict(zip(header, values, strict=True))
            from_date = self._date(row[COLUMNS["from_date"]], COLUMNS["from_date"], line)
            to_date = self._date(row[COLUMNS["to_date"]], COLUMNS["to_date"], line)
            first_from = self._date(
                row[COLUMNS["first_from_date"]], COLUMNS["first_from_date"], line
            )
            where = f"{sor_id} (line {line})"
            if sor_type in OWNER_LEVEL_TYPES:
                self.summary.skip(f"enhedstypen '{unit_type}' på en institutionsejer", where)
                continue
            if from_date and from_date > self.today:
                self.summary.skip("ikke gældende endnu (FromDate ligger ude i fremtiden)", where)
                continue
            owner = self._owner(row, line)
            if owner is None:
                self.summary.skip("ejeren har hverken CVR-nummer eller SOR-ID", where)
                continue
            closed_on = to_date if to_date and to_date < self.today else None
            if kind == UnitKind.CARE_HOME and closed_on is None:
                self.care_homes_open.add(sor_id)
            fields = {
                "name": row[COLUMNS["name"]].strip(),
                "sor_type": sor_type,
                "sor_unit_type": unit_type,
                "sor_parent_id": parent_id,
                "owner_type_name": row[COLUMNS["owner_type_name"]].strip(),
                "phone": row.get(COLUMNS["phone"], "").strip(),
                "email": row.get(COLUMNS["email"], "").strip(),
                "website": row.get(COLUMNS["website"], "").strip(),
                "first_from_date": first_from,
                "from_date": from_date,
                "to_date": to_date,
                **{f: self._address(row, p) for f, p in ADDRESS_PREFIXES.items()},
            }
            if sor_id in self.units:
                raise MalformedFile(
                    self.path,
                    line,
                    f"SorId {sor_id} står to gange i filen (første gang på linje "
                    f"{self.units[sor_id].line})",
                )
            self.units[sor_id] = ParsedUnit(line, kind, sor_id, owner.key, fields, closed_on)
        if not_care:
            self.summary.skipped["ikke en plejeenhedstype"] += not_care
        types: Counter[str] = Counter()
        for raw_type, count in raw_type_counts.items():
            types[raw_type.strip().lower()] += count
        self.entity_counts = EntityCounts(
            total=sum(raw_type_counts.values()),
            types=dict(types),
            owners=dict(Counter(u.owner_key for u in self.units.values() if u.closed_on is None)),
        )
        self.summary.details["entity_counts"] = self.entity_counts.as_dict()

    def check_closures(self) -> None:
        """Refuse (ImportRefused) a file that would close a mass of units; see guards."""
        open_units = set(
            Unit.objects.filter(sor_id__isnull=False, closed_on__isnull=True).values_list(
                "sor_id", flat=True
            )
        )
        closing = {
            sor_id
            for sor_id in open_units
            if sor_id not in self.units or self.units[sor_id].closed_on is not None
        }
        check_sor_closures(str(self.path), self.entity_counts, open_units, closing)

    def _owner(self, row: dict[str, str], line: int) -> Owner | None:
        cvr = row[COLUMNS["owner_cvr"]].strip() or None
        owner_sor_id = _sor_id(row[COLUMNS["owner_sor_id"]]) or None
        if cvr and not re.fullmatch(r"\d{8}", cvr):
            raise MalformedFile(
                self.path, line, f"{COLUMNS['owner_cvr']} {cvr!r} er ikke et 8-cifret CVR-nummer"
            )
        municipal = row[COLUMNS["owner_type_name"]].strip().lower() in MUNICIPAL_OWNER_TYPES
        code = None
        if municipal:
            raw_code = row[COLUMNS["municipality_code"]].strip()
            if not raw_code.isdigit() or int(raw_code) not in self.municipality_codes:
                raise MalformedFile(
                    self.path,
                    line,
                    f"{COLUMNS['municipality_code']} {raw_code!r} er ikke en kommunekode "
                    "(en kommunal ejer skal have en)",
                )
            code = int(raw_code)
            key = f"kommune:{code}"
        elif cvr or owner_sor_id:
            key = f"cvr:{cvr}" if cvr else f"sor:{owner_sor_id}"
        else:
            return None
        if key not in self.owners:
            self.owners[key] = Owner(
                key=key,
                kind=Organisation.Kind.MUNICIPALITY if municipal else Organisation.Kind.COMPANY,
                name=row[COLUMNS["owner_name"]].strip(),
                cvr_number=cvr,
                sor_id=owner_sor_id,
                municipality_code=code,
            )
        return self.owners[key]

    def mark_nesting_errors(self) -> None:
        """A care home with another care home above it: both are registration errors."""
        for sor_id in self.care_homes_open:
            seen = {sor_id}
            ancestor = self.parents.get(sor_id)
            while ancestor and ancestor not in seen:
                if ancestor in self.care_homes_open:
                    self.units[sor_id].nested = True
                    self.units[ancestor].nested = True
                seen.add(ancestor)
                ancestor = self.parents.get(ancestor)

    # --- Writing ---------------------------------------------------------------------------
    def _state_hash(self, parsed: ParsedUnit) -> str:
        state = {
            **parsed.fields,
            "owner": parsed.owner_key,
            "nested": parsed.nested,
            "closed": parsed.closed_on is not None,
        }
        return hashlib.sha1(
            json.dumps(state, sort_keys=True, default=str).encode(), usedforsecurity=False
        ).hexdigest()

    def _organisations(self) -> dict[str, Organisation]:
        """Create or update the owners; municipalities keep one organisation each."""
        by_key: dict[str, Organisation] = {}
        existing = list(Organisation.objects.all())
        by_municipality = {o.municipality_id: o for o in existing if o.municipality_id}
        by_cvr = {o.cvr_number: o for o in existing if o.cvr_number}
        by_sor = {o.sor_id: o for o in existing if o.sor_id}
        municipalities = Municipality.objects.in_bulk()
        new: list[Organisation] = []
        for key, owner in self.owners.items():
            if owner.municipality_code is not None:
                org = by_municipality.get(owner.municipality_code)
                name = str(municipalities[owner.municipality_code])
            else:
                org = by_cvr.get(owner.cvr_number) or by_sor.get(owner.sor_id)
                name = owner.name or f"CVR {owner.cvr_number}"
            if org is None:
                org = Organisation(
                    kind=owner.kind,
                    name=name,
                    cvr_number=owner.cvr_number,
                    sor_id=owner.sor_id,
                    municipality_id=owner.municipality_code,
                )
                new.append(org)
            else:
                changed = False
                for attr, value in (
                    ("name", name),
                    ("cvr_number", owner.cvr_number or org.cvr_number),
                    ("sor_id", owner.sor_id or org.sor_id),
                ):
                    if getattr(org, attr) != value:
                        setattr(org, attr, value)
                        changed = True
                if changed:
                    org.save()
                    self.structure_changed = True
            by_key[key] = org
        Organisation.objects.bulk_create(new)
        self.structure_changed |= bool(new)
        return by_key

    def _providers(self, orgs: dict[str, Organisation]) -> dict[str, Unit]:
        """One automatic home-care provider per owner that has home-care sites."""
        keys = {u.owner_key for u in self.units.values() if u.kind == UnitKind.HOME_CARE_SITE}
        existing = {u.owner_id: u for u in Unit.objects.filter(kind=UnitKind.HOME_CARE_PROVIDER)}
        providers: dict[str, Unit] = {}
        new: list[Unit] = []
        for key in keys:
            org = orgs[key]
            provider = existing.get(org.pk)
            name = f"{org.name} – helhedspleje"
            if provider is None:
                provider = Unit(
                    kind=UnitKind.HOME_CARE_PROVIDER,
                    owner=org,
                    name=name,
                    municipality_id=org.municipality_id,
                )
                new.append(provider)
            elif provider.name != name or provider.closed_on is not None:
                provider.name, provider.closed_on = name, None
                provider.save(update_fields=["name", "closed_on", "register_updated_at"])
                self.structure_changed = True
            providers[key] = provider
        Unit.objects.bulk_create(new)
        if new:
            self.structure_changed = True
            self.summary.notes.append(f"helhedsplejeleverandører oprettet: {len(new)}")
        return providers

    def write(self) -> list[int]:
        """Apply the parsed file; return the ids of units whose register data changed."""
        from plov.registers.dar import MATCH_FIELDS, match_units

        orgs = self._organisations()
        providers = self._providers(orgs)
        existing = {
            row["sor_id"]: row
            for row in Unit.objects.filter(sor_id__isnull=False).values(
                "id", "sor_id", "register_hash", "closed_on"
            )
        }
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for parsed in self.units.values():
            state = self._state_hash(parsed)
            current = existing.get(parsed.sor_id)
            if current and current["register_hash"] == state:
                self.summary.unchanged += 1
                continue
            unit = Unit(
                kind=parsed.kind,
                sor_id=parsed.sor_id,
                owner=orgs[parsed.owner_key],
                parent=providers.get(parsed.owner_key)
                if parsed.kind == UnitKind.HOME_CARE_SITE
                else None,
                nested_care_home=parsed.nested,
                closed_on=parsed.closed_on,
                register_hash=state,
                **parsed.fields,
            )
            if current is None:
                to_create.append(unit)
                if parsed.closed_on:
                    self.summary.closed += 1
                else:
                    self.summary.created += 1
            else:
                unit.pk = current["id"]
                if parsed.closed_on and current["closed_on"]:
                    unit.closed_on = current["closed_on"]  # keep the first closing date
                to_update.append(unit)
                if parsed.closed_on and not current["closed_on"]:
                    self.summary.closed += 1
                else:
                    self.summary.updated += 1
        # Visiting addresses are matched against DAR before anything is written: one pass.
        match_units(to_create + to_update)
        missing = [
            row["id"]
            for sor_id, row in existing.items()
            if sor_id not in self.units and row["closed_on"] is None
        ]
        before = changes.unit_state([u.pk for u in to_update] + missing)  # for the change feed
        Unit.objects.bulk_create(to_create, batch_size=1000)
        now = timezone.now()
        for unit in to_update:
            unit.register_updated_at = now  # a plain UPDATE does not apply auto_now
        update_rows(
            to_update,
            [
                "kind",
                "owner",
                "parent",
                "nested_care_home",
                "closed_on",
                "register_hash",
                "register_updated_at",
                *REGISTER_FIELDS,
                *MATCH_FIELDS,
            ],
        )

        if missing:
            Unit.objects.filter(id__in=missing).update(
                closed_on=self.today, register_hash="missing-from-sor", register_updated_at=now
            )
            self.summary.closed += len(missing)
        changes.record_register_changes(
            before, created=[u.pk for u in to_create if u.closed_on is None], now=now
        )

        self.structure_changed |= bool(to_create or to_update or missing)
        return [u.pk for u in to_update] + missing


def import_sor(
    path: Path, *, today: dt.date | None = None, allow_mass_closure: bool = False
) -> ImportSummary:
    """Import the file; ImportRefused (nothing written) if it would close a mass of units
    and `allow_mass_closure` is not given. Publication is left to whoever runs the import:
    the summary asks for a refresh of every unit, on `today`, if anything was written."""
    from plov.publishing.registration_errors import registration_errors

    importer = SorImporter(path, today=today)
    importer.summary.today = importer.today
    importer.read()
    importer.mark_nesting_errors()
    if not allow_mass_closure:
        importer.check_closures()
    with transaction.atomic():
        importer.write()
    importer.summary.moves_publication = importer.structure_changed
    if importer.structure_changed:
        errors = Counter(e["kind"] for e in registration_errors())
        importer.summary.notes.append(
            "registreringsfejl: "
            + ", ".join(f"{errors[k]} {ERROR_LABELS[k]}" for k in ERROR_KINDS)
            + " (plov registration-errors --json viser dem)"
        )
    else:
        # Nothing changed: publication can only move with the date, which `plov nightly`
        # re-evaluates anyway.
        importer.summary.notes.append("ingen registerdata ændret")
    if importer.legacy:
        importer.summary.details["legacy_typed_units"] = importer.legacy
    return importer.summary

"""Import of DAR addresses (DAWA's flat `mini` shape, JSON array or JSON Lines), and the
matching of units' visiting addresses against them.

The mapping
-----------
plov reads one flat record per address (`../shared/REGISTERS.md`). DAWA gave it in this
shape; Datafordeleren gives the same address, under the same id, spread over several DAR
objects. An adapter from Datafordeleren writes the file below and changes nothing else:

=================  ============  ==============================================================
plov (DarAddress)  file (DAWA)   Datafordeler (DAR 1.0)
=================  ============  ==============================================================
id                 id            DAR_Adresse.id_lokalId
status             status        DAR_Adresse.status — give the name, see STATUSES: the codes
                                 differ (DAR 2 foreløbig, 3 gældende, 4 nedlagt, 5 henlagt)
street_name        vejnavn       DAR_NavngivenVej.vejnavn (DAR_Adresse.husnummer →
                                 DAR_Husnummer.navngivenVej → DAR_NavngivenVej)
house_number       husnr         DAR_Husnummer.husnummertekst
floor              etage         DAR_Adresse.etagebetegnelse
door               dør           DAR_Adresse.dørbetegnelse (doerbetegnelse in GraphQL)
postcode           postnr        DAR_Postnummer.postnr (DAR_Husnummer.postnummer →)
postcode_name      postnrnavn    DAR_Postnummer.navn
municipality_code  kommunekode   DAR_Husnummer.kommuneinddeling → DAGI kommunekode
longitude          x             DAR_Adressepunkt.position (DAR_Husnummer.adgangspunkt →);
latitude           y             Datafordeleren gives ETRS89/UTM32N, the file WGS84: convert
                                 with plov.registers.addresses (EPSG:25832 → EPSG:4326)
label              betegnelse    DAR_Adresse.adressebetegnelse
=================  ============  ==============================================================

`supplerendebynavn` and `adgangsadresseid` (DAR_Husnummer.id_lokalId) may be in the file;
plov does not read them.

Full files and deltas
---------------------
The file is either the whole register or a delta (the addresses changed since a date, the
retired ones among them with status nedlagt or henlagt, in the same record shape). Both are
imported the same way: each address in the file is created or updated by its id; an address
*absent* from the file is left as it is — never deleted, never retired. A delta must hold each
address once, in its latest state (the adapter keeps the newest registration of each id); an
id given twice is skipped after its first line, as in a full file.

How it runs
-----------
On PostgreSQL the file streams into a temporary table with COPY and is merged with set-based
SQL, so memory does not grow with the file (3.6 million addresses). A re-import of a JSON Lines
file reads most lines for their id only: each address keeps the fingerprint of the line it was
last imported from (`line_hash`), and only the lines whose fingerprint differs (new addresses,
changed ones) are read and checked in full (`_stage_changed_lines`). SQLite (the demo) writes
through the ORM in batches. Both in one transaction: a malformed line (`PATH:LINE: reason`)
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from zlib import adler32, crc32

import msgspec
from django.db import DataError, connection, transaction
from django.db.models import Avg, Count, Max, QuerySet

from plov.folding import fold_cached
from plov.registers.addresses import (
    match_key,
    normalise_floor,
    normalise_house_number,
    normalise_street,
)
from plov.registers.bulk import update_rows
from plov.registers.models import DarAddress, DarPostcode, DarStreet
from plov.registers.readers import (
    MalformedFile,
    json_type,
    needs_shared_reader,
    read_json_records,
)
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
# DAWA status: 1 valid, 3 preliminary; 2 and 4 are retired addresses. The file may give the
# code or its name (the names are the same in DAR; the codes are not, see above).
VALID_STATUSES = {1, 3}
STATUSES = {"gældende": 1, "nedlagt": 2, "foreløbig": 3, "henlagt": 4}
# The table's columns, in the order `_values` gives them.
COLUMNS = [*FIELDS, "match_key", "search_text"]
TEXT_LIMITS = {
    name: DarAddress._meta.get_field(name).max_length
    for name in COLUMNS
    if DarAddress._meta.get_field(name).max_length and name != "postcode"
}
BATCH = 2000


def _status(line: int, path: Path, value: object) -> int:
    if value is None or value == "":
        return 1
    text = str(value).strip().lower()
    if text.isdigit() and int(text) in (1, 2, 3, 4):
        return int(text)
    if text in STATUSES:
        return STATUSES[text]
    raise MalformedFile(
        path,
        line,
        f"{FIELDS['status']} {value!r} er ikke en DAR-status "
        "(1 gældende, 2 nedlagt, 3 foreløbig, 4 henlagt)",
    )


def _number(line: int, path: Path, name: str, value: object) -> float | None:
    """A WGS84 coordinate in degrees (Datafordeleren's UTM32 metres must be converted)."""
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MalformedFile(path, line, f"{FIELDS[name]} {value!r} er ikke et tal") from None
    if not -COORDINATE_RANGE[name] <= number <= COORDINATE_RANGE[name]:
        degrees = "længdegrad" if name == "longitude" else "breddegrad"
        raise MalformedFile(path, line, f"{FIELDS[name]} {value!r} er ikke en WGS84-{degrees}")
    return number


COORDINATE_RANGE = {"longitude": 180.0, "latitude": 90.0}


def _stripped(value: object) -> str:
    return "" if value is None else str(value).strip()


def _problem(line: int, path: Path, raw: dict, values: list) -> MalformedFile:
    """What is wrong with a record that failed `_values`' quick checks."""
    missing = [FIELDS[f] for f in REQUIRED if raw.get(FIELDS[f]) in (None, "")]
    if missing:
        return MalformedFile(path, line, f"adresse uden {', '.join(missing)}")
    for index, name in enumerate(COLUMNS[: len(values)]):
        limit = TEXT_LIMITS.get(name)
        if limit and len(values[index]) > limit:
            what = FIELDS.get(name, "vejnavn + husnr")  # match_key: from the two
            return MalformedFile(path, line, f"{what} er længere end {limit} tegn")
    raise AssertionError("no problem found")  # pragma: no cover


# The file's names for the fields, bound once (read on every one of millions of records).
_F = [FIELDS[name] for name in FIELDS]
(_ID, _STATUS, _STREET, _HOUSE, _FLOOR, _DOOR, _POSTCODE, _TOWN, _CODE, _LON, _LAT, _LABEL) = _F
(_LIMIT_ID, _LIMIT_STREET, _LIMIT_HOUSE, _LIMIT_FLOOR, _LIMIT_DOOR, _LIMIT_TOWN, _LIMIT_LABEL) = (
    TEXT_LIMITS[name]
    for name in ("id", "street_name", "house_number", "floor", "door", "postcode_name", "label")
)
_LIMIT_KEY = TEXT_LIMITS["match_key"]


def _values(line: int, path: Path, raw: object) -> list:
    """The record as the table's values in COLUMNS order; or
    MalformedFile saying what is wrong with it. Written for speed: it runs for every
    address in Denmark (one C-level fetch of the fields; each part normalised through its own
    cache). search_text is each part folded (plov.folding), empty ones left out: 'Solvej',
    '4', '1', 'tv', '8000', 'Aarhus C' → 'solvej 4 1 tv 8000 aarhus c'."""
    if raw.__class__ is not dict:
        raise MalformedFile(path, line, f"forventede et JSON-objekt, fandt {json_type(raw)}")
    (identifier, status, street, house, floor, door, postcode, town, code, lon, lat, label) = map(
        raw.get, _F
    )
    if not identifier or not street or not house or not postcode or not code:
        missing = [FIELDS[f] for f in REQUIRED if raw.get(FIELDS[f]) in (None, "")]
        if missing:
            raise MalformedFile(path, line, f"adresse uden {', '.join(missing)}")
    code = _municipality_code(code) if code.__class__ in _CODE_TYPES else None
    if code is None:
        text = _stripped(raw.get(_CODE))
        raise MalformedFile(path, line, f"{_CODE} {text!r} er ikke en kommunekode")
    if postcode.__class__ is not str or postcode not in _POSTCODES:
        postcode = _stripped(postcode)
        if len(postcode) != 4 or not postcode.isdigit() or not postcode.isascii():
            raise MalformedFile(
                path, line, f"{_POSTCODE} {postcode!r} er ikke et 4-cifret postnummer"
            )
    # Texts as given, without surrounding spaces; a missing one is "" (None as the file's null).
    identifier = identifier.strip() if identifier.__class__ is str else _stripped(identifier)
    street = street.strip() if street.__class__ is str else _stripped(street)
    house = house.strip() if house.__class__ is str else _stripped(house)
    floor = floor.strip() if floor.__class__ is str else "" if floor is None else _stripped(floor)
    door = door.strip() if door.__class__ is str else "" if door is None else _stripped(door)
    town = town.strip() if town.__class__ is str else "" if town is None else _stripped(town)
    label = label.strip() if label.__class__ is str else "" if label is None else _stripped(label)
    if status.__class__ is not int or not 1 <= status <= 4:
        status = _status(line, path, status)
    if lon.__class__ is not float or not -180.0 <= lon <= 180.0:  # also NaN
        lon = _number(line, path, "longitude", lon)
    if lat.__class__ is not float or not -90.0 <= lat <= 90.0:
        lat = _number(line, path, "latitude", lat)
    key, head, tail, fits = _derived(street, house, postcode, town)
    if floor or door:
        middle = _floor_and_door(floor, door)
        search = f"{head} {middle} {tail}" if head and middle else _joined(head, middle, tail)
    else:
        search = f"{head} {tail}" if head else tail
    if (
        not fits
        or len(identifier) > _LIMIT_ID
        or len(floor) > _LIMIT_FLOOR
        or len(door) > _LIMIT_DOOR
        or len(label) > _LIMIT_LABEL
    ):
        values = [identifier, status, street, house, floor, door, postcode, town, code]
        raise _problem(line, path, raw, [*values, lon, lat, label, key, search])
    return [
        identifier,
        status,
        street,
        house,
        floor,
        door,
        postcode,
        town,
        code,
        lon,
        lat,
        label,
        key,
        search,
    ]


_CODE_TYPES = (str, int)  # a municipality code as text or as a number; bool is neither


# Every postcode in Denmark, as the file usually gives it (text, four digits): one lookup
# instead of three checks for 3.6 million records.
_POSTCODES = frozenset(f"{n:04d}" for n in range(10000))


@lru_cache(maxsize=1024)
def _municipality_code(value: str | int) -> int | None:
    """'0751', 751 → 751; None if not a municipality code (up to four digits)."""
    text = value.strip() if value.__class__ is str else str(value)
    return int(text) if text.isdigit() and len(text) <= 4 else None


def _derived(street: str, house: str, postcode: str, town: str) -> tuple[str, str, str, bool]:
    """(match_key, search_text's part before the floor, its part after the door, whether
    street, house number, town and match_key fit their columns). Each part is normalised
    through a cache of its own (streets, house numbers and towns recur in any order)."""
    house_key = normalise_house_number(house)
    key = f"{normalise_street(street)}|{house_key}|{postcode}"
    fits = (
        len(street) <= _LIMIT_STREET
        and len(house) <= _LIMIT_HOUSE
        and len(town) <= _LIMIT_TOWN
        and len(key) <= _LIMIT_KEY
    )
    folded_street, folded_house, folded_town = (
        fold_cached(street),
        fold_cached(house_key),
        fold_cached(town),
    )
    head = (
        f"{folded_street} {folded_house}"
        if folded_street and folded_house
        else (folded_street or folded_house)
    )
    return key, head, f"{postcode} {folded_town}" if folded_town else postcode, fits


@lru_cache(maxsize=1024)
def _floor_and_door(floor: str, door: str) -> str:
    return _joined(fold_cached(floor), fold_cached(door))


def _joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)


# --- Reading: JSON Lines fast, everything else through the shared reader. ------------------

MAX_RECORD = 1 << 16  # bytes; a DAR address is about 300
_BOM = b"\xef\xbb\xbf"


class _NotFast(Exception):
    """A line the fast reader does not take as it is; the shared reader decides."""


def _is_json_lines(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(4096).removeprefix(_BOM).lstrip()
    return start.startswith(b"{")


def _fast_records(path: Path) -> Iterator[tuple[int, Any, int]]:
    """(line, value, line_fingerprint) for a JSON Lines file, decoded by msgspec (several
    times faster than the json module: the whole country is 3.6 million lines). It takes only
    lines that are one JSON object each, up to MAX_RECORD bytes, and raises _NotFast at the
    first other line: the shared reader (readers.read_json_records) then reports what is
    wrong, or reads the file (say NaN, which JSON does not allow but Python's json module
    does)."""
    decode = msgspec.json.Decoder().decode
    with path.open("rb") as handle:
        readline = handle.readline
        line = 0
        while text := readline(MAX_RECORD + 1):
            line += 1
            if line == 1:
                text = text.removeprefix(_BOM)
            value = _fast_value(decode, line, text)
            if value is not None:
                yield line, value, line_fingerprint(text)


def _fast_value(decode, line: int, text: bytes) -> dict | None:
    """The line's record as the fast reader takes it; None for a blank line; _NotFast if the
    shared reader must decide."""
    try:
        value = decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError):
        if text.isspace():
            return None
        raise _NotFast(line) from None
    if value.__class__ is not dict or len(text) > MAX_RECORD:
        raise _NotFast(line)
    # A key twice, an escaped control character; an array anywhere (a DAR record is flat)
    # for the shared reader's depth check.
    if needs_shared_reader(text, value):
        raise _NotFast(line)
    return value


def _shared_records(path: Path) -> Iterator[tuple[int, Any, None]]:
    """The shared reader's records, in _fast_records' shape (no fingerprint: the next import
    reads these addresses in full again)."""
    for line, value in read_json_records(path):
        yield line, value, None


# What a DAR line gives is derived by `_values`; a re-import reads in full only the lines that
# differ from the one each address was last imported from (DarAddress.line_hash). Bump this
# when `_values` derives anything differently, so that every line is read in full once again
# (tests/test_import_dar.py checks that its output for sample records has not changed).
DERIVED_BY = 1


def line_fingerprint(text: bytes) -> int:
    """A signed 64-bit fingerprint of a line of the file (CRC-32 and Adler-32, both seeded with
    DERIVED_BY): equal for the same bytes, and for a changed line unequal but by a chance of
    about 2**-64 (CRC-32 alone misses no change of up to 4 adjacent bytes)."""
    return ((crc32(text, DERIVED_BY) - 0x80000000) << 32) | adler32(text, DERIVED_BY)


def _check_with_shared_reader(path: Path) -> None:
    """Raise the shared reader's MalformedFile for the file, if it has one."""
    for _ in read_json_records(path):
        pass


DUPLICATE = "adresse-id'et står to gange i filen"


def import_dar(path: Path) -> ImportSummary:
    """Upsert the addresses in the file, then re-match every open unit's visiting address.

    Addresses are never deleted: a retired one comes with its status, and units stop matching
    it; one absent from the file (a delta) stays as it is. Publication (which needs a unit's
    address matched) is left to whoever runs the import: the summary asks for a refresh of
    every unit.
    """
    path = Path(path)
    summary = ImportSummary(moves_publication=True)
    with transaction.atomic():
        touched = None
        if connection.vendor == "postgresql":
            touched = _merge_postgresql(path, summary)
        else:
            _merge_orm(path, summary)
        if not DarStreet.objects.exists() or not DarPostcode.objects.exists():
            touched = None  # derive them all
        elif not (summary.created or summary.updated):
            touched = False  # nothing changed: the streets stand
        if touched is not False:
            refresh_streets(touched)
            refresh_postcodes()
            transaction.on_commit(forget_postcodes)
        match_visiting_addresses(Unit.objects.filter(sor_id__isnull=False))
    return summary


# --- SQLite (and any other database): the ORM, in batches. ---------------------------------


def _write_batch(batch: list[list], summary: ImportSummary) -> None:
    existing = {
        row[0]: row
        for row in DarAddress.objects.filter(id__in=[v[0] for v in batch]).values_list(*COLUMNS)
    }
    new, changed = [], []
    for values in batch:
        current = existing.get(values[0])
        if current is None:
            new.append(DarAddress(**dict(zip(COLUMNS, values, strict=True))))
        elif list(current) != values:
            changed.append(DarAddress(**dict(zip(COLUMNS, values, strict=True))))
        else:
            summary.unchanged += 1
    DarAddress.objects.bulk_create(new)
    update_rows(changed, COLUMNS[1:])
    summary.created += len(new)
    summary.updated += len(changed)


def _merge_orm(path: Path, summary: ImportSummary) -> None:
    # The ids seen are held in memory: fine for the demo's SQLite, not for the whole country
    # (that is PostgreSQL's path below).
    first_line: dict[str, int] = {}
    batch: list[list] = []
    for line, raw in read_json_records(path):
        values = _values(line, path, raw)
        if any("\x00" in v for v in values if v.__class__ is str):  # as PostgreSQL refuses it
            raise MalformedFile(path, line, NUL_REASON)
        identifier = values[0]
        if identifier in first_line:
            first = first_line[identifier]
            summary.skip(DUPLICATE, f"{identifier} (linje {line}, første gang på linje {first})")
            continue
        first_line[identifier] = line
        batch.append(values)
        if len(batch) >= BATCH:
            _write_batch(batch, summary)
            batch = []
    _write_batch(batch, summary)


# --- PostgreSQL: COPY into a staging table, then set-based SQL. -----------------------------

STAGING = "plov_dar_staging"
FINGERPRINTS = "plov_dar_fingerprints"
LINE_HASH = DarAddress._meta.get_field("line_hash").column
CHANGES = "plov_dar_changes"
TWICE = "plov_dar_twice"
# The (street, postcode) pairs a re-import changed, before and after: the streets to refresh.
TOUCHED = "plov_dar_touched_streets"
STREET_KEY = ("street_name", "postcode")  # DarStreet's key, as DarAddress names it
# PostgreSQL's work_mem for the import's transaction: at least, and at most (in MB).
WORK_MEM_MB = (256, 2048)
# A Bloom filter of the ids seen (two bits per id in 2**26 bits: 8 MiB whatever the file's
# size). An id it has not seen is certainly new; one it may have seen (every duplicate, and
# about 1 % of other ids at 3.6 million) is flagged and checked in SQL.
BLOOM_BITS = 26


def _bloom() -> bytearray:
    return bytearray(1 << (BLOOM_BITS - 3))


_BLOOM_MASK = (1 << BLOOM_BITS) - 1


def _seen_before(bloom: bytearray, identifier: str) -> bool:
    """Whether the Bloom filter may have seen the id (then certainly, if it is a duplicate);
    adds it."""
    h = hash(identifier)
    a, b = h & _BLOOM_MASK, (h >> BLOOM_BITS) & _BLOOM_MASK
    if bloom[a >> 3] >> (a & 7) & 1 and bloom[b >> 3] >> (b & 7) & 1:
        return True
    bloom[a >> 3] |= 1 << (a & 7)
    bloom[b >> 3] |= 1 << (b & 7)
    return False


def _column_types(cursor, table: str, names: list[str]) -> list[int]:
    cursor.execute(
        "SELECT a.atttypid::int FROM unnest(%s::text[]) WITH ORDINALITY "
        "AS c(name, n) JOIN pg_attribute AS a ON a.attname = c.name "
        f"AND a.attrelid = '{table}'::regclass ORDER BY c.n",
        [names],
    )
    return [t for (t,) in cursor.fetchall()]


def _stage(
    cursor, path: Path, names: list[str], records: Iterator, bloom: bytearray | None = None
) -> tuple[int, int] | None:
    """COPY every record into the staging table; return (rows, rows flagged as possibly
    repeating an earlier id), or None if `records` (the fast reader) gave up on a line."""
    types = _column_types(cursor, STAGING, names)
    bloom = bloom if bloom is not None else _bloom()
    staged = flagged = 0
    columns = ", ".join(names)
    with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        write = copy.write_row
        line = 0
        try:
            for line, raw, fingerprint in records:
                values = _values(line, path, raw)
                seen = _seen_before(bloom, values[0])
                flagged += seen
                values.append(fingerprint)
                values.append(line)
                values.append(seen)
                write(values)
                staged += 1
        except _NotFast:
            return None  # what was copied is valid; the caller empties the table
        except UnicodeEncodeError as exc:
            raise MalformedFile(
                path, line, f"ikke gyldig Unicode: {exc.object[exc.start : exc.end]!r}"
            ) from None
    return staged, flagged


NUL_REASON = "posten indeholder et NUL-tegn (\\u0000), som ingen adresse har"


def _nul_problem(path: Path) -> MalformedFile | None:
    """The first record with a NUL character (PostgreSQL cannot store one in text)."""
    for line, raw in read_json_records(path):
        if isinstance(raw, dict) and any("\x00" in str(v) for v in raw.values()):
            return MalformedFile(path, line, NUL_REASON)
    return None


def _set_work_mem(cursor, rows: int) -> None:
    # Hashing and sorting millions of rows: give this transaction the memory for it
    # (server-side, freed at its end) so that the join finding what changed hashes the
    # table once instead of spilling it to disk in batches (at 3.6 million addresses
    # that was 32 s of a 79 s re-import with 256 MB; the hash needs ~170 bytes a row).
    work_mem = min(WORK_MEM_MB[1], max(WORK_MEM_MB[0], rows * 200 >> 20))
    cursor.execute(f"SET LOCAL work_mem = '{work_mem}MB'")


def _stage_every_line(cursor, path: Path, names: list[str], summary: ImportSummary) -> int:
    """Stage every record of the file (duplicates dropped); return how many."""
    counts = None
    if _is_json_lines(path):
        counts = _stage(cursor, path, names, _fast_records(path))
        if counts is None:
            _check_with_shared_reader(path)
            cursor.execute(f"TRUNCATE {STAGING}")
    if counts is None:
        counts = _stage(cursor, path, names, _shared_records(path))
    assert counts is not None
    staged, flagged = counts
    _set_work_mem(cursor, staged)
    if flagged:
        staged -= _drop_duplicates(cursor, summary, STAGING)
    return staged


class _AddressId(msgspec.Struct, rename={"id": FIELDS["id"]}):
    id: str


REREAD_BATCH = 20_000  # lines read in full at a time (their offsets are held in memory)


def _stage_changed_lines(
    cursor, path: Path, names: list[str], summary: ImportSummary
) -> int | None:
    """A re-import of a JSON Lines file: stage in full only the lines that differ from the one
    each address was last imported from; return how many addresses the file gives (each id
    once), or None, with nothing staged, if the fast reader gave up on a line.

    First pass: each line's id and fingerprint (and where it starts) into FINGERPRINTS, a
    fraction of the work of reading it in full. A line byte for byte the one its address was
    imported from gives what is stored (it was checked then; see DERIVED_BY). Second pass:
    the other lines (new ids, changed lines), read in full and checked as any line is."""
    import psycopg

    try:
        with transaction.atomic():  # a savepoint: an id PostgreSQL refuses undoes only this
            counts = _stage_fingerprints(cursor, path)
    except (psycopg.DataError, DataError, UnicodeEncodeError):
        counts = None
    if counts is None:
        return None
    addresses, flagged = counts
    _set_work_mem(cursor, addresses)
    if flagged:
        addresses -= _drop_duplicates(cursor, summary, FINGERPRINTS)
    table = connection.ops.quote_name(DarAddress._meta.db_table)
    decode = msgspec.json.Decoder().decode
    bloom = _bloom()
    # Django's connection underneath: a server-side cursor, so that the offsets of a whole
    # country's lines (the first import that has fingerprints to compare) are not held at once.
    with (
        connection.connection.cursor(name="plov_dar_reread") as changed,
        path.open("rb") as handle,
    ):
        changed.execute(
            f"SELECT f.line, f.byte_offset FROM {FINGERPRINTS} AS f "
            f"LEFT JOIN {table} AS d ON d.id = f.id "
            f"WHERE d.{LINE_HASH} IS DISTINCT FROM f.line_hash ORDER BY f.line"
        )
        fast = True
        while fast and (batch := changed.fetchmany(REREAD_BATCH)):
            fast = _stage(cursor, path, names, _lines_at(handle, decode, batch), bloom) is not None
    cursor.execute(f"DROP TABLE {FINGERPRINTS}")
    if not fast:
        cursor.execute(f"TRUNCATE {STAGING}")
        return None
    return addresses


def _stage_fingerprints(cursor, path: Path) -> tuple[int, int] | None:
    """The first pass of _stage_changed_lines: (lines, lines flagged as possibly repeating an
    earlier id), or None if a line is not one JSON object with a text id."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {FINGERPRINTS} (id text NOT NULL, line_hash bigint NOT NULL, "
        "line integer NOT NULL, byte_offset bigint NOT NULL, maybe_twice boolean NOT NULL) "
        "ON COMMIT DROP"
    )
    names = ["id", "line_hash", "line", "byte_offset", "maybe_twice"]
    types = _column_types(cursor, FINGERPRINTS, names)
    decode = msgspec.json.Decoder(_AddressId).decode
    bloom = _bloom()
    rows = flagged = 0
    with (
        path.open("rb") as handle,
        cursor.copy(f"COPY {FINGERPRINTS} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(types)
        write, readline = copy.write_row, handle.readline
        line = end = 0
        while text := readline(MAX_RECORD + 1):
            line += 1
            start, end = end, end + len(text)
            if line == 1 and text.startswith(_BOM):
                text, start = text[len(_BOM) :], len(_BOM)
            try:
                identifier = decode(text).id.strip()
            except (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError):
                if text.isspace():
                    continue
                return None  # the second way reads it, or the shared reader does
            seen = _seen_before(bloom, identifier)
            flagged += seen
            write((identifier, line_fingerprint(text), line, start, seen))
            rows += 1
    return rows, flagged


def _lines_at(handle, decode, batch: list[tuple[int, int]]) -> Iterator[tuple[int, Any, int]]:
    """The records of the (line, byte offset) pairs, in _fast_records' shape."""
    seek, readline = handle.seek, handle.readline
    for line, offset in batch:
        seek(offset)
        text = readline(MAX_RECORD + 1)
        value = _fast_value(decode, line, text)
        if value is not None:
            yield line, value, line_fingerprint(text)


def _merge_postgresql(path: Path, summary: ImportSummary) -> str | None:
    """Stage the file with COPY and upsert what is new or changed. Returns the name of a
    temporary table of the (street, postcode) pairs the changes touched (their values before
    and after), for `refresh_streets`; None when every street must be derived (the first
    import)."""
    import psycopg

    quote = connection.ops.quote_name
    table = quote(DarAddress._meta.db_table)
    names = [DarAddress._meta.get_field(c).column for c in COLUMNS]
    # What the file gives, and the fingerprint of its line (written, never compared).
    columns = ", ".join(quote(c) for c in [*names, LINE_HASH])
    from_staging = ", ".join(f"s.{quote(c)}" for c in [*names, LINE_HASH])
    # Compared column by column: NULL-safe (a missing coordinate), and no hash to keep.
    differs = (
        f"({', '.join(f'd.{quote(c)}' for c in names[1:])}) IS DISTINCT FROM "
        f"({', '.join(f's.{quote(c)}' for c in names[1:])})"
    )
    upsert = (
        "ON CONFLICT (id) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in [*names[1:], LINE_HASH])
        + f" WHERE ({', '.join(f'{table}.{quote(c)}' for c in names[1:])}) IS DISTINCT FROM "
        f"({', '.join(f'EXCLUDED.{quote(c)}' for c in names[1:])})"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM_MB[0]}MB'")
        for name in (STAGING, FINGERPRINTS, CHANGES, TWICE, f"{TWICE}_ids"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (LIKE {table} INCLUDING DEFAULTS, "
            "line integer NOT NULL, maybe_twice boolean NOT NULL) ON COMMIT DROP"
        )
        staging_columns = [*names, LINE_HASH, "line", "maybe_twice"]
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        first_import = not cursor.fetchone()[0]
        try:
            addresses = None  # how many addresses the file gives (each id once)
            if not first_import and _is_json_lines(path):
                addresses = _stage_changed_lines(cursor, path, staging_columns, summary)
            if addresses is None:
                addresses = _stage_every_line(cursor, path, staging_columns, summary)
        except psycopg.errors.UntranslatableCharacter:
            raise _nul_problem(path) or MalformedFile(path, 0, "ikke gyldig tekst") from None
        except psycopg.DataError as exc:
            if "0x00" in str(exc):
                raise _nul_problem(path) or MalformedFile(path, 0, str(exc)) from None
            raise
        touched = None
        if first_import:
            # The first import: every address is new, so a plain INSERT (ON CONFLICT costs a
            # third more here; a concurrent DAR import would fail on the primary key and roll
            # back). In id order, which keeps the primary key's index appending instead of
            # touching pages all over it.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {STAGING} "
                'ORDER BY id COLLATE "C"'
            )
            summary.created = cursor.rowcount
        else:
            # One pass over both tables finds what is new or changed; the nightly run of a
            # whole file usually ends here with nothing to write.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {CHANGES} ON COMMIT DROP AS "
                f"SELECT s.line, d.id IS NULL AS is_new FROM {STAGING} AS s "
                f"LEFT JOIN {table} AS d ON d.id = s.id WHERE d.id IS NULL OR {differs}"
            )
            if cursor.rowcount:
                # Before the upsert: an updated address's old street loses it.
                street = [quote(DarAddress._meta.get_field(f).column) for f in STREET_KEY]
                cursor.execute(f"DROP TABLE IF EXISTS {TOUCHED}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {TOUCHED} ON COMMIT DROP AS "
                    f"SELECT {', '.join(f's.{c}' for c in street)} FROM {STAGING} AS s "
                    f"JOIN {CHANGES} AS c ON c.line = s.line UNION "
                    f"SELECT {', '.join(f'd.{c}' for c in street)} FROM {table} AS d "
                    f"JOIN {STAGING} AS s ON s.id = d.id "
                    f"JOIN {CHANGES} AS c ON c.line = s.line AND NOT c.is_new"
                )
                cursor.execute(f"ANALYZE {TOUCHED}")
                touched = TOUCHED
                cursor.execute(f"SELECT count(*) FROM {CHANGES} WHERE is_new")
                created = cursor.fetchone()[0]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {from_staging} "
                    f"FROM {STAGING} AS s JOIN {CHANGES} AS c ON c.line = s.line "
                    f'ORDER BY s.id COLLATE "C" {upsert}'
                )
                summary.created, summary.updated = created, cursor.rowcount - created
            cursor.execute(f"DROP TABLE {CHANGES}")
            # A line that changed but not what it gives (its keys in another order, say):
            # keep its fingerprint, so that the next import need not read it in full again.
            cursor.execute(
                f"UPDATE {table} AS d SET {LINE_HASH} = s.{LINE_HASH} FROM {STAGING} AS s "
                f"WHERE d.id = s.id AND d.{LINE_HASH} IS DISTINCT FROM s.{LINE_HASH}"
            )
        summary.unchanged = addresses - summary.created - summary.updated
        cursor.execute(f"DROP TABLE {STAGING}")
    return touched


def _drop_duplicates(cursor, summary: ImportSummary, staging: str) -> int:
    """Skip every line whose id an earlier line of the file already gave (as the ORM path
    does); return how many. Checked in SQL, among the lines the Bloom filter flagged."""
    # The flagged ids first, in a table of their own: small, so that the join below hashes
    # them and reads the staging table once.
    cursor.execute(
        f"CREATE TEMPORARY TABLE {TWICE}_ids ON COMMIT DROP AS "
        f"SELECT DISTINCT id FROM {staging} WHERE maybe_twice"
    )
    cursor.execute(f"ANALYZE {TWICE}_ids")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {TWICE} ON COMMIT DROP AS "
        "WITH candidates AS MATERIALIZED ("
        f"SELECT line, id FROM {staging} WHERE id IN (SELECT id FROM {TWICE}_ids)) "
        "SELECT line, id, first_line FROM (SELECT line, id, "
        "min(line) OVER (PARTITION BY id) AS first_line FROM candidates) AS repeated "
        "WHERE line > first_line"
    )
    skipped = cursor.rowcount
    if skipped:
        cursor.execute(f"SELECT id, line, first_line FROM {TWICE} ORDER BY line LIMIT 20")
        examples = cursor.fetchall()
        cursor.execute(f"DELETE FROM {staging} AS s USING {TWICE} AS t WHERE s.line = t.line")
        for identifier, line, first in examples:
            summary.skip(DUPLICATE, f"{identifier} (linje {line}, første gang på linje {first})")
        summary.skipped[DUPLICATE] += skipped - len(examples)
    cursor.execute(f"DROP TABLE {TWICE}, {TWICE}_ids")
    return skipped


def refresh_streets(touched: str | None = None) -> int:
    """Recompute DarStreet from the valid addresses with coordinates, each street's name and
    town folded here (plov.folding, as the suggestions fold what is typed): all of them in one
    grouped pass over the table, or (PostgreSQL, `touched`: the temporary table of (street,
    postcode) pairs `_merge_postgresql` made) only the streets a re-import changed, so that a
    nightly delta does not regroup millions of addresses. Returns the number of streets
    written."""
    if touched is not None and connection.vendor == "postgresql":
        return _refresh_touched_streets(touched)
    rows = (
        DarAddress.objects.filter(status__in=VALID_STATUSES, latitude__isnull=False)
        .values("street_name", "postcode")
        .annotate(
            town=Max("postcode_name"),
            lat=Avg("latitude"),
            lon=Avg("longitude"),
            n=Count("id"),
        )
        .order_by()
    )
    # DELETE, not TRUNCATE: the site goes on reading the old streets until the import commits.
    DarStreet.objects.all().delete()
    if connection.vendor == "postgresql":
        return _copy_streets(
            (r["street_name"], r["postcode"], r["town"], r["lat"], r["lon"], r["n"])
            for r in rows.iterator(chunk_size=10_000)
        )
    count = 0
    batch: list[DarStreet] = []
    for r in rows.iterator(chunk_size=10_000):
        town = r["town"] or ""
        batch.append(
            DarStreet(
                street_name=r["street_name"],
                postcode=r["postcode"],
                town=town,
                street_key=fold_cached(r["street_name"]),
                town_key=fold_cached(town),
                latitude=r["lat"],
                longitude=r["lon"],
                addresses=r["n"],
            )
        )
        if len(batch) >= BATCH:
            DarStreet.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    DarStreet.objects.bulk_create(batch)
    return count + len(batch)


def _refresh_touched_streets(touched: str) -> int:
    """PostgreSQL: delete the streets in `touched` and derive them again from their addresses
    (a street whose last valid address went is not written again)."""
    quote = connection.ops.quote_name
    column = {f: quote(DarAddress._meta.get_field(f).column) for f in (*STREET_KEY, "status")}
    on = " AND ".join(f"x.{column[f]} = t.{column[f]}" for f in STREET_KEY)
    key = ", ".join(f"a.{column[f]}" for f in STREET_KEY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(DarStreet._meta.db_table)} AS x USING {touched} AS t WHERE {on}"
        )
        cursor.execute(
            f"SELECT {key}, max(a.postcode_name), avg(a.latitude), avg(a.longitude), count(*) "
            f"FROM {quote(DarAddress._meta.db_table)} AS a "
            f"WHERE ({key}) IN (SELECT {', '.join(column[f] for f in STREET_KEY)} FROM {touched}) "
            f"AND a.{column['status']} = ANY(%s) AND a.latitude IS NOT NULL GROUP BY {key}",
            [sorted(VALID_STATUSES)],
        )
        rows = cursor.fetchall()
    return _copy_streets(rows)


def _copy_streets(rows: Iterable[tuple]) -> int:
    """COPY (street, postcode, town, latitude, longitude, addresses) rows into DarStreet, the
    keys folded here, in batches between the reads (one statement at a time on a
    connection)."""
    names = ["street_name", "postcode", "town", "street_key", "town_key"]
    names += ["latitude", "longitude", "addresses"]
    table = connection.ops.quote_name(DarStreet._meta.db_table)
    sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
    pending: list[tuple] = []
    count = 0

    def flush() -> None:
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in pending:
                copy.write_row(row)
        pending.clear()

    for street_name, postcode, town, lat, lon, n in rows:
        town = town or ""
        pending.append(
            (street_name, postcode, town, fold_cached(street_name), fold_cached(town), lat,
             lon, n)
        )  # fmt: skip
        count += 1
        if len(pending) >= 10_000:
            flush()
    flush()
    return count


def forget_postcodes() -> None:
    """The address suggestions' cached postcodes and answers (plov.public.suggest) are stale."""
    from django.core.cache import cache

    from plov.public.suggest import ANSWERS_GENERATION, POSTCODES_CACHE

    cache.delete_many([POSTCODES_CACHE, ANSWERS_GENERATION])


def refresh_postcodes() -> int:
    """Recompute every postcode's centre and name from the streets (refresh_streets first):
    a postcode's centre is its streets' centres weighted by their addresses, which is the
    centre of its addresses. Returns the number of postcodes."""
    by_postcode: dict[str, list] = {}
    for street in DarStreet.objects.values_list(
        "postcode", "town", "latitude", "longitude", "addresses"
    ).iterator(chunk_size=10_000):
        postcode, town, lat, lon, n = street
        entry = by_postcode.setdefault(postcode, ["", 0.0, 0.0, 0])
        entry[0] = max(entry[0], town)
        entry[1] += lat * n
        entry[2] += lon * n
        entry[3] += n
    postcodes = [
        DarPostcode(
            postcode=postcode,
            name=name,
            latitude=lat / n,
            longitude=lon / n,
            addresses=n,
        )
        for postcode, (name, lat, lon, n) in sorted(by_postcode.items())
    ]
    DarPostcode.objects.all().delete()
    DarPostcode.objects.bulk_create(postcodes)
    return len(postcodes)


# --- Matching units' visiting addresses. ----------------------------------------------------


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
    from plov.opendata import changes

    loaded = list(units.only("id", "visiting_address", *MATCH_FIELDS))
    matched = match_units(loaded)
    before = changes.unit_state([u.pk for u in matched])  # for the change feed
    written = update_rows(matched, MATCH_FIELDS)
    changes.record_register_changes(before)
    return written

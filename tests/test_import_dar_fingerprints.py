"""A DAR re-import on PostgreSQL reads in full only the lines that changed since each address
was last imported (their fingerprints differ, `DarAddress.line_hash`); every other line is
read for its id and fingerprint only. What it imports must be what reading every line in
full imports: these tests count the lines read in full and check the outcome."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.conf import settings

from plov.registers import dar
from plov.registers.dar import import_dar
from plov.registers.models import DarAddress
from plov.registers.readers import MalformedFile

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the fingerprints are the PostgreSQL import's (SQLite reads every line)",
    ),
]

DUPLICATE = "adresse-id'et står to gange i filen"


def _write(path, records, *, raw_lines=None, prefix=b""):
    texts = [
        (raw_lines or {}).get(i) or json.dumps(r, ensure_ascii=False) for i, r in enumerate(records)
    ]
    path.write_bytes(prefix + "".join(t + "\n" for t in texts).encode())
    return path


@pytest.fixture
def read_in_full(monkeypatch):
    """The lines `_values` read in full, by line number, in each import since the last call."""
    lines: list[int] = []
    values = dar._values

    def counting(line, path, raw):
        lines.append(line)
        return values(line, path, raw)

    monkeypatch.setattr(dar, "_values", counting)

    def taken() -> list[int]:
        seen = list(lines)
        lines.clear()
        return seen

    return taken


@pytest.fixture
def imported_file(db, tmp_path, country, read_in_full):
    """The test country's addresses imported once from a JSON Lines file."""
    path = _write(tmp_path / "dar.jsonl", country.dar)
    assert import_dar(path).created == len(country.dar)
    assert read_in_full() == list(range(1, len(country.dar) + 1))
    return path


def test_an_unchanged_file_is_read_for_ids_only(imported_file, country, read_in_full):
    summary = import_dar(imported_file)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(country.dar))
    assert read_in_full() == []
    assert DarAddress.objects.filter(line_hash__isnull=True).count() == 0


def test_a_changed_line_and_a_new_one_are_read_in_full(
    imported_file, tmp_path, country, read_in_full
):
    moved = dict(country.dar[2], x=10.31)
    new = dict(country.dar[0], id="b0000000-0000-0000-0000-000000000042", husnr="42")
    records = [*country.dar[:2], moved, *country.dar[3:], new]
    summary = import_dar(_write(tmp_path / "dar.jsonl", records))
    assert (summary.created, summary.updated) == (1, 1)
    assert summary.unchanged == len(country.dar) - 1
    assert read_in_full() == [3, len(records)]
    assert DarAddress.objects.get(id=moved["id"]).longitude == 10.31
    assert DarAddress.objects.get(id=new["id"]).match_key == "solvej|42|8000"
    # and the next night, nothing is read in full
    import_dar(tmp_path / "dar.jsonl")
    assert read_in_full() == []


def test_a_line_rewritten_without_a_change_is_not_an_update(
    imported_file, tmp_path, country, read_in_full
):
    """Keys in another order: the line differs, what it gives does not. It is read in full
    once, counted unchanged, and its new fingerprint kept."""
    reordered = json.dumps(dict(reversed(list(country.dar[1].items()))), ensure_ascii=False)
    path = _write(tmp_path / "dar.jsonl", country.dar, raw_lines={1: reordered})
    summary = import_dar(path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(country.dar))
    assert read_in_full() == [2]
    import_dar(path)
    assert read_in_full() == []


def test_a_wrong_value_in_a_changed_line_is_reported_and_changes_nothing(
    imported_file, tmp_path, country
):
    records = [dict(country.dar[0], x=10.3), country.dar[1], dict(country.dar[2], postnr="80000")]
    with pytest.raises(
        MalformedFile, match="postnr '80000' er ikke et 4-cifret postnummer"
    ) as info:
        import_dar(_write(tmp_path / "dar.jsonl", records))
    assert info.value.line == 3
    assert DarAddress.objects.get(id=country.dar[0]["id"]).longitude == country.dar[0]["x"]


def test_an_unchanged_line_given_twice_is_skipped_after_its_first(imported_file, tmp_path, country):
    records = [*country.dar, country.dar[1]]
    summary = import_dar(_write(tmp_path / "dar.jsonl", records))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(country.dar))
    assert summary.examples[DUPLICATE] == [
        f"{country.dar[1]['id']} (linje {len(records)}, første gang på linje 2)"
    ]


def test_a_byte_order_mark_and_blank_lines_change_no_fingerprint(
    imported_file, tmp_path, country, read_in_full
):
    text = "\n\n".join(json.dumps(r, ensure_ascii=False) for r in country.dar)
    path = tmp_path / "dar-bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\n")
    summary = import_dar(path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(country.dar))
    assert read_in_full() == []


def test_a_line_the_fast_reader_leaves_to_the_shared_one_is_still_imported(
    imported_file, tmp_path, country
):
    # NaN (not JSON; Python's json accepts it) in a field plov does not read, on a changed line
    moved = dict(country.dar[1], x=10.32)
    raw = json.dumps(moved, ensure_ascii=False)[:-1] + ', "ukendt_felt": NaN}'
    summary = import_dar(_write(tmp_path / "dar.jsonl", country.dar, raw_lines={1: raw}))
    assert (summary.created, summary.updated) == (0, 1)
    assert DarAddress.objects.get(id=moved["id"]).longitude == 10.32


def test_an_id_postgresql_refuses_falls_back_to_reading_every_line(
    imported_file, tmp_path, country
):
    raw = json.dumps(dict(country.dar[1], id="x\u0000y"))
    with pytest.raises(MalformedFile) as info:
        import_dar(_write(tmp_path / "dar.jsonl", country.dar, raw_lines={1: raw}))
    assert info.value.line == 2


def test_a_new_derivation_reads_every_line_in_full_again(
    imported_file, country, read_in_full, monkeypatch
):
    monkeypatch.setattr(dar, "DERIVED_BY", dar.DERIVED_BY + 1)
    summary = import_dar(imported_file)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(country.dar))
    assert read_in_full() == list(range(1, len(country.dar) + 1))
    import_dar(imported_file)
    assert read_in_full() == []


# What `_values` gives for these records, as of DERIVED_BY. If this test fails, `_values`
# derives something differently: bump dar.DERIVED_BY (so that every address is read in full
# again at the next import) and record the new digest here with it.
SAMPLES = [
    {"id": " x1 ", "status": "Gældende", "vejnavn": "H.C. Andersens  Boulevard", "husnr": " 04 A",
     "etage": "st", "dør": "tv", "postnr": 8000, "postnrnavn": "Århus C", "kommunekode": 751,
     "x": "10.2", "y": 56.1, "betegnelse": "x"},
    {"id": "x2", "status": 3, "vejnavn": "Ærøvej", "husnr": "4", "etage": None, "dør": None,
     "postnr": "8000", "postnrnavn": None, "kommunekode": "0751", "x": None, "y": None},
    {"id": "x3", "vejnavn": "...", "husnr": "12b", "postnr": "5000", "kommunekode": "461",
     "etage": "kl.", "dør": ""},
    {"id": "x4", "status": "4", "vejnavn": "Allé", "husnr": "1", "postnr": "5000",
     "postnrnavn": "Odense  C", "kommunekode": "461", "x": 10, "y": 55},
]  # fmt: skip
DERIVATIONS = {1: "1a3baf72"}


def test_what_a_line_gives_is_what_its_fingerprint_was_made_for(tmp_path):
    given = [dar._values(n, tmp_path, record) for n, record in enumerate(SAMPLES)]
    digest = hashlib.sha256(repr(given).encode()).hexdigest()[:8]
    assert DERIVATIONS.get(dar.DERIVED_BY) == digest, (
        f"_values gives {given}: bump dar.DERIVED_BY and record {digest!r} for it"
    )

"""Files a hostile or unlucky operator feeds the importers: control characters, JSON nested
100,000 levels deep, an enormous record, duplicate keys, UTF-16. Each is refused through the
command line with exit 1 and `PATH:LINE: reason` in Danish, and the database is exactly as
it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plov.agreements.models import ServiceAgreement
from plov.registers.models import CvrProductionUnit, DarAddress, ImportRun
from plov.registers.readers import MAX_JSON_DEPTH, MAX_RECORD_BYTES
from plov.registers.writers import write_json_array, write_jsonl, write_sor
from plov.supervision.models import QualityResult
from plov.units.models import Organisation
from tests import country as c
from tests.test_cli import run
from tests.test_import_sor import snapshot as unit_snapshot


def database() -> dict[str, list]:
    """Everything an import can write, row by row."""
    return {
        "units": unit_snapshot(),
        "organisations": list(Organisation.objects.order_by("id").values_list()),
        "cvr": list(CvrProductionUnit.objects.order_by("p_number").values_list()),
        "dar": list(DarAddress.objects.order_by("id").values_list()),
        "agreements": list(ServiceAgreement.objects.order_by("id").values_list()),
        "quality": list(QualityResult.objects.order_by("id").values_list()),
    }


def refused(capsys, register: str, path: Path) -> str:
    """Import through `plov import`, expect exit 1, return the one error line."""
    before = database()
    code, out, err = run(capsys, "import", register, str(path))
    assert code == 1, out
    assert "Traceback" not in err
    assert database() == before
    failed = ImportRun.objects.filter(register=register).first()
    assert failed.status == ImportRun.Status.FAILED
    assert failed.error == err.strip()
    return err.strip()


# --- Control characters ------------------------------------------------------------------------


def test_a_nul_byte_in_a_sor_file_is_refused_with_its_line(imported, tmp_path, country, capsys):
    country.entity(c.LINDEHUS).name = "Lindehus\x00"
    country.entity(c.SOLGAARDEN).name = "Plejecenter Solgården Nord"  # a change that must not land
    path = write_sor(tmp_path / "SorEntity_daily.csv", country.sor)
    line = next(
        i
        for i, text in enumerate(path.read_bytes().split(b"\n"), start=1)
        if b"Lindehus\x00" in text
    )
    column = path.read_bytes().split(b"\n")[line - 1].decode().index("\x00") + 1
    assert refused(capsys, "sor", path) == (
        f"{path}:{line}: styretegn U+0000 (NUL) i kolonne {column}; et registers tekst kan ikke "
        "indeholde styretegn – filen er beskadiget eller ikke en tekstfil"
    )


@pytest.mark.parametrize(("char", "name"), [("\x1b", "U+001B (ESC)"), ("\x0c", "U+000C (FF)")])
def test_other_control_characters_are_refused_in_every_csv_import(
    imported, tmp_path, capsys, char, name
):
    path = tmp_path / "aftaler.csv"
    path.write_text(
        "kommunekode;sor_id;aftaleidentifikation;type;start;slut;beskrivelse\n"
        f"751;{c.SOLGAARDEN};AAR-001;Myndighedsproduktion;2025-01-01;;\n"
        f"751;{c.LINDEHUS};AAR-002;driftsoverenskomst;2025-01-01;;Tekst{char}\n",
        encoding="utf-8",
    )
    assert refused(capsys, "agreements", path).startswith(f"{path}:3: styretegn {name}")


def test_a_carriage_return_inside_a_line_is_refused_but_crlf_line_ends_are_read(
    imported, tmp_path, country, capsys
):
    # write_sor writes CRLF, as SOR does: imported without a word (the fixture did so too).
    path = write_sor(tmp_path / "SorEntity_daily.csv", country.sor)
    assert b"\r\n" in path.read_bytes()
    data = path.read_bytes().replace(b"Plejecenter Solg", b"Plejecenter\rSolg", 1)
    path.write_bytes(data)
    line = data[: data.index(b"\rSolg")].count(b"\n") + 1
    assert refused(capsys, "sor", path).startswith(f"{path}:{line}: styretegn U+000D (CR)")


def test_an_escaped_nul_in_a_json_text_is_refused(imported, tmp_path, country, capsys):
    country.dar[2]["vejnavn"] = "Solvej\u0000"
    path = write_jsonl(tmp_path / "dar.jsonl", country.dar)
    assert "\\u0000" in path.read_text(encoding="utf-8")
    assert refused(capsys, "dar", path) == (
        f"{path}:3: styretegn (\\u0000) i en tekst; et registers tekst kan ikke indeholde styretegn"
    )


# --- Hostile JSON --------------------------------------------------------------------------------


def test_json_nested_100000_levels_on_one_line_is_refused(imported, tmp_path, country, capsys):
    path = write_jsonl(tmp_path / "cvr.jsonl", country.cvr)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"pNummer": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert refused(capsys, "cvr", path) == (
        f"{path}:{len(country.cvr) + 1}: JSON-posten er indlejret mere end {MAX_JSON_DEPTH} "
        "niveauer"
    )


def test_a_json_array_nested_100000_levels_over_as_many_lines_is_refused(
    imported, tmp_path, country, capsys
):
    path = tmp_path / "dar.json"
    path.write_text(
        "[\n" + json.dumps(country.dar[0]) + ",\n" + "[\n" * 100_000 + "]\n" * 100_001,
        encoding="utf-8",
    )
    assert refused(capsys, "dar", path) == (
        f"{path}:3: JSON-posten er indlejret mere end {MAX_JSON_DEPTH} niveauer"
    )


def test_nesting_just_beyond_the_limit_is_refused_too(imported, tmp_path, country, capsys):
    deep: dict = {}
    for _ in range(MAX_JSON_DEPTH):
        deep = {"x": deep}
    record = dict(country.dar[1], ekstra=deep)
    path = write_json_array(tmp_path / "dar.json", [country.dar[0], record])
    assert refused(capsys, "dar", path) == (
        f"{path}:3: JSON-posten er indlejret mere end {MAX_JSON_DEPTH} niveauer"
    )


def test_a_record_larger_than_the_limit_spread_over_many_lines_is_refused(
    imported, tmp_path, country, capsys
):
    record = dict(country.dar[1], ekstra=["y" * 70] * (MAX_RECORD_BYTES // 70 + 10))
    path = tmp_path / "dar.json"
    path.write_text(
        "[\n" + json.dumps(country.dar[0]) + ",\n" + json.dumps(record, indent=1) + "\n]\n",
        encoding="utf-8",
    )
    assert refused(capsys, "dar", path) == (
        f"{path}:3: JSON-posten er større end {MAX_RECORD_BYTES // 2**20} MB"
    )


def test_an_over_long_json_line_is_refused(imported, tmp_path, country, capsys):
    path = write_jsonl(tmp_path / "cvr.jsonl", country.cvr)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"pNummer": 1000000099, "navn": "' + "z" * MAX_RECORD_BYTES + '"}\n')
    assert refused(capsys, "cvr", path) == (
        f"{path}:{len(country.cvr) + 1}: linjen er længere end "
        f"{MAX_RECORD_BYTES // 2**20} MB; en post må højst fylde så meget (skriv én post pr. linje)"
    )


def test_a_duplicate_key_is_refused_in_json_lines(imported, tmp_path, country, capsys):
    path = write_jsonl(tmp_path / "cvr.jsonl", country.cvr)
    lines = path.read_text(encoding="utf-8").splitlines()
    # the second document names its P-number twice: which one would CVR have meant?
    lines[1] = lines[1].replace('"pNummer": ', '"pNummer": 1000000099, "pNummer": ', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refused(capsys, "cvr", path) == (
        f"{path}:2: feltet 'pNummer' står to gange i samme JSON-objekt"
    )


def test_a_duplicate_key_is_refused_in_a_pretty_printed_json_array(
    imported, tmp_path, country, capsys
):
    path = tmp_path / "dar.json"
    text = json.dumps(country.dar, indent=2, ensure_ascii=False)
    text = text.replace('"postnr": "8000"', '"postnr": "8000",\n    "postnr": "8200"', 1)
    path.write_text(text, encoding="utf-8")
    first_record_line = 2
    assert refused(capsys, "dar", path) == (
        f"{path}:{first_record_line}: feltet 'postnr' står to gange i samme JSON-objekt"
    )


def test_a_good_pretty_printed_array_still_imports_after_these_rules(db, tmp_path, country):
    from plov.registers.dar import import_dar

    path = tmp_path / "dar.json"
    path.write_text(json.dumps(country.dar * 1, indent=4, ensure_ascii=False), encoding="utf-8")
    assert import_dar(path).created == len(country.dar)


# --- Encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16 little-endian (med byte order mark)"),  # as Excel's "Unicode text"
        ("utf-16-be", "UTF-16 big-endian (uden byte order mark)"),
    ],
)
def test_a_sor_file_saved_as_utf16_is_named_as_such(
    imported, tmp_path, country, capsys, encoding, named
):
    path = write_sor(tmp_path / "SorEntity_daily.csv", country.sor)
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode(encoding))
    message = refused(capsys, "sor", path)
    assert message == (
        f"{path}:1: filen er kodet som {named}, men registrenes filer er UTF-8; gem den som "
        "UTF-8 og importér den igen"
    )
    assert "Latin-1" not in message


def test_json_lines_saved_as_utf16_without_bom_are_named_as_such(
    imported, tmp_path, country, capsys
):
    path = write_jsonl(tmp_path / "cvr.jsonl", country.cvr)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert refused(capsys, "cvr", path).startswith(
        f"{path}:1: filen er kodet som UTF-16 little-endian (uden byte order mark)"
    )


def test_a_latin1_file_is_still_suggested_to_be_latin1(imported, tmp_path, capsys):
    path = tmp_path / "aftaler.csv"
    path.write_bytes(
        "kommunekode;sor_id;aftaleidentifikation;type;start;slut;beskrivelse\n"
        f"751;{c.SOLGAARDEN};AAR-001;Myndighedsproduktion;2025-01-01;;Fælles\n".encode("latin-1")
    )
    assert refused(capsys, "agreements", path) == (
        f"{path}:2: ikke gyldig UTF-8 (byte 0xe6 i kolonne 60); registrenes filer er UTF-8 – er "
        "denne gemt som Latin-1 eller Windows-1252?"
    )


def test_the_summary_of_an_import_is_danish(imported, tmp_path, country, capsys):
    code, out, err = run(capsys, "import", "sor", str(country.write(tmp_path / "again")[0]))
    assert code == 0, err
    assert out.splitlines()[:6] == [
        f"SOR: import af {tmp_path / 'again' / 'SorEntity_daily.csv'}",
        "oprettet:       0",
        "opdateret:      0",
        "lukket:         0",
        "uændret:        8",
        "sprunget over:  3",
    ]
    assert "1 × gammel enhedstype 'hjemmeplejeenhed' (skal ændres i SOR) (f.eks. " in out
    assert "ingen registerdata ændret" in out


def test_a_file_still_compressed_is_named_as_such(imported, tmp_path, country, capsys):
    import gzip

    plain = write_sor(tmp_path / "day.csv", country.sor)
    path = tmp_path / "SorEntity_daily.csv"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    assert refused(capsys, "sor", path) == (
        f"{path}:1: filen er gzip-komprimeret; pak den ud, og importér selve filen"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"postnr": ', '"postnr": "8200", "postnr": '),  # as json.dumps writes
        ('"postnr": ', '"postnr" : "8200", "postnr" : '),  # spaced colons
        ('"postnr": ', '"postnr":"8200","postnr":'),  # compact
    ],
)
def test_a_duplicate_key_is_refused_in_dar_json_lines(
    imported, tmp_path, country, capsys, old, new
):
    # DAR's JSON Lines take a faster reader on PostgreSQL: it must refuse the same files.
    path = write_jsonl(tmp_path / "dar.jsonl", country.dar)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refused(capsys, "dar", path) == (
        f"{path}:4: feltet 'postnr' står to gange i samme JSON-objekt"
    )


@pytest.mark.parametrize("escape", ["\\u0001", "\\f", "\\u001b"])
def test_an_escaped_control_character_is_refused_in_dar_json_lines(
    imported, tmp_path, country, capsys, escape
):
    path = write_jsonl(tmp_path / "dar.jsonl", country.dar)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"vejnavn": "', '"vejnavn": "' + escape, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refused(capsys, "dar", path) == (
        f"{path}:2: styretegn ({escape}) i en tekst; et registers tekst kan ikke indeholde "
        "styretegn"
    )


def test_dar_json_lines_nested_100000_levels_are_refused(imported, tmp_path, country, capsys):
    path = write_jsonl(tmp_path / "dar.jsonl", country.dar)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    assert refused(capsys, "dar", path) == (
        f"{path}:{len(country.dar) + 1}: JSON-posten er indlejret mere end {MAX_JSON_DEPTH} "
        "niveauer"
    )

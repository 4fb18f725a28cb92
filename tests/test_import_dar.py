"""DAR addresses: a visiting address must match one; its municipality is the unit's
beliggenhedskommune, and decides the supervising authority."""

from __future__ import annotations

import pytest

from plov.publishing.rules import SOR_INVALID_ADDRESS
from plov.registers.dar import import_dar
from plov.registers.models import DarAddress
from plov.registers.readers import MalformedFile
from plov.registers.runs import refresh_after
from plov.registers.writers import dar_address, write_json_array, write_jsonl
from plov.units.models import Unit
from tests import country as c


def test_a_matching_visiting_address_gives_the_beliggenhedskommune(imported_fresh):
    assert Unit.objects.get(sor_id=c.SOLGAARDEN).municipality_id == 751
    # the private site lies in Skanderborg although its owner is elsewhere
    assert Unit.objects.get(sor_id=c.SITE_PRIVATE).municipality_id == 746


def test_house_letters_match_case_insensitively(imported_fresh):
    lindehus = Unit.objects.get(sor_id=c.LINDEHUS)  # SOR "7B", DAR "7b"
    assert lindehus.dar_address_id == "a0000000-0000-0000-0000-000000000005"


def test_floor_and_door_must_match_where_sor_gives_them(imported_fresh):
    site = Unit.objects.get(sor_id=c.SITE_PRIVATE)  # SOR gives 1. tv
    assert site.dar_address_id == "a0000000-0000-0000-0000-000000000007"


def test_a_unit_without_a_dar_address_has_a_sor_error_and_no_municipality(imported_fresh):
    kaerbo = Unit.objects.get(sor_id=c.KAERBO)
    assert kaerbo.dar_address_id is None
    assert kaerbo.municipality_id is None
    assert {"category": "SOR", "message": SOR_INVALID_ADDRESS, "level": "error"} in kaerbo.warnings


def test_a_later_dar_import_with_the_address_makes_the_unit_valid(imported, tmp_path):
    path = write_jsonl(
        tmp_path / "dar.jsonl",
        [
            dar_address(
                "b0000000-0000-0000-0000-000000000001",
                street="Findesikkevej",
                house_number="99",
                postcode="8000",
                postcode_name="Aarhus C",
                municipality_code=751,
                lon=10.2,
                lat=56.15,
            )
        ],
    )
    refresh_after(import_dar(path))  # as `plov import dar` does
    kaerbo = Unit.objects.get(sor_id=c.KAERBO)
    assert kaerbo.municipality_id == 751
    assert all(w["message"] != SOR_INVALID_ADDRESS for w in kaerbo.warnings)


def test_a_retired_address_no_longer_matches(imported, tmp_path, country):
    solvej = dict(country.dar[0], status=2)
    import_dar(write_json_array(tmp_path / "dar.json", [solvej]))
    assert Unit.objects.get(sor_id=c.SOLGAARDEN).dar_address_id is None


def test_reimporting_the_same_addresses_changes_nothing(imported, tmp_path, country):
    summary = import_dar(write_json_array(tmp_path / "dar.json", country.dar))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(country.dar))


def test_a_broken_json_array_is_reported_with_its_line(imported, tmp_path, country):
    path = write_json_array(tmp_path / "dar.json", country.dar)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[3] = lines[3].replace('"vejnavn": ', '"vejnavn" ')
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(MalformedFile) as info:
        import_dar(path)
    assert info.value.line == 4
    assert DarAddress.objects.count() == len(country.dar)


def test_an_unclosed_json_array_is_reported(db, tmp_path, country):
    path = write_json_array(tmp_path / "dar.json", country.dar)
    path.write_text(path.read_text(encoding="utf-8").rstrip().rstrip("]"), encoding="utf-8")
    with pytest.raises(MalformedFile, match="ikke lukket"):
        import_dar(path)
    assert DarAddress.objects.count() == 0


def test_a_pretty_printed_array_is_read(db, tmp_path, country):
    import json

    path = tmp_path / "dar.json"
    path.write_text(json.dumps(country.dar, indent=2, ensure_ascii=False), encoding="utf-8")
    assert import_dar(path).created == len(country.dar)


# --- JSON Lines at national scale, deltas, duplicates ------------------------------------------
# The PostgreSQL import streams the file through COPY into a staging table; these run on
# whichever database the suite runs on (SQLite by default; DATABASE_URL for PostgreSQL).


def _lines(path, records, *, raw_lines=None):
    """JSON Lines; `raw_lines` maps a 0-based index to the text written for that record."""
    import json

    with path.open("w", encoding="utf-8") as handle:
        for i, record in enumerate(records):
            text = (raw_lines or {}).get(i) or json.dumps(record, ensure_ascii=False)
            handle.write(text + "\n")
    return path


def test_a_delta_changes_and_retires_only_what_it_holds(imported, tmp_path, country):
    moved = dict(country.dar[0], x=10.2041, y=56.1537)  # Solvej 4: corrected coordinates
    retired = dict(country.dar[4], status="nedlagt")  # Lindevej 7b, Datafordeler's word
    summary = import_dar(_lines(tmp_path / "dar-delta.jsonl", [moved, retired]))
    refresh_after(summary)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 0)
    # every address absent from the delta is still there, and still matched
    assert DarAddress.objects.count() == len(country.dar)
    assert Unit.objects.get(sor_id=c.SITE_PRIVATE).municipality_id == 746
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    assert (solgaarden.longitude, solgaarden.latitude) == (10.2041, 56.1537)
    assert DarAddress.objects.get(id=retired["id"]).status == 2
    lindehus = Unit.objects.get(sor_id=c.LINDEHUS)
    assert lindehus.dar_address_id is None
    assert {
        "category": "SOR",
        "message": SOR_INVALID_ADDRESS,
        "level": "error",
    } in lindehus.warnings


def test_the_same_delta_twice_changes_nothing_the_second_time(imported, tmp_path, country):
    delta = _lines(tmp_path / "dar-delta.jsonl", [dict(country.dar[1], status=2)])
    assert import_dar(delta).updated == 1
    summary = import_dar(delta)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)


def test_a_new_address_in_a_delta_is_created(imported, tmp_path, country):
    new = dict(country.dar[0], id="b0000000-0000-0000-0000-000000000009", husnr="6")
    summary = import_dar(_lines(tmp_path / "dar.jsonl", [new, country.dar[0]]))
    assert (summary.created, summary.updated, summary.unchanged) == (1, 0, 1)
    assert DarAddress.objects.get(id=new["id"]).match_key == "solvej|6|8000"


def test_an_id_given_twice_is_imported_from_its_first_line(db, tmp_path, country):
    first = country.dar[0]
    again = dict(first, postnrnavn="Aarhus")
    path = _lines(tmp_path / "dar.jsonl", [first, country.dar[1], again, again])
    summary = import_dar(path)
    assert summary.created == 2
    assert summary.skipped["adresse-id'et står to gange i filen"] == 2
    assert summary.examples["adresse-id'et står to gange i filen"] == [
        f"{first['id']} (linje 3, første gang på linje 1)",
        f"{first['id']} (linje 4, første gang på linje 1)",
    ]
    assert DarAddress.objects.get(id=first["id"]).postcode_name == "Aarhus C"


def test_a_broken_line_in_json_lines_changes_nothing(imported, tmp_path, country):
    moved = dict(country.dar[0], x=10.3)
    path = _lines(tmp_path / "dar.jsonl", [moved, *country.dar[1:]], raw_lines={2: '{"id": "x",'})
    with pytest.raises(MalformedFile) as info:
        import_dar(path)
    assert (info.value.line, info.value.path) == (3, str(path))
    assert info.value.reason.startswith("JSON-syntaksfejl")
    assert DarAddress.objects.get(id=moved["id"]).longitude == country.dar[0]["x"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"postnr": "80000"}, "postnr '80000' er ikke et 4-cifret postnummer"),
        ({"kommunekode": "07510"}, "kommunekode '07510' er ikke en kommunekode"),
        ({"vejnavn": None}, "adresse uden vejnavn"),
        ({"status": "slettet"}, "status 'slettet' er ikke en DAR-status"),
        ({"x": 575000.0}, "x 575000.0 er ikke en WGS84-længdegrad"),
        ({"y": "nord"}, "y 'nord' er ikke et tal"),
        ({"vejnavn": "Solvej" * 50}, "vejnavn er længere end 255 tegn"),
        ({"betegnelse": "Solvej 4\u0000"}, r"styretegn \(\\u0000\) i en tekst"),
    ],
)
def test_a_wrong_value_is_reported_with_its_line(imported, tmp_path, country, change, reason):
    records = [dict(country.dar[0], x=10.3), country.dar[1], dict(country.dar[2], **change)]
    with pytest.raises(MalformedFile, match=reason) as info:
        import_dar(_lines(tmp_path / "dar.jsonl", records))
    assert info.value.line == 3
    assert DarAddress.objects.get(id=country.dar[0]["id"]).longitude == country.dar[0]["x"]


def test_json_the_fast_reader_leaves_to_the_shared_one_is_still_read(db, tmp_path, country):
    # NaN is not JSON, but Python's json module (the shared reader) accepts it in a field
    # plov does not read; the fast reader gives up on the line and the file is read anyway.
    path = _lines(
        tmp_path / "dar.jsonl",
        country.dar[:3],
        raw_lines={1: json_with(country.dar[1], '"ukendt_felt": NaN')},
    )
    assert import_dar(path).created == 3


def json_with(record: dict, extra: str) -> str:
    import json

    return json.dumps(record, ensure_ascii=False)[:-1] + ", " + extra + "}"


def test_statuses_by_name_and_by_code(db, tmp_path, country):
    records = [
        dict(country.dar[0], status="gældende"),
        dict(country.dar[1], status="Foreløbig"),
        dict(country.dar[2], status="3"),
        dict(country.dar[3], status="henlagt"),
    ]
    import_dar(_lines(tmp_path / "dar.jsonl", records))
    assert list(DarAddress.objects.order_by("id").values_list("status", flat=True)) == [1, 3, 3, 4]


def test_json_lines_with_a_byte_order_mark_and_blank_lines_are_read(db, tmp_path, country):
    import json

    path = tmp_path / "dar.jsonl"
    text = "\n\n".join(json.dumps(r, ensure_ascii=False) for r in country.dar[:3])
    path.write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\n\n")
    assert import_dar(path).created == 3


@pytest.mark.parametrize(
    "extra",
    ['"vejnavn": "Solvej"', '"vejnavn" : "Solvej"', '"adgangspunkt": ' + "[" * 100 + "]" * 100],
)
def test_json_lines_get_the_shared_readers_checks(db, tmp_path, country, extra):
    """A key twice or nesting deeper than the shared reader allows is refused on its line,
    as in a JSON array, though the fast reader would have taken it."""
    path = _lines(
        tmp_path / "dar.jsonl", country.dar[:3], raw_lines={1: json_with(country.dar[1], extra)}
    )
    with pytest.raises(MalformedFile) as info:
        import_dar(path)
    assert info.value.line == 2
    assert DarAddress.objects.count() == 0


def _streets() -> set[tuple]:
    from plov.registers.models import DarStreet

    return {
        (s.street_name, s.postcode, s.town, s.street_key, s.town_key, s.addresses,
         round(s.latitude, 6), round(s.longitude, 6))
        for s in DarStreet.objects.all()
    }  # fmt: skip


def test_a_delta_leaves_the_streets_as_a_whole_derivation_would(imported, tmp_path, country):
    """On PostgreSQL a re-import derives again only the streets it touched (their old and new
    names): the result must be what deriving every street from the table gives."""
    from collections import Counter

    from plov.registers.dar import refresh_streets

    per_street = Counter((r["vejnavn"], r["postnr"]) for r in country.dar if r["status"] == 1)
    alone = next(
        r
        for r in country.dar[2:]
        if r["status"] == 1 and per_street[(r["vejnavn"], r["postnr"])] == 1
    )
    renamed = dict(country.dar[0], vejnavn="Solvejen", x=10.21, y=56.16)  # leaves Solvej
    retired = dict(alone, status=2)  # its street's only address: the street goes
    new = dict(country.dar[1], id="b0000000-0000-0000-0000-00000000beef", husnr="99",
               postnr="8210", postnrnavn="Aarhus V", x=10.15, y=56.17)  # fmt: skip
    before = _streets()
    summary = import_dar(_lines(tmp_path / "dar-delta.jsonl", [renamed, retired, new]))
    assert (summary.created, summary.updated) == (1, 2)
    after = _streets()
    assert {s[:2] for s in after} - {s[:2] for s in before} >= {("Solvejen", "8000")}
    assert (alone["vejnavn"], alone["postnr"]) not in {s[:2] for s in after}
    refresh_streets()  # every street from the table
    assert after == _streets()

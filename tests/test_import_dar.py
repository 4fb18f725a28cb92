"""DAR addresses: a visiting address must match one; its municipality is the unit's
beliggenhedskommune, and decides the supervising authority."""

from __future__ import annotations

import pytest

from plov.publishing.rules import SOR_INVALID_ADDRESS
from plov.registers.dar import import_dar
from plov.registers.models import DarAddress
from plov.registers.readers import MalformedFile
from plov.registers.writers import dar_address, write_json_array, write_jsonl
from plov.units.models import Unit
from tests import country as c


def test_a_matching_visiting_address_gives_the_beliggenhedskommune(imported):
    assert Unit.objects.get(sor_id=c.SOLGAARDEN).municipality_id == 751
    # the private site lies in Skanderborg although its owner is elsewhere
    assert Unit.objects.get(sor_id=c.SITE_PRIVATE).municipality_id == 746


def test_house_letters_match_case_insensitively(imported):
    lindehus = Unit.objects.get(sor_id=c.LINDEHUS)  # SOR "7B", DAR "7b"
    assert lindehus.dar_address_id == "a0000000-0000-0000-0000-000000000005"


def test_floor_and_door_must_match_where_sor_gives_them(imported):
    site = Unit.objects.get(sor_id=c.SITE_PRIVATE)  # SOR gives 1. tv
    assert site.dar_address_id == "a0000000-0000-0000-0000-000000000007"


def test_a_unit_without_a_dar_address_has_a_sor_error_and_no_municipality(imported):
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
    import_dar(path)
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

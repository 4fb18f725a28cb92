"""CVR production units and the P-number check (DOMAIN.md §4)."""

from __future__ import annotations

import json

import pytest

from plov.registers.cvr import import_cvr
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import (
    HOME_NURSING_CODE,
    MISSING,
    NOT_IN_CVR,
    SECONDARY_CODE,
    WRONG_CODE,
    check_pnumber,
)
from plov.registers.readers import MalformedFile
from plov.registers.writers import cvr_document, write_jsonl
from tests import country as c


def test_it_reads_the_production_unit_fields(imported_fresh):
    unit = CvrProductionUnit.objects.get(p_number=c.P_SOLGAARDEN)
    assert unit.name == "Plejecenter Solgården"
    assert unit.cvr_number == c.AARHUS_CVR
    assert unit.primary_industry_code == "871010"
    assert unit.employees == 48
    assert float(unit.full_time_employees) == 39.5


def test_an_interval_code_is_kept_and_no_number_invented(imported_fresh):
    unit = CvrProductionUnit.objects.get(p_number=c.P_LINDEHUS)
    assert unit.employees is None
    assert unit.employees_interval == "ANTAL_20_49"


def test_it_accepts_search_hits_as_well_as_bare_documents(db, tmp_path):
    doc = cvr_document("1234567890", name="Hit", cvr_number="11111111")
    write_jsonl(
        tmp_path / "cvr.jsonl",
        [{"_source": doc}, doc["VrproduktionsEnhed"] | {"pNummer": 1234567891}],
    )
    summary = import_cvr(tmp_path / "cvr.jsonl")
    assert summary.created == 2
    assert set(CvrProductionUnit.objects.values_list("p_number", flat=True)) == {
        "1234567890",
        "1234567891",
    }


def test_reimporting_changes_nothing_and_a_change_is_an_update(imported, tmp_path, country):
    path = write_jsonl(tmp_path / "cvr.jsonl", country.cvr)
    summary = import_cvr(path)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(country.cvr))
    country.cvr[0]["VrproduktionsEnhed"]["produktionsEnhedMetadata"]["nyesteAarsbeskaeftigelse"][
        "antalAnsatte"
    ] = 50
    summary = import_cvr(write_jsonl(tmp_path / "cvr2.jsonl", country.cvr))
    assert summary.updated == 1
    assert CvrProductionUnit.objects.get(p_number=c.P_SOLGAARDEN).employees == 50


def test_a_json_syntax_error_is_reported_with_its_line_and_nothing_changes(
    imported, tmp_path, country
):
    country.cvr[0]["VrproduktionsEnhed"]["produktionsEnhedMetadata"]["nyesteNavn"]["navn"] = (
        "Nyt navn"
    )
    path = write_jsonl(tmp_path / "cvr.jsonl", country.cvr)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:-5]  # a cut-off object on line 3
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MalformedFile) as info:
        import_cvr(path)
    assert info.value.line == 3
    assert "JSON-syntaksfejl" in info.value.reason
    assert CvrProductionUnit.objects.get(p_number=c.P_SOLGAARDEN).name == "Plejecenter Solgården"


def test_a_p_number_that_is_not_ten_digits_is_reported(db, tmp_path):
    path = tmp_path / "cvr.jsonl"
    path.write_text(json.dumps({"pNummer": 12345}) + "\n", encoding="utf-8")
    with pytest.raises(
        MalformedFile, match=r"cvr.jsonl:1: pNummer '12345' er ikke et 10-cifret P-nummer"
    ):
        import_cvr(path)


@pytest.mark.parametrize(
    ("p_number", "ok", "level", "message"),
    [
        (c.P_SOLGAARDEN, True, "ok", ""),
        (c.P_SITE_NORTH, True, "ok", ""),
        (c.P_HOME_NURSING, True, "warning", HOME_NURSING_CODE),
        (c.P_SECONDARY, True, "warning", SECONDARY_CODE),
        (c.P_WRONG_CODE, False, "error", WRONG_CODE),
        ("9999999999", False, "error", NOT_IN_CVR),
        ("", False, "error", MISSING),
    ],
)
def test_the_p_number_check(imported, p_number, ok, level, message):
    assert check_pnumber(p_number).as_dict() == {"ok": ok, "level": level, "message": message}


def test_the_exact_messages_of_the_editor_guide():
    assert WRONG_CODE == (
        "PNummeret har den forkerte branchekode. Du kan kun vælge 871010 Drift af plejehjem, "
        "881010 Drift af hjemmepleje eller 869019 Hjemmesygepleje"
    )
    assert SECONDARY_CODE == (
        "PNummeret indeholder en sekundær branchekode. Vær opmærksom på at dette kan skyldes en "
        "fejl i det valgte PNummer."
    )
    assert MISSING == "Enheden har ikke noget PNummer"

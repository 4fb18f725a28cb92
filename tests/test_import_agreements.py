"""Bulk service agreements from CSV, validated as the back office validates one."""

from __future__ import annotations

import pytest

from plov.agreements.importer import import_agreements
from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.publishing.visibility import visible_units
from plov.units.models import UnitContent
from tests import country as c

HEADER = "kommunekode;sor_id;aftaleidentifikation;type;start;slut;beskrivelse"


def write(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "aftaler.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_good_rows_are_imported_and_bad_rows_reported_by_line(imported, tmp_path):
    path = write(
        tmp_path,
        f"751;{c.SOLGAARDEN};AAR-001;Myndighedsproduktion;2025-01-01;;",
        f"751;{c.LINDEHUS};AAR-002;driftsoverenskomst;2025-01-01;2027-12-31;",
        f"746;{c.SOLGAARDEN};SKA-001;myndighedsproduktion;2025-01-01;;",
        f"751;{c.LINDEHUS};AAR-003;driftsoverenskomst;2025-05-01;2025-01-01;",
        "751;999999999999;AAR-004;driftsoverenskomst;2025-01-01;;",
        f"751;{c.SITE_NORTH};AAR-005;driftsoverenskomst;2025-01-01;;",
        f"999;{c.LINDEHUS};X-1;driftsoverenskomst;2025-01-01;;",
        f"751;{c.LINDEHUS};AAR-006;lejeaftale;2025-01-01;;",
    )
    summary, rejected = import_agreements(path)
    assert summary.created == 2
    assert rejected == [
        f"{path}:4: Myndighedsproduktion kan kun aftales med kommunens egne enheder",
        f"{path}:5: Slutdato må ikke ligge før startdato",
        f"{path}:6: ingen enhed med SOR-ID '999999999999'",
        f"{path}:7: Driftsoverenskomst kan kun aftales med en privat leverandørs enhed",
        f"{path}:8: kommunekode '999' er ikke en kommune",
        f"{path}:9: Ukendt type 'lejeaftale'; vælg en af: Driftsoverenskomst, "
        "Myndighedsproduktion, Lokalplejehjem, Friplejebolig",
    ]
    assert set(ServiceAgreement.objects.values_list("reference", flat=True)) == {
        "AAR-001",
        "AAR-002",
    }


def test_reimporting_changes_nothing_and_a_changed_row_updates(imported, tmp_path):
    row = f"751;{c.LINDEHUS};AAR-002;Driftsoverenskomst;2025-01-01;;"
    import_agreements(write(tmp_path, row))
    summary, rejected = import_agreements(write(tmp_path, row))
    assert (summary.created, summary.updated, summary.unchanged, rejected) == (0, 0, 1, [])
    summary, _ = import_agreements(write(tmp_path, row.replace(";;", ";2030-01-01;")))
    assert summary.updated == 1
    assert ServiceAgreement.objects.get(reference="AAR-002").end.isoformat() == "2030-01-01"


def test_commas_and_a_description_are_accepted(imported, tmp_path):
    UnitContent.objects.create(unit_id=c_unit_id(c.SITE_PRIVATE), p_number=c.P_SITE_PRIVATE)
    path = write(
        tmp_path,
        f'727,{c.SITE_PRIVATE},ODD-7,Driftsoverenskomst,2025-01-01,,"Hjælp døgnet rundt, også i weekenden"',
        header=HEADER.replace(";", ","),
    )
    summary, rejected = import_agreements(path)
    assert rejected == []
    assert AgreementDescription.objects.get(municipality_id=727).text.startswith("Hjælp døgnet")
    assert visible_units(727).filter(sor_id=c.SITE_PRIVATE).exists()


def test_a_missing_column_rejects_the_file(imported, tmp_path):
    from plov.registers.readers import MalformedFile

    with pytest.raises(MalformedFile, match="kolonnen type mangler"):
        import_agreements(write(tmp_path, header="kommunekode;sor_id;aftaleidentifikation;start"))


def c_unit_id(sor_id: str) -> int:
    from plov.units.models import Unit

    return Unit.objects.get(sor_id=sor_id).pk


def test_a_description_is_kept_only_for_home_care_operating_agreements(imported, tmp_path):
    path = write(tmp_path, f"751;{c.LINDEHUS};AAR-9;Driftsoverenskomst;2025-01-01;;Vi har have")
    summary, rejected = import_agreements(path)
    assert rejected == [] and summary.created == 1
    assert not AgreementDescription.objects.exists()
    assert (
        summary.skipped["beskrivelse ignoreret: kun driftsoverenskomster om helhedspleje har en"]
        == 1
    )

"""Ældretilsynet's authoritative list, quality results, and the agency's data-quality overview."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from plov.publishing.data_quality import counts, findings
from plov.registers.readers import MalformedFile
from plov.supervision.models import QualityResult
from plov.supervision.quality import import_quality
from plov.supervision.register import as_csv, changes_since, supervised_units
from plov.units.models import Unit, UnitContent
from tests import country as c

HEADER = "sor_id;type;kode;navn;periode;vaerdi;enhed;landsgennemsnit;kilde;offentliggjort"


def write(tmp_path, *rows, header=HEADER, encoding="utf-8"):
    path = tmp_path / "kvalitet.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def test_the_authoritative_list_has_every_open_supervised_unit(imported):
    rows = {r["sor_id"]: r for r in supervised_units()}
    assert set(rows) == {
        c.SOLGAARDEN,
        c.KAERBO,
        c.NESTED_PARENT,
        c.NESTED_CHILD,
        c.LINDEHUS,
        c.SITE_NORTH,
        c.SITE_SOUTH,
        c.SITE_PRIVATE,
    }
    site = rows[c.SITE_PRIVATE]
    assert site["owner_cvr"] == c.COMPANY_CVR
    assert site["municipality"] == "746" and site["municipality_name"] == "Skanderborg"
    assert site["supervising_authority"].startswith("Ældretilsynet")
    assert site["visiting_address"] == "Adelgade 3, 1. tv, 8660 Skanderborg"  # one address format
    assert rows[c.KAERBO]["supervising_authority"] is None  # invalid address
    assert rows[c.SOLGAARDEN]["published"] is False  # unpublished units are listed too


def test_the_list_as_csv_opens_in_danish_excel(imported):
    text = as_csv(supervised_units())
    assert text.startswith("\ufeffSOR-ID;Navn;Type;")
    assert "Plejecenter Solgården" in text


def test_changes_since_include_closures(imported, tmp_path, country):
    from plov.registers.sor import import_sor

    since = timezone.now()
    country.sor = [e for e in country.sor if e.sor_id != c.LINDEHUS]
    country.entity(c.SITE_NORTH).phone = "70101010"
    import_sor(country.write(tmp_path / "day2")[0])
    changed = {r["sor_id"]: r["status"] for r in changes_since(since)}
    assert changed == {c.LINDEHUS: "lukket", c.SITE_NORTH: "aktiv"}


def test_quality_rows_import_and_bad_rows_are_reported_by_line(imported, tmp_path):
    path = write(
        tmp_path,
        f"{c.SOLGAARDEN};kvalitetsindikator;FALD;Faldulykker pr. 100 beboere;2025;3,4;pr. 100;4,1;Sundhedsdatastyrelsen;2026-03-01",
        f"{c.SOLGAARDEN};brugertilfredshed;TILF;Tilfredse beboere;2025;87;%;;Brugertilfredshedsundersøgelse 2025;",
        "999999;kvalitetsindikator;FALD;Faldulykker;2025;3;;;;",
        f"{c.LINDEHUS};brugertilfredshed;TILF;Tilfredse beboere;2025;187;%;;;",
        f"{c.LINDEHUS};kvalitetsindikator;FALD;Faldulykker;2025;mange;;;;",
    )
    summary, rejected = import_quality(path)
    assert summary.created == 2
    assert rejected == [
        f"{path}:4: ukendt SOR-ID '999999'",
        f"{path}:5: vaerdi 187 ligger ikke mellem 0 og 100 %",
        f"{path}:6: vaerdi 'mange' er ikke et tal",
    ]
    fall = QualityResult.objects.get(code="FALD")
    assert (str(fall.value), str(fall.national_average), fall.period) == ("3.400", "4.100", "2025")
    again, _ = import_quality(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_quality_rows_say_which_way_is_better_and_how_many_answered(imported, tmp_path):
    path = write(
        tmp_path,
        f"{c.SOLGAARDEN};kvalitetsindikator;TRYK;Beboere med tryksår;2025;5,4;%;4;SDS;;lavt;",
        f"{c.SOLGAARDEN};brugertilfredshed;TILF;Tilfredse beboere;2025;87;%;86;SDS;;Højt;1.240",
        f"{c.LINDEHUS};brugertilfredshed;TILF;Tilfredse beboere;2025;80;%;86;SDS;;;",
        f"{c.LINDEHUS};kvalitetsindikator;TRYK;Tryksår;2025;3;%;4;SDS;;bedst;",
        f"{c.LINDEHUS};kvalitetsindikator;FALD;Fald;2025;3;%;4;SDS;;lavt;mange",
        header=HEADER + ";bedst;antal",
    )
    summary, rejected = import_quality(path)
    assert summary.created == 3
    assert rejected == [
        f"{path}:5: bedst 'bedst' skal være højt, lavt eller tom",
        f"{path}:6: antal 'mange' er ikke et helt tal",
    ]
    rows = {
        (r.unit.sor_id, r.code): (r.better, r.respondents)
        for r in QualityResult.objects.select_related("unit")
    }
    assert rows == {
        (c.SOLGAARDEN, "TRYK"): ("lower", None),
        (c.SOLGAARDEN, "TILF"): ("higher", 1240),
        (c.LINDEHUS, "TILF"): ("", None),
    }


def test_a_quality_file_in_the_wrong_encoding_or_without_columns_is_rejected_whole(
    imported, tmp_path
):
    with pytest.raises(MalformedFile, match="ikke gyldig UTF-8"):
        import_quality(
            write(
                tmp_path,
                f"{c.SOLGAARDEN};brugertilfredshed;T;Tilfredshed;2025;80;%;;Undersøgelse;",
                encoding="latin-1",
            )
        )
    with pytest.raises(MalformedFile, match="kolonnen vaerdi mangler"):
        import_quality(write(tmp_path, header="sor_id;type;kode;navn;periode"))
    assert not QualityResult.objects.exists()


def test_data_quality_findings_per_kind_and_municipality(imported):
    Unit.objects.filter(sor_id=c.LINDEHUS).update(
        register_updated_at=timezone.now() - dt.timedelta(days=400)
    )
    UnitContent.objects.create(unit=Unit.objects.get(sor_id=c.SOLGAARDEN), p_number=c.P_WRONG_CODE)
    rows = findings()
    kinds = {(r["sor_id"], r["kind"]) for r in rows}
    assert (c.NESTED_PARENT, "nested_care_home") in kinds
    assert (c.KAERBO, "invalid_address") in kinds
    assert (c.SOLGAARDEN, "p_number_code") in kinds
    assert (c.LINDEHUS, "no_p_number") in kinds and (c.LINDEHUS, "stale") in kinds
    assert (c.SITE_PRIVATE, "no_agreement") in kinds
    summary = counts(rows)
    assert summary["national"]["invalid_address"] == 1
    assert summary["municipalities"][746]["no_agreement"] == 1  # the site lying in Skanderborg

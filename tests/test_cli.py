"""The `plov` command line, as other tools call it: output shapes and exit codes."""

from __future__ import annotations

import json

import pytest

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.cli import main
from plov.publishing.refresh import refresh_publication
from plov.registers.models import ImportRun
from plov.units.models import Unit, UnitContent
from tests import country as c


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run `plov ARGS` in this process, inside the test's transaction. (A command run from the
    command line closes every connection when it ends; here that would end the test's.)"""
    from unittest import mock

    from django.db import connections

    try:
        with mock.patch.object(connections, "close_all"):
            main(["plov", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_a_summary_and_keeps_the_run(db, tmp_path, capsys, country):
    sor_path, cvr_path, dar_path = country.write(tmp_path)
    assert run(capsys, "import", "dar", str(dar_path))[0] == 0
    code, out, _ = run(capsys, "import", "sor", str(sor_path))
    assert code == 0
    assert "oprettet:       8" in out
    assert "gammel enhedstype 'hjemmeplejeenhed' (skal ændres i SOR)" in out
    run_row = ImportRun.objects.filter(register="sor").get()
    assert run_row.status == ImportRun.Status.SUCCEEDED
    assert run_row.summary["created"] == 8


def test_a_malformed_file_exits_1_with_path_line_reason(db, tmp_path, capsys, country):
    _, cvr_path, _ = country.write(tmp_path)
    cvr_path.write_text('{"pNummer": 1000000010, \n', encoding="utf-8")
    code, out, err = run(capsys, "import", "cvr", str(cvr_path))
    assert code == 1
    assert err.strip().startswith(f"{cvr_path}:1: JSON-syntaksfejl")
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_a_bad_argument_exits_2(db, capsys):
    code, _, err = run(capsys, "import", "bbr", "x.csv")
    assert code == 2
    assert "invalid choice: 'bbr'" in err
    assert run(capsys, "units", "--kommune", "999", "--json")[0] == 2
    assert run(capsys, "units", "--kommune", "abc")[0] == 2


def test_units_lists_what_a_citizen_sees_or_everything(imported, capsys):
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    UnitContent.objects.create(unit=solgaarden, p_number=c.P_SOLGAARDEN)
    ServiceAgreement.objects.create(
        municipality_id=727,
        unit=solgaarden,
        reference="O-1",
        type=AgreementType.OPERATING_AGREEMENT,
        start="2024-01-01",
    )
    ServiceAgreement.objects.create(
        municipality_id=751,
        unit=solgaarden,
        reference="A-1",
        type=AgreementType.OWN_PRODUCTION,
        start="2024-01-01",
    )
    refresh_publication()
    code, out, _ = run(capsys, "units", "--kommune", "751", "--json")
    assert code == 0
    units = json.loads(out)
    assert [u["sor_id"] for u in units] == [c.SOLGAARDEN]
    unit = units[0]
    assert {
        k: unit[k]
        for k in (
            "name",
            "kind",
            "owner_cvr",
            "municipality",
            "published",
            "warnings",
            "employees",
            "full_time_employees",
        )
    } == {
        "name": "Plejecenter Solgården",
        "kind": "care_home",
        "owner_cvr": c.AARHUS_CVR,
        "municipality": "751",
        "published": True,
        "warnings": [],
        "employees": 48,
        "full_time_employees": 39.5,
    }
    assert unit["supervising_authority"].startswith("Ældretilsynet")
    assert {
        "kommune": "727",
        "type": "driftsoverenskomst",
        "start": "2024-01-01",
        "end": None,
    } in unit["agreements"]

    code, out, _ = run(capsys, "units", "--all", "--json")
    everything = json.loads(out)
    assert len(everything) == Unit.objects.count() == 10
    kaerbo = next(u for u in everything if u["sor_id"] == c.KAERBO)
    assert kaerbo["municipality"] is None and kaerbo["supervising_authority"] is None
    assert {w["category"] for w in kaerbo["warnings"]} == {"P-nummer", "SOR", "Serviceleverance"}


def test_check_pnumber(imported, capsys):
    code, out, _ = run(capsys, "check-pnumber", c.P_SECONDARY)
    assert code == 0
    result = json.loads(out)
    assert (result["ok"], result["level"]) == (True, "warning")
    assert result["message"].startswith("PNummeret indeholder en sekundær branchekode")


def test_registration_errors(imported, capsys):
    code, out, _ = run(capsys, "registration-errors", "--json")
    assert code == 0
    errors = {(e["sor_id"], e["kind"]) for e in json.loads(out)}
    assert errors >= {
        (c.NESTED_PARENT, "nested_care_home"),
        (c.NESTED_CHILD, "nested_care_home"),
        (c.KAERBO, "invalid_address"),
    }
    # Åhaven's subdivision has the same address: reported as a duplicate too, nothing else is.
    duplicates = {sor_id for sor_id, kind in errors if kind == "duplicate"}
    assert duplicates == {c.NESTED_PARENT, c.NESTED_CHILD}


def test_near_same_names_of_one_owner_are_suspected_duplicates(db, tmp_path, capsys, country):
    from plov.registers.sor import import_sor
    from tests.country import private

    country.sor.append(
        private("200000000011", "Linde-huset", visiting=country.entity(c.SITE_PRIVATE).visiting)
    )
    import_sor(country.write(tmp_path)[0])
    _, out, _ = run(capsys, "registration-errors", "--json")
    duplicates = {
        (e["sor_id"], e["duplicate_of"])
        for e in json.loads(out)
        if e["kind"] == "duplicate" and e["sor_id"] not in (c.NESTED_PARENT, c.NESTED_CHILD)
    }
    assert duplicates == {(c.LINDEHUS, "200000000011"), ("200000000011", c.LINDEHUS)}


def test_django_commands_pass_through(db, capsys):
    code, out, _ = run(capsys, "showmigrations", "units")
    assert code == 0 and "[X] 0001_initial" in out


@pytest.mark.parametrize(
    "command",
    ["import", "import-runs", "units", "check-pnumber", "registration-errors", "demo", "nightly"],
)
def test_every_command_explains_itself(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "usage:" in out


def test_nightly_imports_what_it_finds_and_keeps_each_run(db, tmp_path, capsys, country):
    country.write(tmp_path)
    code, out, _ = run(capsys, "nightly", str(tmp_path))
    assert code == 0, out
    assert set(ImportRun.objects.values_list("register", "trigger")) == {
        ("dar", "nightly"),
        ("cvr", "nightly"),
        ("sor", "nightly"),
    }
    assert Unit.objects.filter(sor_id=c.SOLGAARDEN, municipality_id=751).exists()


def test_nightly_refreshes_publication_once_after_all_its_imports(
    db, tmp_path, capsys, country, monkeypatch
):
    """The importers only import; the nightly run refreshes every unit once, after them, and
    a unit that comes on the public site that night is logged once."""
    from wagtail.models import ModelLogEntry

    from plov.backoffice.audit import AuditAction
    from plov.publishing import refresh

    refreshes: list = []
    load_inputs = refresh.load_inputs

    def counted(unit_ids=None):  # every refresh_publication reads its inputs once
        refreshes.append(unit_ids)
        return load_inputs(unit_ids)

    monkeypatch.setattr(refresh, "load_inputs", counted)
    country.write(tmp_path)
    code, out, _ = run(capsys, "nightly", str(tmp_path))
    assert code == 0, out
    assert refreshes == [None]  # once, every unit
    assert "offentliggørelse genberegnet" in out

    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    assert not solgaarden.published
    UnitContent.objects.create(unit=solgaarden, p_number=c.P_SOLGAARDEN)
    ServiceAgreement.objects.create(
        municipality_id=751,
        unit=solgaarden,
        reference="A-1",
        type=AgreementType.OWN_PRODUCTION,
        start="2024-01-01",
    )
    country.entity(c.SOLGAARDEN).name = "Plejecenter Solgården Syd"  # and SOR changes it
    country.write(tmp_path)
    refreshes.clear()
    code, out, _ = run(capsys, "nightly", str(tmp_path))
    assert code == 0, out
    assert refreshes == [None]
    solgaarden.refresh_from_db()
    assert solgaarden.published and solgaarden.name == "Plejecenter Solgården Syd"
    entries = ModelLogEntry.objects.filter(object_id=str(solgaarden.pk), content_type__model="unit")
    assert entries.filter(action=AuditAction.PUBLISHED).count() == 1

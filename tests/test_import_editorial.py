"""Bulk editorial content, validated like a save in the back office."""

from __future__ import annotations

import json

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.publishing.listing import units_for_listing
from plov.units.editorial import import_editorial
from plov.units.models import Unit, UnitContent
from tests import country as c


def write(tmp_path, records):
    path = tmp_path / "indhold.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def listed(sor_id: str) -> dict:
    return next(u for u in units_for_listing(None, include_all=True) if u["sor_id"] == sor_id)


def test_editorial_fields_are_saved_and_bad_records_reported(imported, tmp_path):
    path = write(
        tmp_path,
        [
            {
                "sor_id": c.SOLGAARDEN,
                "p_number": c.P_SOLGAARDEN,
                "employees": 52,
                "values": "<p>Vi møder beboerne med respekt – også om natten.</p>",
                "housing_type": "aeldreloven_47",
                "homes": 64,
            },
            {"sor_id": c.LINDEHUS, "employees": -3},
            {"sor_id": c.SITE_NORTH, "name": "Nyt navn fra redaktøren"},
            {"sor_id": "999", "p_number": "123"},
            {"sor_id": c.SITE_SOUTH, "p_number": "12 34"},
        ],
    )
    summary, rejected = import_editorial(path)
    assert summary.created == 1
    assert len(rejected) == 4
    assert rejected[0].startswith(f"{path}:") and "employees" in rejected[0]
    assert "ukendte eller skrivebeskyttede felter: name" in rejected[1]
    assert "ingen enhed med SOR-ID '999'" in rejected[2]
    assert "P-nummeret skal bestå af 10 cifre" in rejected[3]
    content = UnitContent.objects.get(unit__sor_id=c.SOLGAARDEN)
    assert content.values.startswith("<p>Vi møder")
    assert Unit.objects.get(sor_id=c.SITE_NORTH).name == "Helhedspleje Nord"  # register field kept


def test_employees_shown_are_the_editors_if_given_else_cvrs(imported, tmp_path):
    import_editorial(
        write(
            tmp_path,
            [
                {"sor_id": c.SOLGAARDEN, "p_number": c.P_SOLGAARDEN},
                {"sor_id": c.SITE_NORTH, "p_number": c.P_SITE_NORTH, "employees": 90},
                {"sor_id": c.LINDEHUS, "p_number": c.P_LINDEHUS},
            ],
        )
    )
    solgaarden = listed(c.SOLGAARDEN)
    assert (solgaarden["employees"], solgaarden["employees_source"]) == (48, "CVR")
    assert solgaarden["full_time_employees"] == 39.5
    north = listed(c.SITE_NORTH)
    assert (north["employees"], north["employees_source"]) == (90, "unit")
    assert north["full_time_employees"] == 61.0  # not given by the editor: CVR's
    lindehus = listed(c.LINDEHUS)
    assert lindehus["employees"] is None  # CVR gives only an interval: no invented number
    assert lindehus["employees_interval"] == "ANTAL_20_49"


def test_a_record_changes_only_the_fields_it_names_and_reimport_changes_nothing(imported, tmp_path):
    import_editorial(
        write(
            tmp_path,
            [{"sor_id": c.SOLGAARDEN, "p_number": c.P_SOLGAARDEN, "leader_first_name": "Åse"}],
        )
    )
    summary, _ = import_editorial(write(tmp_path, [{"sor_id": c.SOLGAARDEN, "homes": 40}]))
    content = UnitContent.objects.get(unit__sor_id=c.SOLGAARDEN)
    assert (content.p_number, content.leader_first_name, content.homes) == (
        c.P_SOLGAARDEN,
        "Åse",
        40,
    )
    assert summary.updated == 1
    summary, _ = import_editorial(write(tmp_path, [{"sor_id": c.SOLGAARDEN, "homes": 40}]))
    assert (summary.updated, summary.unchanged) == (0, 1)


def test_agreement_descriptions_need_an_agreement_with_that_municipality(imported, tmp_path):
    site = Unit.objects.get(sor_id=c.SITE_PRIVATE)
    ServiceAgreement.objects.create(
        municipality_id=727,
        unit=site,
        reference="ODD-1",
        type=AgreementType.OPERATING_AGREEMENT,
        start="2025-01-01",
    )
    summary, rejected = import_editorial(
        write(
            tmp_path,
            [
                {
                    "sor_id": c.SITE_PRIVATE,
                    "p_number": c.P_SITE_PRIVATE,
                    "agreement_descriptions": {
                        "727": "Faste teams i hele Odder.",
                        "101": "Ikke aftalt",
                    },
                },
            ],
        )
    )
    assert len(rejected) == 1 and "ingen serviceleverance med kommune 101" in rejected[0]
    summary, rejected = import_editorial(
        write(
            tmp_path,
            [
                {
                    "sor_id": c.SITE_PRIVATE,
                    "p_number": c.P_SITE_PRIVATE,
                    "agreement_descriptions": {"727": "Faste teams i hele Odder."},
                },
            ],
        )
    )
    assert rejected == []
    assert (
        AgreementDescription.objects.get(unit=site, municipality_id=727).text
        == "Faste teams i hele Odder."
    )
    assert listed(c.SITE_PRIVATE)["published"] is True


def test_hostile_markup_is_stripped(imported, tmp_path):
    import_editorial(
        write(
            tmp_path,
            [
                {
                    "sor_id": c.SOLGAARDEN,
                    "activities": '<p onclick="steal()">Banko <script>alert(1)</script><b>hver fredag</b></p>',
                }
            ],
        )
    )
    activities = UnitContent.objects.get(unit__sor_id=c.SOLGAARDEN).activities
    assert "script" not in activities and "onclick" not in activities
    assert "Banko" in activities and "hver fredag" in activities

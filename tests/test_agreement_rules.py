"""The agreement rules of `plov.agreements.rules` as plain functions, and the bulk import that
applies them: Friplejebolig only for a private care home, no two overlapping agreements of one
party, unit and type, and the warnings a Lokalplejehjem elsewhere gets (issue 18, point 9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from plov.agreements.importer import import_agreements
from plov.agreements.models import AgreementType, ServiceAgreement
from plov.agreements.rules import (
    agreement_problems,
    agreement_warnings,
    housing_type_of,
    overlapping_agreement,
)
from plov.units.models import HousingType, Municipality, Unit, UnitContent
from tests import country as c

AARHUS, SKANDERBORG = 751, 746
D = dt.date


def unit(sor_id: str) -> Unit:
    return Unit.objects.select_related("owner", "municipality").get(sor_id=sor_id)


def party(code: int) -> Municipality:
    return Municipality.objects.get(code=code)


def problems(code, sor_id, type_, start, end=None, *, by_agency=False, current=None):
    return agreement_problems(
        party=party(code),
        unit=unit(sor_id),
        agreement_type=type_,
        start=start,
        end=end,
        reference="X-1",
        by_agency=by_agency,
        current=current,
    )


FIRST_JANUARY_2024 = D(2024, 1, 1)


def stored(
    code=AARHUS,
    sor_id=c.LINDEHUS,
    reference="AAR-1",
    start=FIRST_JANUARY_2024,
    end=None,
    type_=AgreementType.OPERATING_AGREEMENT,
) -> ServiceAgreement:
    return ServiceAgreement.objects.create(
        municipality_id=code,
        unit=unit(sor_id),
        reference=reference,
        type=type_,
        start=start,
        end=end,
    )


# --- (b) Friplejebolig ---------------------------------------------------------------------


def test_friplejebolig_is_for_a_private_care_home_only(imported):
    assert problems(AARHUS, c.LINDEHUS, "friplejebolig", D(2025, 1, 1), by_agency=True) == []
    refused = problems(AARHUS, c.SOLGAARDEN, "friplejebolig", D(2025, 1, 1), by_agency=True)
    assert len(refused) == 1
    assert refused[0].startswith("Friplejebolig kan kun aftales med en privat friplejebolig")
    assert "ejes af Aarhus Kommune" in refused[0]
    # A private home-care site is no care home at all.
    assert problems(
        SKANDERBORG, c.SITE_PRIVATE, "friplejebolig", D(2025, 1, 1), by_agency=True
    ) == ["Friplejebolig kan kun aftales med en plejeenhed"]


# --- (c) overlaps --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "proposed", "overlaps"),
    [
        ((D(2024, 1, 1), None), (D(2025, 1, 1), D(2025, 12, 31)), True),  # inside an open one
        ((D(2024, 1, 1), D(2024, 12, 31)), (D(2024, 12, 31), None), True),  # shares one day
        ((D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), None), False),  # follows it
        ((D(2025, 6, 1), None), (D(2025, 1, 1), D(2025, 5, 31)), False),  # ends before it
        ((D(2025, 6, 1), None), (D(2025, 1, 1), None), True),  # open-ended reaches it
    ],
)
def test_periods_of_the_same_party_unit_and_type_may_not_overlap(
    imported, existing, proposed, overlaps
):
    other = stored(start=existing[0], end=existing[1])
    found = problems(AARHUS, c.LINDEHUS, "driftsoverenskomst", *proposed)
    if overlaps:
        assert found == [
            "Perioden overlapper serviceleverancen AAR-1 (Driftsoverenskomst, "
            + (
                f"{other.start:%d.%m.%Y}–{other.end:%d.%m.%Y}"
                if other.end
                else f"fra {other.start:%d.%m.%Y}, uden slutdato"
            )
            + ") med samme kommune, enhed og type. Ret datoerne, eller ret den eksisterende "
            "aftale i stedet"
        ]
    else:
        assert found == []


def test_another_type_party_or_unit_or_the_agreement_itself_is_no_overlap(imported):
    existing = stored()
    start = D(2025, 1, 1)
    assert problems(AARHUS, c.LINDEHUS, "lokalplejehjem", start) == []
    assert problems(SKANDERBORG, c.LINDEHUS, "driftsoverenskomst", start) == []
    assert problems(AARHUS, c.LINDEHUS, "driftsoverenskomst", start, current=existing) == []
    assert (
        overlapping_agreement(
            party=party(AARHUS),
            unit=unit(c.LINDEHUS),
            agreement_type="driftsoverenskomst",
            start=start,
            end=None,
        )
        == existing
    )


def test_an_annulled_agreement_overlaps_nothing(imported):
    existing = stored()
    existing.annulled_at = timezone.now()
    existing.save()
    assert problems(AARHUS, c.LINDEHUS, "driftsoverenskomst", D(2025, 1, 1)) == []


# --- (e) warnings --------------------------------------------------------------------------


def test_a_lokalplejehjem_elsewhere_or_with_friplejebolig_housing_is_warned(imported):
    lindehus = unit(c.LINDEHUS)  # lies in Aarhus
    assert (
        agreement_warnings(party=party(AARHUS), unit=lindehus, agreement_type="lokalplejehjem")
        == []
    )
    elsewhere = agreement_warnings(
        party=party(SKANDERBORG), unit=lindehus, agreement_type="lokalplejehjem"
    )
    assert elsewhere == [
        "Lindehuset ligger i Aarhus Kommune, ikke i Skanderborg Kommune. Et lokalplejehjem "
        "ligger normalt i aftalepartens egen kommune"
    ]
    assert housing_type_of(lindehus) == ""
    UnitContent.objects.create(unit=lindehus, housing_type=HousingType.FREE_CARE)
    lindehus = unit(c.LINDEHUS)
    assert housing_type_of(lindehus) == HousingType.FREE_CARE
    free = agreement_warnings(
        party=party(AARHUS),
        unit=lindehus,
        agreement_type="lokalplejehjem",
        housing_type=housing_type_of(lindehus),
    )
    assert len(free) == 1 and "har boligtypen friplejebolig" in free[0]
    # Other types are not warned.
    assert (
        agreement_warnings(
            party=party(SKANDERBORG),
            unit=lindehus,
            agreement_type="driftsoverenskomst",
            housing_type=HousingType.FREE_CARE,
        )
        == []
    )


# --- the bulk import -----------------------------------------------------------------------

HEADER = "kommunekode;sor_id;aftaleidentifikation;type;start;slut;beskrivelse"


def write(tmp_path, *rows: str):
    path = tmp_path / "aftaler.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_import_refuses_friplejebolig_for_a_municipal_care_home(imported, tmp_path):
    path = write(
        tmp_path,
        f"751;{c.SOLGAARDEN};FRI-1;Friplejebolig;2025-01-01;;",
        f"751;{c.LINDEHUS};FRI-2;Friplejebolig;2025-01-01;;",
    )
    summary, rejected = import_agreements(path)
    assert summary.created == 1
    assert len(rejected) == 1
    assert rejected[0].startswith(
        f"{path}:2: Friplejebolig kan kun aftales med en privat friplejebolig"
    )
    assert list(ServiceAgreement.objects.values_list("reference", flat=True)) == ["FRI-2"]


def test_the_import_refuses_an_overlap_naming_the_existing_agreement(imported, tmp_path):
    stored(reference="AAR-1", start=D(2024, 1, 1), end=D(2025, 12, 31))
    path = write(
        tmp_path,
        f"751;{c.LINDEHUS};AAR-2;Driftsoverenskomst;2025-06-01;;",  # overlaps AAR-1
        f"751;{c.LINDEHUS};AAR-3;Driftsoverenskomst;2026-01-01;;",  # follows it
        f"751;{c.LINDEHUS};AAR-4;Driftsoverenskomst;2027-01-01;;",  # overlaps AAR-3 (same file)
        f"751;{c.LINDEHUS};AAR-1;Driftsoverenskomst;2024-01-01;2025-06-30;",  # itself: fine
    )
    summary, rejected = import_agreements(path)
    assert (summary.created, summary.updated) == (1, 1)
    assert [r.split(": ", 1)[0] for r in rejected] == [f"{path}:2", f"{path}:4"]
    assert (
        "overlapper serviceleverancen AAR-1 (Driftsoverenskomst, 01.01.2024–31.12.2025)"
        in (rejected[0])
    )
    assert "overlapper serviceleverancen AAR-3 (Driftsoverenskomst, fra 01.01.2026" in rejected[1]
    assert set(ServiceAgreement.objects.values_list("reference", flat=True)) == {"AAR-1", "AAR-3"}


def test_the_import_records_a_version_of_what_it_writes(imported, tmp_path):
    from plov.agreements.history import versions

    import_agreements(write(tmp_path, f"751;{c.LINDEHUS};AAR-9;Driftsoverenskomst;2025-01-01;;"))
    import_agreements(
        write(tmp_path, f"751;{c.LINDEHUS};AAR-9;Driftsoverenskomst;2025-01-01;2026-01-01;")
    )
    agreement = ServiceAgreement.objects.get(reference="AAR-9")
    found = versions(agreement)
    assert [v.number for v in found] == [2, 1]
    assert found[0].author == "System (import)"
    assert [(ch.label, ch.before, ch.after) for ch in found[0].changes] == [
        ("Slutdato", "", "01.01.2026")
    ]

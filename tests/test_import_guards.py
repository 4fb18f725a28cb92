"""The guards around a well-formed but wrong file: a SOR file that would close a mass of units
is refused before anything is written, unless the operator says the closures are right."""

from __future__ import annotations

import re

import pytest

from plov.demo.generator import generate
from plov.registers.models import ImportRun
from plov.units.models import Unit
from tests import country as c
from tests.test_cli import run
from tests.test_import_hostile import database


def import_country(capsys, folder, country):
    sor_path, cvr_path, dar_path = country.write(folder)
    for register, path in (("dar", dar_path), ("cvr", cvr_path), ("sor", sor_path)):
        code, out, err = run(capsys, "import", register, str(path))
        assert code == 0, err
    return sor_path


def open_units() -> int:
    return Unit.objects.filter(sor_id__isnull=False, closed_on__isnull=True).count()


def test_a_file_that_would_close_most_units_is_refused_and_the_refusal_kept(
    db, tmp_path, capsys, country
):
    import_country(capsys, tmp_path / "day1", country)
    assert open_units() == 8
    day2 = country.copy()
    # only one care home and the owners' own entities are left: a cut-off file
    care_types = ("plejeenhed", "helhedsplejeleverandørsted")
    day2.sor = [e for e in day2.sor if e.unit_type not in care_types or e.sor_id == c.SOLGAARDEN]
    sor_path = day2.write(tmp_path / "day2")[0]
    before = database()
    code, out, err = run(capsys, "import", "sor", str(sor_path))
    assert code == 1
    assert database() == before
    message = err.strip()
    assert message.startswith(
        f"{sor_path}: importen er afvist, intet er ændret: filen ville lukke 7 af 8 åbne "
        "enheder (87,5 %)"
    )
    assert "mere end de 5 %, PLOV_SOR_MAX_CLOSURE_SHARE tillader" in message
    assert "filen har 6 SOR-enheder mod 13 ved sidste gennemførte import (53,8 % færre)" in message
    # which types and owners lose units, owners by name
    assert "flest færre enhedstyper: plejeenhed 5 → 1, helhedsplejeleverandørsted 3 → 0" in message
    assert "flest færre åbne enheder hos: Aarhus Kommune 6 → 1, CVR 12345678 2 → 0" in message
    assert message.endswith(
        "Er filen afkortet eller fra en forkert dag? Er lukningerne rigtige, så kør importen "
        "igen med --allow-mass-closure."
    )
    refused = ImportRun.objects.filter(register="sor").first()
    assert (refused.status, refused.error) == (ImportRun.Status.REFUSED, message)
    assert refused.finished_at is not None

    # the operator knows the closures are right
    code, out, err = run(capsys, "import", "sor", str(sor_path), "--allow-mass-closure")
    assert code == 0, err
    assert "lukket:         7" in out
    assert open_units() == 1


def test_one_closure_in_a_country_of_eight_needs_the_flag_or_a_larger_share(
    db, tmp_path, capsys, country, settings
):
    import_country(capsys, tmp_path / "day1", country)
    day2 = country.copy()
    day2.sor = [e for e in day2.sor if e.sor_id != c.LINDEHUS]
    sor_path = day2.write(tmp_path / "day2")[0]
    code, _, err = run(capsys, "import", "sor", str(sor_path))
    assert code == 1
    assert "filen ville lukke 1 af 8 åbne enheder (12,5 %)" in err
    settings.PLOV_SOR_MAX_CLOSURE_SHARE = 0.2
    code, out, err = run(capsys, "import", "sor", str(sor_path))
    assert code == 0, err
    assert "lukket:         1" in out


def test_a_file_with_far_fewer_entities_than_last_time_is_refused(db, tmp_path, capsys, country):
    from tests.country import municipal

    # day 1: the country plus 40 other entities (say, dental clinics) under Aarhus
    day1 = country.copy()
    day1.sor += [
        municipal(
            f"1000000009{i:02d}", f"Tandklinik {i}", parent=c.AARHUS_ELDER, unit_type="tandklinik"
        )
        for i in range(40)
    ]
    import_country(capsys, tmp_path / "day1", day1)
    # day 2: every care unit is there, but the rest of the register is missing
    sor_path = country.write(tmp_path / "day2")[0]
    before = database()
    code, _, err = run(capsys, "import", "sor", str(sor_path))
    assert code == 1
    assert database() == before
    assert re.search(
        r"filen har 13 SOR-enheder mod 53 ved sidste gennemførte import \(75,5 % færre\), mere end "
        r"de 5 %.*flest færre enhedstyper: tandklinik 40 → 0",
        err,
    ), err


def test_the_first_import_is_never_refused(imported, tmp_path, capsys, country):
    # units exist (imported without the command line, so no run is kept), but no import ran
    # successfully: there is nothing to compare with.
    assert not ImportRun.objects.exists()
    day2 = country.copy()
    day2.sor = [e for e in day2.sor if e.sor_id != c.LINDEHUS]
    code, out, err = run(capsys, "import", "sor", str(day2.write(tmp_path / "day2")[0]))
    assert code == 0, err


def test_a_real_file_cut_off_at_a_line_boundary_is_refused_in_the_nightly_run(db, tmp_path, capsys):
    files = generate(tmp_path / "day1", seed=3, scale=0.05)
    for register in ("dar", "cvr", "sor"):
        code, _, err = run(capsys, "import", register, str(files.paths[register]))
        assert code == 0, err
    before_open = open_units()
    assert before_open > 50
    night = tmp_path / "night"
    night.mkdir()
    lines = files.paths["sor"].read_bytes().split(b"\r\n")
    # the download stopped a third of the way: well-formed, every line whole
    (night / "SorEntity_daily.csv").write_bytes(b"\r\n".join(lines[: len(lines) // 3]) + b"\r\n")
    before = database()
    code, out, err = run(capsys, "nightly", str(night))
    assert code == 1
    assert database() == before
    refusal = (
        rf"sor: .*: importen er afvist, intet er ændret: filen ville lukke \d+ af {before_open} "
    )
    assert re.match(refusal, err), err
    code, out, err = run(capsys, "nightly", str(night), "--allow-mass-closure")
    assert code == 0, err
    assert open_units() < before_open / 2


@pytest.mark.parametrize("value", ["1.5", "-0.1", "fem"])
def test_the_share_setting_is_checked_when_read(monkeypatch, value):
    from django.core.exceptions import ImproperlyConfigured

    from plov.settings.base import env_share

    monkeypatch.setenv("PLOV_SOR_MAX_CLOSURE_SHARE", value)
    with pytest.raises(ImproperlyConfigured, match="PLOV_SOR_MAX_CLOSURE_SHARE"):
        env_share("PLOV_SOR_MAX_CLOSURE_SHARE", 0.05)

"""SOR daily entity file: which entities become units, the tree, closures, errors, idempotence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plov import clock
from plov.registers.readers import MalformedFile
from plov.registers.runs import refresh_after
from plov.registers.sor import import_sor
from plov.registers.writers import write_sor
from plov.units.models import Organisation, Unit, UnitKind
from tests import country as c


def snapshot() -> list[tuple]:
    return list(
        Unit.objects.order_by("id").values_list(
            "id",
            "sor_id",
            "name",
            "kind",
            "parent_id",
            "closed_on",
            "nested_care_home",
            "municipality_id",
            "dar_address_id",
            "published",
            "register_hash",
        )
    )


def test_only_care_homes_and_home_care_sites_become_units(imported_fresh):
    by_kind = {
        kind: set(Unit.objects.filter(kind=kind).values_list("sor_id", flat=True))
        for kind in (UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE)
    }
    assert by_kind[UnitKind.CARE_HOME] == {
        c.SOLGAARDEN,
        c.KAERBO,
        c.NESTED_PARENT,
        c.NESTED_CHILD,
        c.LINDEHUS,
    }
    assert by_kind[UnitKind.HOME_CARE_SITE] == {c.SITE_NORTH, c.SITE_SOUTH, c.SITE_PRIVATE}
    assert not Unit.objects.filter(
        sor_id__in=[c.AARHUS, c.AARHUS_ELDER, c.HOME_CARE_GROUP]
    ).exists()


def test_a_municipalitys_sites_hang_under_its_one_automatic_provider_whatever_the_depth(
    imported_fresh,
):
    north = Unit.objects.get(sor_id=c.SITE_NORTH)
    south = Unit.objects.get(sor_id=c.SITE_SOUTH)  # two OE levels deeper in SOR
    assert north.parent_id == south.parent_id
    provider = north.parent
    assert provider.kind == UnitKind.HOME_CARE_PROVIDER
    assert provider.owner.municipality_id == 751
    assert Unit.objects.filter(kind=UnitKind.HOME_CARE_PROVIDER, owner=provider.owner).count() == 1


def test_owners_become_organisations_with_cvr(imported_fresh):
    aarhus = Organisation.objects.get(municipality_id=751)
    assert aarhus.kind == Organisation.Kind.MUNICIPALITY
    assert aarhus.cvr_number == c.AARHUS_CVR
    company = Organisation.objects.get(cvr_number=c.COMPANY_CVR)
    assert company.kind == Organisation.Kind.COMPANY
    assert Unit.objects.get(sor_id=c.LINDEHUS).owner == company


def test_a_care_home_above_or_below_another_care_home_is_a_registration_error(imported_fresh):
    flags = dict(
        Unit.objects.filter(kind=UnitKind.CARE_HOME).values_list("sor_id", "nested_care_home")
    )
    assert flags[c.NESTED_PARENT] is True
    assert flags[c.NESTED_CHILD] is True
    assert flags[c.SOLGAARDEN] is False


def test_register_fields_are_read_from_the_file(imported_fresh):
    unit = Unit.objects.get(sor_id=c.SOLGAARDEN)
    assert unit.name == "Plejecenter Solgården"
    assert unit.phone == "87131000"
    assert unit.email == "solgaarden@aarhus.dk"
    assert unit.visiting_address["street"] == "Solvej"
    assert unit.sor_type == "OE"
    # UTM32 coordinates are converted to WGS84 (and DAR's coordinates win when matched)
    assert unit.latitude == pytest.approx(56.1535, abs=1e-3)
    assert unit.longitude == pytest.approx(10.2039, abs=1e-3)


def test_reimporting_the_same_file_changes_nothing(imported, tmp_path):
    before = snapshot()
    summary = import_sor(tmp_path / "registers" / "SorEntity_daily.csv")
    assert (summary.created, summary.updated, summary.closed) == (0, 0, 0)
    assert summary.unchanged == 8
    assert snapshot() == before


def test_a_changed_unit_is_updated(imported, tmp_path, country):
    country.entity(c.SOLGAARDEN).name = "Plejecenter Solgården Syd"
    sor_path, _, _ = country.write(tmp_path / "day2")
    summary = import_sor(sor_path)
    assert (summary.created, summary.updated, summary.closed) == (0, 1, 0)
    assert Unit.objects.get(sor_id=c.SOLGAARDEN).name == "Plejecenter Solgården Syd"


def test_a_unit_missing_from_the_file_is_closed_not_deleted_and_reopens(
    imported, tmp_path, country
):
    day2 = country.copy()
    day2.sor = [e for e in day2.sor if e.sor_id != c.LINDEHUS]
    summary = import_sor(day2.write(tmp_path / "day2")[0])
    refresh_after(summary)  # as `plov import sor` does
    assert summary.closed == 1
    lindehus = Unit.objects.get(sor_id=c.LINDEHUS)
    assert lindehus.closed_on == clock.today()
    assert not lindehus.published
    assert {
        "category": "SOR",
        "message": "Enheden er lukket i SOR",
        "level": "error",
    } in lindehus.warnings

    summary = import_sor(country.write(tmp_path / "day3")[0])
    assert summary.updated == 1
    assert Unit.objects.get(sor_id=c.LINDEHUS).closed_on is None


def test_a_unit_whose_end_date_has_passed_is_closed(imported, tmp_path, country):
    country.entity(c.SITE_NORTH).to_date = (clock.today() - dt.timedelta(days=1)).isoformat()
    summary = import_sor(country.write(tmp_path / "day2")[0])
    assert summary.closed == 1
    assert Unit.objects.get(sor_id=c.SITE_NORTH).closed_on is not None
    assert Unit.objects.filter(sor_id=c.SITE_NORTH).exists()


def test_a_closure_not_yet_in_force_keeps_the_unit_open(imported, tmp_path, country):
    country.entity(c.SITE_NORTH).to_date = (clock.today() + dt.timedelta(days=30)).isoformat()
    import_sor(country.write(tmp_path / "day2")[0])
    assert Unit.objects.get(sor_id=c.SITE_NORTH).closed_on is None


def test_units_on_an_old_unit_type_are_listed_not_imported(imported, tmp_path, country):
    summary = import_sor(country.write(tmp_path / "again")[0])
    assert summary.details["legacy_typed_units"] == [
        {"sor_id": c.OLD_TYPE, "name": "Hjemmeplejen Vest", "type": "hjemmeplejeenhed"}
    ]
    assert "gammel enhedstype 'hjemmeplejeenhed' (skal ændres i SOR)" in summary.skipped
    assert not Unit.objects.filter(sor_id=c.OLD_TYPE).exists()


def test_it_accepts_bare_sor_ids_and_wgs84_coordinates(db, tmp_path, country):
    path = write_sor(tmp_path / "SorEntity_daily.csv", country.sor)
    text = path.read_text(encoding="utf-8-sig").replace('="', "").replace('";', ";")
    path.write_text(text, encoding="utf-8")
    site = country.entity(c.SITE_NORTH)
    site.visiting.east, site.visiting.north = 10.21, 56.159
    import_sor(path)
    assert Unit.objects.filter(sor_id=c.SOLGAARDEN).exists()


def test_it_reads_wgs84_degrees_given_in_the_utm_fields(db, tmp_path, country):
    site = country.entity(c.SITE_NORTH)
    site.visiting.east, site.visiting.north = 10.21, 56.159
    import_sor(write_sor(tmp_path / "SorEntity_daily.csv", country.sor))
    unit = Unit.objects.get(sor_id=c.SITE_NORTH)
    assert (unit.longitude, unit.latitude) == (10.21, 56.159)


# --- Malformed files: a clear PATH:LINE: reason, and the database as it was --------------------


def _import_expecting_error(path: Path) -> MalformedFile:
    with pytest.raises(MalformedFile) as info:
        import_sor(path)
    return info.value


def _good_file(tmp_path: Path, country) -> Path:
    return write_sor(tmp_path / "SorEntity_daily.csv", country.sor)


def test_a_missing_column_is_named(imported, tmp_path, country):
    before = snapshot()
    path = _good_file(tmp_path, country)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[0] = lines[0].replace("EntityTypeName", "EnhedsType", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    error = _import_expecting_error(path)
    assert error.line == 1
    assert "kolonnen EntityTypeName mangler" in str(error)
    assert str(error).startswith(f"{path}:1: ")
    assert snapshot() == before


def test_a_broken_quote_is_reported_with_its_line(imported, tmp_path, country):
    before = snapshot()
    path = _good_file(tmp_path, country)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[4] = lines[4].replace(";Plejecenter", ';"Plejecenter', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _import_expecting_error(path)
    assert "ødelagt CSV" in error.reason or "forventede" in error.reason
    assert error.line >= 5
    assert snapshot() == before


def test_a_truncated_file_is_rejected(imported, tmp_path, country):
    before = snapshot()
    path = _good_file(tmp_path, country)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 300])
    error = _import_expecting_error(path)
    assert error.line == len(country.sor) + 1
    assert "felter, fandt" in error.reason
    assert snapshot() == before


def test_a_file_in_the_wrong_encoding_is_rejected(imported, tmp_path, country):
    before = snapshot()
    path = _good_file(tmp_path, country)
    text = path.read_text(encoding="utf-8-sig")
    path.write_bytes(text.encode("latin-1"))
    error = _import_expecting_error(path)
    assert "ikke gyldig UTF-8" in error.reason
    line_with_danish = next(
        i for i, line in enumerate(text.splitlines(), start=1) if any(ch in line for ch in "æøåÆØÅ")
    )
    assert error.line == line_with_danish
    assert snapshot() == before


def test_a_bad_date_is_reported(imported, tmp_path, country):
    country.entity(c.LINDEHUS).to_date = "31-12-2024"
    error = _import_expecting_error(_good_file(tmp_path, country))
    assert "ToDate '31-12-2024' er ikke en dato (skal være ÅÅÅÅ-MM-DD)" in error.reason


def test_a_sor_id_twice_is_reported(imported, tmp_path, country):
    country.sor.append(country.entity(c.LINDEHUS))
    error = _import_expecting_error(_good_file(tmp_path, country))
    assert f"SorId {c.LINDEHUS} står to gange i filen (første gang på linje" in error.reason


def test_an_import_killed_half_way_leaves_the_database_as_before(
    imported, tmp_path, country, monkeypatch
):
    before = snapshot()
    country.entity(c.SOLGAARDEN).name = "Omdøbt"
    country.sor = [e for e in country.sor if e.sor_id != c.LINDEHUS]

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # what Ctrl-C or SIGINT raises mid-run

    # The change feed is written after every unit has been, inside the transaction.
    monkeypatch.setattr("plov.opendata.changes.record_register_changes", killed)
    with pytest.raises(KeyboardInterrupt):
        import_sor(_good_file(tmp_path, country))
    assert snapshot() == before


def test_an_import_whose_refresh_fails_leaves_the_database_as_before(
    imported, tmp_path, country, monkeypatch
):
    """`plov import sor` refreshes publication in the import's transaction: a failed refresh
    fails the run and undoes the import."""
    from plov.registers.models import ImportRun
    from plov.registers.runs import run_import

    before = snapshot()
    country.sor = [e for e in country.sor if e.sor_id != c.LINDEHUS]

    def killed(**kwargs):
        raise RuntimeError("the refresh broke")

    monkeypatch.setattr("plov.publishing.refresh.refresh_publication", killed)
    with pytest.raises(RuntimeError):
        run_import("sor", _good_file(tmp_path, country))
    assert snapshot() == before
    assert ImportRun.objects.get(register="sor").status == ImportRun.Status.FAILED


def test_every_municipal_owner_in_sor_is_an_organisation_even_without_care_units(
    db, tmp_path, country
):
    from tests.country import SorEntity

    country.sor.append(
        SorEntity(
            "300000000001",
            "Læsø Kommune",
            sor_type="IE",
            unit_type="kommune",
            owner_type="kommune",
            owner_cvr="45973328",
            municipality_code="825",
            owner_sor_id="300000000001",
            owner_name="Læsø Kommune",
        )
    )
    import_sor(country.write(tmp_path)[0])
    laesoe = Organisation.objects.get(municipality_id=825)
    assert (laesoe.cvr_number, laesoe.kind) == ("45973328", Organisation.Kind.MUNICIPALITY)

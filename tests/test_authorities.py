"""Which supervising authority covers a unit is data: a table loaded from a file."""

from __future__ import annotations

import pytest

from plov import clock
from plov.publishing.listing import units_for_listing
from plov.registers.readers import MalformedFile
from plov.supervision.authorities import authority_by_municipality, import_authorities
from plov.supervision.models import AuthorityCoverage
from tests import country as c


def authority_of(sor_id: str) -> str | None:
    units = units_for_listing(None, include_all=True)
    return next(u for u in units if u["sor_id"] == sor_id)["supervising_authority"]


def test_every_municipality_is_covered_out_of_the_box(db):
    assert len(authority_by_municipality()) == 98


def test_a_units_authority_follows_its_beliggenhedskommune(imported):
    assert authority_of(c.SOLGAARDEN) == authority_by_municipality()[751]
    assert authority_of(c.KAERBO) is None  # invalid address: no beliggenhedskommune


def test_replacing_the_table_moves_the_units_at_once(imported, tmp_path):
    path = tmp_path / "tilsyn.csv"
    rows = ["kommunekode,tilsyn,gyldig_fra"] + [
        f"{code},{'Ældretilsynet Hjørring' if code == 751 else 'Ældretilsynet Gentofte'},"
        for code in authority_by_municipality()
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = import_authorities(path)
    assert summary.created == 98
    assert authority_of(c.SOLGAARDEN) == "Ældretilsynet Hjørring"
    assert authority_of(c.SITE_PRIVATE) == "Ældretilsynet Gentofte"  # lies in Skanderborg


def test_a_future_coverage_takes_effect_on_its_date(imported, tmp_path):
    import datetime as dt

    later = clock.today() + dt.timedelta(days=10)
    path = tmp_path / "tilsyn.csv"
    path.write_text(
        "kommunekode;tilsyn;gyldig_fra\n751;Ældretilsynet Silkeborg;\n"
        f"751;Ældretilsynet Hjørring;{later.isoformat()}\n",
        encoding="utf-8",
    )
    summary = import_authorities(path)
    assert "kommuner uden tilsynsmyndighed" in summary.notes[0]
    assert authority_by_municipality()[751] == "Ældretilsynet Silkeborg"
    assert authority_by_municipality(later)[751] == "Ældretilsynet Hjørring"


def test_an_unknown_municipality_rejects_the_file_and_keeps_the_table(db, tmp_path):
    before = AuthorityCoverage.objects.count()
    path = tmp_path / "tilsyn.csv"
    path.write_text("kommunekode;tilsyn\n101;Ældretilsynet Gentofte\n999;X\n", encoding="utf-8")
    with pytest.raises(MalformedFile, match=r"tilsyn.csv:3: kommunekode '999' er ikke en kommune"):
        import_authorities(path)
    assert AuthorityCoverage.objects.count() == before

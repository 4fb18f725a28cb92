from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plov.registers.cvr import import_cvr
from plov.registers.dar import import_dar
from plov.registers.sor import import_sor
from tests.country import Country, small_country
from tests.servers import static_data_dir  # noqa: F401  (session fixture: collected static files)


@pytest.fixture
def country() -> Country:
    return small_country()


@pytest.fixture
def imported(db, tmp_path: Path, country: Country) -> Country:
    """The small country, imported through the real importers: DAR, then CVR, then SOR."""
    sor_path, cvr_path, dar_path = country.write(tmp_path / "registers")
    import_dar(dar_path)
    import_cvr(cvr_path)
    import_sor(sor_path)
    return country


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()

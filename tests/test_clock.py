"""plov's today is Copenhagen's date, also where the server's clock runs in UTC (issue 14, §3).

Between 22:00 and 24:00 UTC (23:00/24:00 in winter, 00:00/01:00 in summer) Denmark already has
the next day: an agreement starting that day counts, and the nightly run just after Danish
midnight publishes for the new day. The tests move Django's clock (`timezone.now`, which
`timezone.localdate` reads) to such an instant.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from plov import clock
from plov.agreements.models import AgreementType, ServiceAgreement
from plov.publishing.refresh import refresh_publication
from plov.publishing.visibility import visible_units
from plov.units.models import Unit, UnitContent
from tests import country as c

AARHUS = 751
UTC = dt.UTC


def at(monkeypatch, instant: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: instant)


@pytest.mark.parametrize(
    ("utc", "copenhagen"),
    [
        (dt.datetime(2026, 1, 31, 23, 30, tzinfo=UTC), dt.date(2026, 2, 1)),  # CET, UTC+1
        (dt.datetime(2026, 6, 30, 22, 30, tzinfo=UTC), dt.date(2026, 7, 1)),  # CEST, UTC+2
        (dt.datetime(2026, 6, 30, 21, 30, tzinfo=UTC), dt.date(2026, 6, 30)),
    ],
)
def test_today_is_the_date_in_copenhagen_not_in_utc(monkeypatch, utc, copenhagen):
    at(monkeypatch, utc)
    assert clock.today() == copenhagen


def test_an_agreement_starting_at_danish_midnight_counts_while_utc_is_still_yesterday(
    imported, monkeypatch
):
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    UnitContent.objects.update_or_create(unit=solgaarden, defaults={"p_number": c.P_SOLGAARDEN})
    ServiceAgreement.objects.create(
        municipality_id=AARHUS,
        unit=solgaarden,
        type=AgreementType.OWN_PRODUCTION,
        start=dt.date(2026, 2, 1),
        reference="AAR-MIDNAT",
    )
    at(monkeypatch, dt.datetime(2026, 1, 31, 22, 59, tzinfo=UTC))  # 23:59 in Copenhagen
    refresh_publication()
    assert not visible_units(AARHUS).filter(sor_id=c.SOLGAARDEN).exists()

    at(monkeypatch, dt.datetime(2026, 1, 31, 23, 1, tzinfo=UTC))  # 00:01 on 1 February
    refresh_publication()
    assert visible_units(AARHUS).filter(sor_id=c.SOLGAARDEN).exists()

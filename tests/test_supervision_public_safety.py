"""Supervision data is public at once, so it is checked first (issue 18, point 13): the Tilsyn
list filters, no CPR numbers and no ban of the wrong kind, and the preview the supervisor
confirms before a registration becomes public."""

from __future__ import annotations

import re

from plov.supervision.models import Sanction, SanctionType, SupervisionFeedback, SupervisionStatus
from plov.units.models import Unit
from tests import country as c
from tests import test_supervision_backoffice as base
from tests.test_supervision_backoffice import (
    actor,
    feedback_data,
    make_feedback,
    sanction_data,
    snapshot,
    url,
)

world = base.world  # the test country with Solgården published and a ban in force
_fresh_cache_and_media = base._fresh_cache_and_media  # autouse: media in tmp_path


def rows(page: str) -> set[str]:
    return set(re.findall(r'<tr data-sor-id="(\d+)">', page))


def test_the_tilsyn_list_filters_by_municipality_result_sanction_and_without(client, world):
    solgaarden = world["solgaarden"]
    make_feedback(solgaarden, world["authority"], status=SupervisionStatus.CRITICAL)
    actor(client, "supervisor")
    everything = rows(client.get(url("index")).content.decode())
    assert c.SOLGAARDEN in everything and c.LINDEHUS in everything

    critical = client.get(url("index"), {"seneste": SupervisionStatus.CRITICAL}).content.decode()
    assert rows(critical) == {c.SOLGAARDEN}
    assert "1 enhed matcher søgningen" in critical
    without = rows(client.get(url("index"), {"seneste": "uden"}).content.decode())
    assert without == everything - {c.SOLGAARDEN}
    assert rows(client.get(url("index"), {"sanktion": "ja"}).content.decode()) == {c.SOLGAARDEN}
    assert c.SOLGAARDEN not in rows(client.get(url("index"), {"sanktion": "nej"}).content.decode())
    # By municipality: Aarhus, and Skanderborg where the private home-care site lies.
    page = client.get(url("index"), {"kommune": "751"}).content.decode()
    assert rows(page) == everything - {c.SITE_PRIVATE}
    assert '<option value="751" selected>' in page
    assert rows(client.get(url("index"), {"kommune": "746"}).content.decode()) == {c.SITE_PRIVATE}
    # Only covered municipalities are offered; another is ignored, never a way around scope.
    assert 'value="157"' not in page
    assert rows(client.get(url("index"), {"kommune": "157"}).content.decode()) == everything
    # Filters combine.
    both = client.get(url("index"), {"sanktion": "ja", "seneste": "uden"}).content.decode()
    assert rows(both) == set() and "Ingen enheder matcher filtreringen" in both


def test_a_cpr_number_in_the_summary_or_themes_is_refused(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    before = snapshot()
    response = client.post(
        url("feedback", unit.pk), feedback_data(summary="Beboer 010203-1234 klagede.")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sammenfatningen ser ud til at indeholde et CPR-nummer (010203-xxxx)" in page
    assert "Beboer 010203-1234 klagede.</textarea>" in page  # kept, to correct
    response = client.post(url("sanction", unit.pk), sanction_data(themes="Sag 0102031234"))
    assert "Temaerne ser ud til at indeholde et CPR-nummer" in response.content.decode()
    assert snapshot() == before


def test_a_home_care_ban_on_a_care_home_is_refused(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    before = snapshot()
    period = (base.TODAY + 30 * base.DAY).isoformat()
    response = client.post(
        url("sanction", unit.pk),
        sanction_data(type=SanctionType.BAN_NEW_CITIZENS, deadline="", period_end=period),
    )
    assert "«Forbud mod at modtage nye borgere» gælder hjemmepleje" in response.content.decode()
    assert snapshot() == before
    response = client.post(
        url("sanction", unit.pk),
        sanction_data(type=SanctionType.BAN_NEW_RESIDENTS, deadline="", period_end=period),
    )
    assert response.status_code == 302
    assert Sanction.objects.filter(unit=unit).count() == 2
    assert Unit.objects.get(pk=unit.pk).kind == "care_home"
    assert SupervisionFeedback.objects.count() == 0

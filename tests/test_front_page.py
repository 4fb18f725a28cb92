"""The interim front page: choose a municipality, see the units it has agreements with."""

from __future__ import annotations

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.publishing.refresh import refresh_publication
from plov.units.models import Unit, UnitContent
from tests import country as c


def test_it_lists_the_units_a_municipality_offers_in_danish(imported, client):
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    UnitContent.objects.create(unit=solgaarden, p_number=c.P_SOLGAARDEN)
    ServiceAgreement.objects.create(municipality_id=751, unit=solgaarden, reference="A-1",
                                    type=AgreementType.OWN_PRODUCTION, start="2024-01-01")
    refresh_publication()

    response = client.get("/", {"kommune": "751"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="da">' in page
    assert "Plejecenter Solgården" in page
    assert "Lindehuset" not in page  # lies in Aarhus, but Aarhus has no agreement with it
    assert "1 tilbud i Aarhus Kommune" in page


def test_an_unknown_municipality_shows_the_search_form(db, client):
    response = client.get("/", {"kommune": "999"})
    assert response.status_code == 200
    assert "Vælg kommune" in response.content.decode()

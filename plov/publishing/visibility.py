"""What a citizen searching a municipality sees (DOMAIN.md §5): exactly the published units
with an agreement with that municipality in force today, wherever the units lie."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from plov import clock
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.units.models import Unit, UnitKind

HOME_CARE_KINDS = (UnitKind.HOME_CARE_PROVIDER, UnitKind.HOME_CARE_SITE)


def counting_agreements(municipality_code: int, on: dt.date) -> QuerySet[ServiceAgreement]:
    """Agreements of one party in force on a day that make their unit visible."""
    described = AgreementDescription.objects.filter(
        unit_id=OuterRef("unit_id"), municipality_id=municipality_code
    ).exclude(text="")
    return (
        ServiceAgreement.objects.in_force(on)
        .filter(municipality_id=municipality_code)
        .filter(
            ~Q(type=AgreementType.OPERATING_AGREEMENT)
            | ~Q(unit__kind__in=HOME_CARE_KINDS)
            | Exists(described)
        )
    )


def visible_units(municipality_code: int, on: dt.date | None = None) -> QuerySet[Unit]:
    on = on or clock.today()
    agreements = counting_agreements(municipality_code, on).filter(unit_id=OuterRef("pk"))
    return Unit.objects.published().filter(Exists(agreements))

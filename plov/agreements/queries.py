"""The agreements' back-office queries, without HTTP: an agreement's state and the list's state
filter, the unit search of the agreement form, the providers' descriptions and the contract
manager's dashboard block (`attention`). Used by plov.agreements.views and its wagtail hooks."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from plov import clock
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.units.formatting import word_variants
from plov.units.models import Organisation, Unit, UnitKind

SEARCH_LIMIT = 25
ENDING_WITHIN_DAYS = 60

IN_FORCE, UPCOMING, EXPIRED, ANNULLED = "i_kraft", "kommende", "udloebet", "annulleret"


def agreement_state(agreement: ServiceAgreement, today: dt.date) -> str:
    if agreement.annulled:
        return ANNULLED
    if agreement.start > today:
        return UPCOMING
    if agreement.end is not None and agreement.end < today:
        return EXPIRED
    return IN_FORCE


def filter_state(agreements: QuerySet, state: str, today: dt.date) -> QuerySet:
    if state == IN_FORCE:
        return agreements.in_force(today)
    if state == UPCOMING:
        return agreements.filter(start__gt=today)
    if state == EXPIRED:
        return agreements.filter(end__lt=today)
    if state == ANNULLED:
        return ServiceAgreement.all_objects.filter(
            pk__in=agreements.values("pk"), annulled_at__isnull=False
        ).order_by(*agreements.query.order_by)
    return agreements


def needs_description(agreement: ServiceAgreement) -> bool:
    """A home-care driftsoverenskomst counts only once the provider has described it."""
    return agreement.type == AgreementType.OPERATING_AGREEMENT and agreement.unit.is_home_care


def search_units(query: str, units: QuerySet[Unit], limit: int = SEARCH_LIMIT) -> list[Unit]:
    """Open care homes and home-care sites matching every word of the query in the name, the
    SOR-ID, the visiting address (street, number, postcode, town) or the owner's name."""
    words = [w for w in re.split(r"[\s,;]+", query.strip()) if w][:8]
    if not words:
        return []
    found = (
        units.open()
        .exclude(kind=UnitKind.HOME_CARE_PROVIDER)
        .select_related("owner", "municipality")
    )
    for word in words:
        condition = Q(sor_id=word) | Q(visiting_address__postcode=word)
        if word.isdigit():
            condition |= Q(sor_id__startswith=word)
        condition |= Q(visiting_address__house_number__iexact=word)
        for variant in word_variants(word):
            condition |= (
                Q(name__icontains=variant)
                | Q(visiting_address__street__icontains=variant)
                | Q(visiting_address__district__icontains=variant)
                | Q(owner__name__icontains=variant)
            )
        found = found.filter(condition)
    return list(found.order_by("name", "pk")[: limit + 1])


def descriptions_for(agreements) -> dict[tuple[int, int], str]:
    """(unit, municipality) → the provider's description, for the agreements that need one."""
    pairs = {(a.unit_id, a.municipality_id) for a in agreements if needs_description(a)}
    if not pairs:
        return {}
    condition = Q()
    for unit_id, code in pairs:
        condition |= Q(unit_id=unit_id, municipality_id=code)
    return {
        (d.unit_id, d.municipality_id): d.text
        for d in AgreementDescription.objects.filter(condition).exclude(text="")
    }


def attention(code: int, today: dt.date | None = None) -> dict:
    """The contract manager's dashboard block: K's agreements ending within 60 days, and K's
    own units with no agreement with K in force."""
    today = today or clock.today()
    ending = (
        ServiceAgreement.objects.filter(
            municipality_id=code, end__gte=today, end__lte=today + dt.timedelta(ENDING_WITHIN_DAYS)
        )
        .select_related("unit")
        .order_by("end", "unit__name")
    )
    in_force = ServiceAgreement.objects.in_force(today).filter(
        municipality_id=code, unit_id=OuterRef("pk")
    )
    without = (
        Unit.objects.open()
        .filter(owner__kind=Organisation.Kind.MUNICIPALITY, owner__municipality_id=code)
        .exclude(kind=UnitKind.HOME_CARE_PROVIDER)
        .exclude(Exists(in_force))
        .order_by("name")
    )
    return {
        "ending": list(ending[:50]),
        "without_agreement": list(without[:50]),
        "without_agreement_count": without.count(),
        "ending_within_days": ENDING_WITHIN_DAYS,
    }

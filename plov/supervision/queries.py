"""The supervision back office's queries, without HTTP: the units a scope supervises, a unit's
authority today, the list's name/SOR-ID search, the list's overview annotations and a
sanction's state. Used by plov.supervision.views."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from plov.accounts.scope import Scope
from plov.supervision.authorities import authority_by_municipality
from plov.supervision.models import Sanction, SupervisingAuthority, SupervisionFeedback
from plov.units.formatting import word_variants
from plov.units.models import Unit, UnitKind


def supervised_units(scope: Scope) -> QuerySet[Unit]:
    """Care homes and home-care sites (what Ældretilsynet inspects; the automatic home-care
    provider is only their grouping), as in the authoritative list."""
    units = Unit.objects.filter(kind__in=[UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE])
    if scope.is_agency:
        return units
    return units.filter(municipality_id__in=scope.supervised_municipalities)


def unit_authority(unit: Unit, today: dt.date | None = None) -> SupervisingAuthority | None:
    """The authority whose coverage in force today holds the unit's beliggenhedskommune."""
    if unit.municipality_id is None:
        return None
    name = authority_by_municipality(today).get(unit.municipality_id)
    if not name:
        return None
    return SupervisingAuthority.objects.filter(name=name).first()


def search(units: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    """Units whose name contains every word of the query, or whose SOR-ID it is."""
    words = [w for w in re.split(r"[\s,;]+", query.strip()) if w][:8]
    for word in words:
        condition = Q(sor_id=word)
        if word.isdigit():
            condition |= Q(sor_id__startswith=word)
        for variant in word_variants(word):
            condition |= Q(name__icontains=variant)
        units = units.filter(condition)
    return units


def with_overview(units: QuerySet[Unit], today: dt.date) -> QuerySet[Unit]:
    """Annotate the latest feedback's status and date and the number of sanctions in force."""
    latest = SupervisionFeedback.objects.filter(unit=OuterRef("pk")).order_by(
        "-inspected_on", "-id"
    )
    in_force = (
        Sanction.objects.in_force(today)
        .filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return units.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_inspected_on=Subquery(latest.values("inspected_on")[:1]),
        sanctions_in_force=Coalesce(Subquery(in_force[:1]), 0),
    )


def sanction_state(sanction: Sanction, today: dt.date) -> str:
    if sanction.lifted_on is not None and sanction.lifted_on <= today:
        return "Ophævet"
    if sanction.decided_on > today:
        return "Kommende"
    if sanction.period_end is not None and sanction.period_end < today:
        return "Udløbet"
    return "Gælder nu"

"""The public search's filters: what narrows the units (`filtered`: housing type, properties,
professions, fixed teams, supervision status, sanctions, owner type), the owner type a result
shows, and the choices the search form offers (`filter_options`). Plain functions, no HTTP."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.public import search_costs
from plov.public.query import OWNER_TYPES, RADII, SearchQuery
from plov.supervision.models import Sanction, SupervisionFeedback, SupervisionStatus
from plov.units.homecare import LANGUAGES
from plov.units.models import (
    HousingType,
    Municipality,
    Organisation,
    Profession,
    Property,
    Unit,
    UnitContent,
)


def owner_type_labels() -> dict[str, str]:
    return {
        "municipal": _("Kommunal"),
        "private": _("Privat"),
        "friplejebolig": _("Friplejebolig"),
        "lokalplejehjem": _("Lokalplejehjem"),
    }


def latest_status_subquery() -> Subquery:
    return Subquery(
        SupervisionFeedback.objects.filter(unit=OuterRef("pk"))
        .order_by("-inspected_on", "-id")
        .values("status")[:1]
    )


def _agreement_type_exists(type_: str, today: dt.date) -> Exists:
    return Exists(ServiceAgreement.objects.in_force(today).filter(unit=OuterRef("pk"), type=type_))


def owner_type(agreement_types: set[str], owner_kind: str) -> str:
    """Municipal / private / friplejebolig / lokalplejehjem: from the agreements in force,
    else from the owner."""
    if AgreementType.FREE_CARE_HOME in agreement_types:
        return "friplejebolig"
    if AgreementType.LOCAL_CARE_HOME in agreement_types:
        return "lokalplejehjem"
    if AgreementType.OWN_PRODUCTION in agreement_types:
        return "municipal"
    if AgreementType.OPERATING_AGREEMENT in agreement_types:
        return "private"
    return "municipal" if owner_kind == Organisation.Kind.MUNICIPALITY else "private"


def _owner_type_q(wanted: list[str]) -> Q:
    """Units whose `owner_type` is one of `wanted`; expects the has_* annotations."""
    free, local = Q(has_free=True), Q(has_local=True)
    own, operating = Q(has_own=True), Q(has_operating=True)
    none = ~free & ~local & ~own & ~operating
    conditions = {
        "friplejebolig": free,
        "lokalplejehjem": ~free & local,
        "municipal": (~free & ~local & own)
        | (none & Q(owner__kind=Organisation.Kind.MUNICIPALITY)),
        "private": (~free & ~local & ~own & operating)
        | (none & Q(owner__kind=Organisation.Kind.COMPANY)),
    }
    combined = Q(pk__in=[])
    for key in wanted:
        combined |= conditions[key]
    return combined


def _filtered(units: QuerySet[Unit], query: SearchQuery, today: dt.date) -> QuerySet[Unit]:
    units = units.filter(kind=query.unit_kind)
    if query.housing_types and query.is_care_homes:
        units = units.filter(content__housing_type__in=query.housing_types)
    through_properties = UnitContent.properties.through
    through_professions = UnitContent.professions.through
    if query.is_care_homes:
        for property_id in query.properties:
            units = units.filter(
                Exists(
                    through_properties.objects.filter(
                        unitcontent__unit=OuterRef("pk"), property_id=property_id
                    )
                )
            )
    for profession_id in query.professions:
        units = units.filter(
            Exists(
                through_professions.objects.filter(
                    unitcontent__unit=OuterRef("pk"), profession_id=profession_id
                )
            )
        )
    if query.fixed_teams:
        units = units.filter(content__fixed_teams=True)
    if query.max_cost is not None and query.is_care_homes:
        units = search_costs.with_max_cost(units, query.max_cost)
    if not query.is_care_homes:
        for code in query.languages:
            units = units.filter(speaks(code))
    if query.supervision:
        units = units.annotate(latest_status=latest_status_subquery()).filter(
            latest_status__in=query.supervision
        )
    if query.sanction:
        in_force = Exists(Sanction.objects.in_force(today).filter(unit=OuterRef("pk")))
        units = units.filter(in_force if query.sanction == "med" else ~in_force)
    if query.owner_types and len(query.owner_types) < len(OWNER_TYPES):
        units = units.annotate(
            has_free=_agreement_type_exists(AgreementType.FREE_CARE_HOME, today),
            has_local=_agreement_type_exists(AgreementType.LOCAL_CARE_HOME, today),
            has_own=_agreement_type_exists(AgreementType.OWN_PRODUCTION, today),
            has_operating=_agreement_type_exists(AgreementType.OPERATING_AGREEMENT, today),
        ).filter(_owner_type_q(query.owner_types))
    return units


def speaks(code: str) -> Q:
    """Units whose staff speak `code` (a code of `homecare.LANGUAGES`): the unit's own list, or
    – when the unit has stated none – its provider's, as the unit page shows it."""
    pattern = rf"(^|,){re.escape(code)}(,|$)"
    own_none = Q(content__isnull=True) | Q(content__languages="")
    return Q(content__languages__regex=pattern) | (
        own_none & Q(parent__content__languages__regex=pattern)
    )


def filter_options() -> dict:
    """Choices for the search form and filters (three small queries)."""
    groups: dict[str, list[Property]] = {}
    for prop in Property.objects.all():
        groups.setdefault(prop.group, []).append(prop)
    return {
        "municipalities": [m.name for m in Municipality.objects.order_by("name")],
        "professions": list(Profession.objects.all()),
        "property_groups": list(groups.items()),
        "housing_types": list(HousingType.choices),
        "supervision": list(SupervisionStatus.choices),
        "owner_types": list(owner_type_labels().items()),
        "radii": RADII,
        "price_limits": search_costs.price_options(),
        "price_limit_values": search_costs.PRICE_LIMITS,
        "languages": [(code, str(label)) for code, label in LANGUAGES],
    }

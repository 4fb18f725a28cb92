"""The change feed (/api/v1/changes): what changed in the open data since a day.

Unit events come from `ChangeEvent` (written by `plov.opendata.changes` where units change);
agreements starting and ending come from the agreements' own dates: an agreement *starts* on
its start date and *ends* the day after its end date (the first day it no longer counts), or
when it was registered, if that was later (an agreement registered after the fact).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from plov.agreements.models import ServiceAgreement
from plov.opendata.exports import published_units
from plov.opendata.models import ChangeEvent

# Within the same instant: the unit's own events first, then its agreements.
ORDER = {
    "unit_created": 0, "unit_changed": 1, "unit_published": 2, "agreement_started": 3,
    "agreement_ended": 4, "unit_hidden": 5, "unit_closed": 6,
}  # fmt: skip


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def change_items(since: dt.date, *, today: dt.date) -> list[dict]:
    """Every change on or after `since` (Danish time), oldest first, in the API's shape."""
    try:
        start = _midnight(since)
    except (OverflowError, ValueError):
        start = dt.datetime.min.replace(tzinfo=dt.UTC)
    items = []
    events = (
        ChangeEvent.objects.filter(at__gte=start)
        .filter(Q(public=True) | Q(kind__in=[ChangeEvent.Kind.PUBLISHED, ChangeEvent.Kind.HIDDEN]))
        .select_related("unit")
    )
    for event in events:
        items.append(
            {
                "id": f"e{event.pk}",
                "at": timezone.localtime(event.at),
                "kind": event.kind,
                "unit_id": event.unit_id,
                "unit_sor_id": event.unit.sor_id,
                "unit_name": event.unit.name,
                "fields": event.fields,
                "agreement": None,
                "_key": (event.pk,),
            }
        )

    day_before = since - dt.timedelta(days=1) if since > dt.date.min else since
    agreements = (
        ServiceAgreement.objects.filter(unit__in=published_units())
        .filter(
            Q(start__gte=since, start__lte=today)
            | Q(end__gte=day_before, end__lt=today)
            | Q(created_at__gte=start)
        )
        .select_related("unit")
    )
    for agreement in agreements:
        registered = timezone.localtime(agreement.created_at)
        happenings = []
        if agreement.start <= today:
            happenings.append(("agreement_started", max(_midnight(agreement.start), registered)))
        if agreement.end is not None and agreement.end < today:
            ended = _midnight(agreement.end + dt.timedelta(days=1))
            happenings.append(("agreement_ended", max(ended, registered)))
        for kind, at in happenings:
            if at < start:
                continue
            items.append(
                {
                    "id": f"a{agreement.pk}-{kind.removeprefix('agreement_')}",
                    "at": timezone.localtime(at),
                    "kind": kind,
                    "unit_id": agreement.unit_id,
                    "unit_sor_id": agreement.unit.sor_id,
                    "unit_name": agreement.unit.name,
                    "fields": [],
                    "agreement": {
                        "id": agreement.pk,
                        "kommune": f"{agreement.municipality_id:03d}",
                        "type": agreement.type,
                        "start": agreement.start,
                        "end": agreement.end,
                    },
                    "_key": (agreement.pk,),
                }
            )
    items.sort(key=lambda i: (i["at"], ORDER[i["kind"]], i["unit_id"], i["_key"]))
    for item in items:
        del item["_key"]
    return items

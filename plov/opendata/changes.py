"""The change feed's writes: one small API the places where units change call.

- `unit_state(ids)` before a change, `record_register_changes(before, …)` after it (the SOR
  import; the DAR import's re-matching of visiting addresses): created, changed (which
  open-data fields), closed.
- `record_content_change(unit_id, old, new, public=…)` after an editor's save (the back
  office), `record_content_fields(unit_id, fields, public=…)` after the editorial import.
- `record_publication(unit_id, published)` when the stored publication flips
  (`plov.publishing.refresh`).

Every write goes through `record`, so another module (e.g. an app's `actions.py`) can call it
the same way. Field names are the open-data dictionary's (`plov.opendata.dictionary`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils import timezone

from plov.opendata.models import ChangeEvent

# Unit model field → the open-data (API) field that shows it.
REGISTER_FIELDS = {
    "name": "name",
    "kind": "kind",
    "owner_id": "owner_name",
    "parent_id": "provider_id",
    "visiting_address": "visiting_address",
    "municipality_id": "municipality",
    "latitude": "latitude",
    "longitude": "longitude",
    "phone": "phone",
    "email": "email",
    "website": "website",
}
# UnitContent fields the public site shows (their names are the editorial import's).
CONTENT_FIELDS = (
    "p_number", "homes", "homes_for_couples", "housing_type", "temporary_homes",
    "temporary_homes_for_couples", "employees", "full_time_employees", "sick_leave_days",
    "leader_changes", "leader_first_name", "leader_last_name", "housing_description", "values",
    "vision", "approaches", "resident_relations", "relatives", "activities", "food",
    "food_link", "surroundings", "civil_society", "fixed_teams",
)  # fmt: skip


def record(
    unit_id: int,
    kind: str,
    *,
    fields: Iterable[str] = (),
    public: bool = True,
    at: dt.datetime | None = None,
) -> ChangeEvent:
    """Record one change of a unit (kind: `ChangeEvent.Kind`)."""
    return ChangeEvent.objects.create(
        unit_id=unit_id, kind=kind, fields=sorted(set(fields)), public=public,
        at=at or timezone.now(),
    )  # fmt: skip


def record_many(events: Iterable[ChangeEvent]) -> None:
    ChangeEvent.objects.bulk_create(list(events), batch_size=1000)


def unit_state(ids: Iterable[int]) -> dict[int, dict]:
    """The open-data register fields of units, to compare after a change."""
    from plov.units.models import Unit

    return {
        row["id"]: row
        for row in Unit.objects.filter(id__in=list(ids)).values(
            "id", "published", "closed_on", *REGISTER_FIELDS
        )
    }


def record_register_changes(
    before: Mapping[int, dict], *, created: Iterable[int] = (), now: dt.datetime | None = None
) -> None:
    """After a register import: `created` units, and for each unit in `before` (its state
    before the import) the fields that changed, or its closing."""

    now = now or timezone.now()
    created = list(created)
    after = unit_state([*before, *created])
    events = [
        ChangeEvent(unit_id=pk, kind=ChangeEvent.Kind.CREATED, public=False, at=now)
        for pk in created  # not shown yet: the feed says so when it is published
    ]
    for pk, old in before.items():
        new = after.get(pk)
        if new is None:
            continue
        if new["closed_on"] and not old["closed_on"]:
            events.append(
                ChangeEvent(unit_id=pk, kind=ChangeEvent.Kind.CLOSED, public=old["published"],
                            at=now)
            )  # fmt: skip
            continue
        changed = [api for field, api in REGISTER_FIELDS.items() if old[field] != new[field]]
        if changed:
            events.append(
                ChangeEvent(unit_id=pk, kind=ChangeEvent.Kind.CHANGED, fields=sorted(changed),
                            public=old["published"], at=now)
            )  # fmt: skip
    record_many(events)


def record_content_change(unit_id: int, old: Mapping | None, new: Mapping, *, public: bool) -> None:
    """After an editor's save: the public content fields whose value changed. `old` and `new`
    are field → value (a revision's content; `old` None for the first save)."""
    old = old or {}
    record_content_fields(unit_id, [f for f in new if old.get(f) != new.get(f)], public=public)


def record_content_fields(unit_id: int, fields: Iterable[str], *, public: bool) -> None:
    """Content fields of a unit changed (e.g. a form's `changed_data`): the public ones are
    recorded."""
    changed = [f for f in CONTENT_FIELDS if f in set(fields)]
    if changed:
        record(unit_id, ChangeEvent.Kind.CHANGED, fields=changed, public=public)


def record_publication(unit_id: int, published: bool, at: dt.datetime | None = None) -> None:
    """The unit's stored publication flipped (shown to citizens, or no longer)."""
    record(unit_id, ChangeEvent.Kind.PUBLISHED if published else ChangeEvent.Kind.HIDDEN, at=at)


def record_publications(flips: Iterable[tuple[int, bool]], at: dt.datetime | None = None) -> None:
    """Several units' publication flipped: (unit id, published now) each."""
    at = at or timezone.now()
    kinds = {True: ChangeEvent.Kind.PUBLISHED, False: ChangeEvent.Kind.HIDDEN}
    record_many(ChangeEvent(unit_id=pk, kind=kinds[p], at=at) for pk, p in flips)

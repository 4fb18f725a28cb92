"""Which supervising authority covers a unit: the one covering its beliggenhedskommune.

The coverage table (`AuthorityCoverage`) is the only source: a unit's authority is derived from
it whenever it is read, so changing the table moves the units at once. Every change that moves a
municipality (the agency's edits in the back office, `plov import authorities`) is written to
the audit log as one `plov.authority_moved` entry per municipality and date."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from django.db import transaction
from django.db.models import F

from plov import clock
from plov.registers.readers import MalformedFile, read_csv
from plov.registers.summary import ImportSummary
from plov.supervision.models import AuthorityCoverage, SupervisingAuthority
from plov.units.models import Municipality

COLUMNS = {"municipality": "kommunekode", "authority": "tilsyn", "valid_from": "gyldig_fra"}


def authority_by_municipality(on: dt.date | None = None) -> dict[int, str]:
    """{kommunekode: authority name} for the coverage in force on a day (today by default)."""
    on = on or clock.today()
    result: dict[int, str] = {}
    for code, name in (
        AuthorityCoverage.objects.in_force(on)
        .order_by("municipality_id", F("valid_from").asc(nulls_first=True))
        .values_list("municipality_id", "authority__name")
    ):
        result[code] = name  # the latest valid_from wins
    return result


# --- history and moves -----------------------------------------------------------------------

MOVED_ACTION = "plov.authority_moved"
MOVED_LABEL = "Tilsynsmyndighed skiftet"
NO_AUTHORITY = "ingen tilsynsmyndighed"

# One coverage row as the timeline sees it: (valid_from, valid_to, authority name).
Period = tuple[dt.date | None, dt.date | None, str]


def coverage_periods(codes: set[int] | None = None) -> dict[int, list[Period]]:
    """{kommunekode: [(valid_from, valid_to, authority), ...]} for some or all municipalities."""
    rows = AuthorityCoverage.objects.all()
    if codes is not None:
        rows = rows.filter(municipality_id__in=codes)
    result: dict[int, list[Period]] = defaultdict(list)
    for code, start, end, name in rows.values_list(
        "municipality_id", "valid_from", "valid_to", "authority__name"
    ):
        result[code].append((start, end, name))
    return dict(result)


def authority_on(periods: list[Period], day: dt.date) -> str | None:
    """The authority of one municipality on a day: the same rule as `authority_by_municipality`
    (of the rows in force, the one with the latest valid_from wins)."""
    in_force = [
        p for p in periods if (p[0] is None or p[0] <= day) and (p[1] is None or p[1] >= day)
    ]
    if not in_force:
        return None
    return max(in_force, key=lambda p: p[0] or dt.date.min)[2]


@dataclass(frozen=True)
class Move:
    """From `effective` on, the municipality is covered by `new` instead of `old`."""

    municipality: int
    old: str | None
    new: str | None
    effective: dt.date

    def describe(self, name: str) -> str:
        return (
            f"{name} ({self.municipality:03d}): {self.old or NO_AUTHORITY} → "
            f"{self.new or NO_AUTHORITY} fra {self.effective:%d.%m.%Y}"
        )


def coverage_moves(
    before: dict[int, list[Period]],
    after: dict[int, list[Period]],
    *,
    today: dt.date | None = None,
) -> list[Move]:
    """What a change of the table does to the municipalities, from today on: for each
    municipality whose authority differs today or at a later period boundary, one move per
    stretch of days with the same (old, new). Corrections of the past alone move nobody."""
    today = today or clock.today()
    moves = []
    for code in sorted(set(before) | set(after)):
        old_periods, new_periods = before.get(code, []), after.get(code, [])
        days = {today}
        for start, end, _ in old_periods + new_periods:
            if start is not None and start > today:
                days.add(start)
            if end is not None and end >= today:
                days.add(end + dt.timedelta(days=1))
        previous = None
        for day in sorted(days):
            pair = (authority_on(old_periods, day), authority_on(new_periods, day))
            if pair[0] != pair[1] and pair != previous:
                moves.append(Move(code, pair[0], pair[1], day))
            previous = pair
    return moves


def log_moves(moves: list[Move], *, user=None) -> None:
    """One audit entry per move, on the municipality, e.g. "Aarhus (751): Ældretilsynet
    Silkeborg → Ældretilsynet Odense fra 01.07.2026". `user` None: the system (an import)."""
    from wagtail.log_actions import log

    if not moves:
        return
    municipalities = Municipality.objects.in_bulk({m.municipality for m in moves})
    for move in moves:
        municipality = municipalities[move.municipality]
        log(
            instance=municipality,
            action=MOVED_ACTION,
            user=user,
            title=move.describe(municipality.name),
            data={
                "municipality": move.municipality,
                "from": move.old,
                "to": move.new,
                "effective": move.effective.isoformat(),
            },
        )


def moved_municipalities_since(
    since: dt.datetime, *, on: dt.date | None = None
) -> dict[int, str | None]:
    """{kommunekode: authority before} for the municipalities the audit log says moved since a
    moment with effect by `on` (today by default): the first such move's old authority, the one
    the municipality had at `since`."""
    from wagtail.models import ModelLogEntry

    on = on or clock.today()
    result: dict[int, str | None] = {}
    for data in (
        ModelLogEntry.objects.filter(action=MOVED_ACTION, timestamp__gte=since)
        .order_by("timestamp", "pk")
        .values_list("data", flat=True)
    ):
        data = data or {}
        code = data.get("municipality")
        if not isinstance(code, int) or code in result:
            continue
        try:
            effective = dt.date.fromisoformat(data.get("effective") or "")
        except (TypeError, ValueError):
            continue
        if effective <= on:
            result[code] = data.get("from")
    return result


# --- import --------------------------------------------------------------------------------


def import_authorities(path: Path) -> ImportSummary:
    """Replace the coverage table from a CSV (kommunekode, tilsyn, gyldig_fra optional).

    Several rows for one municipality are its history: each row lasts until the day before the
    next row's gyldig_fra (two rows with the same gyldig_fra are an error). Units need no
    rewrite: their authority is derived from the table whenever it is read. The municipalities
    that move are written to the audit log."""
    path = Path(path)
    summary = ImportSummary()
    codes = set(Municipality.objects.values_list("code", flat=True))
    rows = []
    for line, row in read_csv(
        path, [COLUMNS["municipality"], COLUMNS["authority"]], delimiters=";,"
    ):
        raw_code = row[COLUMNS["municipality"]].strip()
        if not raw_code.isdigit() or int(raw_code) not in codes:
            raise MalformedFile(path, line, f"kommunekode {raw_code!r} er ikke en kommune")
        name = row[COLUMNS["authority"]].strip()
        if not name:
            raise MalformedFile(path, line, "tilsyn er tomt")
        raw_from = (row.get(COLUMNS["valid_from"]) or "").strip()
        try:
            valid_from = dt.date.fromisoformat(raw_from) if raw_from else None
        except ValueError:
            raise MalformedFile(
                path, line, f"gyldig_fra {raw_from!r} er ikke en dato (ÅÅÅÅ-MM-DD)"
            ) from None
        rows.append((int(raw_code), name, valid_from, line))
    periods = _chain(path, rows)
    missing = codes - set(periods)
    with transaction.atomic():
        before = coverage_periods()
        AuthorityCoverage.objects.all().delete()
        authorities = {}
        for name in sorted({name for _, name, _, _ in rows}):
            authorities[name], _ = SupervisingAuthority.objects.get_or_create(name=name)
        AuthorityCoverage.objects.bulk_create(
            AuthorityCoverage(
                municipality_id=code, authority=authorities[name], valid_from=start, valid_to=end
            )
            for code, history in sorted(periods.items())
            for start, end, name in history
        )
        SupervisingAuthority.objects.exclude(name__in=authorities).filter(
            coverage__isnull=True
        ).delete()
        moves = coverage_moves(before, coverage_periods())
        log_moves(moves)
    summary.created = len(rows)
    if missing:
        summary.notes.append(
            "kommuner uden tilsynsmyndighed: " + ", ".join(str(c) for c in sorted(missing))
        )
    if moves:
        summary.notes.append(
            "kommuner flyttet til en anden tilsynsmyndighed: "
            + ", ".join(sorted({f"{m.municipality:03d}" for m in moves}))
        )
    return summary


def _chain(path: Path, rows: list[tuple]) -> dict[int, list[Period]]:
    """Each municipality's rows as consecutive periods: a row ends the day before the next."""
    by_code: dict[int, list[tuple]] = defaultdict(list)
    for code, name, start, line in rows:
        by_code[code].append((start, name, line))
    periods: dict[int, list[Period]] = {}
    for code, history in by_code.items():
        history.sort(key=lambda r: r[0] or dt.date.min)
        for (start, _, _), (next_start, _, line) in pairwise(history):
            if start == next_start:
                raise MalformedFile(
                    path, line, f"kommunekode {code} har to rækker med gyldig_fra {start}"
                )
        periods[code] = [
            (start, (following[0] - dt.timedelta(days=1)) if following else None, name)
            for (start, name, _), following in zip(history, [*history[1:], None], strict=True)
        ]
    return periods


def load_default_authorities(path: Path) -> None:
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            if next(csv.reader(handle), None):
                import_authorities(path)


def lock_municipalities(codes: set[int]) -> None:
    """Serialise changes to the coverage of the same municipalities (a no-op on SQLite)."""
    list(Municipality.objects.select_for_update().filter(code__in=codes).values_list("code"))


@contextmanager
def coverage_change(codes: set[int], *, user=None) -> Iterator[None]:
    """A change of the coverage of the municipalities `codes` (the back office's create, edit
    and delete views write the rows, as Wagtail does): one transaction, under a lock of those
    municipalities, and the municipalities the block moves are logged (`log_moves`) before it
    commits. An exception in the block rolls the change back and logs nothing."""
    with transaction.atomic():
        lock_municipalities(codes)
        before = coverage_periods(codes)
        yield
        log_moves(coverage_moves(before, coverage_periods(codes)), user=user)


class HandOverRefused(ValueError):
    """Why a hand-over cannot be made (in Danish, for the agency)."""


@transaction.atomic
def hand_over(
    municipality: Municipality, authority: SupervisingAuthority, effective: dt.date, *, user=None
) -> list[Move]:
    """From `effective` on, `authority` covers the municipality: the period in force that day
    ends the day before (or, starting that very day, changes authority), a new period starts,
    and the move is logged once. One step for the agency instead of editing two rows.

    Refused when the municipality already has a period starting after `effective` (a planned
    change to correct first) or when `authority` already covers it that day."""
    code = municipality.code
    lock_municipalities({code})  # serialise hand-overs of one municipality
    rows = AuthorityCoverage.objects.filter(municipality_id=code).select_related("authority")
    later = rows.filter(valid_from__gt=effective).order_by("valid_from").first()
    if later is not None:
        raise HandOverRefused(
            f"{municipality.name} har allerede en planlagt periode hos {later.authority} fra "
            f"{later.valid_from:%d.%m.%Y}. Ret eller slet den først."
        )
    current = rows.in_force(effective).order_by(F("valid_from").desc(nulls_last=True)).first()
    if current is not None and current.authority_id == authority.pk:
        raise HandOverRefused(
            f"{authority} dækker allerede {municipality.name} den {effective:%d.%m.%Y}."
        )
    before = coverage_periods({code})
    if current is not None and current.valid_from == effective:
        current.authority = authority
        current.save(update_fields=["authority"])
    else:
        until = None
        if current is not None:
            until = current.valid_to
            current.valid_to = effective - dt.timedelta(days=1)
            current.save(update_fields=["valid_to"])
        AuthorityCoverage.objects.create(
            municipality=municipality, authority=authority, valid_from=effective, valid_to=until
        )
    moves = coverage_moves(before, coverage_periods({code}))
    log_moves(moves, user=user)
    return moves

"""What keeps an import from doing harm: the SOR mass-closure guard, and one import of a
register at a time.

SOR's daily file is a full reconciliation: a unit missing from it is closed. A file cut off at
a line boundary, or the wrong day's extract, is well-formed and would close most of the
country. Before anything is written the file is compared with the last successful import: the
share of open units it would close, and its entity counts per type and per owner. Above
PLOV_SOR_MAX_CLOSURE_SHARE the import is refused unless the operator says the closures are
right (`--allow-mass-closure`). The first import (no successful run yet) is never refused.

CVR and DAR imports only create and update (addresses and production units are never deleted
or closed: a retired DAR address comes with its status), so a partial file of theirs closes
nothing and needs no such guard.

Two imports of the same register never run at once: each holds a lock for its register
(a PostgreSQL session advisory lock; with SQLite, which lives on one machine, an flock on a
file next to the database). Both are released by the operating system or the database when
the process dies, so a run killed by SIGKILL leaves no lock behind, only its ImportRun in
"running", which the next import of the register (or `plov import-runs`) marks abandoned.
"""

from __future__ import annotations

import fcntl
import hashlib
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.timezone import localtime


class ImportRefused(Exception):
    """An import that was not run, for a reason the operator must read. Nothing is written."""


class RegisterBusy(ImportRefused):
    """Another import of the same register is running."""


@dataclass
class EntityCounts:
    """Kept with each SOR run (summary["entity_counts"]) as the next run's baseline."""

    total: int
    types: dict[str, int]  # every EntityTypeName in the file, lower case
    owners: dict[str, int]  # open care units per owner key (kommune:751, cvr:…, sor:…)

    def as_dict(self) -> dict:
        return {"total": self.total, "types": self.types, "owners": self.owners}


def _percent(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",").removesuffix(",0") + " %"


def _owner_label(key: str) -> str:
    from plov.units.models import Municipality

    kind, _, value = key.partition(":")
    if kind == "kommune" and value.isdigit():
        municipality = Municipality.objects.filter(code=int(value)).first()
        return str(municipality) if municipality else f"kommune {value}"
    return {"cvr": f"CVR {value}", "sor": f"SOR-ID {value}"}.get(kind, key)


def _drops(before: dict[str, int], after: dict[str, int], limit: int = 3) -> list[tuple]:
    drops = Counter({k: n - after.get(k, 0) for k, n in before.items() if n > after.get(k, 0)})
    return [(k, before[k], after.get(k, 0)) for k, _ in drops.most_common(limit)]


def check_sor_closures(
    path: str, counts: EntityCounts, open_units: set[str], closing: set[str]
) -> None:
    """Raise ImportRefused if the file closes or loses more than the configured share.

    `open_units`: SOR-IDs of the units open now; `closing`: those the file would close."""
    from plov.registers.models import ImportRun

    last = (
        ImportRun.objects.filter(register=ImportRun.Register.SOR, status=ImportRun.Status.SUCCEEDED)
        .order_by("-started_at")
        .first()
    )
    if last is None:
        return  # the first import builds the country
    limit = settings.PLOV_SOR_MAX_CLOSURE_SHARE
    problems: list[str] = []
    share = len(closing) / len(open_units) if open_units else 0.0
    if share > limit:
        problems.append(
            f"filen ville lukke {len(closing)} af {len(open_units)} åbne enheder "
            f"({_percent(share)})"
        )
    baseline = last.summary.get("entity_counts") if isinstance(last.summary, dict) else None
    if baseline and baseline.get("total"):
        lost = 1 - counts.total / baseline["total"]
        if lost > limit:
            problems.append(
                f"filen har {counts.total} SOR-enheder mod {baseline['total']} ved sidste "
                f"gennemførte import ({_percent(lost)} færre)"
            )
    if not problems:
        return
    details = []
    if baseline:
        types = _drops(baseline.get("types", {}), counts.types)
        if types:
            details.append(
                "flest færre enhedstyper: "
                + ", ".join(f"{t} {before} → {after}" for t, before, after in types)
            )
        owners = _drops(baseline.get("owners", {}), counts.owners)
        if owners:
            details.append(
                "flest færre åbne enheder hos: "
                + ", ".join(f"{_owner_label(o)} {b} → {a}" for o, b, a in owners)
            )
    raise ImportRefused(
        f"{path}: importen er afvist, intet er ændret: "
        + "; ".join(problems)
        + f", mere end de {_percent(limit)}, PLOV_SOR_MAX_CLOSURE_SHARE tillader"
        + f" (sammenlignet med importen {localtime(last.started_at):%d.%m.%Y kl. %H:%M})"
        + "".join(f"; {d}" for d in details)
        + ". Er filen afkortet eller fra en forkert dag? Er lukningerne rigtige, så kør "
        "importen igen med --allow-mass-closure."
    )


# --- One import of a register at a time --------------------------------------------------------

REGISTER_NAMES = {
    "sor": "SOR",
    "cvr": "CVR",
    "dar": "DAR",
    "agreements": "serviceleverancer",
    "editorial": "redaktionelt indhold",
    "authorities": "tilsynsmyndigheder",
    "quality": "kvalitetsindikatorer",
}


def _lock_key(register: str) -> int:
    """A stable signed 64-bit key for pg_try_advisory_lock, the same in every process."""
    digest = hashlib.sha256(f"plov.import:{register}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_file(register: str) -> Path:
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:") or ":memory:" in name or not Path(name).parent.is_dir():
        tag = hashlib.sha256(name.encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"plov-{tag}.import-{register}.lock"
    return Path(f"{name}.import-{register}.lock")


@contextmanager
def _try_lock(register: str) -> Iterator[bool]:
    """Yield whether this process got the register's lock (never waits); release it after."""
    if connection.vendor == "postgresql":
        key = _lock_key(register)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            got = bool(cursor.fetchone()[0])
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    with _lock_file(register).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _abandon(register: str) -> int:
    """Mark the register's runs still 'running' as abandoned: call only holding its lock."""
    from plov.registers.models import ImportRun

    runs = list(ImportRun.objects.filter(register=register, status=ImportRun.Status.RUNNING))
    for run in runs:
        run.status = ImportRun.Status.ABANDONED
        run.error = (
            f"afbrudt: kørslen startede {localtime(run.started_at):%d.%m.%Y kl. %H:%M:%S} og "
            "blev aldrig færdig – processen blev stoppet (f.eks. med SIGKILL eller ved en "
            "genstart af maskinen); intet fra den blev skrevet"
        )
        run.save(update_fields=["status", "error"])
    return len(runs)


@contextmanager
def register_lock(register: str, path: str) -> Iterator[None]:
    """Hold the register's import lock for the block, or raise ImportRefused at once if
    another import of the register holds it. Marks runs left 'running' as abandoned."""
    from plov.registers.models import ImportRun

    with _try_lock(register) as got:
        if not got:
            other = (
                ImportRun.objects.filter(register=register, status=ImportRun.Status.RUNNING)
                .order_by("-started_at")
                .first()
            )
            since = (
                f" (startet {localtime(other.started_at):%d.%m.%Y kl. %H:%M:%S}"
                f" fra {other.trigger} med filen {other.source})"
                if other
                else ""
            )
            raise RegisterBusy(
                f"{path}: importen er afvist, intet er ændret: en anden import af "
                f"{REGISTER_NAMES.get(register, register)} kører allerede{since}; to imports af "
                "samme register må ikke køre samtidig – vent, til den er færdig, og prøv igen"
            )
        _abandon(register)
        yield


def mark_abandoned_runs() -> int:
    """Mark every run left 'running' by a process that is gone; return how many. A run whose
    process still holds its register's lock is left alone."""
    from plov.registers.models import ImportRun

    marked = 0
    registers = set(
        ImportRun.objects.filter(status=ImportRun.Status.RUNNING).values_list("register", flat=True)
    )
    for register in sorted(registers):
        with _try_lock(register) as got:
            if got:
                marked += _abandon(register)
    return marked

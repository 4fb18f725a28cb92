"""What keeps a well-formed but wrong file from doing harm: the SOR mass-closure guard.

SOR's daily file is a full reconciliation: a unit missing from it is closed. A file cut off at
a line boundary, or the wrong day's extract, is well-formed and would close most of the
country. Before anything is written the file is compared with the last successful import: the
share of open units it would close, and its entity counts per type and per owner. Above
PLOV_SOR_MAX_CLOSURE_SHARE the import is refused unless the operator says the closures are
right (`--allow-mass-closure`). The first import (no successful run yet) is never refused.

CVR and DAR imports only create and update (addresses and production units are never deleted
or closed: a retired DAR address comes with its status), so a partial file of theirs closes
nothing and needs no such guard.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils.timezone import localtime


class ImportRefused(Exception):
    """An import that was not run, for a reason the operator must read. Nothing is written."""


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

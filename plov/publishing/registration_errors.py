"""Registration errors the agency follows up with the owners (DOMAIN.md §3)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz, process

from plov.publishing.rules import SOR_INVALID_ADDRESS, SOR_NESTED
from plov.registers.addresses import match_key
from plov.units.models import Unit, UnitKind

NAME_SIMILARITY = 90  # rapidfuzz ratio, 0–100, on names without spaces and punctuation


def _normalised_name(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def suspected_duplicates(units: list[Unit]) -> list[tuple[Unit, Unit, str]]:
    """Pairs of open units with the same owner and kind and the same or near-same name, or
    (care homes only: home-care sites may share an address) the same visiting address."""
    groups: dict[tuple, list[Unit]] = defaultdict(list)
    for unit in units:
        groups[(unit.owner_id, unit.kind)].append(unit)
    pairs = []
    for (_, kind), members in groups.items():
        if len(members) < 2:
            continue
        names = [_normalised_name(u.name) for u in members]
        named: set[tuple[int, int]] = set()
        for i, name in enumerate(names):
            # rapidfuzz compares one name with all later ones in C
            for _, _, offset in process.extract(
                name, names[i + 1 :], scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY, limit=None
            ):
                named.add((i, i + 1 + offset))
        pairs.extend((members[i], members[j], "same or near-same name") for i, j in sorted(named))
        if kind != UnitKind.CARE_HOME:
            continue
        by_address: dict[str, list[int]] = defaultdict(list)
        for i, unit in enumerate(members):
            v = unit.visiting_address
            if v.get("street"):
                by_address[
                    match_key(v.get("street"), v.get("house_number"), v.get("postcode"))
                ].append(i)
        for indices in by_address.values():
            pairs.extend(
                (members[i], members[j], "same visiting address")
                for i, j in combinations(indices, 2)
                if (i, j) not in named
            )
    return pairs


def registration_errors() -> list[dict]:
    units = list(
        Unit.objects.open()
        .exclude(kind=UnitKind.HOME_CARE_PROVIDER)
        .only(
            "id",
            "sor_id",
            "name",
            "kind",
            "owner_id",
            "visiting_address",
            "dar_address_id",
            "nested_care_home",
        )
        .order_by("sor_id")
    )
    errors = []
    for unit in units:
        if unit.nested_care_home:
            errors.append(
                {"sor_id": unit.sor_id, "kind": "nested_care_home", "message": SOR_NESTED}
            )
        if unit.dar_address_id is None:
            errors.append(
                {"sor_id": unit.sor_id, "kind": "invalid_address", "message": SOR_INVALID_ADDRESS}
            )
    for a, b, why in suspected_duplicates(units):
        for unit, other in ((a, b), (b, a)):
            errors.append(
                {
                    "sor_id": unit.sor_id,
                    "kind": "duplicate",
                    "duplicate_of": other.sor_id,
                    "message": f"Mulig dubletenhed af {other.name} (SOR-ID {other.sor_id}): "
                    + {
                        "same or near-same name": "samme eller næsten samme navn",
                        "same visiting address": "samme besøgsadresse",
                    }[why],
                }
            )
    return errors

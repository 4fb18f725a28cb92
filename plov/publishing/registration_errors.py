"""Registration errors the agency follows up with the owners (DOMAIN.md §3)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz

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
        for a, b in combinations(members, 2):
            similarity = fuzz.ratio(_normalised_name(a.name), _normalised_name(b.name))
            if similarity >= NAME_SIMILARITY:
                pairs.append((a, b, "same or near-same name"))
                continue
            va, vb = a.visiting_address, b.visiting_address
            key_a = match_key(va.get("street"), va.get("house_number"), va.get("postcode"))
            key_b = match_key(vb.get("street"), vb.get("house_number"), vb.get("postcode"))
            if kind == UnitKind.CARE_HOME and va.get("street") and key_a == key_b:
                pairs.append((a, b, "same visiting address"))
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

"""Which agreements a party may register (DOMAIN.md §5). Used by the bulk import and the back
office alike; messages are Danish because editors read them."""

from __future__ import annotations

import datetime as dt

from plov.agreements.models import AgreementType
from plov.units.models import Municipality, Organisation, Unit, UnitKind


def agreement_problems(
    *,
    party: Municipality,
    unit: Unit,
    agreement_type: str,
    start: dt.date | None,
    end: dt.date | None,
    reference: str,
    by_agency: bool = False,
) -> list[str]:
    """Everything wrong with a proposed agreement; an empty list means it may be saved."""
    problems = []
    if not reference.strip():
        problems.append("Aftaleidentifikation skal udfyldes")
    if start is None:
        problems.append("Startdato skal udfyldes")
    elif end is not None and end < start:
        problems.append("Slutdato må ikke ligge før startdato")
    if unit.kind == UnitKind.HOME_CARE_PROVIDER:
        problems.append(
            "En serviceleverance indgås med en plejeenhed eller et helhedsplejeleverandørsted, "
            "ikke med helhedsplejeleverandøren"
        )
    if agreement_type not in AgreementType.values:
        problems.append(
            f"Ukendt type {agreement_type!r}; vælg en af: "
            + ", ".join(str(t.label) for t in AgreementType)
        )
        return problems
    own_unit = unit.owner.municipality_id == party.code
    private = unit.owner.kind == Organisation.Kind.COMPANY
    if agreement_type == AgreementType.FREE_CARE_HOME:
        if not by_agency:
            problems.append(
                "Kun Sundhedsdatastyrelsen kan oprette serviceleverancer af typen Friplejebolig"
            )
        if unit.kind != UnitKind.CARE_HOME:
            problems.append("Friplejebolig kan kun aftales med en plejeenhed")
    elif agreement_type == AgreementType.OWN_PRODUCTION and not own_unit:
        problems.append("Myndighedsproduktion kan kun aftales med kommunens egne enheder")
    elif agreement_type == AgreementType.OPERATING_AGREEMENT and not private:
        problems.append("Driftsoverenskomst kan kun aftales med en privat leverandørs enhed")
    elif agreement_type == AgreementType.LOCAL_CARE_HOME and (
        not private or unit.kind != UnitKind.CARE_HOME
    ):
        problems.append("Lokalplejehjem kan kun aftales med et privat ejet plejehjem (eget CVR)")
    return problems

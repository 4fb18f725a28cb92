"""Which agreements a party may register (DOMAIN.md §5). Used by the bulk import and the back
office alike; messages are Danish because editors read them."""

from __future__ import annotations

import datetime as dt

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.units.models import (
    HousingType,
    Municipality,
    Organisation,
    Unit,
    UnitContent,
    UnitKind,
)


def agreement_problems(
    *,
    party: Municipality,
    unit: Unit,
    agreement_type: str,
    start: dt.date | None,
    end: dt.date | None,
    reference: str,
    by_agency: bool = False,
    current: ServiceAgreement | None = None,
) -> list[str]:
    """Everything wrong with a proposed agreement; an empty list means it may be saved.

    `current` is the stored agreement being changed (it cannot overlap itself)."""
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
        elif not private:
            problems.append(
                "Friplejebolig kan kun aftales med en privat friplejebolig (en plejeenhed med "
                f"privat ejer); {unit} ejes af {unit.owner}"
            )
    elif agreement_type == AgreementType.OWN_PRODUCTION and not own_unit:
        problems.append("Myndighedsproduktion kan kun aftales med kommunens egne enheder")
    elif agreement_type == AgreementType.OPERATING_AGREEMENT and not private:
        problems.append("Driftsoverenskomst kan kun aftales med en privat leverandørs enhed")
    elif agreement_type == AgreementType.LOCAL_CARE_HOME and (
        not private or unit.kind != UnitKind.CARE_HOME
    ):
        problems.append("Lokalplejehjem kan kun aftales med et privat ejet plejehjem (eget CVR)")
    if start is not None and (end is None or end >= start):
        other = overlapping_agreement(
            party=party,
            unit=unit,
            agreement_type=agreement_type,
            start=start,
            end=end,
            current=current,
        )
        if other is not None:
            problems.append(overlap_message(other))
    return problems


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}" if end else f"fra {start:%d.%m.%Y}, uden slutdato"


def overlapping_agreement(
    *,
    party: Municipality,
    unit: Unit,
    agreement_type: str,
    start: dt.date,
    end: dt.date | None,
    current: ServiceAgreement | None = None,
) -> ServiceAgreement | None:
    """An agreement (not annulled) of the same party, unit and type whose period shares a day
    with start–end (both inclusive; no end: open-ended)."""
    found = ServiceAgreement.objects.filter(
        municipality_id=party.code, unit_id=unit.pk, type=agreement_type
    ).exclude(end__lt=start)
    if end is not None:
        found = found.exclude(start__gt=end)
    if current is not None and current.pk is not None:
        found = found.exclude(pk=current.pk)
    return found.order_by("start", "pk").first()


def overlap_message(other: ServiceAgreement) -> str:
    return (
        f"Perioden overlapper serviceleverancen {other.reference} "
        f"({other.get_type_display()}, {_period(other.start, other.end)}) med samme kommune, "
        "enhed og type. Ret datoerne, eller ret den eksisterende aftale i stedet"
    )


def agreement_warnings(
    *, party: Municipality, unit: Unit, agreement_type: str, housing_type: str = ""
) -> list[str]:
    """What is allowed but unusual enough to ask the user to confirm (the rules above have
    already accepted the agreement). A Lokalplejehjem is the municipality's own local care
    home: one in another municipality, or one whose housing is friplejebolig, is most likely
    the wrong type."""
    warnings = []
    if agreement_type != AgreementType.LOCAL_CARE_HOME:
        return warnings
    if unit.municipality_id is not None and unit.municipality_id != party.code:
        where = str(unit.municipality) if unit.municipality else str(unit.municipality_id)
        warnings.append(
            f"{unit} ligger i {where}, ikke i {party}. Et lokalplejehjem ligger normalt i "
            "aftalepartens egen kommune"
        )
    if housing_type == HousingType.FREE_CARE:
        warnings.append(
            f"{unit} har boligtypen friplejebolig. Er det en friplejebolig, skal aftalen have "
            "typen Friplejebolig (oprettes af Sundhedsdatastyrelsen)"
        )
    return warnings


def housing_type_of(unit: Unit) -> str:
    """The housing type the unit's editors registered ("" if none)."""
    try:
        return unit.content.housing_type or ""
    except UnitContent.DoesNotExist:
        return ""

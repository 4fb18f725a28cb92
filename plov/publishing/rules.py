"""When is a unit shown publicly (DOMAIN.md §5, §6)? Plain functions, no HTTP, no queries.

A unit is published when nothing in the three categories P-nummer, SOR and Serviceleverance
is an error. Warnings (e.g. a secondary industry code) are shown to the editor but allow
publication. Missing texts or images never block publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.registers.pnumber import PNumberCheck
from plov.units.models import Unit, UnitKind

P_NUMBER = "P-nummer"
SOR = "SOR"
AGREEMENT = "Serviceleverance"

NO_AGREEMENT = "Serviceleverance - Der mangler at blive tilknyttet en aftale"
# The messages below are ours: the guides name the categories but not these texts.
MISSING_DESCRIPTION = (
    "Serviceleverance - Der mangler en aftalebeskrivelse til driftsoverenskomsten med {party}"
)
SOR_CLOSED = "Enheden er lukket i SOR"
SOR_INVALID_ADDRESS = (
    "Besøgsadressen er ikke en gyldig adresse i Danmarks Adresseregister (DAR). "
    "Ret besøgsadressen i SOR"
)
SOR_NESTED = (
    "Enheden har enhedstypen plejeenhed og ligger over eller under en anden plejeenhed i SOR. "
    "Kun selve institutionen må have enhedstypen plejeenhed"
)
PROVIDER_WITHOUT_SITES = "Helhedsplejeleverandøren har ingen viste helhedsplejeleverandørsteder"


@dataclass(frozen=True)
class Finding:
    category: str
    message: str
    level: str = "error"  # "error" blocks publication; "warning" does not

    def as_dict(self) -> dict:
        return {"category": self.category, "message": self.message, "level": self.level}


def agreement_counts(
    agreement: ServiceAgreement, unit: Unit, described_parties: set[int], on: dt.date
) -> bool:
    """Does this agreement make the unit visible for its party today?

    A home-care driftsoverenskomst counts only once the provider has written its agreement
    description for that municipality.
    """
    if not agreement.in_force(on):
        return False
    if agreement.type == AgreementType.OPERATING_AGREEMENT and unit.is_home_care:
        return agreement.municipality_id in described_parties
    return True


def sor_findings(unit: Unit) -> list[Finding]:
    findings = []
    if unit.closed_on is not None:
        findings.append(Finding(SOR, SOR_CLOSED))
    if unit.dar_address_id is None:
        findings.append(Finding(SOR, SOR_INVALID_ADDRESS))
    if unit.nested_care_home:
        findings.append(Finding(SOR, SOR_NESTED))
    return findings


def unit_findings(
    unit: Unit,
    *,
    p_number_check: PNumberCheck,
    agreements: Iterable[ServiceAgreement],
    described_parties: set[int],
    party_names: dict[int, str],
    today: dt.date,
) -> list[Finding]:
    """Everything that stands between a care home or home-care site and publication."""
    findings: list[Finding] = []
    if p_number_check.level != "ok":
        findings.append(Finding(P_NUMBER, p_number_check.message, p_number_check.level))
    findings.extend(sor_findings(unit))
    in_force = [a for a in agreements if a.in_force(today)]
    counting = [a for a in in_force if agreement_counts(a, unit, described_parties, today)]
    if not counting:
        undescribed = (
            sorted({a.municipality_id for a in in_force} - described_parties) if in_force else []
        )
        if undescribed:
            findings.extend(
                Finding(AGREEMENT, MISSING_DESCRIPTION.format(party=party_names[code]))
                for code in undescribed
            )
        else:
            findings.append(Finding(AGREEMENT, NO_AGREEMENT))
    return findings


def provider_findings(unit: Unit, site_published: Iterable[bool]) -> list[Finding]:
    """The automatic home-care provider is shown when at least one of its sites is."""
    findings = [f for f in sor_findings(unit) if f.message == SOR_CLOSED]
    if not any(site_published):
        findings.append(Finding(SOR, PROVIDER_WITHOUT_SITES))
    return findings


def is_publishable(findings: Iterable[Finding]) -> bool:
    return not any(f.level == "error" for f in findings)


def kind_label(kind: str) -> str:
    return UnitKind(kind).label

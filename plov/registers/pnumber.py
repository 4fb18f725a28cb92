"""The P-number check (DOMAIN.md §4): does the production unit exist in CVR, with an industry
code that a care home or home-care provider may have? No HTTP, no side effects."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plov.registers.models import CvrProductionUnit

CARE_HOME = "871010"  # Drift af plejehjem
HOME_CARE = "881010"  # Drift af hjemmepleje
HOME_NURSING = "869019"  # Hjemmesygepleje: allowed, with a warning
ALLOWED = {CARE_HOME, HOME_CARE, HOME_NURSING}

MISSING = "Enheden har ikke noget PNummer"
MALFORMED = "PNummeret skal bestå af 10 cifre"
NOT_IN_CVR = "PNummeret findes ikke i CVR"
WRONG_CODE = (
    "PNummeret har den forkerte branchekode. Du kan kun vælge 871010 Drift af plejehjem, "
    "881010 Drift af hjemmepleje eller 869019 Hjemmesygepleje"
)
# The guide says only that the editor is warned this may be a mistake; the wording is ours.
HOME_NURSING_CODE = (
    "PNummeret har branchekoden 869019 Hjemmesygepleje. Vær opmærksom på at dette kan skyldes "
    "en fejl i det valgte PNummer."
)
SECONDARY_CODE = (
    "PNummeret indeholder en sekundær branchekode. Vær opmærksom på at dette kan skyldes en fejl "
    "i det valgte PNummer."
)


@dataclass(frozen=True)
class PNumberCheck:
    ok: bool  # False only for errors: warnings allow publication
    level: str  # "ok" | "warning" | "error"
    message: str

    def as_dict(self) -> dict:
        return {"ok": self.ok, "level": self.level, "message": self.message}


def check_pnumber_against(p_number: str, production_unit: CvrProductionUnit | None) -> PNumberCheck:
    p_number = (p_number or "").strip()
    if not p_number:
        return PNumberCheck(False, "error", MISSING)
    if not re.fullmatch(r"\d{10}", p_number):
        return PNumberCheck(False, "error", MALFORMED)
    if production_unit is None:
        return PNumberCheck(False, "error", NOT_IN_CVR)
    primary = production_unit.primary_industry_code
    if primary in (CARE_HOME, HOME_CARE):
        return PNumberCheck(True, "ok", "")
    if primary == HOME_NURSING:
        return PNumberCheck(True, "warning", HOME_NURSING_CODE)
    if ALLOWED & set(production_unit.secondary_codes):
        return PNumberCheck(True, "warning", SECONDARY_CODE)
    return PNumberCheck(False, "error", WRONG_CODE)


def check_pnumber(p_number: str) -> PNumberCheck:
    """Check a P-number against the imported CVR data."""
    p_number = (p_number or "").strip()
    unit = CvrProductionUnit.objects.filter(p_number=p_number).first() if p_number else None
    return check_pnumber_against(p_number, unit)


# The P-unit belongs to another company than the unit's owner: its CVR data (name, staff) would
# be shown as the unit's. A warning the editor confirms; the import reports it.
OTHER_COMPANY = (
    "PNummeret hører til en anden virksomhed: {name} (CVR {cvr}). Tjek, at det er enhedens egen "
    "produktionsenhed."
)


def other_company_against(
    production_unit: CvrProductionUnit | None, owner_cvr: str | None
) -> str | None:
    """The warning when the production unit's CVR is not the owner's (None: it is, or either
    CVR is unknown, so there is nothing to compare, or the P-number is refused anyway for its
    industry code: that error is the one to fix first)."""
    if production_unit is None or not production_unit.cvr_number or not owner_cvr:
        return None
    if check_pnumber_against(production_unit.p_number, production_unit).level == "error":
        return None
    if production_unit.cvr_number.strip() == owner_cvr.strip():
        return None
    return OTHER_COMPANY.format(
        name=production_unit.name or "ukendt navn", cvr=production_unit.cvr_number
    )


def other_company(p_number: str, owner_cvr: str | None) -> str | None:
    """`other_company_against` for a P-number, looked up in the imported CVR data."""
    p_number = (p_number or "").strip()
    if not p_number or not owner_cvr:
        return None
    unit = CvrProductionUnit.objects.filter(p_number=p_number).first()
    return other_company_against(unit, owner_cvr)

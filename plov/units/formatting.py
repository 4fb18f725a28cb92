"""How plov writes a unit's data as text, in one place (issue 14, §4): addresses, CVR's
employee intervals, slugs, and the small helpers the apps had copied.

Addresses are written the one Danish way, "Solvej 4, 1. tv, 8000 Aarhus C": street and house
number, then floor and door (a numeric floor with a full stop, "st."/"kl." for ground floor and
basement), then postcode and town. Every page, the back office, the agreements and the CSV
files use these functions.
"""

from __future__ import annotations

import re

from django.utils.text import slugify
from django.utils.translation import gettext as _

from plov.units.models import Unit, UnitContent


def _joined(separator: str, *parts: str | None) -> str:
    return separator.join(p for p in (((p or "").strip()) for p in parts) if p)


def floor_door(address: dict | None) -> str:
    """'1. tv', 'st. th', 'kl.' from SOR's/DAR's floor and door."""
    a = address or {}
    floor = (a.get("floor") or "").strip().rstrip(".")
    if floor and floor[-1].isdigit():
        floor += "."
    elif floor.lower() in ("st", "kl"):
        floor = floor.lower() + "."
    return _joined(" ", floor, a.get("door"))


def street_line(address: dict | None) -> str:
    """'Solvej 4, 1. tv': the address without postcode and town."""
    a = address or {}
    return _joined(", ", _joined(" ", a.get("street"), a.get("house_number")), floor_door(a))


def town_line(address: dict | None) -> str:
    """'8000 Aarhus C'."""
    a = address or {}
    return _joined(" ", a.get("postcode"), a.get("district"))


def format_address(address: dict | None) -> str:
    """'Solvej 4, 1. tv, 8000 Aarhus C' from an address's parts (empty for none)."""
    return _joined(", ", street_line(address), town_line(address))


# CVR's employee interval codes: 'ANTAL_20_49'; the top one ends in a very large number.
_INTERVAL = re.compile(r"\D*(\d+)(?:\D+(\d+))?\D*")
OPEN_ENDED = 100_000


def interval_label(code: str | None) -> str | None:
    """CVR's interval code as text: 'ANTAL_20_49' → '20–49', 'ANTAL_1000_999999' → '1000 eller
    flere' (an interval is shown as such, never as a number). None for no code or another."""
    match = _INTERVAL.fullmatch(code or "")
    if not match:
        return None
    low, high = int(match[1]), int(match[2]) if match[2] else None
    if high is None or high >= OPEN_ENDED:
        return _("%(low)s eller flere") % {"low": low}
    return f"{low}–{high}"


_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slug(text: str) -> str:
    """A URL or file-name slug, Danish letters spelled out: 'Kærbo Øst' → 'kaerbo-oest'."""
    return slugify((text or "").translate(_DANISH_LETTERS))


def unit_slug(name: str) -> str:
    """The URL slug of a unit name (at most 80 characters; 'enhed' for a name without letters)."""
    return slug(name)[:80].strip("-") or "enhed"


def word_variants(word: str) -> set[str]:
    """The spellings to try for a search word: SQLite compares only ASCII letters
    case-insensitively, so 'ærø' must also be tried as 'Ærø' and 'ÆRØ'."""
    return {word, word.lower(), word.capitalize(), word.upper()}


def content_of(unit: Unit | None) -> UnitContent | None:
    """The unit's editorial content, or None when it has none (or there is no unit)."""
    if unit is None:
        return None
    try:
        return unit.content
    except UnitContent.DoesNotExist:
        return None

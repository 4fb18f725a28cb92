"""Matching a SOR visiting address to a DAR address, and coordinate conversion."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFC", (text or "").strip().lower())
    text = re.sub(r"[.,]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


# A street name and a house number recur across many addresses (floors, doors, towns), so the
# national DAR import normalises each distinct one once. Pure functions: the caches hold
# nothing that could go stale, and are bounded (about 110,000 street names in Denmark).
@lru_cache(maxsize=1 << 18)
def normalise_street(text: str | None) -> str:
    """'H.C. Andersens  Boulevard' → 'h c andersens boulevard'."""
    return _norm(text)


@lru_cache(maxsize=1 << 14)
def normalise_house_number(text: str | None) -> str:
    """'4 A', '4a', '04A' → '4a' (DAR's husnr is digits then an optional letter)."""
    compact = re.sub(r"\s+", "", (text or "").strip().lower())
    match = re.fullmatch(r"0*(\d+)([a-zæøå]?)", compact)
    return f"{match.group(1)}{match.group(2)}" if match else compact


def normalise_floor(text: str | None) -> str:
    value = _norm(text)
    return {"stuen": "st", "st.": "st", "kælder": "kl", "kl.": "kl"}.get(value, value)


def match_key(street: str | None, house_number: str | None, postcode: str | int | None) -> str:
    street_key = normalise_street(street)
    return f"{street_key}|{normalise_house_number(house_number)}|{str(postcode or '').strip()}"


@lru_cache(maxsize=1)
def _utm32_to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


@lru_cache(maxsize=65536)  # a unit's three addresses usually share their coordinates
def to_wgs84(east: float | None, north: float | None) -> tuple[float, float] | None:
    """SOR coordinates → (longitude, latitude). SOR gives ETRS89/UTM32N; some exports carried
    WGS84 degrees in the same fields, so the range decides."""
    if east is None or north is None:
        return None
    if 400_000 <= east <= 900_000 and 6_000_000 <= north <= 6_500_000:
        lon, lat = _utm32_to_wgs84().transform(east, north)
        return round(lon, 6), round(lat, 6)
    if 7.5 <= east <= 15.5 and 54.4 <= north <= 58.0:
        return east, north
    return None

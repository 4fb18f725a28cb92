"""Reference data every installation has: the 98 municipalities, professions, properties."""

from __future__ import annotations

import csv
from pathlib import Path

OWN_COPY = Path(__file__).resolve().parent / "data" / "municipalities.csv"
# The shared data folder beside the checkout wins when present (it is the maintained copy).
SHARED_COPY = Path(__file__).resolve().parents[3] / "shared" / "data" / "municipalities.csv"

PROFESSIONS = [
    "Social- og sundhedshjælper",
    "Social- og sundhedsassistent",
    "Sygeplejerske",
    "Fysioterapeut",
    "Ergoterapeut",
    "Pædagog",
    "Køkkenpersonale / ernæringsassistent",
    "Diætist",
    "Aktivitetsmedarbejder",
    "Demenskoordinator",
    "Præst / sjælesørger",
]
PROPERTIES = {
    "Boligen": [
        "Eget badeværelse",
        "Eget køkken",
        "Altan eller terrasse",
        "Plads til egne møbler",
        "Mulighed for husdyr",
    ],
    "Fællesarealer": ["Have", "Café", "Træningssal", "Sansehave", "Fælles opholdsstue"],
    "Målgrupper": [
        "Demensenhed",
        "Skærmet enhed",
        "Midlertidige pladser",
        "Aflastningspladser",
        "Hospice-lignende pladser",
    ],
    "Mad": ["Eget køkken på stedet", "Økologisk mad", "Mulighed for at spise med pårørende"],
}


def municipalities_file() -> Path:
    return SHARED_COPY if SHARED_COPY.exists() else OWN_COPY


def load_municipalities(Municipality) -> None:
    """Create or update the 98 municipalities from the CSV. `Municipality` may be a migration's
    historical model from before `official_name` existed (0002): then that column is left out."""
    has_official_name = any(f.name == "official_name" for f in Municipality._meta.get_fields())
    with municipalities_file().open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            defaults = {
                "name": row["navn"].strip(),
                "region_code": int(row["regionskode"]),
                "region_name": row["regionsnavn"].strip(),
            }
            if has_official_name:
                defaults["official_name"] = (row.get("officielt_navn") or "").strip()
            Municipality.objects.update_or_create(code=int(row["kommunekode"]), defaults=defaults)


def load_professions_and_properties(Profession, Property) -> None:
    for name in PROFESSIONS:
        Profession.objects.get_or_create(name=name)
    for group, names in PROPERTIES.items():
        for name in names:
            Property.objects.get_or_create(group=group, name=name)

"""Realistic demo data in the registers' own file formats.

`generate(folder, seed=…, scale=…)` writes the six files the demo imports, in this order, through
the real importers: dar.json, cvr.jsonl, SorEntity_daily.csv, agreements.csv, editorial.json and
the agency's quality.csv (quality indicators and satisfaction, `plov.demo.supervision`).
Everything comes from one `random.Random(seed)` and the reference lists in `data/`, so a seed,
a scale and a day always give the same files.

At scale 1.0 the country has all 98 municipalities as institution owners, about 1,000 care homes
(by the number of towns, more in the four big cities), about 400 home-care sites, about 40
private companies, friplejeboliger and lokalplejehjem, the SOR entities around them that are not
care units, and a small, deliberate set of what goes wrong in real registrations: care homes
nested under care homes, visiting addresses not in DAR, suspected duplicates, closed units, units
still on old unit types, P-numbers with the wrong industry code, missing P-numbers, agreements
that have ended or not started, and home-care agreements without the provider's description.
About 85–90 % of the care homes and home-care sites end up published. DAR holds the streets
around every unit (its neighbours along the street, two more streets in its town, blocks of
flats with floors and doors: about 28,000 addresses at scale 1.0), so that every address the
site shows can be searched for.

Smaller scales keep every kind of case (at least one of each) and at least one care unit per
municipality, so every municipality gets its organisation.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import re
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path

from plov import clock
from plov.agreements.models import AgreementType
from plov.demo.supervision import write_quality_file
from plov.publishing.registration_errors import suspected_duplicates
from plov.registers.addresses import match_key
from plov.registers.writers import (
    SorAddress,
    SorEntity,
    cvr_document,
    dar_address,
    write_json_array,
    write_jsonl,
    write_sor,
)
from plov.units.formatting import slug
from plov.units.models import HousingType, Unit, UnitKind
from plov.units.reference_data import municipalities_file

DATA_DIR = Path(__file__).resolve().parent / "data"
# The streets the site gives as examples (the search form's hint "Fx 8000 eller Solvej 4, 8000",
# the address error's "fx Solvej 4, 8000"): the demo always has them, so that the example works
# (tests/test_demo.py reads the hint off the page and searches it).
EXAMPLE_STREETS = [("Solvej", "8000", range(1, 13))]

# The files, in the order they are imported.
FILES = {
    "dar": "dar.json",
    "cvr": "cvr.jsonl",
    "sor": "SorEntity_daily.csv",
    "agreements": "agreements.csv",
    "editorial": "editorial.json",
    "quality": "quality.csv",
}
AGREEMENT_COLUMNS = [
    "kommunekode",
    "sor_id",
    "aftaleidentifikation",
    "type",
    "start",
    "slut",
    "beskrivelse",
]

# --- Sizes at scale 1.0 -----------------------------------------------------------------------
MUNICIPAL_CARE_HOMES = 900
# Extra weight (in towns) for the four big cities: they have many more care homes.
BIG_CITY_BONUS = {101: 14, 751: 10, 461: 6, 851: 6}
COMPANIES = 40
PRIVATE_SITES = 80
PRIVATE_CARE_HOMES = 40
FREE_CARE_HOMES = 40  # friplejeboliger
LOCAL_CARE_HOMES = 10  # lokalplejehjem, each with its own owner
# Deliberate problems (at least one of each at any scale).
NESTED_CARE_HOMES = 5
INVALID_ADDRESSES = 10
DUPLICATES = 5
CLOSED = 5
OLD_TYPES = 4
FUTURE_UNITS = 2
MISSING_P_NUMBER_SHARE = 0.05
P_NUMBER_NOT_IN_CVR = 4
WRONG_INDUSTRY_CODE = 8
HOME_NURSING_CODE = 4
SECONDARY_CODE_ONLY = 4
MUNICIPAL_WITHOUT_AGREEMENT = 20
PRIVATE_WITHOUT_AGREEMENT = 10
PRIVATE_AGREEMENT_ENDED = 8
PRIVATE_AGREEMENT_FUTURE = 8
UNDESCRIBED_SHARE = 0.2  # home-care driftsoverenskomster without the provider's description

# Sundhedsdatastyrelsen's CVR number (the national agency).
AGENCY_CVR = "33257872"
HOME_CARE_START = dt.date(2025, 7, 1)  # ældreloven: helhedspleje from 1 July 2025

CARE_HOME_CODE = ("871010", "Plejehjem")
HOME_CARE_CODE = ("881010", "Hjemmehjælp")
HOME_NURSING = ("869019", "Hjemmesygepleje")
WRONG_CODES = [
    ("873000", "Institutioner for ældre og personer med handicap"),
    ("889900", "Andre sociale foranstaltninger uden institutionsophold"),
]
OTHER_PRIMARY = ("682040", "Udlejning af erhvervsejendomme")
INTERVALS = [
    (1, 1),
    (2, 4),
    (5, 9),
    (10, 19),
    (20, 49),
    (50, 99),
    (100, 199),
    (200, 499),
    (500, 999),
]

REGION_WORDS = {
    "Nordjysk": 1081,
    "Vendsyssel": 1081,
    "Himmerland": 1081,
    "Limfjord": 1081,
    "Midtjysk": 1082,
    "Vestjysk": 1082,
    "Østjysk": 1082,
    "Fyn": 1083,
    "Sydjysk": 1083,
    "Sønderjysk": 1083,
    "Sjælland": 1085,
    "Lolland": 1085,
    "Midtsjælland": 1085,
    "Københavns": 1084,
    "Nordsjælland": 1084,
    "Bornholm": 1084,
    "Mølleå": 1084,
}
CITY_WORDS = {"Københavns": 101, "Aarhus": 751, "Odense": 461, "Aalborg": 851, "Bornholm": 400}
CARE_HOME_COMPANY_WORDS = ("Plejehjem", "Seniorbo", "Plejebo", "Omsorgscenter", "Ældreliv")
HOME_CARE_COMPANY_WORDS = ("Hjemmepleje", "Hjemmehjælp", "Hjemmeservice", "Hjemme", "Hjælp")

# SOR entities around the care units: so the file looks like SOR. (type name, entity name)
MUNICIPAL_OTHER = [
    ("kommunal tandpleje", "Tandplejen"),
    ("sundhedspleje", "Sundhedsplejen"),
    ("genoptræningsenhed", "Genoptræning og Rehabilitering"),
    ("akutfunktion", "Akutteamet"),
    ("kommunal sygeplejeklinik", "Sygeplejeklinikken"),
]
PRACTICES = [
    ("almen praksis", "Lægerne {place}"),
    ("tandlægepraksis", "Tandlægerne {place}"),
    ("fysioterapipraksis", "Fysioterapi {place}"),
]
DIRECTIONS = ["Nord", "Syd", "Øst", "Vest", "Midt", "Centrum"]

# --- Texts (Danish: they are shown to citizens) -----------------------------------------------
CARE_HOME_TEXTS = {
    "values": [
        "Vi tager udgangspunkt i den enkelte beboers livshistorie, vaner og ønsker.",
        "Tryghed, respekt og nærvær er kernen i vores arbejde.",
        "Hverdagen hos os skal ligne det liv, beboeren kendte hjemmefra.",
        "Vi arbejder rehabiliterende og støtter beboeren i at klare mest muligt selv.",
        "Vi møder beboere og pårørende med åbenhed og ligeværd.",
    ],
    "vision": [
        "Vi vil være et sted, hvor beboerne trives, og hvor medarbejderne er stolte af deres "
        "arbejde.",
        "Vores vision er et plejecenter med liv, fællesskab og plads til forskellighed.",
        "Vi vil skabe et hjem, hvor den sidste tid leves med værdighed.",
    ],
    "approaches": [
        "Vi arbejder med personcentreret omsorg og bruger Marte Meo-metoden.",
        "Alle medarbejdere er uddannet i demensfaglige metoder (VIPS).",
        "Vi bruger velfærdsteknologi, hvor det giver mening for den enkelte beboer.",
        "Sygeplejersker er til stede i dagtimerne og kan tilkaldes om natten.",
    ],
    "resident_relations": [
        "Hver beboer har en fast kontaktperson.",
        "Vi holder beboermøde hver måned, hvor ønsker til hverdagen drøftes.",
        "Vi lægger vægt på, at beboeren selv bestemmer over sin dag.",
    ],
    "relatives": [
        "Pårørende er altid velkomne og kan spise med mod betaling.",
        "Vi har et aktivt pårørenderåd, som mødes fire gange om året.",
        "Ved indflytning holder vi en samtale med beboer og pårørende om vaner og ønsker.",
    ],
    "activities": [
        "Der er aktiviteter hver dag: gymnastik, sang, højtlæsning og gåture.",
        "Vi har vores egen bus og tager på ture i nærområdet.",
        "Frivillige holder café hver onsdag eftermiddag.",
        "Vi fejrer årets højtider med fest og fællesspisning.",
        "En musikterapeut kommer hver uge og spiller for og med beboerne.",
    ],
    "food": [
        "Maden laves fra bunden i vores eget køkken.",
        "Vi serverer tre hovedmåltider og tre mellemmåltider hver dag.",
        "Beboerne er med til at planlægge menuen.",
        "Vi tilbyder kost efter behov, fx energitæt kost og diætkost.",
    ],
    "surroundings": [
        "Plejecentret ligger tæt på {town} centrum med butikker og busforbindelser.",
        "Der er en stor have med sansehave, højbede og hønsegård.",
        "Fra fællesstuerne er der udsigt over marker og skov.",
        "Der er kort afstand til stranden og gode stier rundt om huset.",
    ],
    "civil_society": [
        "Den lokale skole og børnehave kommer jævnligt på besøg.",
        "Ældre Sagens frivillige står for besøgsvenner og en ugentlig café.",
        "Menighedsrådet holder gudstjeneste i fællessalen en gang om måneden.",
    ],
    "housing_description": [
        "Alle boliger har eget badeværelse og tekøkken.",
        "Boligerne er på 60–70 m² inklusive andel af fællesarealer.",
        "De fleste boliger har altan eller terrasse.",
        "Boligerne ligger i leve-bo-miljøer med 8–10 boliger omkring et fælles køkken.",
    ],
}
SITE_TEXTS = {
    "values": [
        "Vi arbejder i faste teams, så borgeren møder de samme medarbejdere.",
        "Vi har fokus på rehabilitering og hverdagsmestring.",
        "Borgerens egne ønsker og mål er udgangspunktet for hjælpen.",
    ],
    "vision": [
        "Vi vil give borgerne en tryg hverdag i eget hjem så længe som muligt.",
        "Helhedsplejen skal være sammenhængende, nærværende og fleksibel.",
    ],
    "approaches": [
        "Helhedsplejen samler personlig pleje, praktisk hjælp og sygepleje hos ét team.",
        "Vi aftaler hjælpen sammen med borgeren og justerer den løbende.",
        "Teamet har sygeplejefaglig støtte hele døgnet.",
    ],
    "relatives": [
        "Pårørende kan altid kontakte borgerens kontaktperson.",
        "Vi inddrager pårørende, når borgeren ønsker det.",
    ],
}
AGREEMENT_DESCRIPTIONS = [
    "{provider} leverer helhedspleje til borgere i {party} efter kommunens kvalitetsstandard. "
    "Aftalen omfatter personlig pleje, praktisk hjælp og sygepleje alle ugens dage.",
    "Vi leverer helhedspleje i dag- og aftentimerne i hele {party}. Nattevagten varetages af "
    "kommunen.",
    "Aftalen med {party} dækker helhedspleje i dagtimerne og om aftenen. Borgeren får en fast "
    "kontaktperson og et fast team.",
]


# --- Small helpers ----------------------------------------------------------------------------
# What private home-care providers sell on top of the visited help (fritvalgs- og
# tilkøbsydelser), with prices as providers state them.
EXTRA_SERVICES = [
    "Ekstra rengøring: 375 kr. pr. time",
    "Hovedrengøring: 1.450 kr.",
    "Indkøb: 95 kr. pr. gang",
    "Vinduespudsning: 295 kr. pr. gang",
    "Ledsagelse til læge eller frisør: 395 kr. pr. time",
    "Tøjvask og strygning: 165 kr. pr. maskine",
    "Gåtur eller samvær: 350 kr. pr. time",
]


def _name_twin(name: str, kind: str) -> Unit:
    """An unsaved unit that carries only a name, for asking the duplicate check about names."""
    return Unit(name=name, kind=kind, owner_id=0, visiting_address={})


def _near_same(a: Unit, b: Unit) -> bool:
    """Would the agency's duplicate check report two units of one owner by their names?"""
    return bool(suspected_duplicates([a, b]))


def _cvr_is_valid(number: str) -> bool:
    """The CVR number's modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    total = sum(int(d) * w for d, w in zip(number, weights, strict=True))
    return len(number) == 8 and total % 11 == 0


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)


def _interval(employees: int) -> str:
    low, high = next(((lo, hi) for lo, hi in INTERVALS if employees <= hi), INTERVALS[-1])
    return f"ANTAL_{low}_{high}"


def _scaled(base: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(base * scale))


@dataclass(frozen=True)
class Town:
    municipality: int
    postcode: str
    name: str
    lat: float
    lon: float


@dataclass
class Place:
    """A municipality, as the generator sees it."""

    code: int
    name: str
    region: int
    towns: list[Town]
    weight: float = 0.0
    cvr: str = ""
    sor_id: str = ""
    domain: str = ""
    neighbours: list[int] = field(default_factory=list)

    official_name: str = ""  # "Københavns Kommune"

    @property
    def owner_name(self) -> str:
        return self.official_name or f"{self.name} Kommune"

    @property
    def centre(self) -> tuple[float, float]:
        return (
            sum(t.lat for t in self.towns) / len(self.towns),
            sum(t.lon for t in self.towns) / len(self.towns),
        )


@dataclass
class Owner:
    """An institution owner (IE) in SOR: a municipality or a company."""

    name: str
    cvr: str
    sor_id: str
    municipal: bool
    domain: str
    municipality: int | None = None
    profile: str = ""  # companies: "home_care", "care_homes", "free_care", "local"
    places: list[int] = field(default_factory=list)  # municipalities a company works in
    names: dict[str, list[Unit]] = field(default_factory=dict)  # per kind, for the duplicate guard
    short: str = ""  # a company's name without ApS / A/S, for its sites' names
    top: SorEntity | None = None  # its IE row

    def entity(self, sor_id: str, name: str, **kwargs) -> SorEntity:
        return SorEntity(
            sor_id=sor_id,
            name=name,
            owner_sor_id=self.sor_id,
            owner_name=self.name,
            owner_cvr=self.cvr,
            owner_type="kommune" if self.municipal else "privat",
            municipality_code=str(self.municipality) if self.municipal else "",
            **kwargs,
        )


@dataclass
class Agreement:
    municipality: int
    unit: CareUnit
    type: str
    start: dt.date
    end: dt.date | None = None
    described: bool = True  # home-care driftsoverenskomst: has the provider's description
    reference: str = ""


@dataclass
class CareUnit:
    """A care home or home-care site the generator made (one SOR entity)."""

    entity: SorEntity
    kind: str
    owner: Owner
    town: Town
    category: str  # "municipal", "private", "free_care", "local_care"
    address: SorAddress  # the true address, as in DAR
    p_number: str = ""
    problem: str = ""  # at most one deliberate problem per unit
    editorial: bool = True
    homes: int = 0
    employees: int = 0
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def sor_id(self) -> str:
        return self.entity.sor_id

    @property
    def is_care_home(self) -> bool:
        return self.kind == UnitKind.CARE_HOME


@dataclass
class DemoFiles:
    """What `generate` wrote: the paths, in import order, and what it made."""

    folder: Path
    paths: dict[str, Path]
    counts: dict[str, int]


PUNCTUALITY_POLICIES = [
    "Vi kommer inden for {minutes} minutter af det aftalte tidspunkt. Bliver vi mere forsinket, "
    "ringer vi til dig.",
    "Kan vi ikke nå besøget til tiden, ringer den faste kontaktperson og aftaler et nyt "
    "tidspunkt samme dag.",
    "Ved forsinkelser på mere end {minutes} minutter får du en sms. Aflyste besøg bliver altid "
    "erstattet.",
    "Tidsrummet for besøget aftales med dig. Bliver vi forsinket, giver vi besked, og "
    "medicinbesøg har altid forrang.",
]
# How often a site offers each service beyond personal care and practical help.
HOME_CARE_SERVICE_SHARES = {
    "indkoeb": 0.6,
    "madservice": 0.4,
    "sygepleje": 0.5,
    "rehabilitering": 0.6,
    "nat": 0.35,
    "demens": 0.4,
    "livets_afslutning": 0.3,
    "ledsagelse": 0.2,
}


class DemoGenerator:
    def __init__(self, *, seed: int = 1, scale: float = 1.0, today: dt.date | None = None):
        if not 0 < scale <= 5:
            raise ValueError(f"scale {scale} must be above 0 and at most 5")
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.today = today or clock.today()
        self._sor_seq = 100_000
        self._p_numbers: set[str] = set()
        self._cvrs: set[str] = {AGENCY_CVR}
        self._addresses: set[str] = set()  # match keys in DAR
        self._used_names: set[str] = set()
        self.sor: list[SorEntity] = []
        self.units: list[CareUnit] = []
        self.dar: list[dict] = []
        self.cvr: list[dict] = []
        self.counts: Counter[str] = Counter()
        self.owners: list[Owner] = []
        self.editorial: list[dict] = []
        self._load_reference_data()
        from pyproj import Transformer

        self._to_utm = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True).transform

    # --- Reference data -----------------------------------------------------------------------
    def _load_reference_data(self) -> None:
        def lines(name: str) -> list[str]:
            text = (DATA_DIR / name).read_text(encoding="utf-8")
            return [line.strip() for line in text.splitlines() if line.strip()]

        self.streets = lines("street_names.txt")
        self.care_home_names = lines("care_home_names.txt")
        self.company_names = lines("company_names.txt")
        self.people = [tuple(line.split(";", 1)) for line in lines("people_names.txt")]
        towns: dict[int, list[Town]] = {}
        with (DATA_DIR / "towns.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                town = Town(
                    int(row["kommunekode"]),
                    row["postnr"],
                    row["bynavn"],
                    float(row["lat"]),
                    float(row["lon"]),
                )
                towns.setdefault(town.municipality, []).append(town)
        self.places: dict[int, Place] = {}
        with municipalities_file().open(encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                code = int(row["kommunekode"])
                self.places[code] = Place(
                    code,
                    row["navn"].strip(),
                    int(row["regionskode"]),
                    towns[code],
                    official_name=(row.get("officielt_navn") or "").strip(),
                )
        for place in self.places.values():
            place.weight = len(place.towns) + BIG_CITY_BONUS.get(place.code, 0)
            place.domain = f"{slug(place.name)}.dk"
            lat, lon = place.centre
            nearby = sorted(
                (
                    (self._km(lat, lon, *other.centre), other.code)
                    for other in self.places.values()
                    if other.code != place.code and other.region == place.region
                ),
            )
            place.neighbours = [code for km, code in nearby[:4] if km < 60] or [
                code for _, code in nearby[:1]
            ]

    @staticmethod
    def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
        dy = (lat1 - lat2) * 111.2
        dx = (lon1 - lon2) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
        return math.hypot(dx, dy)

    # --- Identifiers --------------------------------------------------------------------------
    def sor_id(self) -> str:
        self._sor_seq += 1
        return f"{self._sor_seq}1000016{self._sor_seq % 10}"

    def cvr_number(self) -> str:
        while True:
            number = f"{self.rng.randint(10_000_000, 99_999_999)}"
            if _cvr_is_valid(number) and number not in self._cvrs:
                self._cvrs.add(number)
                return number

    def p_number(self) -> str:
        while True:
            number = f"10{self.rng.randint(0, 99_999_999):08d}"
            if number not in self._p_numbers:
                self._p_numbers.add(number)
                return number

    def phone(self) -> str:
        return f"{self.rng.randint(33, 99)}{self.rng.randint(0, 999_999):06d}"

    def person(self) -> tuple[str, str]:
        return self.rng.choice(self.people)

    # --- Names --------------------------------------------------------------------------------
    def unique_name(self, owner: Owner, kind: str, candidates: list[str]) -> str:
        """The first candidate not near-same as another unit of the owner's of this kind (which
        the duplicate check would report), and not used elsewhere."""
        taken = owner.names.setdefault(kind, [])
        for candidate in candidates:
            if candidate in self._used_names:
                continue
            twin = _name_twin(candidate, kind)
            if any(_near_same(twin, other) for other in taken):
                continue
            taken.append(twin)
            self._used_names.add(candidate)
            return candidate
        raise RuntimeError(f"no free name for {owner.name} among {len(candidates)} candidates")

    def care_home_name(self, owner: Owner, town: Town, *, free_care: bool = False) -> str:
        names = list(self.care_home_names)
        self.rng.shuffle(names)
        if not free_care:  # "Friplejehjemmet …" is a friplejebolig's name only
            names = [n for n in names if not n.startswith("Friplejehjem")]
        if free_care:
            names.sort(key=lambda n: not n.startswith("Friplejehjemmet"))
        candidates = [n for n in names if n not in self._used_names]
        candidates += [f"{n} i {town.name}" for n in names]
        if free_care:
            candidates = [
                n if n.startswith("Friplejehjemmet") else f"Friplejeboligerne {n.split()[-1]}"
                for n in candidates
            ]
        return self.unique_name(owner, UnitKind.CARE_HOME, candidates)

    def site_name(self, owner: Owner, town: Town, short: str) -> str:
        directions = list(DIRECTIONS)
        self.rng.shuffle(directions)
        streets = self.rng.sample(self.streets, 40)
        if owner.municipal:
            candidates = [f"Helhedspleje {town.name}", f"Hjemmeplejen {town.name}"]
            candidates += [f"Helhedspleje {d}" for d in directions]
            candidates += [f"Helhedspleje {town.name} {d}" for d in directions]
            candidates += [f"Helhedsplejen {s}" for s in streets]
        else:
            candidates = [f"{short} {town.name}", f"{short} – afdeling {town.name}"]
            candidates += [f"{short} {town.name} {d}" for d in directions]
            candidates += [f"{short} {s}" for s in streets]
        return self.unique_name(owner, UnitKind.HOME_CARE_SITE, candidates)

    # --- Addresses ----------------------------------------------------------------------------
    def new_address(self, town: Town) -> tuple[SorAddress, float, float]:
        """A fresh address near the town centre (ETRS89/UTM32N in SOR), with its lon/lat."""
        while True:
            street = self.rng.choice(self.streets)
            number = str(self.rng.randint(1, 160))
            if self.rng.random() < 0.05:
                number += self.rng.choice("ABC")
            key = match_key(street, number, town.postcode)
            if key not in self._addresses:
                break
        lat = round(town.lat + self.rng.gauss(0, 0.003), 6)
        lon = round(town.lon + self.rng.gauss(0, 0.005), 6)
        east, north = self._to_utm(lon, lat)
        address = SorAddress(
            street, number, town.postcode, town.name, east=round(east, 2), north=round(north, 2)
        )
        return address, lon, lat

    def add_dar(self, address: SorAddress, town: Town, lon: float, lat: float) -> None:
        """The address in DAR, plus the neighbouring house so DAR is not only our units."""
        for number, dlon in ((address.house_number, 0.0), (self._next_house(address), 0.0003)):
            key = match_key(address.street, number, address.postcode)
            if key in self._addresses:
                continue
            self._addresses.add(key)
            self.dar.append(
                dar_address(
                    str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                    street=address.street,
                    house_number=number,
                    postcode=address.postcode,
                    postcode_name=address.district,
                    municipality_code=town.municipality,
                    lon=round(lon + dlon, 6),
                    lat=lat,
                )
            )
        if address.floor:
            self.dar.append(
                dar_address(
                    str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                    street=address.street,
                    house_number=address.house_number,
                    postcode=address.postcode,
                    postcode_name=address.district,
                    municipality_code=town.municipality,
                    lon=lon,
                    lat=lat,
                    floor=address.floor,
                    door=address.door or None,
                )
            )

    def neighbourhoods(self) -> None:
        """Real-looking streets around every unit, so that every address the site shows can be
        searched for and has neighbours to suggest: the houses on either side of each unit
        along its street, two or three more streets in its town, and now and then a block of
        flats (floors and doors). Drawn from a random stream of its own, so the rest of the
        demo stays as it was; a visiting address that is deliberately not in DAR stays out."""
        rng = random.Random(f"streets-{self.seed}")
        forbidden = {
            match_key(v.street, v.house_number, v.postcode)
            for v in (u.entity.visiting for u in self.units if u.problem == "invalid_address")
        }
        placed = {(r["vejnavn"], r["husnr"], r["postnr"]): (r["x"], r["y"]) for r in self.dar}
        towns: dict[tuple[str, str], tuple[Town, dict[str, list[int]]]] = {}
        for unit in self.units:
            town, streets = towns.setdefault((unit.town.postcode, unit.town.name), (unit.town, {}))
            digits = re.match(r"\d+", unit.address.house_number)
            if unit.address.postcode == town.postcode and digits:
                streets.setdefault(unit.address.street, []).append(int(digits.group()))
        for key in sorted(towns):
            town, streets = towns[key]
            extra = [s for s in rng.sample(self.streets, 5) if s not in streets][:2]
            for street in [*sorted(streets), *extra]:
                numbers = set() if street in streets else set(range(1, rng.randint(6, 16)))
                for n in streets.get(street, []):
                    numbers |= set(range(max(1, n - 4), n + 5))
                anchor = next(
                    (
                        (placed[(street, str(n), town.postcode)], n)
                        for n in streets.get(street, [])
                        if (street, str(n), town.postcode) in placed
                    ),
                    None,
                )
                if anchor:
                    (lon0, lat0), n0 = anchor
                else:
                    lon0 = town.lon + rng.gauss(0, 0.005)
                    lat0 = town.lat + rng.gauss(0, 0.003)
                    n0 = 0
                heading = rng.uniform(0, math.pi)
                for number in sorted(numbers):
                    house = str(number)
                    key = match_key(street, house, town.postcode)
                    if key in self._addresses or key in forbidden:
                        continue
                    self._addresses.add(key)
                    side = 0.00004 if number % 2 else -0.00004
                    lon = round(lon0 + math.cos(heading) * (number - n0) * 0.00009 + side, 6)
                    lat = round(lat0 + math.sin(heading) * (number - n0) * 0.00005, 6)
                    flats = [(None, None)]
                    if rng.random() < 0.08:
                        floors = ["st", "1", "2", "3", "4"][: rng.randint(2, 5)]
                        flats = [(f, d) for f in floors for d in ("tv", "th")]
                    for floor, door in flats:
                        self.dar.append(
                            dar_address(
                                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                street=street, house_number=house, postcode=town.postcode,
                                postcode_name=town.name, municipality_code=town.municipality,
                                lon=lon, lat=lat, floor=floor, door=door,
                            )
                        )  # fmt: skip

    def example_streets(self) -> None:
        """The example addresses the site shows (`EXAMPLE_STREETS`), in their towns' centres,
        whatever the scale; houses already in DAR are left as they are."""
        rng = random.Random(f"examples-{self.seed}")
        towns = {t.postcode: t for place in self.places.values() for t in place.towns}
        for street, postcode, numbers in EXAMPLE_STREETS:
            town = towns[postcode]
            heading = rng.uniform(0, math.pi)
            for number in numbers:
                key = match_key(street, str(number), postcode)
                if key in self._addresses:
                    continue
                self._addresses.add(key)
                side = 0.00004 if number % 2 else -0.00004
                self.dar.append(
                    dar_address(
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        street=street, house_number=str(number), postcode=postcode,
                        postcode_name=town.name, municipality_code=town.municipality,
                        lon=round(town.lon + math.cos(heading) * number * 0.00009 + side, 6),
                        lat=round(town.lat + math.sin(heading) * number * 0.00005, 6),
                    )
                )  # fmt: skip

    @staticmethod
    def _next_house(address: SorAddress) -> str:
        digits = re.match(r"\d+", address.house_number)
        return str(int(digits.group()) + 2) if digits else address.house_number

    # --- Building blocks ----------------------------------------------------------------------
    def add_unit(
        self,
        owner: Owner,
        kind: str,
        town: Town,
        *,
        category: str,
        parent: SorEntity,
        sor_type: str,
        name: str,
        health_institution: str = "",
        address: SorAddress | None = None,
    ) -> CareUnit:
        if address is None:
            address, lon, lat = self.new_address(town)
            if kind == UnitKind.HOME_CARE_SITE and self.rng.random() < 0.04:
                address.floor, address.door = "1", self.rng.choice(["", "tv", "th"])
            self.add_dar(address, town, lon, lat)
        sor_id = self.sor_id()
        first_from = dt.date(self.rng.randint(1990, 2023), self.rng.randint(1, 12), 1)
        if kind == UnitKind.HOME_CARE_SITE:
            first_from = max(first_from, dt.date(2024, 9, 1))
        first_from = min(first_from, self.today - dt.timedelta(60))
        from_date = first_from + dt.timedelta(
            self.rng.randint(0, (self.today - first_from).days - 30)
        )
        entity = owner.entity(
            sor_id,
            name,
            sor_type=sor_type,
            unit_type="plejeenhed" if kind == UnitKind.CARE_HOME else "helhedsplejeleverandørsted",
            parent_id=parent.sor_id,
            health_institution_id=health_institution or (sor_id if sor_type == "SI" else ""),
            first_from=first_from.isoformat(),
            from_date=from_date.isoformat(),
            visiting=address,
            phone=self.phone(),
            email=f"{slug(name)[:40]}@{owner.domain}",
            website=f"https://www.{owner.domain}/{slug(name)[:40]}",
        )
        self.sor.append(entity)
        big = town.municipality in BIG_CITY_BONUS
        unit = CareUnit(entity, kind, owner, town, category, replace(address))
        if kind == UnitKind.CARE_HOME:
            unit.homes = self.rng.randint(24, 110 if big else 70)
            if category == "free_care":
                unit.homes = self.rng.randint(12, 40)
            unit.employees = max(8, round(unit.homes * self.rng.uniform(0.9, 1.5)))
        else:
            low, high = (25, 170) if owner.municipal else (6, 70)
            unit.employees = self.rng.randint(low, high)
        self.units.append(unit)
        return unit

    def other_entity(
        self,
        owner: Owner,
        name: str,
        unit_type: str,
        parent: str,
        sor_type: str,
        town: Town,
        health_institution: str = "",
    ) -> SorEntity:
        """An entity that is not a care unit (the importer skips it)."""
        address, _, _ = self.new_address(town)
        sor_id = self.sor_id()
        entity = owner.entity(
            sor_id,
            name,
            sor_type=sor_type,
            unit_type=unit_type,
            parent_id=parent,
            health_institution_id=health_institution or (sor_id if sor_type == "SI" else ""),
            first_from="2008-01-01",
            from_date="2024-01-01",
            visiting=address,
            phone=self.phone(),
        )
        self.sor.append(entity)
        return entity

    def owner_entity(self, owner: Owner, unit_type: str, town: Town) -> SorEntity:
        address, _, _ = self.new_address(town)
        entity = owner.entity(
            owner.sor_id,
            owner.name,
            sor_type="IE",
            unit_type=unit_type,
            visiting=address,
            first_from="2007-01-01",
            from_date="2024-01-01",
            phone=self.phone(),
            website=f"https://www.{owner.domain}",
        )
        self.sor.append(entity)
        return entity

    # --- The country --------------------------------------------------------------------------
    def municipalities(self) -> None:
        total_weight = sum(p.weight for p in self.places.values())
        per_weight = MUNICIPAL_CARE_HOMES / total_weight
        for place in sorted(self.places.values(), key=lambda p: p.code):
            place.cvr, place.sor_id = self.cvr_number(), self.sor_id()
            owner = Owner(place.owner_name, place.cvr, place.sor_id, True, place.domain, place.code)
            self.owners.append(owner)
            main = place.towns[0]
            top = self.owner_entity(owner, "kommune", main)
            department = self.rng.choice(
                ["Sundhed og Omsorg", "Ældre og Sundhed", "Sundhed og Pleje"]
            )
            care = self.other_entity(
                owner, department, "kommunal forvaltning", top.sor_id, "SI", main
            )
            for unit_type, name in MUNICIPAL_OTHER:
                if self.rng.random() < 0.7:
                    self.other_entity(owner, name, unit_type, care.sor_id, "OE", main, care.sor_id)

            n_homes = self._round(place.weight * per_weight * self.scale)
            n_sites = min(
                8,
                max(2, round(1 + 0.55 * len(place.towns) + BIG_CITY_BONUS.get(place.code, 0) / 2)),
            )
            n_sites = self._round(n_sites * self.scale)
            if n_homes + n_sites == 0:
                n_homes, n_sites = (1, 0) if self.rng.random() < 0.6 else (0, 1)

            # Care homes: OEs under the care department (perhaps in districts), or SIs directly
            # under the municipality.
            as_institutions = self.rng.random() < 0.3
            districts = [care]
            if n_homes > 12 and not as_institutions:
                districts = [
                    self.other_entity(
                        owner,
                        f"Plejecentre {d}",
                        "organisatorisk enhed",
                        care.sor_id,
                        "OE",
                        main,
                        care.sor_id,
                    )
                    for d in DIRECTIONS[:4]
                ]
            for i in range(n_homes):
                town = (
                    place.towns[i % len(place.towns)]
                    if i < len(place.towns)
                    else self.rng.choice(place.towns)
                )
                name = self.care_home_name(owner, town)
                if as_institutions:
                    self.add_unit(
                        owner,
                        UnitKind.CARE_HOME,
                        town,
                        category="municipal",
                        parent=top,
                        sor_type="SI",
                        name=name,
                    )
                else:
                    self.add_unit(
                        owner,
                        UnitKind.CARE_HOME,
                        town,
                        category="municipal",
                        parent=districts[i % len(districts)],
                        sor_type="OE",
                        name=name,
                        health_institution=care.sor_id,
                    )
            if n_sites:
                self._municipal_sites(owner, place, care, n_sites)

    def _municipal_sites(self, owner: Owner, place: Place, care: SorEntity, n_sites: int) -> None:
        """Sites as OEs at any depth: under the department, under 'Hjemmeplejen', or under
        a district below it."""
        main = place.towns[0]
        style = self.rng.choice(["flat", "group", "districts"])
        group = care
        if style != "flat":
            group = self.other_entity(
                owner,
                self.rng.choice(["Hjemmeplejen", "Helhedsplejen"]),
                "organisatorisk enhed",
                care.sor_id,
                "OE",
                main,
                care.sor_id,
            )
        parents = [group]
        if style == "districts" and n_sites >= 3:
            parents = [
                self.other_entity(
                    owner,
                    f"Distrikt {d}",
                    "organisatorisk enhed",
                    group.sor_id,
                    "OE",
                    main,
                    care.sor_id,
                )
                for d in DIRECTIONS[: 2 + (n_sites > 5)]
            ]
        # Several sites may share one address (DOMAIN.md §3).
        share = n_sites >= 4 and self.rng.random() < 0.3
        first: CareUnit | None = None
        for i in range(n_sites):
            town = first.town if (share and i == 1 and first) else place.towns[i % len(place.towns)]
            unit = self.add_unit(
                owner,
                UnitKind.HOME_CARE_SITE,
                town,
                category="municipal",
                parent=parents[i % len(parents)],
                sor_type="OE",
                name=self.site_name(owner, town, ""),
                health_institution=care.sor_id,
                address=replace(first.address) if (share and i == 1 and first) else None,
            )
            first = first or unit

    def companies(self) -> None:
        names = list(self.company_names)
        self.rng.shuffle(names)
        names = names[: max(3, min(len(names), round(COMPANIES * self.scale)))]
        companies = []
        for i, name in enumerate(names):
            if i == 0:
                profile = "home_care"  # the guaranteed cross-municipality provider
            elif any(w in name for w in CARE_HOME_COMPANY_WORDS):
                profile = "care_homes"
            elif any(w in name for w in HOME_CARE_COMPANY_WORDS):
                profile = "home_care"
            else:
                profile = self.rng.choices(
                    ["home_care", "care_homes", "free_care"], [0.45, 0.3, 0.25]
                )[0]
            companies.append([name, profile])
        for needed, slot in (("care_homes", -1), ("free_care", -2)):
            if all(p != needed for _, p in companies):
                companies[slot][1] = needed

        # The big cities get their private providers first.
        big_cities = [101, 751, 461, 851, 101, 751, 461, 851, 101, 751]
        for name, profile in companies:
            short = re.sub(r"\s+(ApS|A/S|I/S)$", "", name)
            region = next((r for w, r in REGION_WORDS.items() if w in name), None)
            city = next((c for w, c in CITY_WORDS.items() if w in name), None)
            if city is None and region is None and big_cities:
                city = big_cities.pop(0)
            if city is None:
                pool = [p for p in self.places.values() if region in (None, p.region)]
                # Private providers gather where people are: the big cities weigh more.
                city = self.rng.choices(pool, [p.weight**1.5 for p in pool])[0].code
            base = self.places[city]
            spread = self.rng.randint(1, min(3, len(base.neighbours)))
            owner = Owner(
                name,
                self.cvr_number(),
                self.sor_id(),
                False,
                f"{slug(short)}.dk",
                profile=profile,
                places=[city, *self.rng.sample(base.neighbours, spread)],
            )
            self.owners.append(owner)
            owner.short = short
            owner.top = self.owner_entity(owner, "privat virksomhed", base.towns[0])

        companies_by = {
            p: [o for o in self.owners if o.profile == p]
            for p in ("home_care", "care_homes", "free_care")
        }
        plan = [
            (
                UnitKind.HOME_CARE_SITE,
                "private",
                "home_care",
                _scaled(PRIVATE_SITES, self.scale, 2),
            ),
            (UnitKind.CARE_HOME, "private", "care_homes", _scaled(PRIVATE_CARE_HOMES, self.scale)),
            (UnitKind.CARE_HOME, "free_care", "free_care", _scaled(FREE_CARE_HOMES, self.scale)),
        ]
        for kind, category, profile, count in plan:
            owners = companies_by[profile]
            for i in range(count):
                if i < len(owners):
                    owner = owners[i]  # every company gets at least one unit of its profile
                elif i == len(owners) and kind == UnitKind.HOME_CARE_SITE:
                    owner = owners[0]  # ... and the first provider at least two
                elif self.rng.random() < 0.15:
                    owner = self.rng.choice([o for o in self.owners if not o.municipal])
                else:
                    owner = self.rng.choice(owners)
                if owner is owners[0] and i == len(owners):
                    code = owner.places[1]
                elif self.rng.random() < 0.5:
                    code = owner.places[0]  # half of a company's units are in its home town
                else:
                    code = self.rng.choice(owner.places)
                place = self.places[code]
                town = self.rng.choice(place.towns)
                name = (
                    self.site_name(owner, town, owner.short)
                    if kind == UnitKind.HOME_CARE_SITE
                    else self.care_home_name(owner, town, free_care=category == "free_care")
                )
                assert owner.top is not None
                self.add_unit(
                    owner, kind, town, category=category, parent=owner.top, sor_type="SI", name=name
                )

    def local_care_homes(self) -> None:
        """Lokalplejehjem: a private care home with its own CVR, set up locally."""
        places = sorted(self.places.values(), key=lambda p: p.code)
        for place in self.rng.sample(places, _scaled(LOCAL_CARE_HOMES, self.scale)):
            town = self.rng.choice(place.towns)
            base = self.rng.choice([n for n in self.care_home_names if " " not in n])
            owner = Owner(
                f"Den selvejende institution {base} i {town.name}",
                self.cvr_number(),
                self.sor_id(),
                False,
                f"{slug(base)}-{slug(town.name)}.dk",
                profile="local",
                places=[place.code],
            )
            self.owners.append(owner)
            top = self.owner_entity(owner, "selvejende institution", town)
            name = self.unique_name(
                owner,
                UnitKind.CARE_HOME,
                [f"Lokalplejehjemmet {base}", f"Lokalplejehjemmet {base} i {town.name}"],
            )
            self.add_unit(
                owner,
                UnitKind.CARE_HOME,
                town,
                category="local_care",
                parent=top,
                sor_type="SI",
                name=name,
            )

    def practices(self) -> None:
        """Practices and clinics: most of SOR is not care units."""
        for place in sorted(self.places.values(), key=lambda p: p.code):
            for town in place.towns:
                if self.rng.random() > max(0.15, self.scale * 0.8):
                    continue
                unit_type, pattern = self.rng.choice(PRACTICES)
                name = pattern.format(place=f"i {town.name}")
                owner = Owner(
                    f"{name} I/S", self.cvr_number(), self.sor_id(), False, f"{slug(name)}.dk"
                )
                top = self.owner_entity(owner, "privat virksomhed", town)
                self.other_entity(owner, name, unit_type, top.sor_id, "SI", town)

    # --- Deliberate problems ------------------------------------------------------------------
    @staticmethod
    def _duplicable(unit: CareUnit) -> bool:
        return unit.category in ("municipal", "private")

    def _round(self, value: float) -> int:
        """Stochastic rounding: whole numbers stay, fractions round up as often as they weigh."""
        return math.floor(value + self.rng.random())

    def _pick(self, count: int, predicate: Callable[[CareUnit], bool]) -> list[CareUnit]:
        pool = [u for u in self.units if not u.problem and predicate(u)]
        return self.rng.sample(pool, min(count, len(pool)))

    def problems(self) -> None:
        s = self.scale

        def municipal_home(unit: CareUnit) -> bool:
            return unit.category == "municipal" and unit.is_care_home

        # Care homes with a care home below them: both are registration errors.
        for unit in self._pick(_scaled(NESTED_CARE_HOMES, s), municipal_home):
            unit.problem = "nested"
            address, lon, lat = self.new_address(unit.town)
            self.add_dar(address, unit.town, lon, lat)
            name = self.unique_name(
                unit.owner,
                UnitKind.CARE_HOME,
                [
                    f"{unit.entity.name}, {suffix}"
                    for suffix in (
                        "afsnit 2",
                        "demensafsnit",
                        "skærmet afsnit for borgere med demens",
                        "midlertidige pladser og aflastning",
                    )
                ],
            )
            child = self.add_unit(
                unit.owner,
                UnitKind.CARE_HOME,
                unit.town,
                category="municipal",
                parent=unit.entity,
                sor_type="OE",
                name=name,
                address=address,
                health_institution=unit.entity.health_institution_id,
            )
            child.problem, child.editorial = "nested_child", False
            self.counts["nested_care_homes"] += 2

        # Visiting addresses that are not in DAR: a typo in the street, a house number or a
        # postcode that does not exist there.
        for i, unit in enumerate(self._pick(_scaled(INVALID_ADDRESSES, s), lambda u: True)):
            unit.problem = "invalid_address"
            visiting = replace(unit.entity.visiting)
            street = visiting.street
            while (
                match_key(visiting.street, visiting.house_number, visiting.postcode)
                in self._addresses
            ):
                if i % 3 == 0:
                    cut = self.rng.randint(1, len(street) - 2)
                    visiting.street = street[:cut] + street[cut + 1 :]
                elif i % 3 == 1:
                    visiting.house_number = str(self.rng.randint(200, 400))
                else:
                    visiting.postcode = str(int(visiting.postcode) + self.rng.randint(1, 9))
            unit.entity.visiting = visiting
            self.counts["invalid_addresses"] += 1

        # Suspected duplicates: a second SOR unit beside an existing one, near-same name.
        for unit in self._pick(_scaled(DUPLICATES, s), self._duplicable):
            unit.problem = "duplicated"
            original = unit.entity.name
            variants = [
                original.replace(" i ", ", ", 1),
                original.replace("Plejecenter ", "Plejecentret "),
                original.replace("Plejehjemmet ", "Plejehjem "),
                f"{original} 2",
                f"{original} (ny)",
                original.upper(),
            ]
            twin = _name_twin(original, unit.kind)
            name = next(
                v for v in variants if v != original and _near_same(_name_twin(v, unit.kind), twin)
            )
            parent = next(e for e in self.sor if e.sor_id == unit.entity.parent_id)
            copy = self.add_unit(
                unit.owner,
                unit.kind,
                unit.town,
                category=unit.category,
                parent=parent,
                sor_type=unit.entity.sor_type,
                name=name,
                address=replace(unit.address),
                health_institution=unit.entity.health_institution_id
                if unit.entity.sor_type == "OE"
                else "",
            )
            copy.problem, copy.editorial = "duplicate", False
            self.counts["duplicates"] += 2

        # Closed in SOR: ToDate in the past.
        for unit in self._pick(_scaled(CLOSED, s), lambda u: True):
            unit.problem = "closed"
            unit.entity.to_date = (self.today - dt.timedelta(self.rng.randint(20, 400))).isoformat()
            self.counts["closed"] += 1

        # Entities still on the old unit types (listed for the agency, not imported).
        municipal = [o for o in self.owners if o.municipal]
        for i in range(_scaled(OLD_TYPES, s)):
            owner = self.rng.choice(municipal)
            place = self.places[owner.municipality]  # type: ignore[index]
            old_type, name = (
                ("plejehjem", "Plejehjemmet {}")
                if i % 2 == 0
                else ("hjemmeplejeenhed", "Hjemmeplejen {}")
            )
            self.other_entity(
                owner,
                name.format(self.rng.choice(self.streets).removesuffix("vej")),
                old_type,
                owner.sor_id,
                "SI",
                self.rng.choice(place.towns),
            )
            self.counts["old_types"] += 1

        # Units that open later: SOR has them already, plov not yet.
        for _ in range(round(FUTURE_UNITS * s)):
            owner = self.rng.choice(municipal)
            place = self.places[owner.municipality]  # type: ignore[index]
            town = self.rng.choice(place.towns)
            entity = self.other_entity(
                owner, self.care_home_name(owner, town), "plejeenhed", owner.sor_id, "SI", town
            )
            entity.from_date = (self.today + dt.timedelta(self.rng.randint(30, 200))).isoformat()
            self.counts["future_units"] += 1

        # P-numbers: missing, not in CVR, wrong industry code, warnings.
        def eligible(unit: CareUnit) -> bool:
            return unit.editorial

        for unit in self._pick(round(MISSING_P_NUMBER_SHARE * len(self.units)), eligible):
            unit.problem = "no_p_number"
        for problem, count, predicate in (
            ("p_number_not_in_cvr", P_NUMBER_NOT_IN_CVR, eligible),
            ("wrong_code", WRONG_INDUSTRY_CODE, eligible),
            ("home_nursing", HOME_NURSING_CODE, lambda u: u.editorial and not u.is_care_home),
            ("secondary_code", SECONDARY_CODE_ONLY, eligible),
            (
                "municipal_no_agreement",
                MUNICIPAL_WITHOUT_AGREEMENT,
                lambda u: u.editorial and u.category == "municipal",
            ),
            (
                "no_agreement",
                PRIVATE_WITHOUT_AGREEMENT,
                lambda u: u.editorial and u.category == "private",
            ),
            (
                "agreement_ended",
                PRIVATE_AGREEMENT_ENDED,
                lambda u: u.editorial and u.category == "private",
            ),
            (
                "agreement_future",
                PRIVATE_AGREEMENT_FUTURE,
                lambda u: u.editorial and u.category == "private",
            ),
        ):
            for unit in self._pick(_scaled(count, s), predicate):
                unit.problem = problem

    # --- CVR ----------------------------------------------------------------------------------
    def production_units(self) -> None:
        year = self.today.year - 1
        for unit in self.units:
            if not unit.editorial:
                continue  # a nested section or a duplicate: no production unit of its own
            unit.p_number = self.p_number()
            if unit.problem == "p_number_not_in_cvr":
                continue
            primary = CARE_HOME_CODE if unit.is_care_home else HOME_CARE_CODE
            secondary: list[tuple[str, str]] = []
            if unit.problem == "wrong_code":
                primary = self.rng.choice(WRONG_CODES)
            elif unit.problem == "home_nursing":
                primary = HOME_NURSING
            elif unit.problem == "secondary_code":
                primary, secondary = OTHER_PRIMARY, [primary]
            elif not unit.is_care_home and self.rng.random() < 0.2:
                secondary = [HOME_NURSING]
            employees: int | None = unit.employees
            fte = round(unit.employees * self.rng.uniform(0.62, 0.82), 1)
            interval = None
            if self.rng.random() < 0.12:
                interval, employees, fte = _interval(unit.employees), None, None
            a = unit.address
            self.cvr.append(
                cvr_document(
                    unit.p_number,
                    name=unit.entity.name,
                    cvr_number=unit.owner.cvr,
                    primary=primary,
                    secondary=secondary,
                    employees=employees,
                    full_time_employees=fte,
                    employees_interval=interval,
                    year=year,
                    street=a.street,
                    house_number=int(re.match(r"\d+", a.house_number).group()),
                    postcode=int(a.postcode),
                    district=a.district,
                    municipality_code=unit.town.municipality,
                )
            )
        # The P-number the editor typed with two digits swapped.
        for unit in self.units:
            if unit.problem == "p_number_not_in_cvr":
                digits = list(unit.p_number)
                digits[5], digits[8] = digits[8], digits[5]
                unit.p_number = "".join(digits)
                if unit.p_number in self._p_numbers:
                    unit.p_number = unit.p_number[:-1] + str((int(unit.p_number[-1]) + 1) % 10)

    # --- Agreements ---------------------------------------------------------------------------
    def agreements(self) -> None:
        def past_start(earliest: dt.date) -> dt.date:
            latest = self.today - dt.timedelta(30)
            earliest = min(earliest, latest)
            return earliest + dt.timedelta(self.rng.randint(0, (latest - earliest).days))

        for unit in self.units:
            if unit.problem in (
                "closed",
                "nested_child",
                "duplicate",
                "municipal_no_agreement",
                "no_agreement",
            ):
                continue
            home_care = not unit.is_care_home
            earliest = HOME_CARE_START if home_care else dt.date(2012, 1, 1)
            located = unit.town.municipality
            if unit.category == "municipal":
                assert unit.owner.municipality is not None
                unit.agreements.append(
                    Agreement(
                        unit.owner.municipality,
                        unit,
                        AgreementType.OWN_PRODUCTION,
                        past_start(earliest),
                    )
                )
                continue
            if unit.category == "free_care":
                unit.agreements.append(
                    Agreement(located, unit, AgreementType.FREE_CARE_HOME, past_start(earliest))
                )
                continue
            if unit.category == "local_care":
                unit.agreements.append(
                    Agreement(located, unit, AgreementType.LOCAL_CARE_HOME, past_start(earliest))
                )
                continue
            parties = [located]
            neighbours = self.places[located].neighbours
            if neighbours and self.rng.random() < (0.6 if home_care else 0.25):
                parties += self.rng.sample(neighbours, min(len(neighbours), self.rng.randint(1, 2)))
            for party in parties:
                start = past_start(earliest)
                end = None
                if unit.problem == "agreement_ended":
                    end = self.today - dt.timedelta(self.rng.randint(5, 200))
                    start = min(start, end - dt.timedelta(365))
                elif unit.problem == "agreement_future":
                    start = self.today + dt.timedelta(self.rng.randint(7, 120))
                elif party == located and not home_care and self.rng.random() < 0.15:
                    # An earlier agreement that ended, followed by the one in force.
                    old_end = start - dt.timedelta(1)
                    unit.agreements.append(
                        Agreement(
                            party,
                            unit,
                            AgreementType.OPERATING_AGREEMENT,
                            old_end - dt.timedelta(self.rng.randint(400, 1500)),
                            old_end,
                        )
                    )
                unit.agreements.append(
                    Agreement(party, unit, AgreementType.OPERATING_AGREEMENT, start, end)
                )
            if home_care:
                for agreement in unit.agreements:
                    agreement.described = self.rng.random() >= UNDESCRIBED_SHARE

        # At least one provider's site seen by a municipality it does not lie in.
        cross = next(
            (
                u
                for u in self.units
                if u.category == "private" and not u.is_care_home and not u.problem
            ),
            None,
        )
        if cross and not any(a.municipality != cross.town.municipality for a in cross.agreements):
            party = self.places[cross.town.municipality].neighbours[0]
            cross.agreements.append(
                Agreement(
                    party, cross, AgreementType.OPERATING_AGREEMENT, past_start(HOME_CARE_START)
                )
            )
        if cross:
            for agreement in cross.agreements:
                agreement.described = True

        counters: Counter[tuple[int, str]] = Counter()
        prefixes = {
            AgreementType.OWN_PRODUCTION: "MP",
            AgreementType.OPERATING_AGREEMENT: "DO",
            AgreementType.LOCAL_CARE_HOME: "LP",
            AgreementType.FREE_CARE_HOME: "FPB",
        }
        for unit in self.units:
            for agreement in unit.agreements:
                prefix = prefixes[AgreementType(agreement.type)]
                counters[(agreement.municipality, prefix)] += 1
                n = counters[(agreement.municipality, prefix)]
                agreement.reference = f"{prefix}-{agreement.start.year}-{n:04d}"

    # --- Editorial ----------------------------------------------------------------------------
    def editorial_record(self, unit: CareUnit) -> dict | None:
        descriptions = {
            str(a.municipality): self.rng.choice(AGREEMENT_DESCRIPTIONS).format(
                provider=unit.owner.name.split(" ApS")[0].split(" A/S")[0],
                party=self.places[a.municipality].owner_name,
            )
            for a in unit.agreements
            if a.type == AgreementType.OPERATING_AGREEMENT and not unit.is_care_home and a.described
        }
        if not unit.editorial:
            return None
        record: dict = {"sor_id": unit.sor_id}
        if unit.problem != "no_p_number":
            record["p_number"] = unit.p_number
            record["cvr_valid_from"] = dt.date(self.today.year - 1, 1, 1).isoformat()
        elif not descriptions and self.rng.random() < 0.5:
            return None
        if descriptions:
            record["agreement_descriptions"] = descriptions
        level = self.rng.random()
        if level < 0.1:
            return record  # only the P-number so far
        first, last = self.person()
        record |= {"leader_first_name": first, "leader_last_name": last}
        if level < 0.35:
            return record | self.prices_record(unit)
        record["sick_leave_days"] = round(self.rng.uniform(7, 24), 1)
        record["leader_changes"] = self.rng.choices([0, 1, 2, 3], [4, 4, 2, 1])[0]
        if self.rng.random() < 0.3:  # the editor's staff figures override CVR's
            record["employees"] = max(1, unit.employees + self.rng.randint(-6, 9))
            fte = record["employees"] * self.rng.uniform(0.6, 0.8)
            record["full_time_employees"] = round(fte, 1)
        texts = CARE_HOME_TEXTS if unit.is_care_home else SITE_TEXTS
        for name, options in texts.items():
            chosen = self.rng.sample(options, self.rng.randint(1, min(3, len(options))))
            record[name] = _html([t.format(town=unit.town.name) for t in chosen])
        if unit.is_care_home:
            record["homes"] = unit.homes
            record["homes_for_couples"] = self.rng.randint(0, 4)
            if self.rng.random() < 0.3:
                record["temporary_homes"] = self.rng.randint(1, 8)
                record["temporary_homes_for_couples"] = 0
            record["housing_type"] = (
                HousingType.FREE_CARE
                if unit.category == "free_care"
                else self.rng.choices(
                    [
                        HousingType.PUBLIC_HOUSING_ACT,
                        HousingType.ELDER_HOUSING_ACT,
                        HousingType.ELDER_ACT_47,
                    ],
                    [6, 3, 1],
                )[0]
            ).value
            if self.rng.random() < 0.4:
                record["food_link"] = f"https://www.{unit.owner.domain}/mad"
            record["fixed_teams"] = self.rng.random() < 0.3
        else:
            record["fixed_teams"] = self.rng.random() < 0.75
            record |= self.home_care_record(unit, record["fixed_teams"])
        record |= self.prices_record(unit)
        return record

    def prices_record(self, unit: CareUnit) -> dict:
        """Monthly cost and vacancies (care homes) or extra services (home care): most units
        give them, some leave an amount out, some reports are older than the set age. A random
        stream of its own per unit, so the rest of the country does not change with it."""
        rng = random.Random(f"prices-{self.seed}-{unit.sor_id}")
        record: dict = {}
        if not unit.is_care_home:
            if rng.random() < 0.7:
                record["free_services"] = (
                    "Personlig pleje og praktisk hjælp, som kommunen har visiteret dig til."
                )
                record["extra_services"] = "\n".join(
                    rng.sample(EXTRA_SERVICES, rng.randint(1, min(4, len(EXTRA_SERVICES))))
                )
            return record
        draw = rng.random()
        if draw < 0.85:  # prices given
            free_care = unit.category == "free_care"
            record["rent_monthly"] = (
                rng.randrange(9_000, 14_500, 50)
                if free_care
                else (rng.randrange(5_400, 11_000, 50))
            )
            record["service_monthly"] = rng.randrange(350, 950, 25)
            record["meals_monthly"] = rng.randrange(3_500, 4_350, 10)
            record["other_monthly"] = rng.choice([0, 0, 0, 95, 150, 245, 320])
            if draw > 0.75:  # one amount not given: no total
                record.pop(rng.choice(["service_monthly", "meals_monthly", "other_monthly"]))
            year = (
                self.today.year
                if self.today.month > 1 or rng.random() < 0.5
                else (self.today.year - 1)
            )
            record["cost_valid_from"] = dt.date(year, 1, 1).isoformat()
        if rng.random() < 0.8:  # a vacancy report, a few of them outdated
            age = rng.randint(35, 150) if rng.random() < 0.2 else rng.randint(0, 25)
            free = rng.choices([0, 1, 2, 3], [14, 4, 2, 1])[0]
            record["free_homes"] = min(free, unit.homes)
            record["waiting_weeks"] = 0 if free else rng.choice([2, 4, 6, 8, 10, 12, 16, 20, 26])
            record["vacancies_reported_on"] = (self.today - dt.timedelta(days=age)).isoformat()
        return record

    def home_care_record(self, unit: CareUnit, fixed_teams: bool) -> dict:
        """Helpers, time-keeping, languages and services of a home-care site (issue 12, point
        6): most sites state most of them, some none. A random stream of its own per unit, so
        the rest of the demo stays as it was for a seed."""
        rng = random.Random(f"homecare-{self.seed}-{unit.sor_id}")
        if rng.random() < 0.15:
            return {}  # not filled in yet
        record: dict = {}
        if rng.random() < 0.85:
            low, high = (5, 11) if fixed_teams else (9, 24)
            record["helpers_per_fortnight"] = rng.randint(low, high)
        if rng.random() < 0.75:
            record["visit_window_minutes"] = rng.choice([15, 15, 30, 30, 30, 45, 60])
        if rng.random() < 0.7:
            record["punctuality_policy"] = rng.choice(PUNCTUALITY_POLICIES).format(
                minutes=record.get("visit_window_minutes", 30)
            )
        if rng.random() < 0.8:
            languages = {"en"} if rng.random() < 0.8 else set()
            others = ["pl", "ar", "tr", "ro", "uk", "de", "so", "ur", "fa", "hbs", "sv"]
            weights = [6, 4, 3, 3, 3, 2, 2, 1, 1, 1, 1]
            for _ in range(rng.choices([0, 1, 2, 3], [3, 4, 2, 1])[0]):
                languages.add(rng.choices(others, weights)[0])
            if rng.random() < 0.05:
                languages.add("dsl")
            record["languages"] = sorted(languages)
        if rng.random() < 0.85:
            services = ["personlig_pleje", "praktisk_hjaelp"]
            for code, share in HOME_CARE_SERVICE_SHARES.items():
                if rng.random() < share:
                    services.append(code)
            record["services"] = services
        return record

    # --- Output -------------------------------------------------------------------------------
    def build(self) -> None:
        self.municipalities()
        self.companies()
        self.local_care_homes()
        self.practices()
        self.problems()
        self.neighbourhoods()
        self.example_streets()
        self.production_units()
        self.agreements()
        self.editorial = [r for r in (self.editorial_record(u) for u in self.units) if r]
        kinds = Counter(u.kind for u in self.units)
        self.counts |= {
            "care_homes": kinds[UnitKind.CARE_HOME],
            "home_care_sites": kinds[UnitKind.HOME_CARE_SITE],
            "companies": sum(1 for o in self.owners if not o.municipal),
            "free_care_homes": sum(1 for u in self.units if u.category == "free_care"),
            "local_care_homes": sum(1 for u in self.units if u.category == "local_care"),
            "agreements": sum(len(u.agreements) for u in self.units),
            "sor_entities": len(self.sor),
            "dar_addresses": len(self.dar),
            "cvr_production_units": len(self.cvr),
            "editorial_records": len(self.editorial),
        }

    def write(self, folder: Path) -> DemoFiles:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {key: folder / name for key, name in FILES.items()}
        write_json_array(paths["dar"], self.dar)
        write_jsonl(paths["cvr"], self.cvr)
        write_sor(paths["sor"], self.sor)
        with paths["agreements"].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(AGREEMENT_COLUMNS)
            for unit in self.units:
                for a in unit.agreements:
                    writer.writerow(
                        [
                            f"{a.municipality:03d}",
                            unit.sor_id,
                            a.reference,
                            a.type,
                            a.start.isoformat(),
                            a.end.isoformat() if a.end else "",
                            "",
                        ]
                    )
        with paths["editorial"].open("w", encoding="utf-8") as handle:
            json.dump(self.editorial, handle, ensure_ascii=False, indent=1)
        self.counts["quality_results"] = write_quality_file(
            paths["quality"], self.units, rng=self.rng, today=self.today
        )
        return DemoFiles(folder, paths, dict(self.counts))


def generate(
    folder: Path, *, seed: int = 1, scale: float = 1.0, today: dt.date | None = None
) -> DemoFiles:
    """Write the demo's six files into `folder`; return their paths in import order."""
    generator = DemoGenerator(seed=seed, scale=scale, today=today)
    generator.build()
    return generator.write(folder)

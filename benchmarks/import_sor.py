"""Benchmark of the SOR import (`plov.registers.sor.import_sor`) against the floor set by
reading the same file with Python's csv module and by PostgreSQL's COPY of it.

    .venv/bin/python benchmarks/import_sor.py [--entities 100000] [--care-share F]
        [--database-url postgresql://postgres@127.0.0.1:5432] [--repeat 3] [--profile]

It writes a synthetic `SorEntity_daily.csv` with the project's own writer, creates a fresh
PostgreSQL database (`plov_bench_<pid>`), migrates it, and times in one run:

  (a) the full import into the empty database (median of --repeat runs; the unit and
      organisation tables are TRUNCATEd between runs, so every run starts from the same state
      as the first: migrated, reference data loaded, no units, no organisations);
  (b) a re-import of the unchanged file (median of --repeat runs; must be created=0 updated=0);
  (c) a bare csv.reader pass over the file (median of 3);
  (d) a COPY of the file into a plain table of text columns (median of 3).

Every import runs in a child process (this script with `--child`), which reports its peak RSS
(ru_maxrss) and its RSS right after django.setup() as a baseline. The database is dropped at the
end. See benchmarks/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SETTINGS = "plov.settings.test"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"
RESULT_MARK = "@@BENCH@@"
TARGET_A_D = 5.0
TARGET_B_C = 2.0
TARGET_RSS_MB = 300.0

# --- Synthetic SOR ----------------------------------------------------------------------------
CARE_HOME = "plejeenhed"
HOME_CARE_SITE = "helhedsplejeleverandørsted"
LEGACY = ["plejehjem", "hjemmeplejeenhed", "hjemmesygeplejeenhed"]
SI_TYPES = {
    "municipality": [
        "kommunal enhed",
        "sundhedspleje",
        "kommunal tandpleje",
        "træningscenter",
        "sundhedscenter",
        "rusmiddelcenter",
        "myndighedsenhed",
    ],
    "region": ["hospital", "psykiatrisk hospital", "præhospital enhed", "regional enhed"],
    "company": [
        "almen praksis",
        "tandpleje",
        "speciallægepraksis",
        "apotek",
        "fysioterapi",
        "kiropraktik",
        "psykologpraksis",
        "fodterapi",
        "privathospital",
        "laboratorium",
    ],
}
OE_TYPES = {
    "municipality": [
        "sundhedspleje",
        "kommunal enhed",
        "team",
        "distrikt",
        "tandklinik",
        "rehabilitering",
        "sygeplejeklinik",
        "forebyggelse",
    ],
    "region": [
        "hospitalsafdeling",
        "sengeafsnit",
        "ambulatorium",
        "klinik",
        "laboratorium",
        "afsnit",
        "dagafsnit",
        "akutmodtagelse",
        "røntgen",
    ],
    "company": ["klinik", "filial", "afdeling", "team", "apoteksfilial"],
}
CARE_CHILD_TYPES = ["afsnit", "boenhed", "køkken"]
STREETS = [
    "Solvej",
    "Nørregade",
    "Søndergade",
    "Østergade",
    "Vestergade",
    "Kirkevej",
    "Skolevej",
    "Åboulevarden",
    "Lindevej",
    "Birkevej",
    "Egevej",
    "Bøgevej",
    "Parkvej",
    "Stationsvej",
    "Møllevej",
    "Engvej",
    "Havnegade",
    "Torvet",
    "Algade",
    "Jernbanegade",
    "Ryesgade",
    "Klostergade",
    "Strandvejen",
    "Bakkevej",
    "Frederiksgade",
    "Kongensgade",
    "Dronningens Tværgade",
    "H.C. Andersens Boulevard",
    "Æblehaven",
    "Grønnegade",
]
POSTCODES = [
    ("1050", "København K"),
    ("2100", "København Ø"),
    ("2200", "København N"),
    ("2300", "København S"),
    ("2605", "Brøndby"),
    ("2750", "Ballerup"),
    ("3000", "Helsingør"),
    ("4000", "Roskilde"),
    ("4700", "Næstved"),
    ("5000", "Odense C"),
    ("6000", "Kolding"),
    ("6700", "Esbjerg"),
    ("7100", "Vejle"),
    ("7400", "Herning"),
    ("8000", "Aarhus C"),
    ("8660", "Skanderborg"),
    ("8800", "Viborg"),
    ("9000", "Aalborg"),
    ("9800", "Hjørring"),
]
# Care-unit names are built from these, as real ones are ("Plejecenter Solgården"); no running
# numbers, which the duplicate check (rapidfuzz on names) would rightly call near-duplicates.
NAMES = [
    "Solgården",
    "Lindehuset",
    "Kærbo",
    "Åhaven",
    "Egely",
    "Bøgely",
    "Rosenhaven",
    "Skovbrynet",
    "Fjordblink",
    "Engtoften",
    "Møllehøj",
    "Strandgården",
    "Bakkehuset",
    "Humlebo",
    "Kastanjehaven",
    "Kildebakken",
    "Tranehuset",
    "Nørrevang",
    "Sølyst",
    "Ellehøj",
    "Birkebo",
    "Grønnegården",
    "Fuglsang",
    "Hybenhaven",
    "Lærkereden",
    "Toftegården",
    "Pilehuset",
    "Ådalen",
    "Vibehuset",
    "Skovly",
    "Havebo",
    "Enggården",
    "Klintebjerg",
    "Mosegården",
    "Bellahøj",
    "Damhuset",
    "Valmuen",
    "Rønnebo",
    "Hvidkilde",
    "Ørnereden",
]
HOME_PREFIXES = [
    "Plejecenter",
    "Plejehjemmet",
    "Ældrecenter",
    "Omsorgscenter",
    "Bo- og Plejecenter",
    "Friplejehjemmet",
]
AREAS = [
    "Nord",
    "Syd",
    "Øst",
    "Vest",
    "Centrum",
    "Midt",
    "Land",
    "By",
    "Kyst",
    "Øer",
    "Nordvest",
    "Sydøst",
    "Distrikt 1",
    "Distrikt 2",
    "Distrikt 3",
    "Aften",
    "Nat",
]


class SorFileGenerator:
    """A deterministic SOR entity file with the shape of the real one (see --help)."""

    def __init__(self, entities: int, care_share: float | None, seed: int = 20250101) -> None:
        from plov.units.reference_data import municipalities_file

        self.rng = random.Random(seed)
        self.total = entities
        with municipalities_file().open(encoding="utf-8-sig") as handle:
            self.municipalities = [
                (int(r["kommunekode"]), r["navn"].strip()) for r in csv.DictReader(handle)
            ]
        scale = entities / 100_000
        if care_share is None:
            self.care_homes = max(2, round(1000 * scale))
            self.home_care_sites = max(2, round(500 * scale))
        else:
            care = round(entities * care_share)
            self.care_homes = care * 2 // 3
            self.home_care_sites = care - self.care_homes
        self.legacy = max(3, round((self.care_homes + self.home_care_sites) * 0.01))
        self.nested = max(1, round(self.care_homes * 0.003))
        self.companies = max(10, round(2000 * scale))
        self.next_id = 7_141_000_000_000
        self.entities: list = []
        self.today = dt.date.today()
        self.counts: Counter = Counter()

    # -- small helpers --
    def _home_name(self, owner: dict) -> str:
        town = owner["postcode"][1].split()[0]
        return f"{self.rng.choice(HOME_PREFIXES)} {self.rng.choice(NAMES)}" + (
            f" {town}" if self.rng.random() < 0.5 else ""
        )

    def _site_name(self, owner: dict, private: bool) -> str:
        town = owner["postcode"][1].split()[0]
        head = f"{self.rng.choice(NAMES)} Hjemmepleje" if private else "Hjemmeplejen"
        return f"{head} {self.rng.choice(NAMES if private else [town, *NAMES])} " + (
            self.rng.choice(AREAS)
        )

    def _id(self) -> str:
        self.next_id += 17
        return str(self.next_id)

    def _address(self, postcode: tuple[str, str] | None = None):
        from plov.registers.writers import SorAddress

        rng = self.rng
        code, district = postcode or rng.choice(POSTCODES)
        number = str(rng.randint(1, 180)) + (rng.choice("ABCD") if rng.random() < 0.1 else "")
        floor, door = "", ""
        if rng.random() < 0.2:
            floor = rng.choice(["st", "1", "2", "3", "kl"])
            door = rng.choice(["", "tv", "th", "mf", "1"])
        return SorAddress(
            rng.choice(STREETS),
            number,
            code,
            district,
            floor=floor,
            door=door,
            east=round(rng.uniform(445_000, 890_000), 2),
            north=round(rng.uniform(6_050_000, 6_400_000), 2),
        )

    def _dates(self) -> dict:
        rng = self.rng
        first = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 12_000))
        start = first + dt.timedelta(days=rng.randint(0, max(0, (self.today - first).days)))
        to = ""
        roll = rng.random()
        if roll < 0.01:  # a closure not yet in force
            to = (self.today + dt.timedelta(days=rng.randint(10, 300))).isoformat()
        elif roll < 0.015:  # a future unit
            start = self.today + dt.timedelta(days=rng.randint(10, 200))
            first = start
        return {"first_from": first.isoformat(), "from_date": start.isoformat(), "to_date": to}

    def _entity(
        self, owner: dict, *, sor_type: str, unit_type: str, name: str, parent: dict | None
    ) -> dict:
        from plov.registers.writers import SorEntity

        rng = self.rng
        sor_id = owner["sor_id"] if sor_type == "IE" else self._id()
        depth = 1 if parent is None else parent["depth"] + 1
        if sor_type == "SI":
            institution = sor_id
        elif sor_type == "OE":
            institution = parent["institution"]
        else:
            institution = ""
        entity = SorEntity(
            sor_id=sor_id,
            name=name,
            sor_type=sor_type,
            unit_type=unit_type,
            parent_id=parent["sor_id"] if parent else "",
            owner_sor_id=owner["sor_id"],
            owner_name=owner["name"],
            owner_cvr=owner["cvr"],
            owner_type=owner["owner_type"],
            municipality_code=owner["code"],
            health_institution_id=institution,
            visiting=self._address(owner.get("postcode")),
            phone=str(rng.randint(20_000_000, 99_999_999)) if rng.random() < 0.8 else "",
            email=f"post{sor_id[-6:]}@example.dk" if rng.random() < 0.5 else "",
            website="https://www.example.dk/" + sor_id[-6:] if rng.random() < 0.2 else "",
            **self._dates(),
        )
        if rng.random() < 0.3:
            entity.postal = self._address(owner.get("postcode"))
        self.entities.append(entity)
        self.counts[(sor_type, unit_type)] += 1
        return {
            "sor_id": sor_id,
            "depth": depth,
            "institution": institution,
            "care": False,
            "owner": owner,
        }

    def _tree(self, owner: dict, ie: dict, budget: int, si_share: float) -> list[dict]:
        """SIs under the IE, then OEs under a random SI/OE above depth 5: trees 1–5 deep."""
        kind = owner["kind"]
        nodes: list[dict] = []
        n_si = max(1, min(budget, round(budget * si_share)))
        for i in range(n_si):
            unit_type = self.rng.choice(SI_TYPES[kind])
            nodes.append(
                self._entity(
                    owner,
                    sor_type="SI",
                    unit_type=unit_type,
                    name=f"{owner['name']} {unit_type} {i + 1}",
                    parent=ie,
                )
            )
        open_nodes = list(nodes)  # the nodes above depth 5, which can take a child
        for i in range(budget - n_si):
            parent = self.rng.choice(open_nodes)
            unit_type = self.rng.choice(OE_TYPES[kind])
            node = self._entity(
                owner,
                sor_type="OE",
                unit_type=unit_type,
                name=f"{unit_type.capitalize()} {i + 1}",
                parent=parent,
            )
            nodes.append(node)
            if node["depth"] < 5:
                open_nodes.append(node)
        return nodes

    def generate(self) -> list:
        rng = self.rng
        owners = []
        for code, name in self.municipalities:
            owners.append(
                {
                    "kind": "municipality",
                    "sor_id": self._id(),
                    "name": f"{name} Kommune",
                    "cvr": f"{29_000_000 + code * 97:08d}",
                    "owner_type": "kommune",
                    "code": f"{code:03d}",
                    "ie_type": "kommune",
                }
            )
        for i in range(5):
            owners.append(
                {
                    "kind": "region",
                    "sor_id": self._id(),
                    "name": f"Region {i + 1}",
                    "cvr": f"{30_000_000 + i * 11:08d}",
                    "owner_type": "region",
                    "code": "",
                    "ie_type": "region",
                }
            )
        for i in range(self.companies):
            owners.append(
                {
                    "kind": "company",
                    "sor_id": self._id(),
                    "name": f"Sundhedsfirma {i + 1} ApS",
                    "cvr": f"{40_000_000 + i * 7:08d}",
                    "owner_type": "privat",
                    "code": "",
                    "ie_type": "privat virksomhed",
                }
            )
        ies = {}
        for owner in owners:
            owner["postcode"] = rng.choice(POSTCODES)
            ies[owner["sor_id"]] = self._entity(
                owner, sor_type="IE", unit_type=owner["ie_type"], name=owner["name"], parent=None
            )
        care = self.care_homes + self.home_care_sites + self.legacy
        care_children = round(self.care_homes * 0.3)
        rest = self.total - len(owners) - care - care_children
        if rest < len(owners):
            raise SystemExit(f"--entities {self.total} is too small for this mix")
        by_kind = {
            k: [o for o in owners if o["kind"] == k] for k in ("municipality", "region", "company")
        }
        shares = {"municipality": (0.45, 0.12), "region": (0.15, 0.03), "company": (0.40, 0.45)}
        tree_nodes: dict[str, list[dict]] = {k: [] for k in by_kind}
        left = rest
        for kind, (share, si_share) in shares.items():
            group = by_kind[kind]
            budget = left if kind == "company" else round(rest * share)
            left -= budget
            weights = [rng.paretovariate(1.5) for _ in group]
            total_w = sum(weights)
            sizes = [1 + int((budget - len(group)) * w / total_w) for w in weights]
            sizes[weights.index(max(weights))] += budget - sum(sizes)  # the rounding
            for owner, size in zip(group, sizes, strict=True):
                tree_nodes[kind] += self._tree(owner, ies[owner["sor_id"]], size, si_share)
        municipal_parents = [n for n in tree_nodes["municipality"] if n["depth"] <= 4]
        companies = by_kind["company"]

        care_homes: list[dict] = []
        private_homes = round(self.care_homes * 0.35)
        for i in range(self.care_homes):
            if i < private_homes:
                owner = rng.choice(companies)
                node = self._entity(
                    owner,
                    sor_type="SI",
                    unit_type=CARE_HOME,
                    name=self._home_name(owner),
                    parent=ies[owner["sor_id"]],
                )
            elif i % 2:
                owner = rng.choice(by_kind["municipality"])
                node = self._entity(
                    owner,
                    sor_type="SI",
                    unit_type=CARE_HOME,
                    name=self._home_name(owner),
                    parent=ies[owner["sor_id"]],
                )
            else:
                parent = rng.choice(municipal_parents)
                node = self._entity(
                    parent["owner"],
                    sor_type="OE",
                    unit_type=CARE_HOME,
                    name=self._home_name(parent["owner"]),
                    parent=parent,
                )
            node["care"] = True
            care_homes.append(node)
        for i in range(care_children):  # afsnit below a care home (not care units themselves)
            parent = rng.choice(care_homes)
            self._entity(
                parent["owner"],
                sor_type="OE",
                unit_type=rng.choice(CARE_CHILD_TYPES),
                name=f"Afsnit {i}",
                parent=parent,
            )
        municipal_homes = [
            n for n in care_homes if n["owner"]["kind"] == "municipality" and n["depth"] <= 4
        ]
        for i in range(self.nested):  # registration error: a care home under a care home
            parent = rng.choice(municipal_homes)
            self._entity(
                parent["owner"],
                sor_type="OE",
                unit_type=CARE_HOME,
                name=f"Plejeafsnit {i} (fejl)",
                parent=parent,
            )
        private_sites = round(self.home_care_sites * 0.12)
        for i in range(self.home_care_sites - self.nested):
            if i < private_sites:
                owner = rng.choice(companies)
                self._entity(
                    owner,
                    sor_type="SI",
                    unit_type=HOME_CARE_SITE,
                    name=self._site_name(owner, True),
                    parent=ies[owner["sor_id"]],
                )
            else:
                parent = rng.choice(municipal_parents)
                self._entity(
                    parent["owner"],
                    sor_type="OE",
                    unit_type=HOME_CARE_SITE,
                    name=self._site_name(parent["owner"], False),
                    parent=parent,
                )
        for i in range(self.legacy):
            parent = rng.choice(municipal_parents)
            self._entity(
                parent["owner"],
                sor_type="OE",
                unit_type=LEGACY[i % len(LEGACY)],
                name=f"Hjemmeplejen gammel type {i}",
                parent=parent,
            )
        return self.entities

    def describe(self) -> str:
        c = self.counts
        homes = sum(v for (_, t), v in c.items() if t == CARE_HOME)
        sites = sum(v for (_, t), v in c.items() if t == HOME_CARE_SITE)
        legacy = sum(v for (_, t), v in c.items() if t in LEGACY)
        by_level = Counter()
        for (level, _), v in c.items():
            by_level[level] += v
        return (
            f"{len(self.entities):,} entities "
            f"(IE {by_level['IE']:,}, SI {by_level['SI']:,}, OE {by_level['OE']:,}); "
            f"care units {homes + sites:,} = {homes:,} {CARE_HOME} "
            f"(SI {c[('SI', CARE_HOME)]:,}, OE {c[('OE', CARE_HOME)]:,}; {self.nested} nested) "
            f"+ {sites:,} {HOME_CARE_SITE} (SI {c[('SI', HOME_CARE_SITE)]:,}, "
            f"OE {c[('OE', HOME_CARE_SITE)]:,}); {legacy} of an old type "
            f"({homes + sites + legacy:,} rows of a care type, "
            f"{(homes + sites) / len(self.entities):.1%} of the file)"
        )


# --- Database plumbing ------------------------------------------------------------------------
def db_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_connect(server: str):
    import psycopg

    return psycopg.connect(db_url(server, "postgres"), autocommit=True)


def create_database(server: str, name: str) -> str:
    with admin_connect(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return db_url(server, name)


def drop_database(server: str, name: str) -> None:
    with admin_connect(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def truncate_import_tables(url: str) -> None:
    """Back to the state right after migrations: no organisations, no units."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE units_unit, units_organisation RESTART IDENTITY CASCADE")
        conn.execute("ANALYZE")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


# --- Measurements -----------------------------------------------------------------------------
def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def proc_status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process's own memory map, which exec starts afresh."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bare_csv_read(path: Path) -> float:
    start = time.perf_counter()
    fields = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter=";"):
            fields += len(row)
    elapsed = time.perf_counter() - start
    assert fields > 0
    return elapsed


def copy_into_table(url: str, path: Path) -> float:
    import psycopg

    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle, delimiter=";"))
    columns = ", ".join(f'"{c}" text' for c in header)
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_sor_copy")
        conn.execute(f"CREATE TABLE bench_sor_copy ({columns})")
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur, path.open("rb") as raw:
            with cur.copy(
                "COPY bench_sor_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy:
                while data := raw.read(1 << 20):
                    copy.write(data)
            conn.commit()
        elapsed = time.perf_counter() - start
        rows = conn.execute("SELECT count(*) FROM bench_sor_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_sor_copy")
        conn.commit()
    assert rows > 0
    return elapsed


def install_phase_timers() -> dict[str, list[float]]:
    """Wrap the importer's steps to time them (diagnostic runs only: adds a little overhead)."""
    from django.db.models.query import QuerySet

    from plov.publishing import refresh, registration_errors
    from plov.registers import dar, sor

    timings: dict[str, list[float]] = {}
    stack: list[str] = []  # the step being run, to attribute bulk_create/bulk_update to it

    def timed(owner, attr, label, step=False):
        original = getattr(owner, attr, None)
        if original is None:  # the code under test changed: time what is there
            return
        timings[label] = [0.0, 0, 0]  # seconds, calls, rows; printed in this order

        def wrapper(*args, **kwargs):
            if step:
                stack.append(label.strip())
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                slot = timings[label]
                slot[0] += time.perf_counter() - start
                slot[1] += 1
                if step:
                    stack.pop()
                    slot[3:] = [proc_status_mb("VmHWM")]  # the peak RSS when this step ends

        setattr(owner, attr, wrapper)

    def bulk(attr):
        original = getattr(QuerySet, attr)

        def wrapper(self, objs, *args, **kwargs):
            objs = list(objs)
            label = f"  QuerySet.{attr} in {stack[-1] if stack else '?'}"
            slot = timings.setdefault(label, [0.0, 0, 0])
            start = time.perf_counter()
            try:
                return original(self, objs, *args, **kwargs)
            finally:
                slot[0] += time.perf_counter() - start
                slot[1] += 1
                slot[2] += len(objs)

        setattr(QuerySet, attr, wrapper)

    timed(sor.SorImporter, "__init__", "SorImporter.__init__")
    timed(sor.SorImporter, "read", "SorImporter.read", step=True)
    timed(sor.SorImporter, "_date", "  SorImporter._date")
    timed(sor.SorImporter, "_address", "  SorImporter._address")
    timed(sor, "to_wgs84", "    to_wgs84 (pyproj)")
    timed(sor.SorImporter, "_owner", "  SorImporter._owner")
    timed(sor.SorImporter, "mark_nesting_errors", "SorImporter.mark_nesting_errors", step=True)
    timings["SorImporter.write"] = [0.0, 0, 0]  # wrapped below, after its steps
    timed(sor.SorImporter, "_organisations", "  SorImporter._organisations", step=True)
    timed(sor.SorImporter, "_providers", "  SorImporter._providers", step=True)
    timed(sor.SorImporter, "_state_hash", "  SorImporter._state_hash")
    timed(dar, "match_units", "  dar.match_units", step=True)
    timed(sor, "update_rows", "  bulk.update_rows (units)")
    timed(sor.SorImporter, "write", "SorImporter.write", step=True)
    timed(refresh, "refresh_publication", "refresh.refresh_publication", step=True)
    timed(
        registration_errors,
        "registration_errors",
        "registration_errors.registration_errors",
        step=True,
    )
    timed(registration_errors, "suspected_duplicates", "  suspected_duplicates (pairs)")
    bulk("bulk_create")
    return timings


def child_main(args: argparse.Namespace) -> None:
    """Work that needs Django runs in children, so that the parent stays small: Linux keeps a
    process's ru_maxrss across fork+exec, so a child's ru_maxrss is at least its parent's RSS at
    the fork. The parent never imports Django nor holds the entities, so ru_maxrss is the child's
    own peak (VmHWM, which exec resets, is reported beside it as a cross-check)."""
    setup_django(args.database_url)
    if args.child == "generate":
        from plov.registers.writers import write_sor

        start = time.perf_counter()
        generator = SorFileGenerator(args.entities, args.care_share)
        path = write_sor(Path(args.file), generator.generate())
        print(
            RESULT_MARK
            + json.dumps(
                {
                    "seconds": time.perf_counter() - start,
                    "bytes": path.stat().st_size,
                    "description": generator.describe(),
                }
            )
        )
        return
    if args.child == "migrate":
        from django.core.management import call_command

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(RESULT_MARK + json.dumps({"seconds": time.perf_counter() - start}))
        return
    baseline = maxrss_mb()
    baseline_now = proc_status_mb("VmRSS")
    from plov.registers.runs import refresh_after
    from plov.registers.sor import import_sor

    timings = install_phase_timers() if args.child == "phases" else None
    profiler = None
    if args.child == "profile":
        import cProfile

        profiler = cProfile.Profile()
    queries = None
    if args.child == "phases":
        from django.db import connection

        connection.force_debug_cursor = True
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    summary = import_sor(Path(args.file))
    refresh_after(summary)  # as `plov import sor` does after the import
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - start
    peak = maxrss_mb()
    peak_hwm = proc_status_mb("VmHWM")
    if args.child == "phases":
        from django.db import connection

        queries = len(connection.queries)
    if profiler:
        profiler.dump_stats(args.profile_out)
    result = {
        "seconds": elapsed,
        "baseline_maxrss_mb": baseline,
        "baseline_rss_mb": baseline_now,
        "peak_rss_mb": peak,
        "peak_hwm_mb": peak_hwm,
        "created": summary.created,
        "updated": summary.updated,
        "closed": summary.closed,
        "unchanged": summary.unchanged,
        "skipped": dict(summary.skipped),
        "timings": timings,
        "queries": queries,
    }
    print(RESULT_MARK + json.dumps(result))


def run_child(mode: str, url: str, path: Path, *extra: str) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        mode,
        "--database-url",
        url,
        "--file",
        str(path),
        *extra,
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the child import ({mode}) failed with exit code {done.returncode}")
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    raise SystemExit(f"the child import ({mode}) printed no result:\n{done.stdout}{done.stderr}")


def print_phases(title: str, result: dict) -> None:
    print(
        f"\n  {title}: {result['seconds']:.3f} s with timers, {result['queries']} queries, "
        f"RSS after django.setup() {result['baseline_rss_mb']:.0f} MB, "
        f"peak {result['peak_hwm_mb']:.0f} MB"
    )
    print(f"    {'step':<56} {'time':>10}  {'calls':>14} {'rows':>12} {'peak RSS after':>15}")
    for label, (seconds, calls, rows, *peak) in result["timings"].items():
        rows_text = f"{rows:>7,} rows" if rows else ""
        peak_text = f"{peak[0]:>6.0f} MB" if peak else ""
        print(
            f"    {label:<56} {seconds:8.3f} s  {calls:>8,} calls {rows_text:>12} {peak_text:>15}"
        )


def print_profile(path: Path, title: str, limit: int = 25) -> None:
    import io
    import pstats

    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(str(path), stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(limit)
        print(f"\n--- cProfile {title}, by {order} (full: {path}) ---")
        text = out.getvalue()
        print(text[text.find("   ncalls") :].rstrip())


def code_version() -> str:
    """The commit benchmarked, and whether plov/ had uncommitted changes (read-only git)."""

    def git(*command: str) -> str:
        done = subprocess.run(
            ["git", *command], capture_output=True, text=True, cwd=ROOT, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("log", "-1", "--format=%h %s")
    if not commit:
        return "unknown (not a git checkout)"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "plov")
    return commit + (" + uncommitted changes in plov/" if dirty else "")


CODE_UNDER_TEST = [
    "plov/registers/sor.py",
    "plov/registers/readers.py",
    "plov/registers/dar.py",
    "plov/registers/addresses.py",
    "plov/publishing/refresh.py",
    "plov/publishing/rules.py",
    "plov/publishing/registration_errors.py",
]


def code_fingerprint() -> dict[str, float]:
    """Modification times of the importer's files, to warn if they change during a run."""
    return {f: (ROOT / f).stat().st_mtime for f in CODE_UNDER_TEST if (ROOT / f).exists()}


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument(
        "--care-share",
        type=float,
        default=None,
        help="share of all entities that are care units (default: ~1,000 care "
        "homes and ~500 home-care sites per 100,000 entities)",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_SERVER,
        help="PostgreSQL server (a database name in it is ignored: the "
        "benchmark creates and drops its own)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of (a) and (b)")
    parser.add_argument(
        "--no-phases",
        action="store_true",
        help="skip the extra diagnostic run that times the importer's steps",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile one import and one re-import (extra runs)",
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where to write the SOR file and profiles (default: a temp dir)",
    )
    parser.add_argument(
        "--child",
        choices=["generate", "migrate", "import", "phases", "profile"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return

    print(f"code under test: {code_version()}")
    fingerprint = code_fingerprint()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="plov_bench_"))
    workdir.mkdir(parents=True, exist_ok=True)
    name = f"plov_bench_{os.getpid()}"
    url = create_database(args.database_url, name)
    print(f"database {name} on {args.database_url}; files in {workdir}")
    try:
        path = workdir / "SorEntity_daily.csv"
        extra = ["--entities", str(args.entities)]
        if args.care_share is not None:
            extra += ["--care-share", str(args.care_share)]
        made = run_child("generate", url, path, *extra)
        print(
            f"wrote {path.name} in {made['seconds']:.1f} s: {made['bytes'] / 1e6:.1f} MB, "
            f"{made['description']}"
        )
        print(f"migrated in {run_child('migrate', url, path)['seconds']:.1f} s")

        full, reimport = [], []
        for i in range(args.repeat):
            if i:
                truncate_import_tables(url)
            full.append(run_child("import", url, path))
            r = full[-1]
            print(
                f"(a) full import #{i + 1}: {r['seconds']:.3f} s, created={r['created']} "
                f"closed={r['closed']} skipped={sum(r['skipped'].values()):,}, "
                f"peak RSS {r['peak_rss_mb']:.0f} MB (VmHWM {r['peak_hwm_mb']:.0f} MB)"
            )
        for i in range(args.repeat):
            reimport.append(run_child("import", url, path))
            r = reimport[-1]
            print(
                f"(b) re-import #{i + 1}: {r['seconds']:.3f} s, created={r['created']} "
                f"updated={r['updated']} closed={r['closed']} unchanged={r['unchanged']}"
            )
            if r["created"] or r["updated"] or r["closed"]:
                print("    !! the re-import of an unchanged file changed something")
        csv_times = [bare_csv_read(path) for _ in range(3)]
        copy_times = [copy_into_table(url, path) for _ in range(3)]

        a, b = median([r["seconds"] for r in full]), median([r["seconds"] for r in reimport])
        c, d = median(csv_times), median(copy_times)
        peak = max(r["peak_rss_mb"] for r in full)
        peak_hwm = max(r["peak_hwm_mb"] for r in full)
        peak_again = max(r["peak_rss_mb"] for r in reimport)
        base = full[0]["baseline_maxrss_mb"]
        base_now = full[0]["baseline_rss_mb"]
        unchanged = all(not (r["created"] or r["updated"] or r["closed"]) for r in reimport)

        def verdict(ok: bool) -> str:
            return "ok" if ok else "MISSED"

        print(
            f"\nSOR import benchmark: {args.entities:,} entities, "
            f"{full[0]['created'] + full[0]['closed']:,} care units imported, "
            f"medians of {args.repeat} (a, b) / 3 (c, d) runs"
        )
        print(f"  {'':<44}{'figure':>12}  target")
        rows = [
            ("(a) full import into empty database", f"{a:.3f} s", ""),
            (
                "(b) re-import, unchanged file",
                f"{b:.3f} s",
                "created=0 updated=0: " + verdict(unchanged),
            ),
            ("(c) bare csv.reader over the file", f"{c:.3f} s", ""),
            ("(d) PostgreSQL COPY of the file", f"{d:.3f} s", ""),
            ("a/d", f"{a / d:.1f}", f"<= {TARGET_A_D:g}: {verdict(a / d <= TARGET_A_D)}"),
            ("b/c", f"{b / c:.1f}", f"<= {TARGET_B_C:g}: {verdict(b / c <= TARGET_B_C)}"),
            (
                "(a) peak RSS (child ru_maxrss)",
                f"{peak:.0f} MB",
                f"< {TARGET_RSS_MB:g} MB: {verdict(peak < TARGET_RSS_MB)}",
            ),
            ("    same, /proc VmHWM cross-check", f"{peak_hwm:.0f} MB", ""),
            ("(b) peak RSS (child ru_maxrss)", f"{peak_again:.0f} MB", ""),
            (
                "child RSS after django.setup() (VmRSS)",
                f"{base_now:.0f} MB",
                f"baseline (ru_maxrss then: {base:.0f} MB)",
            ),
            ("parent's own ru_maxrss (inherited floor)", f"{maxrss_mb():.0f} MB", ""),
        ]
        for label, figure, target in rows:
            print(f"  {label:<44}{figure:>12}  {target}")
        print(
            f"  runs (s): a={[round(r['seconds'], 3) for r in full]} "
            f"b={[round(r['seconds'], 3) for r in reimport]} "
            f"c={[round(x, 3) for x in csv_times]} d={[round(x, 3) for x in copy_times]}"
        )

        if not args.no_phases:
            print("\nWhere the time goes (extra runs with timers around the importer's steps):")
            truncate_import_tables(url)
            print_phases("full import", run_child("phases", url, path))
            print_phases("re-import", run_child("phases", url, path))
        if args.profile:
            truncate_import_tables(url)
            run_child("profile", url, path, "--profile-out", str(workdir / "import_full.prof"))
            run_child("profile", url, path, "--profile-out", str(workdir / "import_again.prof"))
            print_profile(workdir / "import_full.prof", "full import")
            print_profile(workdir / "import_again.prof", "re-import")
        changed = [f for f, t in code_fingerprint().items() if fingerprint.get(f) != t]
        if changed:
            print(f"\n!! changed during this run, so the figures mix versions: {changed}")
    finally:
        if args.keep_db:
            print(f"kept database {name}")
        else:
            drop_database(args.database_url, name)


if __name__ == "__main__":
    main()

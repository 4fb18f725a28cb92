"""Benchmark of the DAR import (`plov.registers.dar.import_dar`) on PostgreSQL against the floor
set by parsing the same file with `json.loads` and by PostgreSQL's COPY of its bytes.

    .venv/bin/python benchmarks/import_dar.py [--addresses 100000] [--array]
        [--database-url postgresql://postgres@127.0.0.1:5432] [--repeat 3] [--phases]

It writes a synthetic DAR file (DAWA's `mini` shape, JSON Lines, or a JSON array with --array)
of N addresses, creates a fresh PostgreSQL database (`plov_bench_dar_<pid>`), migrates it, and
times in one run:

  (a) the full import into the empty table (median of --repeat runs; the table is TRUNCATEd
      between runs);
  (b) a re-import of the unchanged file (median of --repeat runs; must be created=0 updated=0);
  (c) a bare `json.loads` of every record of the file (median of 3);
  (d) a COPY of the file's bytes into a one-column text table (median of 3);
  (e) a delta: a file of 1 % of the addresses changed and 0.1 % retired (once).

Every import runs in a child process (this script with `--child`) that reports its peak RSS.
The database is dropped at the end. See benchmarks/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from import_sor import (  # noqa: E402  (the same database plumbing as the SOR benchmark)
    DEFAULT_SERVER,
    RESULT_MARK,
    code_version,
    create_database,
    drop_database,
    maxrss_mb,
    proc_status_mb,
    setup_django,
)

TARGET_A_C = 5.0
TARGET_B_C = 2.0
TARGET_RSS_MB = 300.0

# --- A synthetic DAR ---------------------------------------------------------------------------
# (postcode, town, municipality code, longitude, latitude of the town's centre)
TOWNS = [
    ("1050", "København K", 101, 12.5850, 55.6800), ("2100", "København Ø", 101, 12.5770, 55.7100),
    ("2200", "København N", 101, 12.5500, 55.6960), ("2300", "København S", 101, 12.6000, 55.6600),
    ("2000", "Frederiksberg", 147, 12.5300, 55.6780), ("2605", "Brøndby", 153, 12.4200, 55.6450),
    ("2750", "Ballerup", 151, 12.3600, 55.7300), ("2800", "Kongens Lyngby", 173, 12.5000, 55.7700),
    ("3000", "Helsingør", 217, 12.6000, 56.0300), ("3400", "Hillerød", 219, 12.3100, 55.9300),
    ("4000", "Roskilde", 265, 12.0800, 55.6400), ("4200", "Slagelse", 330, 11.3500, 55.4000),
    ("4700", "Næstved", 370, 11.7600, 55.2300), ("4800", "Nykøbing F", 376, 11.8700, 54.7700),
    ("5000", "Odense C", 461, 10.3900, 55.4000), ("5700", "Svendborg", 479, 10.6100, 55.0600),
    ("5970", "Ærøskøbing", 492, 10.4200, 54.8900), ("6000", "Kolding", 621, 9.4700, 55.4900),
    ("6100", "Haderslev", 510, 9.4900, 55.2500), ("6200", "Aabenraa", 580, 9.4200, 55.0400),
    ("6400", "Sønderborg", 540, 9.7900, 54.9100), ("6700", "Esbjerg", 561, 8.4500, 55.4700),
    ("7100", "Vejle", 630, 9.5300, 55.7100), ("7400", "Herning", 657, 8.9700, 56.1400),
    ("7500", "Holstebro", 661, 8.6200, 56.3600), ("7800", "Skive", 779, 9.0300, 56.5600),
    ("8000", "Aarhus C", 751, 10.2100, 56.1500), ("8200", "Aarhus N", 751, 10.1900, 56.1800),
    ("8210", "Aarhus V", 751, 10.1600, 56.1600), ("8260", "Viby J", 751, 10.1600, 56.1300),
    ("8600", "Silkeborg", 740, 9.5500, 56.1700), ("8660", "Skanderborg", 746, 9.9300, 56.0400),
    ("8700", "Horsens", 615, 9.8500, 55.8600), ("8800", "Viborg", 791, 9.4000, 56.4500),
    ("8900", "Randers C", 730, 10.0400, 56.4600), ("9000", "Aalborg", 851, 9.9200, 57.0500),
    ("9400", "Nørresundby", 851, 9.9200, 57.0600), ("9700", "Brønderslev", 810, 9.9500, 57.2700),
    ("9800", "Hjørring", 860, 9.9800, 57.4600), ("9900", "Frederikshavn", 813, 10.5400, 57.4400),
]  # fmt: skip
STREET_HEADS = [
    "Birke", "Ege", "Bøge", "Linde", "Kastanje", "Ahorn", "Elme", "Hassel", "Pile", "Rønne",
    "Kirke", "Skole", "Mølle", "Præste", "Smede", "Bager", "Fiskers", "Havne", "Stations",
    "Nørre", "Sønder", "Øster", "Vester", "Lille", "Store", "Gl. ", "Ny ", "Åbo", "Sø", "Eng",
    "Mose", "Skov", "Bakke", "Dal", "Strand", "Fjord", "Marie", "Kongens ", "Dronning ", "Rosen",
    "Tulipan", "Syren", "Hyben", "Lærke", "Svane", "Spurve", "Ørne", "Rådhus", "Torve", "Park",
    "Jernbane", "Gammel Kongevej ", "H.C. Andersens ", "Frederiks", "Christians", "Valdemars",
]  # fmt: skip
STREET_TAILS = ["vej", "gade", "allé", "stræde", "parken", "toften", "haven", "vænget", "stien",
                "boulevard", "plads", "bakken"]  # fmt: skip
FLOORS = ["st", "1", "2", "3", "4", "5"]
DOORS = ["tv", "th", "mf"]


class DarFileGenerator:
    """A deterministic DAR file with roughly the real register's shape: about 1.45 addresses
    per access address (most houses one address; blocks of flats with floors and doors), about
    25 addresses per street, 2 % retired and 1 % preliminary addresses."""

    def __init__(self, addresses: int, seed: int = 20250101) -> None:
        self.total = addresses
        self.rng = random.Random(seed)

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def records(self):
        from plov.registers.writers import dar_address

        rng = self.rng
        made = 0
        while made < self.total:
            postcode, town, code, lon0, lat0 = rng.choice(TOWNS)
            street = rng.choice(STREET_HEADS) + rng.choice(STREET_TAILS)
            street = street[0].upper() + street[1:]
            lon1, lat1 = lon0 + rng.uniform(-0.05, 0.05), lat0 + rng.uniform(-0.03, 0.03)
            for number in range(1, rng.randint(4, 40)):
                house = str(number) + ("A" if rng.random() < 0.03 else "")
                access = self._uuid()
                lon = round(lon1 + number * 0.00012, 7)
                lat = round(lat1 + rng.uniform(-0.0002, 0.0002), 7)
                if rng.random() < 0.06:  # a block of flats
                    units = [(f, d) for f in FLOORS[: rng.randint(2, 6)]
                             for d in DOORS[: rng.randint(1, 3)]]  # fmt: skip
                else:
                    units = [(None, None)]
                for floor, door in units:
                    roll = rng.random()
                    record = dar_address(
                        self._uuid(), street=street, house_number=house, postcode=postcode,
                        postcode_name=town, municipality_code=code, lon=lon, lat=lat,
                        floor=floor, door=door, status=2 if roll < 0.02 else 3 if roll < 0.03 else 1,
                    )  # fmt: skip
                    record["adgangsadresseid"] = access
                    yield record
                    made += 1
                    if made >= self.total:
                        return


def write_file(path: Path, records, array: bool) -> int:
    """One record per line, as DAWA's bulk download (`[`, records with `,`, `]` for --array)."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        if array:
            handle.write("[\n")
        for record in records:
            text = json.dumps(record, ensure_ascii=False)
            if array:
                handle.write(("," if count else "") + text + "\n")
            else:
                handle.write(text + "\n")
            count += 1
        if array:
            handle.write("]\n")
    return count


def delta_records(path: Path, changed_share: float, retired_share: float, seed: int = 7):
    """Every 1/share-th record of the full file, changed (the town's name or the coordinates)
    or retired (status 2: nedlagt)."""
    rng = random.Random(seed)
    with path.open(encoding="utf-8") as handle:
        for text in handle:
            text = text.strip().rstrip(",")
            if text in ("[", "]", ""):
                continue
            roll = rng.random()
            if roll < retired_share:
                record = json.loads(text)
                record["status"] = 2
                yield record
            elif roll < retired_share + changed_share:
                record = json.loads(text)
                record["x"] = round(record["x"] + 0.0001, 7)
                record["betegnelse"] = record["betegnelse"] + " "  # stripped on import: same
                yield record


# --- Measurements ------------------------------------------------------------------------------
def bare_parse(path: Path) -> float:
    """json.loads of every record, one per line (the trailing comma of an array's line cut)."""
    start = time.perf_counter()
    records = 0
    with path.open("rb") as handle:
        for text in handle:
            text = text.strip()
            if text in (b"[", b"]", b""):
                continue
            if text.endswith(b","):
                text = text[:-1]
            json.loads(text)
            records += 1
    elapsed = time.perf_counter() - start
    assert records > 0
    return elapsed


def copy_bytes(url: str, path: Path) -> float:
    """The file's bytes into a one-column text table: CSV with a quote and a delimiter that
    never occur in it, so every line lands as it is."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_dar_copy")
        conn.execute("CREATE TABLE bench_dar_copy (line text)")
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur, path.open("rb") as raw:
            with cur.copy(
                "COPY bench_dar_copy FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', "
                "DELIMITER e'\\x02')"
            ) as copy:
                while data := raw.read(1 << 20):
                    copy.write(data)
            conn.commit()
        elapsed = time.perf_counter() - start
        rows = conn.execute("SELECT count(*) FROM bench_dar_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_dar_copy")
        conn.commit()
    assert rows > 0
    return elapsed


def delta_path(path: Path) -> Path:
    """The delta made from a file of N addresses: dar-N-delta.jsonl beside it."""
    return path.with_name(f"{path.name.split('.')[0]}-delta.jsonl")


def truncate_addresses(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE registers_daraddress")
        conn.execute("VACUUM ANALYZE registers_daraddress")


def child_main(args: argparse.Namespace) -> None:
    """Django runs only in children, so that the parent's RSS does not count in theirs."""
    setup_django(args.database_url)
    if args.child == "generate":
        start = time.perf_counter()
        count = write_file(Path(args.file), DarFileGenerator(args.addresses).records(), args.array)
        delta = delta_path(Path(args.file))
        changes = write_file(delta, delta_records(Path(args.file), 0.01, 0.001), False)
        print(RESULT_MARK + json.dumps({"seconds": time.perf_counter() - start, "count": count,
                                        "bytes": Path(args.file).stat().st_size,
                                        "delta": changes}))  # fmt: skip
        return
    if args.child == "migrate":
        from django.core.management import call_command

        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(RESULT_MARK + json.dumps({"seconds": time.perf_counter() - start}))
        return
    baseline, baseline_now = maxrss_mb(), proc_status_mb("VmRSS")
    from django.db import connection

    from plov.registers import dar
    from plov.registers.runs import refresh_after

    statements: list[tuple[str, float]] = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((" ".join(sql.split())[:90], time.perf_counter() - start))

    def timed(function, label):
        def timed_function(*a, **k):
            start = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                statements.append((label, time.perf_counter() - start))

        return timed_function

    if args.phases:
        # The Python passes (the second runs in batches: their times are summed below).
        dar._stage = timed(dar._stage, "(python) read, check and COPY records in full")
        dar._stage_fingerprints = timed(
            dar._stage_fingerprints, "(python) read each line's id and fingerprint, COPY"
        )
    start = time.perf_counter()
    if args.phases:
        with connection.execute_wrapper(timer):
            summary = dar.import_dar(Path(args.file))
            refresh_after(summary)  # as `plov import dar` does after the import
    else:
        summary = dar.import_dar(Path(args.file))
        refresh_after(summary)
    elapsed = time.perf_counter() - start
    result = {
        "seconds": elapsed, "baseline_maxrss_mb": baseline, "baseline_rss_mb": baseline_now,
        "peak_rss_mb": maxrss_mb(), "peak_hwm_mb": proc_status_mb("VmHWM"),
        "created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged,
        "skipped": dict(summary.skipped),
        "statements": [s for s in _summed(statements) if s[1] >= 0.05],
    }  # fmt: skip
    print(RESULT_MARK + json.dumps(result))


def _summed(statements: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each statement once, in the order first run, with its times summed."""
    sums: dict[str, float] = {}
    for text, seconds in statements:
        sums[text] = sums.get(text, 0.0) + seconds
    return list(sums.items())


def run_child(mode: str, url: str, path: Path, *extra: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode,
               "--database-url", url, "--file", str(path), *extra]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the child ({mode}) failed with exit code {done.returncode}")
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    raise SystemExit(f"the child ({mode}) printed no result:\n{done.stdout}{done.stderr}")


def describe(label: str, r: dict) -> str:
    skipped = sum(r["skipped"].values())
    return (f"{label}: {r['seconds']:.2f} s, created={r['created']:,} updated={r['updated']:,} "
            f"unchanged={r['unchanged']:,} skipped={skipped:,}, peak RSS {r['peak_rss_mb']:.0f} MB "
            f"(VmHWM {r['peak_hwm_mb']:.0f} MB)")  # fmt: skip


def print_statements(r: dict) -> None:
    for sql, seconds in r.get("statements", []):
        print(f"      {seconds:8.2f} s  {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--array", action="store_true", help="a JSON array instead of JSON Lines")
    parser.add_argument("--database-url", default=DEFAULT_SERVER,
                        help="PostgreSQL server (a database name in it is ignored: the "
                             "benchmark creates and drops its own)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs of (a) and (b)")
    parser.add_argument(
        "--phases",
        action="store_true",
        help="print the import's statements that took 50 ms or more",
    )
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where to write the files (default: a temp dir); a file already "
                             "there for the same --addresses is reused")  # fmt: skip
    parser.add_argument("--child", choices=["generate", "migrate", "import"],
                        help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return

    print(f"code under test: {code_version()}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="plov_bench_dar_"))
    workdir.mkdir(parents=True, exist_ok=True)
    name = f"plov_bench_dar_{os.getpid()}"
    url = create_database(args.database_url, name)
    print(f"database {name} on {args.database_url}; files in {workdir}")
    try:
        suffix = "json" if args.array else "jsonl"
        path = workdir / f"dar-{args.addresses}.{suffix}"
        delta = delta_path(path)
        if path.exists() and delta.exists():
            print(f"reusing {path.name} ({path.stat().st_size / 1e6:.0f} MB)")
        else:
            extra = ["--addresses", str(args.addresses)] + (["--array"] if args.array else [])
            made = run_child("generate", url, path, *extra)
            print(
                f"wrote {path.name} in {made['seconds']:.1f} s: {made['count']:,} addresses, "
                f"{made['bytes'] / 1e6:.0f} MB; {delta.name}: {made['delta']:,} addresses"
            )
        print(f"migrated in {run_child('migrate', url, path)['seconds']:.1f} s")
        phases = ["--phases"] if args.phases else []

        bare, copies, full, again = [], [], [], []
        bare.append(bare_parse(path))
        print(f"(c) bare json.loads: {bare[-1]:.2f} s")
        for i in range(args.repeat):
            if i:
                truncate_addresses(url)
            full.append(run_child("import", url, path, *phases))
            print(describe(f"(a) full import #{i + 1}", full[-1]))
            print_statements(full[-1])
        bare.append(bare_parse(path))
        print(f"(c) bare json.loads: {bare[-1]:.2f} s")
        for i in range(args.repeat):
            again.append(run_child("import", url, path, *phases))
            print(describe(f"(b) re-import #{i + 1}", again[-1]))
            print_statements(again[-1])
            if again[-1]["created"] or again[-1]["updated"]:
                print("    !! the re-import of an unchanged file changed something")
        bare.append(bare_parse(path))
        print(f"(c) bare json.loads: {bare[-1]:.2f} s")
        copies = [copy_bytes(url, path) for _ in range(3)]
        print(f"(d) COPY of the bytes: {', '.join(f'{x:.2f}' for x in copies)} s")
        changed = run_child("import", url, delta, *phases)
        print(describe("(e) delta", changed))
        print_statements(changed)

        a = statistics.median(r["seconds"] for r in full)
        b = statistics.median(r["seconds"] for r in again)
        c, d = statistics.median(bare), statistics.median(copies)
        peak = max(r["peak_rss_mb"] for r in full)
        peak_again = max(r["peak_rss_mb"] for r in again)
        unchanged = all(not (r["created"] or r["updated"]) for r in again)

        def verdict(ok: bool) -> str:
            return "ok" if ok else "MISSED"

        load = os.getloadavg()
        print(f"\nDAR import benchmark: {args.addresses:,} addresses ({suffix}), medians of "
              f"{args.repeat} (a, b) / 3 (c, d) runs; load average now {load[0]:.1f} "
              f"on {os.cpu_count()} cores")  # fmt: skip
        print(f"  {'':<44}{'figure':>12}  target")
        rows = [
            ("(a) full import into an empty table", f"{a:.2f} s", ""),
            ("(b) re-import, unchanged file", f"{b:.2f} s",
             "created=0 updated=0: " + verdict(unchanged)),
            ("(c) bare json.loads of every record", f"{c:.2f} s", ""),
            ("(d) COPY of the file's bytes", f"{d:.2f} s", ""),
            ("(e) delta (1 % changed, 0.1 % retired)", f"{changed['seconds']:.2f} s",
             f"updated={changed['updated']:,}"),
            ("a/c", f"{a / c:.1f}", f"<= {TARGET_A_C:g}: {verdict(a / c <= TARGET_A_C)}"),
            ("b/c", f"{b / c:.1f}", f"<= {TARGET_B_C:g}: {verdict(b / c <= TARGET_B_C)}"),
            ("a/d", f"{a / d:.1f}", ""),
            ("(a) peak RSS (child ru_maxrss)", f"{peak:.0f} MB",
             f"< {TARGET_RSS_MB:g} MB: {verdict(peak < TARGET_RSS_MB)}"),
            ("(b) peak RSS (child ru_maxrss)", f"{peak_again:.0f} MB",
             f"< {TARGET_RSS_MB:g} MB: {verdict(peak_again < TARGET_RSS_MB)}"),
            ("child RSS after django.setup() (VmRSS)", f"{full[0]['baseline_rss_mb']:.0f} MB",
             "baseline"),
            ("parent's own ru_maxrss (inherited floor)", f"{maxrss_mb():.0f} MB", ""),
        ]  # fmt: skip
        for label, figure, target in rows:
            print(f"  {label:<44}{figure:>12}  {target}")
    finally:
        if args.keep_db:
            print(f"kept database {name}")
        else:
            drop_database(args.database_url, name)


if __name__ == "__main__":
    main()

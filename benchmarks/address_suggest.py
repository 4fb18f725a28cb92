"""Benchmark of the address suggestions (`/api/v1/adresser?q=…`) over a loaded DAR table:
p50/p95/p99 at 20 concurrent clients against a real server (gunicorn, `plov serve`).

    .venv/bin/python benchmarks/address_suggest.py [--addresses 100000] [--clients 20]
        [--seconds 30] [--workers 2] [--threads 4] [--workdir DIR] [--keep-db]

It writes the synthetic DAR file of `import_dar.py` (the same generator; a file already in
--workdir for the same N is reused), creates a fresh PostgreSQL database
(`plov_bench_suggest_<pid>`), migrates it, imports the file with `plov import dar`, starts
`plov serve` (plov.settings.production, gunicorn, --workers x --threads) on a free port, and
drives it with --clients keep-alive HTTP clients (threads spread over a few processes, so the
clients' own Python does not serialise on one GIL) for --seconds, each request a different
typed text drawn from the file's addresses in five shapes (below). Every server it starts is
stopped and the database dropped at the end (--keep-db keeps it).

Two workloads, each with the server's answer cache emptied first (plov keeps the answers to what
was typed in the shared cache, Redis here, until a DAR import changes something):
- `new`: every request a text no client asked before in the run (the answers all computed:
  the worst case, a cache that never hits);
- `typing`: each client is a citizen typing one address after another a keystroke at a time,
  as the combobox sends them when typed slower than its 200 ms pause ("so", "sol", "solv" …
  "solvej 4 aar"), without waiting between requests; the beginnings many addresses share are
  computed once, and the rest when first typed.

Goal: p95 < 50 ms at 20 concurrent clients over 3.6 million addresses. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
for folder in (ROOT, HERE):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from _site import free_port, stop, wait_http  # noqa: E402
from import_sor import DEFAULT_SERVER, code_version, create_database, drop_database  # noqa: E402
from load_two_servers import site_env  # noqa: E402

PLOV = ROOT / ".venv" / "bin" / "plov"
TARGET_P95_MS = 50.0
REDIS_URL = os.environ.get("PLOV_BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
SHAPES = ("street number town", "street number", "typo number", "street prefix", "ae/oe/aa")
MIN_LENGTH = 2  # the combobox asks from the second character on (address-combobox.js)


def queries(path: Path, count: int, seed: int = 11, offset: int = 0) -> list[tuple[str, str]]:
    """(shape, text) drawn from every so-many-th address of the file, as a citizen types them:
    'solvej 4 aar' (street, number, the town's beginning), 'Solvej 4', 'sovlej 4' (two letters
    of the street swapped), 'solv' (a street's beginning), 'Aeroeskoebingvej 4, 5970' (æ/ø/å
    typed as ae/oe/aa, with the postcode)."""
    rng = random.Random(seed)
    lines = sum(1 for _ in path.open("rb"))
    step = max(1, lines // count)
    picked = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n % step == offset % step:
                picked.append(json.loads(line))
    out = []
    for k, record in enumerate(picked[:count]):
        street, number = record["vejnavn"], record["husnr"]
        town, postcode = record["postnrnavn"], record["postnr"]
        shape = SHAPES[k % len(SHAPES)]
        if shape == "street number town":
            text = f"{street.lower()} {number} {town[: rng.randint(2, 4)].lower()}"
        elif shape == "street number":
            text = f"{street} {number}"
        elif shape == "typo number":
            letters = list(street)
            i = rng.randrange(2, max(3, len(letters) - 2))
            letters[i - 1], letters[i] = letters[i], letters[i - 1]
            text = f"{''.join(letters)} {number}"
        elif shape == "street prefix":
            text = street[: rng.randint(3, max(3, len(street) - 1))]
        else:
            folded = street.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
            folded = folded.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
            text = f"{folded} {number}, {postcode}"
        out.append((shape, text))
    return out


def client_process(base: str, paths: list[tuple[str, str]], threads: int, seconds: float,
                   offset: int, queue, clients: int = 0, pace: float = 0.0) -> None:  # fmt: skip
    """`clients` > 0: client number n takes paths n, n + clients, n + 2 × clients … (no two
    clients ask the same, none asks twice unless the list runs out); 0: each client starts at
    another place in the list and goes round it. `pace` > 0 (seconds): each client asks at most
    once per `pace`, on a fixed schedule, and a request's time counts from when it was due (a
    server that falls behind is seen waiting, not hidden by the client waiting for it)."""
    host = urlsplit(base)
    deadline = time.perf_counter() + seconds
    results: list[tuple[str, float, bool, bool]] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        mine = []
        i = (offset + k) * 7919 if not clients else offset + k
        due = time.perf_counter() + (pace * k / max(1, threads))  # spread the clients' starts
        while time.perf_counter() < deadline:
            shape, path = paths[i % len(paths)]
            i += clients or 1
            if pace:
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                t0 = due
                due += pace
            else:
                t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - t0
                found = b'"items":[]' not in body
                mine.append((shape, elapsed, response.status == 200, found))
            except (OSError, http.client.HTTPException):
                mine.append((shape, time.perf_counter() - t0, False, False))
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        conn.close()
        with lock:
            results.extend(mine)

    workers = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    queue.put(results)


def drive(
    base: str,
    paths: list[tuple[str, str]],
    clients: int,
    seconds: float,
    spread: bool = False,
    pace: float = 0.0,
) -> list:
    processes = min(4, clients)
    per = [clients // processes + (1 if p < clients % processes else 0) for p in range(processes)]
    queue = multiprocessing.get_context("fork").Queue()
    procs = [
        multiprocessing.get_context("fork").Process(
            target=client_process,
            args=(base, paths, n, seconds, sum(per[:p]), queue, clients if spread else 0, pace),
        )
        for p, n in enumerate(per)
    ]
    for p in procs:
        p.start()
    results = []
    for _ in procs:
        results.extend(queue.get(timeout=seconds + 120))
    for p in procs:
        p.join()
    return results


def keystrokes(typed: list[tuple[str, str]], clients: int) -> list[tuple[str, str]]:
    """('typing', text) for every beginning of every text, as `clients` citizens type them:
    client k the addresses k, k + clients, k + 2 × clients … one after another, each from its
    second character to its end; laid out so that `drive(…, spread=True)` gives client k its
    own keystrokes in order."""
    own: list[list[str]] = [[] for _ in range(clients)]
    for n, (_shape, text) in enumerate(typed):
        own[n % clients] += [text[:i] for i in range(MIN_LENGTH, len(text) + 1)]
    longest = max(len(texts) for texts in own)
    return [("typing", own[k][i % len(own[k])]) for i in range(longest) for k in range(clients)]


def forget_answers(redis_url: str) -> None:
    """Empty the answer cache: a new generation (plov.public.suggest.ANSWERS_GENERATION)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match="*plov:dar:suggestions:*", count=10_000):
        client.delete(key)


def report(name: str, results: list, wall: float, clients: int, by_shape: bool) -> float:
    ok = [r for r in results if r[2]]
    latencies = [r[1] for r in results]
    p95 = pct(latencies, 95)
    print(f"\n{name}: {len(results):,} requests in {wall:.1f} s: {len(results) / wall:.0f} req/s, "
          f"{len(results) - len(ok)} errors, {sum(r[3] for r in ok) * 100 / max(1, len(ok)):.1f} % "
          "with at least one suggestion")  # fmt: skip
    print(f"{clients} clients: p50 {pct(latencies, 50):.1f} ms, p95 {p95:.1f} ms, "
          f"p99 {pct(latencies, 99):.1f} ms, mean {statistics.mean(latencies) * 1000:.1f} ms "
          f"(target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'})")  # fmt: skip
    if by_shape:
        for shape in SHAPES:
            mine = [r for r in results if r[0] == shape]
            if mine:
                found = sum(r[3] for r in mine) * 100 / len(mine)
                print(f"  {shape:<20} p50 {pct([r[1] for r in mine], 50):6.1f} ms  "
                      f"p95 {pct([r[1] for r in mine], 95):6.1f} ms  {found:5.1f} % found")  # fmt: skip
    return p95


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def run_plov(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(PLOV), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise RuntimeError(f"plov {' '.join(args)} failed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--addresses", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--queries", type=int, default=20000)
    parser.add_argument(
        "--pace",
        type=float,
        default=0,
        help="ms between a client's requests (200: the combobox's pause, the fastest a "
        "citizen's browser asks); 0 (default): each client asks again at once",
    )
    parser.add_argument(
        "--workload", nargs="+", choices=("new", "typing"), default=["new", "typing"]
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=DEFAULT_SERVER)
    parser.add_argument("--workdir")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--database",
        help="an existing database (kept by --keep-db) with the addresses imported: migrate "
        "it and measure, without generating nor importing",
    )
    args = parser.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="plov_bench_suggest_"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"dar-{args.addresses}.jsonl"
    print(f"commit {code_version()}; load average {os.getloadavg()[0]:.1f} at the start")
    if not path.exists() and not args.database:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(HERE / "import_dar.py"), "--child", "generate", "--file",
             str(path), "--addresses", str(args.addresses), "--database-url", args.database_url],
            check=True, cwd=ROOT, capture_output=True,
        )  # fmt: skip
        print(f"wrote {path} ({args.addresses:,} addresses) in {time.perf_counter() - start:.0f} s")
    if args.database:
        name = args.database
        url = f"{args.database_url.rstrip('/')}/{name}"
        args.keep_db = True
    else:
        name = f"plov_bench_suggest_{os.getpid()}"
        url = create_database(args.database_url, name)
    env = site_env(url, work / "data", REDIS_URL)  # as load_two_servers.py serves plov
    env.update(PLOV_WEB_WORKERS=str(args.workers), PLOV_WEB_THREADS=str(args.threads))
    server = None
    try:
        print(f"migrate: {run_plov(['migrate', '--noinput', '-v', '0'], env):.0f} s")
        if not args.database:
            seconds = run_plov(["import", "dar", str(path)], env)
            print(f"plov import dar: {seconds:.0f} s")
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            addresses = conn.execute("SELECT count(*) FROM registers_daraddress").fetchone()[0]
            streets = conn.execute("SELECT count(*) FROM registers_darstreet").fetchone()[0]
        print(f"{addresses:,} addresses, {streets:,} streets (street and postcode)")

        typed = queries(path, args.queries)
        paths = [(shape, f"/api/v1/adresser?q={quote(text)}") for shape, text in typed]
        typing = [
            (shape, f"/api/v1/adresser?q={quote(text)}")
            for shape, text in keystrokes(typed, args.clients)
        ]
        port = free_port()
        log = (work / "server.log").open("ab")
        server = subprocess.Popen(
            [str(PLOV), "serve"], env={**env, "PLOV_WEB_BIND": f"127.0.0.1:{port}"}, cwd=ROOT,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/readyz", timeout=120)
        print(f"plov serve ({args.workers} workers x {args.threads} threads) on {base}")
        # Warm-up: every worker's connection and prepared statements, the indexes in
        # PostgreSQL's buffers; on texts the runs below do not ask.
        warm = queries(path, 1000, seed=5, offset=1)
        drive(base, [(s_, f"/api/v1/adresser?q={quote(t)}") for s_, t in warm], 8, 5)
        load_before = os.getloadavg()[0]
        pace = args.pace / 1000
        if pace:
            print(f"each client asks at most every {args.pace:.0f} ms "
                  f"(at most {args.clients / pace:.0f} req/s in all)")  # fmt: skip
        for workload in args.workload:
            forget_answers(REDIS_URL)
            start = time.perf_counter()
            if workload == "new":
                results = drive(base, paths, args.clients, args.seconds, True, pace)
                wall = time.perf_counter() - start
                if len(results) > len(paths):
                    print(f"({len(results) - len(paths):,} requests asked a text again: "
                          "raise --queries)")  # fmt: skip
                report("every text new (no answer cached)", results, wall, args.clients, True)
            else:
                results = drive(base, typing, args.clients, args.seconds, True, pace)
                wall = time.perf_counter() - start
                report("citizens typing, a keystroke at a time", results, wall, args.clients,
                       False)  # fmt: skip
        load_after = os.getloadavg()[0]
        # The floor: the same clients on /healthz, a Django request through the whole
        # middleware stack that does nothing (no database).
        floor = [r[1] for r in drive(base, [("healthz", "/healthz")], args.clients, 10)]
        print(f"baseline /healthz, {args.clients} clients: {len(floor) / 10:.0f} req/s, "
              f"p50 {pct(floor, 50):.1f} ms, p95 {pct(floor, 95):.1f} ms")  # fmt: skip
        print(f"load average {load_before:.1f} before the run, {load_after:.1f} after "
              f"({os.cpu_count()} cores)")  # fmt: skip
    finally:
        stop(server)
        if args.keep_db:
            print(f"kept database {name}")
        else:
            drop_database(args.database_url, name)


if __name__ == "__main__":
    main()

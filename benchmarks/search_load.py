"""Load-test plov's search page against a static file of the same size on the same machine.

    .venv/bin/python benchmarks/search_load.py [--clients 50] [--seconds 15] [--scale 1.0]

Builds a fresh demo database (SQLite under /tmp), serves plov with gunicorn (2 workers x 4
threads, production settings) on 127.0.0.1, warms it, then drives a rotating mix of search URLs
with N concurrent keep-alive clients for T seconds (wrk if installed, else a threaded Python
client). Then it serves one static file as large as the average search page with
`python -m http.server --protocol HTTP/1.1` and measures it the same way. Prints throughput,
p50/p95/p99 latency and errors for both, their ratio and the targets. No pass/fail: figures only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import demo_site, free_port, municipality_codes, stop, wait_http

LUA = r"""
local paths = {%(paths)s}
local i = 0
init = function(args)
  i = math.random(#paths) - 1
end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.bytes))
end
"""


def search_paths(codes: list[str]) -> list[str]:
    paths = [f"/soeg/?kommune={c}" for c in codes]
    paths += [
        "/soeg/?type=helhedspleje&kommune=751",
        "/soeg/?adresse=8000&afstand=10",
        "/soeg/?navn=solgaarden",
    ]
    return paths


def fetch(url: str) -> tuple[int, int]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, len(r.read())


def run_wrk(base: str, paths: list[str], clients: int, seconds: float, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % {"paths": ", ".join(f'"{p}"' for p in paths)})
        script = f.name
    try:
        cmd = [
            "wrk", f"-t{min(threads, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
            "--timeout", "10s", "-s", script, base + paths[0],
        ]  # fmt: skip
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script)
    m = re.search(r"^RESULT ([\d ]+)$", res.stdout, re.M)
    if not m:
        raise RuntimeError(f"wrk failed: {res.stdout}\n{res.stderr}")
    n, dur_us, e_conn, e_read, e_write, e_status, e_timeout, p50, p95, p99, nbytes = map(
        int, m.group(1).split()
    )
    return {
        "requests": n,
        "rps": n / (dur_us / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": e_conn + e_read + e_write + e_status + e_timeout,
        "bytes_per_req": nbytes / n if n else 0,
    }


def run_python_client(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    """Fallback: N threads, each a keep-alive http.client connection rotating through paths."""
    host = urlsplit(base)
    deadline = time.perf_counter() + seconds
    lat: list[float] = []
    errors = [0]
    nbytes = [0]
    lock = threading.Lock()

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        mine: list[float] = []
        err = got = 0
        i = k
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                mine.append(time.perf_counter() - t0)
                got += len(body)
                if r.status >= 400:
                    err += 1
            except (OSError, http.client.HTTPException):
                err += 1
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        conn.close()
        with lock:
            lat.extend(mine)
            errors[0] += err
            nbytes[0] += got

    t0 = time.perf_counter()
    ts = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=seconds + 30)
    wall = time.perf_counter() - t0
    lat.sort()

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000 if lat else float("nan")

    return {
        "requests": len(lat),
        "rps": len(lat) / wall,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "errors": errors[0],
        "bytes_per_req": nbytes[0] / len(lat) if lat else 0,
    }


def load(base: str, paths: list[str], clients: int, seconds: float, wrk_threads: int) -> dict:
    if shutil.which("wrk"):
        return run_wrk(base, paths, clients, seconds, wrk_threads)
    return run_python_client(base, paths, clients, seconds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--wrk-threads", type=int, default=2)
    args = ap.parse_args()

    tool = "wrk" if shutil.which("wrk") else "python http.client threads"
    print(f"load average before: {os.getloadavg()[0]:.2f} (cpus: {os.cpu_count()})")
    with demo_site(args.scale, "plov_bench_search.sqlite3") as (base, db_path):
        paths = search_paths(municipality_codes(db_path, limit=6))
        # Warm: every URL a few times in each worker, then a short burst under load.
        sizes = []
        for _ in range(3):
            for p in paths:
                status, size = fetch(base + p)
                if status != 200:
                    print(f"  warning: {p} -> {status}")
                sizes.append(size)
        avg = int(statistics.mean(sizes))
        print(f"{len(paths)} search URLs, average page {avg / 1024:.1f} KiB (uncompressed)")
        for p in paths:
            print(f"  {p}")
        load(base, paths, min(args.clients, 8), 2, args.wrk_threads)

        print(f"\nsearch: {args.clients} clients, {args.seconds:g} s ({tool}) …", flush=True)
        search = load(base, paths, args.clients, args.seconds, args.wrk_threads)
        load_during = os.getloadavg()[0]

    # The ceiling: a static file of the same size, same clients, same tool.
    tmp = Path(tempfile.mkdtemp(prefix="plov_bench_static_"))
    static_proc = None
    try:
        (tmp / "page.html").write_bytes(b"x" * avg)
        port = free_port()
        static_proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
             "--directory", str(tmp), "--protocol", "HTTP/1.1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        sbase = f"http://127.0.0.1:{port}"
        wait_http(sbase + "/page.html", timeout=20)
        load(sbase, ["/page.html"], min(args.clients, 8), 2, args.wrk_threads)
        print(f"static: {args.clients} clients, {args.seconds:g} s (python -m http.server) …")
        static = load(sbase, ["/page.html"], args.clients, args.seconds, args.wrk_threads)
    finally:
        stop(static_proc)
        shutil.rmtree(tmp, ignore_errors=True)

    ratio = search["rps"] / static["rps"] if static["rps"] else float("nan")
    print()
    print(
        f"{'':8} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9}"
    )
    for name, r in (("search", search), ("static", static)):
        print(
            f"{name:8} {r['rps']:9.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f}"
            f" {r['errors']:7d} {r['requests']:9d}"
        )
    print()
    print(f"search / static throughput: {ratio:6.1%}   (target >= 25 %)")
    print(f"search p95:                 {search['p95']:6.1f} ms (target < 100 ms)")
    print(f"load average during search run: {load_during:.2f}, after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

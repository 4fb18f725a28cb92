"""Load on two app servers sharing PostgreSQL and Redis, with an editor saving all along.

    .venv/bin/python benchmarks/load_two_servers.py [--clients 50] [--seconds 60] [--scale 0.3]

1. Builds the demo country in a fresh PostgreSQL database `plov_bench_<pid>` (dropped at the
   end) with `plov migrate`, `plov demo --scale S` and `plov collectstatic`, and starts two
   `plov serve` servers (gunicorn, plov.settings.production, 2 workers x 4 threads each) on
   127.0.0.1 with `PLOV_CACHE_URL` on Redis (`PLOV_BENCH_REDIS_URL`, default db 6, flushed).
2. **Mixed load**: N keep-alive clients for T seconds, each request to the next server in turn
   (round-robin): municipal search 30 %, address search 15 %, unit pages 30 %, the API 15 %,
   the CSV download 5 %, and the editor's unit page 5 %. Meanwhile an editor (logged in by a
   session in the database; lock taken over HTTP) saves the unit's *Værdier* through the back
   office's form on server A every `--save-every` seconds. A read of that unit's page started
   after a save had returned, from either server, that lacks the saved text is a **stale read**.
3. **Search, cached vs uncached**: municipal and address searches only, for `--search-seconds`,
   first as configured, then with both servers restarted on `PLOV_CACHE_URL=dummy://`.
4. **nginx** (Debian's; `apt-get install nginx` if missing and run as root) serving one static
   file as large as the average search page, the same client, the same duration.

Prints req/s, p50/p95/p99 (ms) and errors per phase and per kind of request, stale reads and
saves. The client is Python threads on the same machine: on a small machine it takes CPU from
the servers, so compare phases of one run, not runs on different machines.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import free_port, stop, wait_http  # noqa: E402

PLOV = REPO / ".venv" / "bin" / "plov"
PG_SERVER = os.environ.get("PLOV_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("PLOV_BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
SECRET = "bench-" + uuid.uuid4().hex


# --- the site -------------------------------------------------------------------------------


def site_env(db_url: str, data_dir: Path, cache_url: str = REDIS_URL) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLOV_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="plov.settings.production",
        DATABASE_URL=db_url,
        PLOV_CACHE_URL=cache_url,
        PLOV_SECRET_KEY=SECRET,
        PLOV_ALLOWED_HOSTS="127.0.0.1",
        PLOV_DATA_DIR=str(data_dir),
        PLOV_SSL_REDIRECT="0",
        PLOV_REQUEST_LOG="0",
        PLOV_LOG_LEVEL="WARNING",
        PLOV_DB_CONN_MAX_AGE="60",
        PLOV_WEB_WORKERS="2",
        PLOV_WEB_THREADS="4",
    )
    return env


def run_plov(args: list[str], env: dict[str, str], timeout: float = 1800) -> None:
    t0 = time.perf_counter()
    done = subprocess.run([str(PLOV), *args], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise RuntimeError(f"plov {' '.join(args)} failed")
    print(f"  plov {' '.join(args):<34} {time.perf_counter() - t0:6.1f} s", flush=True)


def start_server(
    env: dict[str, str], log: Path, ready: str = "/readyz"
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    out = open(log, "ab")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [str(PLOV), "serve"], env={**env, "PLOV_WEB_BIND": f"127.0.0.1:{port}"}, cwd=REPO,
        stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + ready, timeout=90)
    except BaseException:
        stop(proc)  # not left running when it never became ready
        raise
    return proc, base


# --- the load -------------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.reasons: dict[str, int] = defaultdict(int)
        self.bytes = 0
        self.stale = 0
        self.watched_reads_after_save = 0
        self.stale_detail: list[str] = []

    def add(self, kind: str, seconds: float, reason: str, size: int) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.bytes += size
            if reason:
                self.errors[kind] += 1
                self.reasons[f"{kind}: {reason}"] += 1


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def report(title: str, stats: Stats, seconds: float) -> dict:
    every = [v for values in stats.latency.values() for v in values]
    errors = sum(stats.errors.values())
    n = len(every)
    print(f"\n{title}")
    print(f"  {'kind':<18}{'requests':>9}{'req/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}")
    rows = [*sorted(stats.latency.items()), ("ALL", every)]
    for kind, values in rows:
        errs = errors if kind == "ALL" else stats.errors.get(kind, 0)
        print(f"  {kind:<18}{len(values):>9}{len(values) / seconds:>9.1f}{pct(values, 50):>8.1f}"
              f"{pct(values, 95):>8.1f}{pct(values, 99):>8.1f}{errs:>8}")  # fmt: skip
    avg = stats.bytes / n if n else 0
    print(f"  average response {avg / 1024:.1f} KiB")
    for reason, count in sorted(stats.reasons.items()):
        print(f"  error: {reason} x{count}")
    return {"rps": n / seconds, "p50": pct(every, 50), "p95": pct(every, 95),
            "p99": pct(every, 99), "errors": errors, "avg_bytes": avg}  # fmt: skip


class Editor:
    """Saves the watched unit's Værdier through server A's back office every few seconds."""

    def __init__(self, base: str, unit_pk: int, cookies: dict[str, str]) -> None:
        self.base, self.unit_pk, self.cookies = base, unit_pk, cookies
        # Every text sent (a word), in order, appended before the POST: a page may show a save
        # that has committed while its response is still on the way to the editor.
        self.sent: list[str] = []
        # How many of them had their response back (the first `done` saves are complete).
        self.done = 0
        self.saves = 0
        self.failures = 0

    def save(self) -> None:
        from plov.units.models import UnitContent
        from tests.servers import http
        from tests.test_backoffice_editing import form_data

        content = UnitContent.objects.get(unit_id=self.unit_pk)
        marker = f"plovgem{uuid.uuid4().hex[:12]}"
        data = form_data(content, values=f"<p>Vi gemmer {marker}.</p>")
        self.sent.append(marker)
        data["csrfmiddlewaretoken"] = self.cookies["csrftoken"]
        status, _, body = http("POST", f"{self.base}/admin/enheder/{self.unit_pk}/",
                               cookies=self.cookies, data=data)  # fmt: skip
        if status != 302:
            self.failures += 1
            print(f"  editor save failed: {status} {body[:200]!r}", flush=True)
            return
        self.done = len(self.sent)
        self.saves += 1


def drive(
    bases: list[str], paths: list[tuple[str, str]], clients: int, seconds: float,
    editor: Editor | None = None, save_every: float = 3.0,
) -> Stats:  # fmt: skip
    stats = Stats()
    deadline = time.monotonic() + seconds
    turn = itertools.count()

    def client(k: int) -> None:
        rng = random.Random(k)
        conns: dict[str, http.client.HTTPConnection] = {}
        while time.monotonic() < deadline:
            kind, path = rng.choice(paths)
            base = bases[next(turn) % len(bases)]
            # Saves whose response had arrived before this request was sent.
            done = editor.done if editor else 0
            t0 = time.monotonic()
            body, reason = b"", ""
            # A browser retries once on a fresh connection when a kept-alive one was closed by
            # the server in the meantime (gunicorn closes idle ones after --keep-alive s).
            for attempt in (1, 2):
                conn = conns.get(base)
                reused = conn is not None
                if conn is None:
                    parts = urlsplit(base)
                    conn = conns[base] = http.client.HTTPConnection(
                        parts.hostname, parts.port, timeout=60
                    )
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    body = response.read()
                    reason = "" if response.status == 200 else f"HTTP {response.status}"
                    break
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conns.pop(base, None)
                    reason = type(exc).__name__
                    if not (reused and attempt == 1):
                        break
            stats.add(kind, time.monotonic() - t0, reason, len(body))
            if kind == "editor's unit" and not reason and done:
                # Fresh: the last save before the request, or a later one, is on the page.
                fresh = any(m.encode() in body for m in editor.sent[done - 1 :])
                with stats.lock:
                    stats.watched_reads_after_save += 1
                    stats.stale += not fresh
                    if not fresh:
                        shown = [i for i, m in enumerate(editor.sent) if m.encode() in body]
                        stats.stale_detail.append(
                            f"{base} expected save #{done - 1} or later, page shows "
                            f"{shown or 'none'}, {time.monotonic() - t0:.2f} s"
                        )

    def edit() -> None:
        while time.monotonic() < deadline - 1:
            editor.save()
            time.sleep(save_every)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    if editor is not None:
        threads.append(threading.Thread(target=edit, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return stats


# --- nginx ------------------------------------------------------------------------------------


def ensure_nginx() -> str | None:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    if os.geteuid() != 0:
        print("nginx is not installed (sudo apt-get install nginx); skipping the baseline")
        return None
    print("installing Debian's nginx …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], env=env, check=False,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def start_nginx(nginx: str, work: Path, size: int, procs: list[subprocess.Popen]) -> str:
    root = work / "nginx"
    (root / "html").mkdir(parents=True)
    # nginx's workers run as nobody: they must be able to reach the page.
    for folder in (work, root, root / "html"):
        folder.chmod(0o755)
    (root / "logs").mkdir()
    (root / "html" / "page.html").write_bytes(b"<!doctype html>" + b"x" * max(0, size - 15))
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(f"""worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  server {{ listen 127.0.0.1:{port}; root {root}/html; }}
}}
""")
    procs.append(subprocess.Popen([nginx, "-p", str(root), "-c", str(conf), "-g", "daemon off;"],
                                  start_new_session=True, stderr=subprocess.DEVNULL))  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/page.html", timeout=20)  # on failure, main's `finally` stops it
    return base


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--search-seconds", type=float, default=15)
    parser.add_argument("--save-every", type=float, default=3.0)
    parser.add_argument("--scale", type=float, default=0.3)
    args = parser.parse_args()

    import redis

    db_name = f"plov_bench_{os.getpid()}"
    db_url = f"{PG_SERVER}/{db_name}"
    work = Path(tempfile.mkdtemp(prefix="plov_load_"))
    data_dir = work / "data"
    env = site_env(db_url, data_dir)
    procs: list[subprocess.Popen] = []
    pg = urlsplit(PG_SERVER)
    pg_args = [
        "-h",
        pg.hostname or "127.0.0.1",
        "-p",
        str(pg.port or 5432),
        "-U",
        pg.username or "postgres",
    ]
    subprocess.run(["createdb", *pg_args, db_name], check=True)
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        print(f"building the demo (scale {args.scale}) in PostgreSQL {db_name} …", flush=True)
        run_plov(["migrate", "--noinput", "-v", "0"], env)
        run_plov(["demo", "--scale", str(args.scale), "-v", "0"], env)
        run_plov(["collectstatic", "--noinput", "-v", "0"], env)

        os.environ.update(env)  # this process talks to the same database and cache
        import django

        django.setup()
        from plov.accounts.auth import Access, apply_access
        from plov.units.models import Unit, UnitContent, UnitKind
        from tests.servers import http, logged_in_session, set_cookies

        bases = []
        for name in ("a", "b"):
            proc, base = start_server(env, work / f"server-{name}.log")
            procs.append(proc)
            bases.append(base)
        print(f"two servers: {', '.join(bases)} (2 workers x 4 threads each)", flush=True)

        # The mix.
        from django.db.models import Count

        codes = [row["municipality_id"] for row in Unit.objects.filter(published=True)
                 .values("municipality_id").annotate(n=Count("id")).order_by("-n")[:10]
                 if row["municipality_id"]]  # fmt: skip
        units = list(Unit.objects.filter(published=True).order_by("?")[:200])
        from plov.units.urls import unit_url

        watched = next(u for u in units if u.kind == UnitKind.CARE_HOME
                       and UnitContent.objects.filter(unit=u).exists())  # fmt: skip
        postcodes = sorted(
            {str((u.visiting_address or {}).get("postcode", "")) for u in units} - {""}
        )[:10]
        paths: list[tuple[str, str]] = []
        paths += [("municipal search", f"/soeg/?kommune={code}") for code in codes] * 3
        paths += [("address search", f"/soeg/?adresse={pc}&afstand=10") for pc in postcodes]
        paths += [("unit page", unit_url(u)) for u in units[:30]]
        paths += [("API", f"/api/v1/units?kommune={code}") for code in codes[:5]]
        paths += [("API", f"/api/v1/units/{u.pk}") for u in units[:10]]
        paths += [("CSV", "/data/enheder.csv")] * 5
        paths += [("editor's unit", unit_url(watched))] * 5
        mix = defaultdict(int)
        for kind, _ in paths:
            mix[kind] += 1
        print("mix: " + ", ".join(f"{k} {v * 100 / len(paths):.0f} %" for k, v in mix.items()))

        # The editor: an agency user's session, the lock taken over HTTP on server A.
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(f"bench-editor-{uuid.uuid4().hex[:6]}")
        apply_access(user, Access(roles=["agency"], cvr="33257872", first_name="Bench"))
        user = get_user_model().objects.get(pk=user.pk)
        cookies = {"sessionid": logged_in_session(user)}
        status, headers, _ = http("GET", f"{bases[0]}/admin/enheder/{watched.pk}/", cookies=cookies)
        cookies.update(set_cookies(headers))
        status, _, _ = http("POST", f"{bases[0]}/admin/enheder/{watched.pk}/laas/", cookies=cookies,
                            data={"csrfmiddlewaretoken": cookies["csrftoken"]})  # fmt: skip
        assert status == 302, f"lock: {status}"
        editor = Editor(bases[0], watched.pk, cookies)

        print("warming up (5 s) …", flush=True)
        drive(bases, paths, args.clients, 5)
        stats = drive(bases, paths, args.clients, args.seconds, editor, args.save_every)
        mixed = report(f"MIXED LOAD: {args.clients} clients, {args.seconds:.0f} s, two servers "
                       "round-robin, an editor saving", stats, args.seconds)  # fmt: skip
        print(
            f"  editor saves: {editor.saves} ok, {editor.failures} failed; reads of the "
            f"edited page after a save: {stats.watched_reads_after_save}; STALE: {stats.stale}"
        )
        for line in stats.stale_detail[:10]:
            print(f"    stale: {line}")

        # Strictly, without load: each save, then at once the page from both servers.
        quiet_stale = 0
        for _ in range(5):
            editor.save()
            for base in bases:
                _, _, body = http("GET", base + unit_url(watched))
                quiet_stale += editor.sent[editor.done - 1].encode() not in body
        print(f"  without load: 5 saves, each read at once from both servers: stale {quiet_stale}")
        for name in ("a", "b"):
            text = (work / f"server-{name}.log").read_text(errors="replace")
            print(
                f"  server {name} log: {text.count('Traceback')} tracebacks, "
                f"{text.count('WORKER TIMEOUT')} worker timeouts"
            )

        search = [p for p in paths if p[0] in ("municipal search", "address search")]
        cached = report("SEARCH ONLY, cached (Redis)",
                        drive(bases, search, args.clients, args.search_seconds),
                        args.search_seconds)  # fmt: skip
        for proc in procs:
            stop(proc)
        procs.clear()
        plain = site_env(db_url, data_dir, cache_url="dummy://")
        bases = []
        for name in ("a", "b"):
            proc, base = start_server(
                plain, work / f"server-{name}-nocache.log", ready="/healthz"
            )  # /readyz: 503, no working cache
            procs.append(proc)
            bases.append(base)
        drive(bases, search, args.clients, 3)
        uncached = report("SEARCH ONLY, uncached (PLOV_CACHE_URL=dummy://)",
                          drive(bases, search, args.clients, args.search_seconds),
                          args.search_seconds)  # fmt: skip

        nginx = ensure_nginx()
        static = None
        if nginx:
            base = start_nginx(nginx, work, int(cached["avg_bytes"]), procs)
            static = report(f"NGINX: one static file of {cached['avg_bytes'] / 1024:.1f} KiB",
                            drive([base], [("static page", "/page.html")], args.clients,
                                  args.search_seconds), args.search_seconds)  # fmt: skip

        print("\nSUMMARY")
        print(
            f"  mixed load        {mixed['rps']:8.1f} req/s  p95 {mixed['p95']:7.1f} ms  "
            f"errors {mixed['errors']}  stale reads {stats.stale} (+{quiet_stale} without load)"
        )
        print(f"  search cached     {cached['rps']:8.1f} req/s  p95 {cached['p95']:7.1f} ms")
        print(
            f"  search uncached   {uncached['rps']:8.1f} req/s  p95 {uncached['p95']:7.1f} ms  "
            f"(cache gives x{cached['rps'] / max(uncached['rps'], 0.01):.1f})"
        )
        if static:
            print(
                f"  nginx static      {static['rps']:8.1f} req/s  p95 {static['p95']:7.1f} ms  "
                f"(cached search at {cached['rps'] * 100 / max(static['rps'], 0.01):.1f} % of it)"
            )
    finally:
        for proc in procs:
            stop(proc)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        subprocess.run(["dropdb", *pg_args, "--if-exists", "--force", db_name], check=False)
        redis.Redis.from_url(REDIS_URL).flushdb()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

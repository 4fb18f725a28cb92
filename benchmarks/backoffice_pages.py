"""Latency of the back-office pages each role uses, beside the public home page and a static file.

    .venv/bin/python benchmarks/backoffice_pages.py [--requests 30] [--scale 1.0] [--warmup 3]

Builds a fresh demo database (SQLite under /tmp/plov_bench_backoffice.sqlite3), serves plov with
gunicorn (2 workers x 4 threads, production settings) on 127.0.0.1 and logs the demo users in by
creating Django sessions for them directly in that database (production settings have no demo
login). Then, for every page, as the role that uses it: a few warm-up requests, then N sequential
requests on one keep-alive connection, each timed with time.perf_counter around http.client's
request + reading the whole body. Prints p50/p95/max and the response size per page, the same for
the public home page `/` (anonymous) and for a static file as large as the average back-office
response, served by Python's http.server (with TCP_NODELAY), and the target (< 500 ms p95 for a
back-office page). Figures only, no pass/fail. The database stays in /tmp for profiling afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import PLOV, REPO, demo_site, free_port, site_env, stop, wait_http

DB_NAME = "plov_bench_backoffice.sqlite3"
TARGET_MS = 500.0
USERS = ["admin", "redaktoer-aarhus", "kontrakt-aarhus", "tilsyn-silkeborg"]
ROLE = {
    "admin": "agency",
    "redaktoer-aarhus": "editor",
    "kontrakt-aarhus": "contract",
    "tilsyn-silkeborg": "supervisor",
}

# Run by `plov shell -c` with the site's environment. Production users come through single
# sign-on, which leaves a UserProfile (roles, organisation CVR); `plov demo`'s users only have
# groups and a CVR in the e-mail, which plov reads back only with PLOV_DEMO=1. So the snippet gives
# each user the profile SSO would have given them, then a database session.
SESSION_SNIPPET = r"""
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from plov.accounts.models import ROLE_BY_GROUP, UserProfile
from plov.accounts.scope import Scope
from plov.demo.users import organisation_cvr
from plov.units.models import Unit, UnitKind

out = {"sessions": {}, "profiles": {}}
users = {}
for name in USERNAMES:
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        continue
    roles = sorted(ROLE_BY_GROUP[g] for g in user.groups.values_list("name", flat=True)
                   if g in ROLE_BY_GROUP)
    UserProfile.objects.update_or_create(
        user=user, defaults={"roles": roles, "organisation_cvr": organisation_cvr(user) or "",
                             "sor_ids": []})
    user = get_user_model().objects.get(pk=user.pk)
    s = SessionStore()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s.create()
    out["sessions"][name] = s.session_key
    out["profiles"][name] = {"roles": roles, "cvr": organisation_cvr(user) or ""}
    users[name] = user

editor = users.get("redaktoer-aarhus")
if editor is not None:
    unit = (Scope.for_user(editor).editable().filter(kind=UnitKind.CARE_HOME, closed_on__isnull=True)
            .order_by("pk").first())
    out["editor_unit"] = unit and [unit.pk, unit.name]
    out["editor_units"] = Scope.for_user(editor).editable().count()
supervisor = users.get("tilsyn-silkeborg")
if supervisor is not None:
    scope = Scope.for_user(supervisor)
    unit = (Unit.objects.filter(municipality_id__in=scope.supervised_municipalities,
                                closed_on__isnull=True)
            .annotate(n=Count("supervision_feedback", distinct=True) + Count("sanctions", distinct=True))
            .order_by("-n", "pk").first())
    out["supervisor_unit"] = unit and [unit.pk, unit.name]
    out["supervised_municipalities"] = sorted(scope.supervised_municipalities)
print("BENCH_JSON " + json.dumps(out))
"""


# `python -m http.server --protocol HTTP/1.1`, but with TCP_NODELAY: the stock handler sends the
# headers and the body in two writes, and on a keep-alive connection Nagle's algorithm holds the
# second one until the client's delayed ACK (~40 ms on Linux), which would make the "ceiling"
# slower than the application.
STATIC_SERVER = """
import functools, http.server, sys
h = http.server.SimpleHTTPRequestHandler
h.protocol_version = "HTTP/1.1"
h.disable_nagle_algorithm = True
h.log_message = lambda *a: None
handler = functools.partial(h, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


@dataclass
class Result:
    label: str
    role: str
    path: str
    lat: list[float] = field(default_factory=list)  # seconds
    statuses: dict[int, int] = field(default_factory=dict)
    size: int = 0
    errors: list[str] = field(default_factory=list)

    def pct(self, p: float) -> float:
        lat = sorted(self.lat)
        if not lat:
            return float("nan")
        return lat[min(len(lat) - 1, round(p / 100 * (len(lat) - 1)))] * 1000

    @property
    def ok(self) -> bool:
        return bool(self.lat) and set(self.statuses) == {200} and not self.errors


def login_sessions(db_path: Path) -> dict:
    """Sessions for the demo users, and a unit for the editor's and the supervisor's pages."""
    data_dir = Path(tempfile.mkdtemp(prefix="plov_bench_shell_"))
    try:
        env = site_env(db_path, data_dir)
        code = f"USERNAMES = {USERS!r}\n" + SESSION_SNIPPET
        res = subprocess.run(
            [str(PLOV), "shell", "-c", code],
            env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    for line in res.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    sys.stderr.write(res.stdout[-3000:] + res.stderr[-3000:])
    raise RuntimeError(f"plov shell (sessions) failed ({res.returncode})")


def measure(base: str, r: Result, session: str | None, n: int, warmup: int) -> Result:
    """Warm-up, then n sequential requests on one keep-alive connection. Never raises."""
    host = urlsplit(base)
    headers = {"Accept-Encoding": "identity", "Accept": "text/html,*/*"}
    if session:
        headers["Cookie"] = f"sessionid={session}"
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    try:
        for i in range(warmup + n):
            t0 = time.perf_counter()
            try:
                conn.request("GET", r.path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                r.errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
                if len(r.errors) >= 3:
                    break
                continue
            dt = time.perf_counter() - t0
            if i < warmup:
                if resp.status != 200 and i == 0:
                    where = resp.getheader("Location")
                    print(f"    warm-up: {r.path} -> {resp.status}{' ' + where if where else ''}")
                continue
            r.lat.append(dt)
            r.statuses[resp.status] = r.statuses.get(resp.status, 0) + 1
            r.size = max(r.size, len(body))
    finally:
        conn.close()
    return r


def static_baseline(size: int, n: int, warmup: int) -> Result:
    tmp = Path(tempfile.mkdtemp(prefix="plov_bench_static_"))
    proc = None
    try:
        (tmp / "page.html").write_bytes(b"x" * size)
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-c", STATIC_SERVER, str(port), str(tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        sbase = f"http://127.0.0.1:{port}"
        wait_http(sbase + "/page.html", timeout=20)
        r = Result("static file", "http.server", "/page.html")
        return measure(sbase, r, None, n, warmup)
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--requests", type=int, default=30, help="timed requests per page")
    ap.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()

    print(f"load average before: {os.getloadavg()[0]:.2f} (cpus: {os.cpu_count()})")
    results: list[Result] = []
    with demo_site(args.scale, DB_NAME) as (base, db_path):
        t0 = time.perf_counter()
        info = login_sessions(db_path)
        sessions = info["sessions"]
        print(f"  sessions for {', '.join(sessions)} {time.perf_counter() - t0:10.1f} s")
        for name, p in info["profiles"].items():
            print(f"    {name:18} roles={','.join(p['roles'])} cvr={p['cvr']}")
        missing = [u for u in USERS if u not in sessions]
        if missing:
            print(f"  warning: no such demo user(s): {', '.join(missing)}")
        eunit = info.get("editor_unit") or [None, None]
        sunit = info.get("supervisor_unit") or [None, None]
        print(f"  editor's unit:     {eunit[0]} {eunit[1]} (of {info.get('editor_units')} units)")
        print(
            f"  supervisor's unit: {sunit[0]} {sunit[1]}"
            f" (municipalities {info.get('supervised_municipalities')})"
        )

        pages = [
            ("home (public)", None, "/"),
            ("start page", "admin", "/admin/"),
            ("start page", "redaktoer-aarhus", "/admin/"),
            ("start page", "kontrakt-aarhus", "/admin/"),
            ("start page", "tilsyn-silkeborg", "/admin/"),
            ("units", "redaktoer-aarhus", "/admin/enheder/"),
            ("unit editor", "redaktoer-aarhus", f"/admin/enheder/{eunit[0]}/"),
            ("agreements", "kontrakt-aarhus", "/admin/serviceleverancer/"),
            ("supervision", "tilsyn-silkeborg", "/admin/tilsyn/"),
            ("supervision unit", "tilsyn-silkeborg", f"/admin/tilsyn/{sunit[0]}/"),
            ("supervision CSV", "tilsyn-silkeborg", "/api/v1/tilsyn/enheder.csv"),
            ("data quality", "admin", "/admin/datakvalitet/"),
            ("data quality 751", "admin", "/admin/datakvalitet/kommune/751/"),
            ("data quality CSV", "admin", "/admin/datakvalitet/datakvalitet.csv"),
            ("audit log", "admin", "/admin/enheder/revisionslog/"),
            ("locks", "admin", "/admin/enheder/laase/"),
        ]
        n = args.requests
        print(f"\n{n} sequential keep-alive requests per page after {args.warmup} warm-up …")
        for label, user, path in pages:
            role = ROLE.get(user, "anonymous") if user else "anonymous"
            r = Result(label, role, path)
            if user and user not in sessions:
                r.errors.append(f"no session for {user}")
            elif "/None/" in path:
                r.errors.append("no unit found for this page")
            else:
                t1 = time.perf_counter()
                measure(base, r, sessions.get(user) if user else None, n, args.warmup)
                print(f"  {label:17} {role:10} {path:42} {time.perf_counter() - t1:6.1f} s",
                      flush=True)  # fmt: skip
            results.append(r)
        load_during = os.getloadavg()[0]

    backoffice = [r for r in results if r.role != "anonymous" and r.ok]
    avg = int(sum(r.size for r in backoffice) / len(backoffice)) if backoffice else 100_000
    print(f"static file as large as the average back-office response ({avg / 1024:.1f} KiB) …")
    results.append(static_baseline(avg, n, args.warmup))

    print()
    print(
        f"{'page':17} {'role':10} {'path':42} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
        f" {'size KiB':>9}  target p95 < {TARGET_MS:.0f} ms"
    )
    for r in results:
        status = ""
        if not r.ok:
            bad = {s: c for s, c in r.statuses.items() if s != 200}
            status = " ".join([f"HTTP {s} x{c}" for s, c in sorted(bad.items())] + r.errors[:1])
        if r.role in ("anonymous", "http.server"):
            mark = "(baseline)"
        else:
            mark = "ok" if r.lat and r.pct(95) < TARGET_MS else "OVER" if r.lat else "-"
        print(
            f"{r.label:17} {r.role:10} {r.path:42} {r.pct(50):8.1f} {r.pct(95):8.1f}"
            f" {r.pct(100):8.1f} {r.size / 1024:9.1f}  {mark} {status}".rstrip()
        )
    print()
    print(
        "latency = client-side perf_counter around request + full body read over loopback on a"
        " warm keep-alive\nconnection (≈ server time); size = uncompressed body. KiB = 1024 bytes."
    )
    print(f"load average during the run: {load_during:.2f}, after: {os.getloadavg()[0]:.2f}")
    print(f"database kept for profiling: /tmp/{DB_NAME}")


if __name__ == "__main__":
    main()

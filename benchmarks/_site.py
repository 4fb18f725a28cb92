"""Shared set-up for the HTTP benchmarks: a demo database, collected static files and gunicorn.

`demo_site(...)` is a context manager: it builds a fresh SQLite demo database under /tmp, runs
`plov migrate`, `plov demo --scale S` and `plov collectstatic`, starts gunicorn on 127.0.0.1
(2 workers x 4 threads, production settings) and yields the base URL. Everything it started is
stopped on exit, also on errors and Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
PLOV = VENV_BIN / "plov"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_gunicorn() -> Path:
    gunicorn = VENV_BIN / "gunicorn"
    if not gunicorn.exists():
        print("installing gunicorn into .venv …", flush=True)
        pip = [str(VENV_BIN / "pip"), "install", "-q"]
        if subprocess.run([*pip, "gunicorn==23.0.0"], check=False).returncode != 0:
            subprocess.run([*pip, "gunicorn"], check=True)
    return gunicorn


def site_env(db_path: Path, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        DJANGO_SETTINGS_MODULE="plov.settings.production",
        PLOV_SECRET_KEY="bench",
        PLOV_ALLOWED_HOSTS="127.0.0.1",
        PLOV_DEBUG="0",
        PLOV_DATA_DIR=str(data_dir),
        PLOV_LOG_LEVEL="WARNING",
        PLOV_REQUEST_LOG="0",
        PLOV_SSL_REDIRECT="0",  # plain HTTP on 127.0.0.1, no TLS proxy in front
    )
    return env


def run_plov(args: list[str], env: dict[str, str], timeout: float) -> None:
    t0 = time.perf_counter()
    res = subprocess.run(
        [str(PLOV), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    if res.returncode != 0:
        sys.stderr.write(res.stdout[-3000:] + res.stderr[-3000:])
        raise RuntimeError(f"plov {' '.join(args)} failed ({res.returncode})")
    print(f"  plov {' '.join(args):<28} {time.perf_counter() - t0:6.1f} s", flush=True)


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(proc: subprocess.Popen | None) -> None:
    """Stop a server we started (its own process group), politely, then firmly."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def municipality_codes(db_path: Path, limit: int = 8) -> list[str]:
    """Municipality codes with the most units in the demo database (falls back to a fixed list)."""
    try:
        con = sqlite3.connect(db_path)
        cols = [r[1] for r in con.execute("PRAGMA table_info(units_unit)")]
        col = next(
            (c for c in ("municipality_id", "kommune_id", "municipality_code") if c in cols), None
        )
        rows = []
        if col:
            rows = con.execute(
                f"SELECT {col}, COUNT(*) FROM units_unit GROUP BY 1 ORDER BY 2 DESC LIMIT ?",
                (limit,),
            ).fetchall()
        con.close()
        codes = [str(r[0]) for r in rows if r[0] is not None]
    except sqlite3.Error:
        codes = []
    return codes or ["101", "147", "157", "461", "751", "851"]


def collect_static(env: dict[str, str], work: Path) -> None:
    """`plov collectstatic`; if it trips over a referenced file that is missing (a source map the
    asset build does not copy), retry with a stand-in for that file and say so."""
    extra = work / "extra_static"
    cenv = dict(env)
    for _attempt in range(6):
        t0 = time.perf_counter()
        res = subprocess.run(
            [str(PLOV), "collectstatic", "--noinput", "-v", "0"],
            env=cenv, cwd=REPO, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if res.returncode == 0:
            print(f"  plov collectstatic{'':17} {time.perf_counter() - t0:6.1f} s", flush=True)
            return
        m = re.search(r"The file '([^']+)' could not be found", res.stderr)
        if not m:
            sys.stderr.write(res.stdout[-3000:] + res.stderr[-3000:])
            raise RuntimeError("plov collectstatic failed")
        missing = m.group(1)
        print(
            f"  WARNING: collectstatic (production storage) fails: {missing} is referenced but"
            " missing; retrying with a stand-in for it (site bug, not the benchmark's)"
        )
        target = extra / missing
        target.parent.mkdir(parents=True, exist_ok=True)
        found = list((REPO / "node_modules").rglob(Path(missing).name))
        if found:
            shutil.copyfile(found[0], target)
        else:
            target.write_text(
                '{"version":3,"sources":[],"mappings":""}' if missing.endswith(".map") else ""
            )
        cenv.update(
            DJANGO_SETTINGS_MODULE="_collect_settings",
            PLOV_BENCH_EXTRA_STATIC=str(extra),
            PYTHONPATH=os.pathsep.join(
                filter(None, [str(Path(__file__).parent), str(REPO), env.get("PYTHONPATH")])
            ),
        )
    raise RuntimeError("plov collectstatic failed: too many missing files")


@contextlib.contextmanager
def demo_site(
    scale: float, db_name: str, workers: int = 2, threads: int = 4
) -> Iterator[tuple[str, Path]]:
    """Build the demo and serve it with gunicorn; yields (base URL, database path)."""
    gunicorn = ensure_gunicorn()
    work = Path(tempfile.mkdtemp(prefix="plov_bench_"))
    db_path = Path("/tmp") / db_name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    env = site_env(db_path, work / "data")
    proc = None
    try:
        print(f"building the demo site (scale {scale}) in {db_path} …", flush=True)
        run_plov(["migrate", "--noinput", "-v", "0"], env, timeout=600)
        run_plov(["demo", "--scale", str(scale), "-v", "0"], env, timeout=1200)
        collect_static(env, work)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(work / "gunicorn.log", "w")  # noqa: SIM115 - closed with the work dir
        proc = subprocess.Popen(
            [
                str(gunicorn),
                "plov.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                f"--threads={threads}",
                "--worker-class=gthread",
                "--keep-alive=30",
                "--log-level=warning",
                "--timeout=60",
            ],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_http(base + "/", timeout=60)
        print(f"gunicorn ({workers} workers x {threads} threads) on {base}", flush=True)
        yield base, db_path
    finally:
        stop(proc)
        shutil.rmtree(work, ignore_errors=True)

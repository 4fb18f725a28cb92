"""Benchmark of the demo country: (a) writing the full demo's register files (`plov.demo.generator.
generate`, scale 1.0: ~1,000 care homes and ~400 home-care sites) and (b) building a small demo
(`plov demo --scale 0.05`: the files and their import through the real importers) on a fresh
SQLite database. The test suite asserted these once (under 10 s and under 15 s); wall-clock
figures depend on the machine and its load, so they are measured here instead.

    .venv/bin/python benchmarks/demo_build.py [--repeat 3] [--scale 0.05]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _site import PLOV, REPO, site_env

GENERATE = """
import sys, time, tempfile, django
django.setup()
from plov.demo.generator import generate
with tempfile.TemporaryDirectory() as folder:
    started = time.monotonic()
    generate(folder, seed=1, scale=1.0)
    print(time.monotonic() - started)
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=0.05)
    options = parser.parse_args()
    generate_times, build_times = [], []
    for _ in range(options.repeat):
        with tempfile.TemporaryDirectory(prefix="plov_bench_demo_") as folder:
            env = site_env(Path(folder) / "demo.sqlite3", Path(folder) / "data")
            out = subprocess.run(
                [sys.executable, "-c", GENERATE],
                env=env,
                cwd=REPO,
                check=True,
                capture_output=True,
                text=True,
            )
            generate_times.append(float(out.stdout.strip().splitlines()[-1]))
            subprocess.run([str(PLOV), "migrate", "-v", "0"], env=env, cwd=REPO, check=True)
            build_times.append(timed([str(PLOV), "demo", "--scale", str(options.scale)], env))
    print(
        f"(a) generate, scale 1.0: median {statistics.median(generate_times):.1f} s "
        f"(runs: {', '.join(f'{t:.1f}' for t in generate_times)})"
    )
    print(
        f"(b) plov demo --scale {options.scale} (files + import): median "
        f"{statistics.median(build_times):.1f} s "
        f"(runs: {', '.join(f'{t:.1f}' for t in build_times)})"
    )


if __name__ == "__main__":
    main()

"""Lighthouse on the public pages, under the production settings.

    .venv/bin/python benchmarks/lighthouse/run.py [--scale 0.3] [--runs 1] [--url http://…]

Builds the demo (SQLite, `plov demo --scale S`, `collectstatic`) and serves it with gunicorn and
whitenoise as `benchmarks/_site.py` does (or measures a running site given with `--url`), then
runs Lighthouse 12.8.2 (pinned in this folder's package.json and package-lock.json; installed
with `npm ci` on first use) in Debian's Chromium (`CHROME_PATH`, default /usr/bin/chromium) on
each page, with Lighthouse's mobile settings (Moto G Power, slow 4G, 4x CPU slowdown) and its
desktop preset. Prints per page and form factor the four scores (performance, accessibility,
best practices, SEO), the transfer size (kB, what went over the wire, compressed) and the
largest metrics (FCP, LCP, TBT, CLS). With `--runs N` each page is measured N times and the
median performance run is kept.

Pages: home, results (the municipality with most units), its map, the nationwide map, a unit,
compare (three units), and the English home.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from _site import demo_site, municipality_codes  # noqa: E402

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        print("installing lighthouse (npm ci) …", flush=True)
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=HERE, check=True
        )


def pages(base: str, code: str) -> list[tuple[str, str]]:
    html = urllib.request.urlopen(f"{base}/soeg/?kommune={code}", timeout=60).read().decode()
    units = list(dict.fromkeys(re.findall(r'href="(/enhed/(\d+)/[^"?]+/)', html)))
    if len(units) < 3:
        html = urllib.request.urlopen(f"{base}/soeg/", timeout=60).read().decode()
        units = list(dict.fromkeys(re.findall(r'href="(/enhed/(\d+)/[^"?]+/)', html)))
    ids = ",".join(pk for _url, pk in units[:3])
    return [
        ("home", "/"),
        ("results", f"/soeg/?kommune={code}"),
        ("map", f"/kort/?kommune={code}"),
        ("nationwide map", "/kort/"),
        ("unit", units[0][0]),
        ("compare", f"/sammenlign/?ids={ids}"),
        ("English home", "/en/"),
    ]


def lighthouse(url: str, form_factor: str, out: Path) -> dict:
    args = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        "--only-categories=" + ",".join(CATEGORIES),
    ]  # fmt: skip
    if form_factor == "desktop":
        args.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROME)
    for attempt in range(3):  # Lighthouse now and then loses its trace (NO_NAVSTART): again
        done = subprocess.run(args, check=False, env=env, cwd=HERE, timeout=300)
        if done.returncode == 0:
            break
        print(f"  (lighthouse failed on {url}, attempt {attempt + 1})", flush=True)
    else:
        raise RuntimeError(f"lighthouse failed three times on {url}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "scores": {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "transfer_kb": audits["total-byte-weight"]["numericValue"] / 1024,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
    }


def measure(
    base: str, code: str, runs: int, save: Path | None = None, only: list[str] | None = None
) -> None:
    ensure_lighthouse()
    work = Path(tempfile.mkdtemp(prefix="plov_lh_"))
    try:
        print(
            f"\n{'page':<16} {'form':<8} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4}"
            f" {'kB':>7} {'req':>4} {'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6}",
            flush=True,
        )
        for name, path in pages(base, code):
            if only and name not in only:
                continue
            for form_factor in ("mobile", "desktop"):
                results = [
                    lighthouse(base + path, form_factor, work / f"r{i}.json") for i in range(runs)
                ]
                if save:
                    save.mkdir(parents=True, exist_ok=True)
                    slug = re.sub(r"\W+", "-", name)
                    shutil.copyfile(work / "r0.json", save / f"{slug}-{form_factor}.json")
                perf = [r["scores"]["performance"] for r in results]
                r = results[perf.index(sorted(perf)[len(perf) // 2])] if runs > 1 else results[0]
                s = r["scores"]
                print(
                    f"{name:<16} {form_factor:<8} {s['performance']:>4} {s['accessibility']:>4}"
                    f" {s['best-practices']:>4} {s['seo']:>4} {r['transfer_kb']:>7.1f}"
                    f" {r['requests']:>4} {r['fcp']:>6.2f} {r['lcp']:>6.2f} {r['tbt']:>7.0f}"
                    f" {r['cls']:>6.3f}"
                    + (f"   (perf of {runs} runs: {statistics.median(perf)})" if runs > 1 else ""),
                    flush=True,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--url", help="measure this running site instead of building the demo")
    parser.add_argument("--kommune", help="the municipality code for results and map")
    parser.add_argument("--save", type=Path, help="keep each page's Lighthouse JSON report here")
    parser.add_argument("--only", action="append", help="only this page (by its name; repeatable)")
    args = parser.parse_args()
    if args.url:
        measure(args.url.rstrip("/"), args.kommune or "751", args.runs, args.save, args.only)
        return
    with demo_site(args.scale, f"plov_lighthouse_{os.getpid()}.sqlite3") as (base, db_path):
        code = args.kommune or municipality_codes(db_path, limit=1)[0]
        measure(base, code, args.runs, args.save, args.only)


if __name__ == "__main__":
    main()

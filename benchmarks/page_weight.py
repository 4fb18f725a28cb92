"""Page weight of plov's public pages, as a browser with an empty cache loads them.

    .venv/bin/python benchmarks/page_weight.py [--scale 0.2]

Builds a fresh demo database, serves plov with gunicorn (production settings, whitenoise) on
127.0.0.1 and loads, each in a fresh browser context (empty cache, `Accept-Encoding: gzip`),
the home page, a results page, the first unit page on it and the compare page with 3 units, in
Debian's Chromium (/usr/bin/chromium) driven by Playwright. Every response counts: the HTML,
stylesheets, scripts, images and the fonts the page really uses. Prints per page the number of
requests, bytes transferred (as on the wire: compressed bodies + headers) and uncompressed body
bytes, beside the target "< 200 KB transferred". Figures only, no pass/fail.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import demo_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TARGET = 200 * 1000  # "200 KB"


def kind(content_type: str, url: str) -> str:
    ct = content_type.split(";")[0].strip()
    if "font" in ct or re.search(r"\.(woff2?|ttf|otf)$", urlsplit(url).path):
        return "font"
    for key, name in (("html", "html"), ("css", "css"), ("javascript", "js"), ("image", "img")):
        if key in ct:
            return name
    return ct or "other"


def weigh(browser, url: str, verbose: bool) -> dict:
    context = browser.new_context(extra_http_headers={"Accept-Encoding": "gzip"})
    page = context.new_page()
    finished: list = []
    failed: list = []
    page.on("requestfinished", lambda req: finished.append(req))
    page.on("requestfailed", lambda req: failed.append(req))
    try:
        page.goto(url, wait_until="load", timeout=60_000)
        with contextlib.suppress(Exception):  # a chatty page still gets measured
            page.wait_for_load_state("networkidle", timeout=10_000)
        wire = body = 0
        kinds: Counter = Counter()
        encodings: Counter = Counter()
        rows = []
        for req in finished:
            resp = req.response()
            if resp is None:
                continue
            sizes = req.sizes()
            w = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            try:
                b = len(resp.body())
            except Exception:  # e.g. redirects have no body
                b = 0
            k = kind(resp.headers.get("content-type", ""), req.url)
            wire += w
            body += b
            kinds[k] += 1
            encodings[resp.headers.get("content-encoding", "identity")] += 1
            rows.append((w, b, resp.status, k, req.url))
        if verbose:
            for w, b, status, k, u in sorted(rows, reverse=True):
                print(f"      {w / 1000:7.1f} kB {b / 1000:7.1f} kB {status} {k:5} {u}")
        return {
            "requests": len(finished) + len(failed),
            "failed": len(failed),
            "wire": wire,
            "body": body,
            "kinds": kinds,
            "encodings": encodings,
        }
    finally:
        context.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.2)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every response")
    args = ap.parse_args()

    from playwright.sync_api import sync_playwright

    print(f"load average: {os.getloadavg()[0]:.2f} (cpus: {os.cpu_count()})")
    with demo_site(args.scale, "plov_bench_weight.sqlite3") as (base, _db):
        with urllib.request.urlopen(base + "/soeg/?kommune=751", timeout=30) as r:
            html = r.read().decode()
        links = list(dict.fromkeys(re.findall(r'href="(/(?:en/)?enhed/(\d+)/[^"]*)"', html)))
        if not links:
            raise SystemExit("no unit links on /soeg/?kommune=751")
        ids = list(dict.fromkeys(pk for _href, pk in links))[:3]
        pages = [
            ("home", "/"),
            ("results", "/soeg/?kommune=751"),
            ("unit", links[0][0]),
            ("compare", "/sammenlign/?ids=" + ",".join(ids)),
        ]
        results = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for name, path in pages:
                    print(f"  {name:8} {path}", flush=True)
                    results.append((name, path, weigh(browser, base + path, args.verbose)))
            finally:
                browser.close()

    print()
    print(
        f"{'page':8} {'requests':>8} {'transferred':>12} {'uncompressed':>13}  target < 200 KB   by type"
    )
    for name, _path, r in results:
        mark = "ok" if r["wire"] < TARGET else "OVER"
        types = " ".join(f"{k}:{n}" for k, n in sorted(r["kinds"].items()))
        failed = f" (failed: {r['failed']})" if r["failed"] else ""
        print(
            f"{name:8} {r['requests']:8d} {r['wire'] / 1000:9.1f} kB {r['body'] / 1000:10.1f} kB"
            f"  {mark:15}  {types}{failed}"
        )
    enc = Counter()
    for _n, _p, r in results:
        enc.update(r["encodings"])
    print("\ncontent-encoding of all responses:", dict(enc))
    print("transferred = response headers + body bytes as received (Chromium's own sizes);")
    print(
        "uncompressed = decoded body bytes. kB = 1000 bytes. Fresh context (empty cache) per page."
    )


if __name__ == "__main__":
    main()

"""How long the open-data downloads take to build, on the database DATABASE_URL names.

    DATABASE_URL=postgresql://… .venv/bin/python benchmarks/opendata_exports.py [--runs 3]

Run it on a database holding the demo country (`plov demo`, 1,361 units). In-process, with the
test client (no network, no cache): each download is built --runs times, timed with
time.perf_counter around the request and reading the whole body; printed per download: the
fastest and the slowest run in ms and the body size. Figures only, no pass/fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plov.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    from plov.units.models import Unit

    since = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    urls = [
        "/data/enheder.csv",
        "/data/fhir.json",
        "/api/v1/units?limit=100",
        "/api/v1/units?kommune=751&limit=100",
        f"/api/v1/changes?since={since}&limit=100",
        "/data/",
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{Unit.objects.published().count()} published units; {args.runs} runs each")
    print(f"{'download':45} {'min ms':>8} {'max ms':>8} {'bytes':>10}")
    for url in urls:
        times, size = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
            size = len(body)
            if response.status_code != 200:
                print(f"{url}: {response.status_code}")
                break
        print(f"{url:45} {min(times):8.0f} {max(times):8.0f} {size:10d}")


if __name__ == "__main__":
    main()

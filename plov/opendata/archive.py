"""Monthly archives of the open data: `enheder-YYYY-MM.csv` and `enheder-YYYY-MM.json`.

The nightly run (`plov nightly`) calls `keep_monthly_snapshot`: the first run of a month (on
the 1st, or the next night if that run did not get this far) writes the month's snapshot of
every published unit to the default storage (the local media directory, or S3 through
django-storages: only the storage API is used, never a path on disk). A snapshot that exists
is never written again, so earlier months stay downloadable unchanged and running twice the
same month changes nothing. `/data/arkiv/<name>` serves them; the open-data page lists them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from plov.opendata import dictionary

ARCHIVE_DIR = "opendata/arkiv"
FILE_NAME = re.compile(r"enheder-(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])\.(?P<ext>csv|json)")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def file_name(month: dt.date, ext: str) -> str:
    return f"enheder-{month:%Y-%m}.{ext}"


def storage_name(name: str) -> str:
    return f"{ARCHIVE_DIR}/{name}"


def snapshot_csv(today: dt.date) -> bytes:
    from plov.opendata.exports import csv_lines

    return "".join(csv_lines(today=today)).encode("utf-8")


def snapshot_json(today: dt.date, generated_at: dt.datetime) -> bytes:
    from plov.opendata.api import UnitOut
    from plov.opendata.exports import published_records

    items = [UnitOut(**r).model_dump(mode="json") for r in published_records(today=today)]
    body = {
        "month": f"{today:%Y-%m}",
        "generated_at": timezone.localtime(generated_at).isoformat(),
        "licence": settings.PLOV_OPEN_DATA_LICENCE,
        "csv_version": dictionary.CSV_VERSION,
        "total": len(items),
        "items": items,
    }
    return json.dumps(body, ensure_ascii=False, indent=None).encode("utf-8")


def _today() -> dt.date:
    return timezone.localdate()


def keep_monthly_snapshot(today: dt.date | None = None) -> list[str]:
    """Write this month's snapshot files that do not exist yet; the names written."""
    today = today or _today()
    written = []
    for ext in ("csv", "json"):
        name = storage_name(file_name(today, ext))
        if default_storage.exists(name):
            continue
        body = snapshot_csv(today) if ext == "csv" else snapshot_json(today, timezone.now())
        saved = default_storage.save(name, ContentFile(body))
        if saved != name:  # another process wrote it meanwhile: keep theirs, not a copy
            default_storage.delete(saved)
            continue
        written.append(name)
    return written


@dataclass(frozen=True)
class Archive:
    month: dt.date
    csv_url: str | None
    json_url: str | None


def archives() -> list[Archive]:
    """The months archived, the latest first."""
    try:
        _dirs, files = default_storage.listdir(ARCHIVE_DIR)
    except (FileNotFoundError, NotADirectoryError):
        return []
    months: dict[dt.date, dict[str, str]] = {}
    for name in files:
        match = FILE_NAME.fullmatch(name)
        if match:
            month = dt.date(int(match["year"]), int(match["month"]), 1)
            url = reverse("opendata-archive", args=[name])
            months.setdefault(month, {})[match["ext"]] = url
    return [
        Archive(month, urls.get("csv"), urls.get("json"))
        for month, urls in sorted(months.items(), reverse=True)
    ]

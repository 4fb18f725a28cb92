"""Monthly open-data archives: `enheder-YYYY-MM.csv` and `.json`, kept by the nightly run on
the first of the month in the default storage (local disk or S3), never overwritten."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from plov.opendata import archive
from plov.opendata.archive import archives, keep_monthly_snapshot
from plov.opendata.exports import CSV_HEADER, csv_lines
from plov.units.models import Unit
from tests import country as c
from tests.test_media_s3 import BUCKET, bucket, keys, s3_endpoint  # noqa: F401  (fixtures)
from tests.test_opendata import shown  # noqa: F401  (fixture)

MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def download(client, name: str) -> bytes:
    response = client.get(f"/data/arkiv/{name}")
    assert response.status_code == 200, name
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    return b"".join(response.streaming_content)


@pytest.mark.usefixtures("shown")
def test_the_first_of_the_month_keeps_the_csv_and_json_as_they_are(client, media_root):
    assert keep_monthly_snapshot(MARCH) == [
        "opendata/arkiv/enheder-2026-03.csv",
        "opendata/arkiv/enheder-2026-03.json",
    ]
    csv_bytes = download(client, "enheder-2026-03.csv")
    # what /data/enheder.csv gave that day (agreements in force on the 1st)
    assert csv_bytes == "".join(csv_lines(today=MARCH)).encode("utf-8")
    assert csv_bytes.decode("utf-8-sig").splitlines()[0].split(";") == CSV_HEADER
    snapshot = json.loads(download(client, "enheder-2026-03.json"))
    assert snapshot["month"] == "2026-03" and snapshot["licence"] == "CC BY 4.0"
    assert snapshot["csv_version"] == "1"
    live = client.get("/api/v1/units", {"limit": 100}).json()
    assert snapshot["total"] == live["total"]
    assert sorted(u["id"] for u in snapshot["items"]) == sorted(u["id"] for u in live["items"])
    assert set(snapshot["items"][0]) == set(live["items"][0])  # the API's fields

    page = client.get("/data/").content.decode()
    assert 'href="/data/arkiv/enheder-2026-03.csv"' in page
    assert 'href="/data/arkiv/enheder-2026-03.json"' in page
    assert "Marts 2026" in page


@pytest.mark.usefixtures("shown")
def test_a_month_is_never_written_twice_and_earlier_months_stay_unchanged(client, media_root):
    keep_monthly_snapshot(MARCH)
    march = download(client, "enheder-2026-03.csv")
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    solgaarden.name = "Plejecenter Solgården (nyt navn)"
    solgaarden.save()
    assert keep_monthly_snapshot(MARCH) == []  # the same month again: nothing written
    assert keep_monthly_snapshot(MARCH + dt.timedelta(days=14)) == []
    assert download(client, "enheder-2026-03.csv") == march
    assert "nyt navn" not in march.decode("utf-8")

    assert len(keep_monthly_snapshot(APRIL)) == 2
    assert "nyt navn" in download(client, "enheder-2026-04.csv").decode("utf-8")
    assert download(client, "enheder-2026-03.csv") == march
    assert [a.month for a in archives()] == [APRIL, MARCH]  # the latest first
    assert sorted(p.name for p in (media_root / "opendata" / "arkiv").iterdir()) == [
        "enheder-2026-03.csv", "enheder-2026-03.json",
        "enheder-2026-04.csv", "enheder-2026-04.json",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "enheder-2026-05.csv",
        "enheder-2026-13.csv",
        "enheder-2026-03.xlsx",
        "..%2Fsecret",
        "enheder-2026-03.csv.bak",
    ],
)
def test_a_month_not_archived_or_a_strange_name_is_404(db, client, media_root, name):
    (media_root / "opendata" / "arkiv").mkdir(parents=True)
    (media_root / "opendata" / "arkiv" / "enheder-2026-03.csv.bak").write_text("x")
    assert client.get(f"/data/arkiv/{name}").status_code == 404


def test_without_archives_the_page_says_so(db, client, media_root):
    assert archives() == []
    assert "Der er endnu ikke arkiveret nogen måned." in client.get("/data/").content.decode()


@pytest.mark.usefixtures("shown")
def test_the_nightly_run_keeps_the_month_once(media_root, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "_today", lambda: dt.date(2026, 5, 1))
    empty = tmp_path / "registers-none"
    empty.mkdir()
    out = io.StringIO()
    call_command("nightly", str(empty), stdout=out)
    assert "månedsarkiv for åbne data gemt: opendata/arkiv/enheder-2026-05.csv" in out.getvalue()
    written = (media_root / "opendata" / "arkiv" / "enheder-2026-05.csv").read_bytes()
    out = io.StringIO()
    call_command("nightly", str(empty), stdout=out)
    assert "månedsarkiv" not in out.getvalue()
    assert (media_root / "opendata" / "arkiv" / "enheder-2026-05.csv").read_bytes() == written


@pytest.mark.usefixtures("shown")
def test_archives_live_in_the_s3_bucket(client, bucket, media_root):  # noqa: F811
    assert len(keep_monthly_snapshot(MARCH)) == 2
    assert {"opendata/arkiv/enheder-2026-03.csv", "opendata/arkiv/enheder-2026-03.json"} <= keys(
        bucket
    )
    assert not [p for p in media_root.rglob("*") if p.is_file()]  # nothing on the local disk
    march = download(client, "enheder-2026-03.csv")
    assert (
        march
        == bucket.get_object(Bucket=BUCKET, Key="opendata/arkiv/enheder-2026-03.csv")["Body"].read()
    )
    assert keep_monthly_snapshot(MARCH) == []  # idempotent on S3 too
    assert keys(bucket) == {
        "opendata/arkiv/enheder-2026-03.csv", "opendata/arkiv/enheder-2026-03.json"
    }  # fmt: skip
    assert [a.month for a in archives()] == [MARCH]
    assert 'href="/data/arkiv/enheder-2026-03.json"' in client.get("/data/").content.decode()

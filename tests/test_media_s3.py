"""Media on S3-compatible object storage (django-storages), against a real S3 server.

The test starts moto's S3 server on 127.0.0.1 (a free port), points the `default` storage at a
bucket there exactly as `PLOV_MEDIA_S3_*` would (plov/settings/base.py), and goes through the
back office: an editor uploads an image and a PDF, both are served from the bucket, then the
image is replaced and the PDF deleted, and after the 30 days they can be restored the purge
removes their objects from the bucket.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from plov.media.models import RemovedMedia, restore_days
from plov.media.removal import purge
from plov.units.models import UnitContent, UnitDocument
from tests.servers import free_port, http
from tests.test_media import (  # noqa: F401  (fixtures)
    editor,
    media_root,
    pdf,
    picture,
    post_document,
    post_image,
    url,
    world,
)

BUCKET = "plov-media-test"


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    moto_server = Path(sys.executable).with_name("moto_server")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
        )  # fmt: skip
        endpoint = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(endpoint + "/moto-api/", timeout=2).read()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"moto did not start: {log.read_text()[-2000:]}")
                    time.sleep(0.2)
            yield endpoint
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="eu-north-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    # What plov/settings/base.py builds from PLOV_MEDIA_S3_BUCKET, _ENDPOINT_URL, _REGION, _KEYS.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "eu-north-1",
                "access_key": "test", "secret_key": "test", "default_acl": None,
                "querystring_auth": True, "file_overwrite": False,
            },
        },
    }  # fmt: skip
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def fetch(address: str) -> bytes:
    status, _, body = http("GET", address)
    assert status == 200, (address, status, body[:300])
    return body


def test_images_and_pdfs_live_in_the_bucket_and_leave_it_when_replaced_or_deleted(
    editor,  # noqa: F811
    client,
    bucket,
    media_root,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    unit, _ = editor
    with django_capture_on_commit_callbacks(execute=True):
        assert post_image(client, unit, 1, name="stuen.jpg").status_code == 302
        assert post_document(client, unit, file_name="rapport.pdf").status_code == 302
    image = UnitContent.objects.get(unit=unit).image_1
    document = UnitDocument.objects.get(unit=unit).document
    assert {image.file.name, document.file.name} <= keys(bucket)
    assert not [p for p in media_root.rglob("*") if p.is_file()]  # nothing on the local disk

    # Served from the bucket: the original, a rendition as the unit page shows it; the PDF
    # through Wagtail's document link, streamed from the bucket by plov's document view as a
    # sandboxed download (plov.media.views.serve_document), never inline.
    assert fetch(image.file.url)[:3] == b"\xff\xd8\xff"
    rendition = image.get_rendition("fill-400x300")
    assert rendition.file.name in keys(bucket)
    assert fetch(rendition.url)[:3] == b"\xff\xd8\xff"
    served = client.get(document.url)
    assert served.status_code == 200 and served["Content-Disposition"].startswith("attachment")
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == pdf()

    # Replacing the image keeps the old one restorable (30 days); the document likewise.
    old = {image.file.name, rendition.file.name}
    with django_capture_on_commit_callbacks(execute=True):
        assert post_image(client, unit, 1, name="haven.png", data=picture("PNG")).status_code == 302
    new = UnitContent.objects.get(unit=unit).image_1
    assert new.file.name in keys(bucket)
    assert old <= keys(bucket)

    # Deleting the document too: it stays restorable until the purge.
    entry = UnitDocument.objects.get(unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("document_delete", unit, entry.pk)).status_code == 302
    assert document.file.name in keys(bucket)

    # After the restore period the purge deletes both objects from the bucket.
    RemovedMedia.objects.update(removed_at=timezone.now() - dt.timedelta(days=restore_days() + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge() == 2
    assert not old & keys(bucket)
    assert document.file.name not in keys(bucket)
    assert keys(bucket) == {new.file.name}

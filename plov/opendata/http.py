"""The HTTP caching every open-data response shares (the API in `opendata.api`, the downloads
and pages in `opendata.views`): ETag, Last-Modified, Cache-Control and 304 Not Modified."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

CACHE_CONTROL = "public, max-age=300"


def cached_response(
    request: HttpRequest,
    body: bytes,
    *,
    content_type: str,
    last_modified: dt.datetime | None = None,
    status: int = 200,
    cache_control: str = CACHE_CONTROL,
) -> HttpResponse:
    """`body` with ETag (a hash of the bytes), Last-Modified and Cache-Control, or 304 Not
    Modified when the client's If-None-Match / If-Modified-Since say it has this already.

    If-None-Match is compared weakly (GZipMiddleware turns our ETag into W/"…"), and wins over
    If-Modified-Since when both are sent (RFC 9110 §13.2.2). Last-Modified cannot see a unit
    leave a list; the ETag can, so clients should prefer it."""
    response = HttpResponse(body, content_type=content_type, status=status)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)

"""Open-data downloads (/data/enheder.csv, /data/fhir.json), the API's documentation page
(/api/v1/docs) and the HTTP caching every open-data response shares."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from plov.opendata import exports

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


@require_safe
def units_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every published unit as CSV for Danish spreadsheets: semicolons, UTF-8 with BOM,
    decimal commas. Streamed, so the whole country is never held in memory."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in exports.csv_lines()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="enheder.csv"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_safe
def fhir_export(request: HttpRequest) -> HttpResponse:
    """The published care homes and home-care sites as an HL7 FHIR R4 Bundle (collection)."""
    bundle = exports.fhir_bundle()
    last = bundle.meta.lastUpdated if bundle.meta else None
    response = cached_response(
        request,
        bundle.model_dump_json(exclude_none=True).encode("utf-8"),
        content_type="application/fhir+json; fhirVersion=4.0; charset=utf-8",
        last_modified=last,
    )
    if response.status_code == 200:
        response["Content-Disposition"] = 'inline; filename="plejeoverblikket-fhir.json"'
    return response


DOCS_PAGE = """<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – API-dokumentation</title>
<link rel="stylesheet" href="{stylesheet}">
</head>
<body>
<main>
<h1>{title}</h1>
<p>Version {version}. Alle svar er JSON. Den maskinlæsbare beskrivelse (OpenAPI 3) ligger på
<a href="{openapi_url}"><code>{openapi_url}</code></a>; importér den i dit eget værktøj.</p>
<p>Alle svar har <code>ETag</code>, <code>Cache-Control: public, max-age=300</code> og, hvor det
giver mening, <code>Last-Modified</code>. Send <code>If-None-Match</code> eller
<code>If-Modified-Since</code> for at få <code>304 Not Modified</code>, når intet er ændret.
Ugyldige parametre giver <code>422</code> med en forklaring i <code>detail</code>.</p>
<h2>Endepunkter</h2>
{operations}
<h2>Svarenes felter</h2>
{schemas}
<h2>Downloads</h2>
<ul>
<li><a href="{csv_url}"><code>{csv_url}</code></a> – alle viste enheder som CSV
(semikolon, UTF-8 med BOM, decimalkomma), til regneark.</li>
<li><a href="{fhir_url}"><code>{fhir_url}</code></a> – plejehjem og
helhedsplejeleverandørsteder som HL7 FHIR R4 <code>Bundle</code> med <code>Organization</code>,
<code>Location</code> og <code>HealthcareService</code>.</li>
</ul>
</main>
</body>
</html>
"""


def code_text(value: str) -> SafeString:
    """Escaped text, with `code` in backticks shown as code."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(value)))


def _table(head: tuple[str, ...], rows: list[tuple]) -> SafeString:
    if not rows:
        return mark_safe("")
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<th>{}</th>", ((h,) for h in head)),
        format_html_join("", "<tr>" + "<td>{}</td>" * len(head) + "</tr>", rows),
    )


def _operations_html(schema: dict) -> SafeString:
    where = {"query": "forespørgsel", "path": "sti"}
    parts = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                (
                    format_html("<code>{}</code>", p["name"]),
                    where.get(p["in"], p["in"]),
                    code_text(p.get("description", "")),
                )
                for p in operation.get("parameters", [])
            ]
            statuses = ", ".join(sorted(str(code) for code in operation.get("responses", {})))
            parts.append(
                format_html(
                    "<h3><code>{} {}</code> – {}</h3><p>{}</p>{}<p>Svarkoder: {}.</p>",
                    method.upper(),
                    path,
                    operation.get("summary", ""),
                    code_text(operation.get("description", "")),
                    _table(("Parameter", "Hvor", "Betydning"), parameters),
                    statuses,
                )
            )
    return mark_safe("".join(parts))  # each part is format_html's


def _schemas_html(schema: dict) -> SafeString:
    parts = []
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        fields = [
            (format_html("<code>{}</code>", field), code_text(spec.get("description", "")))
            for field, spec in component.get("properties", {}).items()
        ]
        parts.append(
            format_html("<h3><code>{}</code></h3>{}", name, _table(("Felt", "Betydning"), fields))
        )
    return mark_safe("".join(parts))  # each part is format_html's


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """A small self-contained page about the API: no scripts, nothing from other hosts."""
    from plov.opendata.api import api

    schema = api.get_openapi_schema()
    page = format_html(
        DOCS_PAGE,
        title=api.title,
        stylesheet=static("public/css/apidocs.css"),
        version=api.version,
        openapi_url=reverse("api-v1:openapi-json"),
        csv_url=reverse("opendata-units-csv"),
        fhir_url=reverse("opendata-fhir"),
        operations=_operations_html(schema),
        schemas=_schemas_html(schema),
    )
    return cached_response(request, page.encode("utf-8"), content_type="text/html; charset=utf-8")


@require_safe
def archive_file(request: HttpRequest, name: str) -> HttpResponse:
    """One monthly archive file (`enheder-YYYY-MM.csv` or `.json`), from the default storage
    (local or S3). A month's file never changes once written, so it may be cached long."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse, Http404

    from plov.opendata import archive

    match = archive.FILE_NAME.fullmatch(name)
    stored = archive.storage_name(name)
    if match is None or not default_storage.exists(stored):
        raise Http404("Arkivet findes ikke.")
    response = FileResponse(
        default_storage.open(stored, "rb"), content_type=archive.CONTENT_TYPES[match["ext"]]
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response

"""Open-data downloads (/data/enheder.csv, /data/fhir.json) and the API's documentation page
(/api/v1/docs, from the template opendata/api_docs.html). The HTTP caching they share with the
API is `opendata.http`."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from plov.opendata import exports
from plov.opendata.api import api
from plov.opendata.http import CACHE_CONTROL, cached_response


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


def code_text(value: str) -> SafeString:
    """Escaped text, with `code` in backticks shown as code."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(value)))


def _operations(schema: dict) -> list[dict]:
    where = {"query": "forespørgsel", "path": "sti"}
    return [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": code_text(operation.get("description", "")),
            "parameters": [
                (p["name"], where.get(p["in"], p["in"]), code_text(p.get("description", "")))
                for p in operation.get("parameters", [])
            ],
            "statuses": ", ".join(sorted(str(code) for code in operation.get("responses", {}))),
        }
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]


def _schemas(schema: dict) -> list[dict]:
    return [
        {
            "name": name,
            "fields": [
                (field, code_text(spec.get("description", "")))
                for field, spec in component.get("properties", {}).items()
            ],
        }
        for name, component in schema.get("components", {}).get("schemas", {}).items()
    ]


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """A small self-contained page about the API: no scripts, nothing from other hosts."""
    schema = api.get_openapi_schema()
    page = render_to_string(
        "opendata/api_docs.html",
        {
            "title": api.title,
            "version": api.version,
            "openapi_url": reverse("api-v1:openapi-json"),
            "csv_url": reverse("opendata-units-csv"),
            "fhir_url": reverse("opendata-fhir"),
            "operations": _operations(schema),
            "schemas": _schemas(schema),
        },
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

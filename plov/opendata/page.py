"""The open-data page (/data/, English /en/data/): every download and endpoint, the licence,
when the data were last updated, the monthly archives and the data dictionary."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from plov.opendata import dictionary
from plov.opendata.views import code_text
from plov.registers.models import ImportRun

# Creative Commons licences by the name a setting gives; another name is shown as written.
LICENCE_DEEDS = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/deed.{lang}",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.{lang}",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.{lang}",
}


@dataclass(frozen=True)
class Download:
    url: str
    format: str
    da: str
    en: str


def downloads() -> list[Download]:
    """Every download and endpoint of the open data, as the page lists them."""
    return [
        Download(
            reverse("opendata-units-csv"),
            "CSV",
            "Alle viste enheder (semikolon, UTF-8 med BOM, decimalkomma), til regneark.",
            "Every unit shown (semicolons, UTF-8 with BOM, decimal commas), for spreadsheets.",
        ),
        Download(
            "/api/v1/units",
            "JSON",
            "De viste enheder, side for side; filtre `kommune`, `kind`, `updated_since`.",
            "The units shown, page by page; filters `kommune`, `kind`, `updated_since`.",
        ),
        Download(
            "/api/v1/agreements",
            "JSON",
            "Kommunernes gældende aftaler (serviceleverancer) med viste enheder.",
            "The municipalities' agreements in force with units shown.",
        ),
        Download(
            "/api/v1/supervising-authorities",
            "JSON",
            "Tilsynsmyndighederne og de kommuner, hver dækker i dag.",
            "The supervising authorities and the municipalities each covers today.",
        ),
        Download(
            "/api/v1/changes?since=2026-01-01",
            "JSON",
            "Ændringer siden en dag: enheder oprettet, ændret, lukket, vist eller skjult, "
            "aftaler startet eller ophørt.",
            "Changes since a day: units created, changed, closed, shown or hidden, "
            "agreements started or ended.",
        ),
        Download(
            reverse("opendata-fhir"),
            "FHIR R4 (JSON)",
            "Plejehjem og helhedsplejeleverandørsteder som HL7 FHIR-bundle (Organization, "
            "Location, HealthcareService).",
            "Care homes and home-care sites as an HL7 FHIR bundle (Organization, "
            "Location, HealthcareService).",
        ),
        Download(
            reverse("public:transition-list-csv"),
            "CSV",
            "Overgangslisten: virksomheder i overgangsordningen.",
            "The transition list: companies in the transitional arrangement.",
        ),
        Download(
            reverse("api-v1:openapi-json"),
            "OpenAPI 3 (JSON)",
            "Den maskinlæsbare beskrivelse af API'et.",
            "The machine-readable description of the API.",
        ),
        Download(
            reverse("opendata-api-docs"),
            "HTML",
            "API'ets dokumentation: endepunkter, parametre og svarkoder.",
            "The API's documentation: endpoints, parameters and status codes.",
        ),
    ]


def licence(lang: str) -> dict:
    name = settings.PLOV_OPEN_DATA_LICENCE
    deed = LICENCE_DEEDS.get(name)
    return {"name": name, "url": deed.format(lang=lang) if deed else ""}


def last_import_runs() -> list[ImportRun]:
    """Each register's latest successful import run, the latest first."""
    runs = []
    for register in ImportRun.Register.values:
        run = (
            ImportRun.objects.filter(register=register, status=ImportRun.Status.SUCCEEDED)
            .exclude(finished_at=None)
            .order_by("-finished_at")
            .first()
        )
        if run is not None:
            runs.append(run)
    return sorted(runs, key=lambda r: r.finished_at, reverse=True)


def dictionary_tables(lang: str) -> list[dict]:
    """The data dictionary as the page shows it: one table per file or API schema."""

    def rows(terms):
        return [
            {
                "name": t.name,
                "meaning": code_text(t.en if lang == "en" else t.da),
                "type": t.type_en if lang == "en" else t.type_da,
                "source": t.source_en if lang == "en" else t.source_da,
                "example": t.example,
            }
            for t in terms
        ]

    tables = [
        {
            "id": "enheder-csv",
            "title": f"{reverse('opendata-units-csv')} (version {dictionary.CSV_VERSION})",
            "rows": rows(dictionary.CSV_COLUMNS),
        },
        {
            "id": "overgangsordning-csv",
            "title": reverse("public:transition-list-csv"),
            "rows": rows(dictionary.TRANSITION_COLUMNS),
        },
    ]
    for schema, terms in dictionary.API_FIELDS.items():
        da, en = dictionary.API_SCHEMA_TITLES[schema]
        tables.append(
            {
                "id": f"api-{schema}",
                "title": code_text(en if lang == "en" else da),
                "rows": rows(terms),
            }
        )
    return tables


@require_safe
def open_data_page(request):
    lang = "en" if get_language() == "en" else "da"
    runs = last_import_runs()
    items = [
        {"url": d.url, "format": d.format, "text": d.en if lang == "en" else d.da}
        for d in downloads()
    ]
    from plov.opendata.archive import archives

    return render(
        request,
        "opendata/data.html",
        {
            "en": lang == "en",
            "downloads": items,
            "licence": licence(lang),
            "runs": runs,
            "updated": runs[0].finished_at if runs else None,
            "archives": archives(),
            "tables": dictionary_tables(lang),
        },
    )

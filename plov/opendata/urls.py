"""Open data: /api/v1/ (JSON + OpenAPI), CSV and FHIR downloads."""

from django.urls import path

from plov.opendata import views
from plov.opendata.api import api

urlpatterns = [
    path("api/v1/docs", views.api_docs, name="opendata-api-docs"),
    path("api/v1/", api.urls),
    path("data/enheder.csv", views.units_csv, name="opendata-units-csv"),
    path("data/fhir.json", views.fhir_export, name="opendata-fhir"),
    path("data/arkiv/<str:name>", views.archive_file, name="opendata-archive"),
]

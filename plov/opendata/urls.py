"""Open data: /api/v1/ (JSON + OpenAPI), CSV and FHIR downloads. (Being built.)"""

urlpatterns: list = []

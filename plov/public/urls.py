"""The public site's pages (inside i18n_patterns: Danish at /, English at /en/)."""

from django.urls import path

from plov.applying import views_public as views_applying
from plov.opendata.page import open_data_page
from plov.public import views_search, views_transition, views_unit

app_name = "public"

urlpatterns = [
    path("", views_search.home, name="home"),
    path("soeg/", views_search.results, name="results"),
    path("kort/", views_search.map_view, name="map"),
    path("enhed/<int:pk>/<slug:slug>/", views_unit.unit_page, name="unit"),
    path("enhed/<int:pk>/", views_unit.unit_page, name="unit-short"),
    path("sammenlign/", views_unit.compare, name="compare"),
    path("ansoeg/", views_applying.index, name="apply-index"),
    path("kommune/<slug:slug>/ansoeg/", views_applying.apply, name="apply"),
    path("data/", open_data_page, name="open-data"),
    path("overgangsordning/", views_transition.transition_list, name="transition-list"),
    path(
        "overgangsordning.csv",
        views_transition.transition_list_csv,
        name="transition-list-csv",
    ),
]

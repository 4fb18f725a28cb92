"""The data-quality pages, mounted by `wagtail_hooks.register_admin_urls` under
/admin/datakvalitet/ (namespace "plov_data_quality"); Wagtail adds its admin-access check."""

from django.urls import path

from plov.publishing import views

app_name = "plov_data_quality"

urlpatterns = [
    path("", views.DataQualityIndexView.as_view(), name="index"),
    path("kommune/<int:code>/", views.DataQualityMunicipalityView.as_view(), name="municipality"),
    path("datakvalitet.csv", views.DataQualityCsvView.as_view(), name="csv"),
]

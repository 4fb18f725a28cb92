"""Public files outside the language prefix."""

from django.urls import path

from plov.public import views_unit

urlpatterns = [
    path("sitemap.xml", views_unit.sitemap, name="sitemap"),
    path("robots.txt", views_unit.robots, name="robots"),
]

"""Public files outside the language prefix."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import path

from plov.public import views_unit


def favicon(request):
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return HttpResponsePermanentRedirect(static("public/favicon.svg"))


urlpatterns = [
    # Browsers and crawlers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
    path("sitemap.xml", views_unit.sitemap, name="sitemap"),
    path("robots.txt", views_unit.robots, name="robots"),
]

"""Search: the front page, the results list and the map (the queries live in `search.py`).

Status codes: a search that could run answers 200, also when it corrected something the citizen
typed (a page past the end, an unknown radius: shown as a notice). A search that could not run
(unknown municipality, a postcode that is not four digits or has no DAR addresses, an address
not found, < or > in a field, text too long) answers 400 with the same page: the form with the
citizen's text, an error summary at the top and the message by the field. Never 500.

A search's result is cached for 60 seconds per language, view and full query string, under the
public generation that every change to a unit renews (`plov.public.signals`): a change is
seen at once, on every app server.

`public:map` with `?format=geojson` (plus the search's parameters) gives the results as GeoJSON.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from plov.pages.status import banner_stamp
from plov.public.filters import filter_options
from plov.public.search import SearchQuery, SearchResult, parse, search
from plov.public.signals import public_generation
from plov.public.unitpage import shortlist_from_request

CACHE_SECONDS = 60
# The nationwide map (no municipality, no address), and any map with more points than this,
# loads its points as one cached GeoJSON request (the same URL with format=geojson) instead of
# inline in the page, and clusters its markers (map.js).
INLINE_MAP_POINTS = 150


def _cache_key(request, view: str) -> str:
    query_string = request.META.get("QUERY_STRING", "")
    digest = hashlib.sha256(query_string.encode("utf-8", "replace")).hexdigest()
    language = get_language() or settings.LANGUAGE_CODE
    return f"plov:search:v2:{public_generation()}:{language}:{view}:{digest}"


def _cached_search(request, view: str) -> SearchResult:
    key = _cache_key(request, view)
    result = cache.get(key)
    if result is None:
        result = search(request.GET)
        cache.set(key, result, CACHE_SECONDS)
    return result


def _options() -> dict:
    language = get_language() or settings.LANGUAGE_CODE
    key = f"plov:search:options:v3:{public_generation()}:{language}"
    options = cache.get(key)
    if options is None:
        options = filter_options()
        cache.set(key, options, CACHE_SECONDS)
    return options


def _context(
    request,
    result: SearchResult | None,
    query: SearchQuery,
    form_action: str = "public:results",
) -> dict:
    # Min liste without a script: `ids` (the units already chosen) rides along in the address
    # of every page link, the sort form and the compare form (see shortlist.js for the rest).
    shortlist_ids = shortlist_from_request(request)
    querystring = query.querystring(side="")
    if shortlist_ids:
        carried = "ids=" + ",".join(map(str, shortlist_ids))
        querystring = f"{querystring}&{carried}" if querystring else carried
    return {
        "form_action": reverse(form_action),
        "result": result,
        "query": query,
        "errors": result.errors_by_field if result else {},
        "options": _options(),
        "querystring": querystring,
        "results_url": reverse("public:results"),
        "map_url": reverse("public:map"),
        "shortlist_ids": shortlist_ids,
        "result_ids": {item.unit.pk for item in result.items} if result else set(),
    }


# Whole pages are cached too: they carry no CSRF token, session or user-specific content.
PAGE_CACHE_SECONDS = 60
# The nationwide map (no municipality, no address), and any map with more points than this,
# loads its points as one cached GeoJSON request (the same URL with format=geojson) instead of
# inline in the page, and clusters its markers (map.js).
INLINE_MAP_POINTS = 150


def cache_public_page(view):
    """Django's `cache_page`, keyed on the public generation read for each request."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        prefix = f"plov:page:{public_generation()}:{banner_stamp()}"  # banner, footer links
        return cache_page(PAGE_CACHE_SECONDS, key_prefix=prefix)(view)(request, *args, **kwargs)

    return cached


@cache_public_page
def home(request):
    query, _errors, _notices = parse(request.GET)
    return render(request, "public/home.html", _context(request, None, query))


@cache_public_page
def results(request):
    result = _cached_search(request, "results")
    context = _context(request, result, result.query)
    return render(request, "public/results.html", context, status=result.status_code)


@cache_public_page
def map_view(request):
    if request.GET.get("format") == "geojson":
        result = _cached_search(request, "geojson")
        status = result.status_code
        return JsonResponse(
            _geojson(result), status=status, json_dumps_params={"ensure_ascii": False}
        )
    result = _cached_search(request, "map")
    context = _context(request, result, result.query, "public:map")
    points_url = ""
    nationwide = result.ok and not (result.municipality or result.origin)
    if nationwide or len(result.points) > INLINE_MAP_POINTS:
        params = request.GET.copy()
        params["format"] = "geojson"
        points_url = f"{request.path}?{params.urlencode()}"
    context.update(
        geojson=None if points_url else _geojson(result),
        points_url=points_url,
        tile_url=settings.PLOV_MAP_TILE_URL,
        tile_attribution=settings.PLOV_MAP_TILE_ATTRIBUTION,
    )
    return render(request, "public/map.html", context, status=result.status_code)


def _geojson(result: SearchResult) -> dict:
    # One reverse() for all points: ids and slugs are put into a template URL.
    template = reverse("public:unit", args=[999999999, "slug-placeholder"])
    features = []
    for point in result.points:
        distance = ""
        if point.distance_km is not None:
            distance = _("%(km)s km fra %(place)s") % {
                "km": number_format(point.distance_km, 1),
                "place": result.origin.label if result.origin else "",
            }
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [point.longitude, point.latitude]},
                "properties": {
                    "id": point.id,
                    "name": point.name,
                    "url": template.replace("999999999", str(point.id)).replace(
                        "slug-placeholder", point.slug
                    ),
                    "address": point.address,
                    "distance_km": round(point.distance_km, 2)
                    if point.distance_km is not None
                    else None,
                    "distance": distance,
                },
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    if result.errors:
        collection["errors"] = [{"field": e.field, "message": e.message} for e in result.errors]
    return collection

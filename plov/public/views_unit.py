"""A unit's public page, comparing units, the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
from functools import wraps
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_response_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from plov import clock
from plov.pages.sitemap import sitemap_urls
from plov.pages.status import site_pages
from plov.public.signals import CACHE_TIMEOUT, cache_generation
from plov.public.unitpage import (
    MAX_COMPARE,
    MAX_ID,
    compare_costs,
    compare_home_care,
    compare_results,
    compare_staff,
    describe,
    load_unit,
    load_units_for_compare,
    parse_compare_ids,
    shortlist_from_request,
)
from plov.public.views_search import PAGE_CACHE_SECONDS
from plov.supervision.models import QualityResult
from plov.supervision.verdicts import rule_text
from plov.units.formatting import unit_slug
from plov.units.models import Unit
from plov.units.urls import unit_url


def browser_cacheable(view):
    """`Cache-Control: max-age=60` (and Expires) on a 200, as the search pages send: a change
    renews the public generation on the server at once (`plov.public.signals`), and a browser
    or proxy holds its copy at most as long as the server's page cache does."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_response_headers(response, cache_timeout=PAGE_CACHE_SECONDS)
        return response

    return wrapped


@require_safe
@browser_cacheable
def unit_page(request, pk: int, slug: str = ""):
    """A unit's page: 404 unless published, 410 once closed in SOR, one canonical URL.

    The state that decides this is read on every request (one small query); the rendered page
    parts are cached per unit, language, day and generation (see `plov.public.signals`)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    state = (
        Unit.objects.filter(pk=pk)
        .values(
            "name", "kind", "published", "closed_on", "register_updated_at", "municipality__name"
        )
        .first()
    )
    if state is None:
        raise Http404
    if state["closed_on"] is not None:
        return render(
            request,
            "public/unit_closed.html",
            {"name": state["name"], "closed_on": state["closed_on"], "kind": state["kind"]},
            status=410,
        )
    if not state["published"]:
        raise Http404
    shortlist_ids = shortlist_from_request(request)
    carried = ",".join(map(str, shortlist_ids))
    canonical = unit_slug(state["name"])
    if slug != canonical:
        target = unit_url(pk, state["name"]) + (f"?ids={carried}" if carried else "")
        return redirect(target, permanent=True)

    today = clock.today()
    lang = translation.get_language() or "da"
    updated = state["register_updated_at"]
    cache_vary = [
        pk,
        lang,
        request.get_host(),
        today.isoformat(),
        updated.isoformat() if updated else "",
        cache_generation(pk),
        site_pages(lang)["checklist_url"] or "",  # the "Spørgsmål til besøget" link
        carried,  # the no-script "Tilføj til sammenligning" link carries Min liste
    ]
    compare_ids = [*[i for i in shortlist_ids if i != pk][: MAX_COMPARE - 1], pk]

    def load():
        data = load_unit(pk, today=today)
        if data is None:  # deleted this very moment
            raise Http404
        return data

    context = {
        "name": state["name"],
        "description": describe(state["name"], state["kind"], state["municipality__name"] or ""),
        # Loaded only when a cached part is missing. A failure while loading is an error page
        # (404 or 500), never half a page: the template shows nothing before it has the data.
        "data": SimpleLazyObject(load),
        "cache_vary": cache_vary,
        "cache_timeout": CACHE_TIMEOUT,
        "canonical_url": request.build_absolute_uri(unit_url(pk, state["name"])),
        "alternates": _alternates(request, pk, state["name"]),
        "site_root": request.build_absolute_uri("/").rstrip("/"),
        "compare_url": reverse("public:compare") + "?ids=" + ",".join(map(str, compare_ids)),
        "unit_path": unit_url(pk, state["name"]),
        "shortlist_ids": shortlist_ids,
    }
    return render(request, "public/unit.html", context)


def _alternates(request, pk: int, name: str) -> list[tuple[str, str]]:
    """The page in each language, for `<link rel="alternate" hreflang>`."""
    alternates = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            alternates.append((code, request.build_absolute_uri(unit_url(pk, name))))
    return alternates


@require_safe
@browser_cacheable
def compare(request):
    """Up to four units side by side; `?ids=1,2,3` (or repeated `ids`) is the shareable URL."""
    raw = request.GET.getlist("ids")
    ids, bad, too_many = parse_compare_ids(raw)
    # The add form sends ids twice (the current ones and the new one): settle on one URL.
    if len(raw) > 1 and ids and not bad and not too_many:
        return redirect(reverse("public:compare") + "?ids=" + ",".join(map(str, ids)))

    units = load_units_for_compare(ids)
    messages = []
    if bad:
        messages.append(
            _("Adressen indeholder noget, der ikke er et enhedsnummer: %(bad)s.")
            % {"bad": ", ".join(f"«{b}»" for b in bad[:3])}
        )
    if too_many:
        messages.append(
            _("Du kan sammenligne højst %(max)d steder ad gangen. Vi viser de første %(max)d.")
            % {"max": MAX_COMPARE}
        )
    missing = len(ids) - len(units)
    if missing:
        messages.append(
            ngettext(
                "Et af stederne vises ikke på Plejeoverblikket, fx fordi det er lukket.",
                "%(n)d af stederne vises ikke på Plejeoverblikket, fx fordi de er lukket.",
                missing,
            )
            % {"n": missing}
        )
    shown_ids = [u.pk for u in units]
    for data in units:
        others = [i for i in shown_ids if i != data.pk]
        data.remove_url = reverse("public:compare") + (
            "?ids=" + ",".join(map(str, others)) if others else ""
        )
    share_path = reverse("public:compare") + (
        "?ids=" + ",".join(map(str, shown_ids)) if shown_ids else ""
    )
    context = {
        "units": units,
        "notices": messages,
        "ids_value": ",".join(map(str, shown_ids)),
        "share_url": request.build_absolute_uri(share_path),
        "can_add": len(units) < MAX_COMPARE,
        "any_care_home": any(u.is_care_home for u in units),
        "staff_rows": compare_staff(units),
        "cost_rows": compare_costs(units),
        "any_home_care": any(u.is_home_care for u in units),
        "home_care_rows": compare_home_care(units),
        "indicator_rows": compare_results(units, QualityResult.Kind.INDICATOR, 5),
        "satisfaction_rows": compare_results(units, QualityResult.Kind.SATISFACTION, 3),
        "verdict_rule": rule_text(),
        "candidates": _candidates(units) if 0 < len(units) < MAX_COMPARE else [],
        "find_more_url": _find_more_url(units, shown_ids),
        "shortlist_ids": shown_ids,
    }
    status = 400 if (bad or too_many) else 200
    return render(request, "public/compare.html", context, status=status)


def _offered_codes(first) -> list[str]:
    return [o.code for o in first.offered_by][:3] or (
        [first.unit.municipality_id] if first.unit.municipality_id else []
    )


def _find_more_url(units, shown_ids: list[int]) -> str:
    """The search where the first unit is offered, carrying the units compared (`ids`)."""
    if not units or len(units) >= MAX_COMPARE:
        return ""
    codes = _offered_codes(units[0])
    params = {"kommune": codes[0]} if codes else {}
    if not units[0].is_care_home:
        params["type"] = "helhedspleje"
    params["ids"] = ",".join(map(str, shown_ids))
    return reverse("public:results") + "?" + urlencode(params, safe=",")


def _candidates(units) -> list[dict]:
    """Units a citizen might add: published, of the same kind, offered where the first is."""
    first = units[0]
    codes = _offered_codes(first)
    if not codes:
        return []
    from plov.publishing.visibility import visible_units

    shown = {u.pk for u in units}
    kinds = {u.unit.kind for u in units}
    found: dict[int, dict] = {}
    for code in codes:
        for row in (
            visible_units(code)
            .filter(kind__in=kinds)
            .exclude(pk__in=shown)
            .values("pk", "name", "municipality__name")
            .order_by("name")[:60]
        ):
            found.setdefault(row["pk"], row)
    return sorted(found.values(), key=lambda r: r["name"])[:60]


@require_safe
def sitemap(request):
    """The home page and every published unit at its canonical (Danish) URL, with lastmod."""
    base = request.build_absolute_uri("/").rstrip("/")
    units = (
        Unit.objects.published()
        .annotate(
            lastmod=Greatest(F("register_updated_at"), F("content__updated_at")),
        )
        .values_list("pk", "name", "register_updated_at", "lastmod")
        .order_by("pk")
    )
    with translation.override("da"):
        home = reverse("public:home")
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            f"  <url><loc>{escape(base + home)}</loc><changefreq>daily</changefreq></url>",
        ]
        for pk, name, register_updated, lastmod in units:
            # Greatest() is NULL on some databases when one side is NULL (no content yet)
            stamp = lastmod or register_updated
            modified = f"<lastmod>{_w3c_date(stamp)}</lastmod>" if stamp else ""
            lines.append(f"  <url><loc>{escape(base + unit_url(pk, name))}</loc>{modified}</url>")
    lines += [f"  <url><loc>{escape(base + url)}</loc></url>" for url in sitemap_urls()]
    for language in ("da", "en"):  # the open-data page, in both languages
        with translation.override(language):
            url = reverse("public:open-data")
        lines.append(f"  <url><loc>{escape(base + url)}</loc><changefreq>daily</changefreq></url>")
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines) + "\n", content_type="application/xml; charset=utf-8")


def _w3c_date(value: dt.datetime) -> str:
    return (
        timezone.localtime(value).date().isoformat()
        if timezone.is_aware(value)
        else str(value.date())
    )


@require_safe
def robots(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    body = f"User-agent: *\nAllow: /\nDisallow: /admin/\n\nSitemap: {sitemap_url}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")

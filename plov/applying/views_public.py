"""/kommune/<slug>/ansoeg/ (English /en/kommune/<slug>/ansoeg/): how to apply for a care home
or home care in a municipality, as its editors wrote it; /ansoeg/ lists the municipalities."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from plov.applying import guidance as rules
from plov.applying.models import ApplicationGuidance
from plov.pages import status
from plov.units.models import Municipality


def guidance_url(municipality: Municipality) -> str:
    return reverse("public:apply", args=[rules.municipality_slug(municipality)])


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


def alternates(request, slug: str) -> list[tuple[str, str]]:
    """The page in each language, for `<link rel="alternate" hreflang>`."""
    result = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result.append((code, request.build_absolute_uri(reverse("public:apply", args=[slug]))))
    return result


@require_safe
def apply(request, slug: str):
    municipality = rules.municipality_for_slug(slug)
    if municipality is None:
        raise Http404
    guidance = rules.guidance_of(municipality)
    if guidance is not None and not guidance.is_filled:
        guidance = None
    context = {
        "municipality": municipality,
        "guidance": guidance,
        "care_home": paragraphs(guidance.care_home_text) if guidance else [],
        "home_care": paragraphs(guidance.home_care_text) if guidance else [],
        "checklist_url": status.site_pages()["checklist_url"],
        "index_url": reverse("public:apply-index"),
        "alternates": alternates(request, slug),
    }
    return render(request, "applying/apply.html", context)


@require_safe
def index(request):
    filled = {g.municipality_id for g in ApplicationGuidance.objects.all() if g.is_filled}
    rows = [(m, guidance_url(m), m.code in filled) for m in Municipality.objects.order_by("name")]
    return render(request, "applying/index_public.html", {"rows": rows})

"""The banner and footer links of every public page (see `plov.pages.status`), and on the
agency's own pages the language link and hreflang alternates to the page's translation."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from plov.pages import status


def page_languages(request, page) -> dict:
    """The language link and `<link rel="alternate" hreflang>` of one of the agency's pages:
    its live translation in the other language, or (no translation) the English or Danish front
    page, and no alternates for a page that exists in one language only."""
    current = page.locale.language_code
    other = "da" if current == "en" else "en"
    translations = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True).live().public().select_related("locale")
    }
    alternates = []
    if len(translations) > 1:
        for code in ("da", "en"):
            if code in translations:
                url = translations[code].get_url(request)
                if url:  # on this host, as the unit pages' alternates
                    alternates.append((code, request.build_absolute_uri(url)))
    if other in translations:
        other_url = translations[other].get_url(request)
    else:
        other_url = "/en/" if other == "en" else "/"
    return {
        "other_language": other,
        "other_language_url": other_url,
        "page_alternates": alternates,
    }


def site_pages(request) -> dict:
    if request.path.startswith("/admin/"):
        return {}
    language = translation.get_language()
    pages = status.site_pages(language)
    return {
        "operations_status": status.status_in_force(language=language),
        "about_url": pages["about_url"],
        "checklist_url": pages["checklist_url"],
        "accessibility_statement_url": status.accessibility_statement_url(language),
        # A link to a page not (yet) translated says its language.
        "about_hreflang": "da" if "about_url" in pages["danish_links"] else "",
        "accessibility_hreflang": (
            "da"
            if "accessibility_url" in pages["danish_links"]
            and not settings.PLOV_ACCESSIBILITY_STATEMENT_URL
            else ""
        ),
    }

"""The agency's pages in Danish and English, with Wagtail's own localisation.

Each content language (`WAGTAIL_CONTENT_LANGUAGES`) has a `Locale` and its own copy of the
default site's root page: the Danish pages live under the site's root page, their English
translations under its English copy, which Wagtail serves under /en/ (`plov/urls.py`). The agency
translates a page with Wagtail's "Oversæt" button (`wagtail.contrib.simple_translation`): that
makes an English draft of the page, edited, moderated, scheduled and versioned like any page.

A page without an English translation is not shown under /en/: the English site's banner and
footer fall back to the Danish page (`plov.pages.status`), and the language link of a Danish
page without a translation leads to the English front page.
"""

from __future__ import annotations

from django.conf import settings


def content_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def ensure_locales(sender=None, **kwargs) -> None:
    """A `Locale` per content language and a live root page per locale (post_migrate)."""
    from wagtail.models import Locale, Site

    for code in content_languages():
        Locale.objects.get_or_create(language_code=code)
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    root = site.root_page.specific
    if root.is_root():  # Wagtail cannot translate the tree's root: no English site (tests)
        return
    existing = set(root.get_translations(inclusive=True).values_list("locale_id", flat=True))
    for locale in Locale.objects.exclude(pk__in=existing):
        copy = root.copy_for_translation(locale)
        copy.save_revision().publish()


def site_roots():
    """The default site's root page in every locale (the agency's permissions cover them all)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return []
    return list(site.root_page.get_translations(inclusive=True))

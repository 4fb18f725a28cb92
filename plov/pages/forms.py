"""The admin form of the agency's pages: a page may not take a public page's address."""

from __future__ import annotations

from django.urls import Resolver404, resolve
from django.utils import translation
from wagtail.admin.forms import WagtailAdminPageForm


class ContentPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug")
        parent = getattr(self, "parent_page", None)
        if not slug or parent is None:
            return cleaned
        # In the parent's language: an English page's address is resolved under /en/.
        with translation.override(parent.locale.language_code):
            base = parent.specific.url if parent.depth > 1 else None
            path = f"{base or '/'}{slug}/"
            try:
                match = resolve(path)
            except Resolver404:
                return cleaned
        if match.url_name != "wagtail_serve":
            self.add_error(
                "slug", f"Adressen {path} bruges allerede af Plejeoverblikket. Vælg en anden."
            )
        return cleaned

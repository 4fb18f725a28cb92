"""The banner and footer links of every public page (see `plov.pages.status`)."""

from __future__ import annotations

from plov.pages import status


def site_pages(request) -> dict:
    if request.path.startswith("/admin/"):
        return {}
    pages = status.site_pages()
    extra = {}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "wagtail_serve":
        # The agency's pages are Danish only: "English" leads to the English site's front page.
        extra = {"other_language": "en", "other_language_url": "/en/"}
    return {
        **extra,
        "operations_status": status.status_in_force(),
        "about_url": pages["about_url"],
        "accessibility_statement_url": status.accessibility_statement_url(),
    }

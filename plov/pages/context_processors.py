"""The banner and footer links of every public page (see `plov.pages.status`)."""

from __future__ import annotations

from plov.pages import status


def site_pages(request) -> dict:
    if request.path.startswith("/admin/"):
        return {}
    pages = status.site_pages()
    return {
        "operations_status": status.status_in_force(),
        "about_url": pages["about_url"],
        "accessibility_statement_url": status.accessibility_statement_url(),
    }

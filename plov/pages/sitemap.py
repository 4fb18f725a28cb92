"""The agency's live public pages for /sitemap.xml."""

from __future__ import annotations

from plov.pages.models import (
    AboutPage,
    AccessibilityStatementPage,
    DriftsinfoPage,
    EditorGuidancePage,
    GuidancePage,
    VisitChecklistPage,
)

PAGE_TYPES = (
    GuidancePage,
    EditorGuidancePage,
    AboutPage,
    AccessibilityStatementPage,
    DriftsinfoPage,
    VisitChecklistPage,
)


def sitemap_urls() -> list[str]:
    """Site-relative URLs of the live, public pages."""
    urls = []
    for model in PAGE_TYPES:
        for page in model.objects.live().public().order_by("path"):
            url = page.get_url()
            if url and url.startswith("/"):
                urls.append(url)
    return urls

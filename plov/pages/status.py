"""What every public page shows from the agency's pages: the operations status banner and the
footer links (Om Plejeoverblikket, tilgængelighedserklæring), in the visitor's language (the
page's English translation on the English site, else the Danish page).

Read from the live pages once and kept in the shared cache (`PLOV_CACHE_URL`) under one key,
which publishing, unpublishing, moving or deleting any page forgets (now, and again when the
transaction commits, so that no app server caches what it read before the commit). Whether the
status is in force is decided on every request from its from/to times, and whole public pages
cached by `cache_public_page` carry `banner_stamp()` in their key: a status that starts or ends
changes the key, so no cached page shows a banner that is not (or no longer) in force.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone, translation
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

KEY = "plov:pages:site:v2"
TIMEOUT = 10 * 60  # the bound on staleness should a change send no signal
DEFAULT_LANGUAGE = "da"


def _empty() -> dict:
    return {"status": None, "about_url": None, "accessibility_url": None, "checklist_url": None}


def _load() -> dict:
    """One query: the live driftsinfo, about and statement pages with the status fields, per
    language (the page's locale). (Pages behind a view restriction are not meant for these
    links; none is expected.)"""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from plov.pages.models import (
        AboutPage,
        AccessibilityStatementPage,
        DriftsinfoPage,
        VisitChecklistPage,
    )

    types = ContentType.objects.get_for_models(
        DriftsinfoPage, AboutPage, AccessibilityStatementPage, VisitChecklistPage
    )
    rows = (
        Page.objects.live()
        .filter(content_type__in=types.values())
        .order_by("path")
        .values(
            "pk",
            "url_path",
            "content_type_id",
            "locale__language_code",
            "driftsinfopage__status_level",
            "driftsinfopage__status_text",
            "driftsinfopage__status_from",
            "driftsinfopage__status_to",
        )
    )
    languages: dict[str, dict] = {}
    for row in rows:
        record = languages.setdefault(row["locale__language_code"], _empty())
        url = Page(pk=row["pk"], url_path=row["url_path"]).get_url()
        if row["content_type_id"] == types[AboutPage].pk:
            record["about_url"] = record["about_url"] or url
        elif row["content_type_id"] == types[AccessibilityStatementPage].pk:
            record["accessibility_url"] = record["accessibility_url"] or url
        elif row["content_type_id"] == types[VisitChecklistPage].pk:
            record["checklist_url"] = record["checklist_url"] or url
        elif record["status"] is None or not record["status"]["level"]:
            starts, ends = row["driftsinfopage__status_from"], row["driftsinfopage__status_to"]
            record["status"] = {
                "level": row["driftsinfopage__status_level"],
                "text": row["driftsinfopage__status_text"],
                "from": starts.isoformat() if starts else None,
                "to": ends.isoformat() if ends else None,
                "url": url,
            }
    return languages


def _now() -> dt.datetime:
    return timezone.now()


def _all_languages() -> dict:
    languages = cache.get(KEY)
    if languages is None:
        languages = _load()
        cache.set(KEY, languages, TIMEOUT)
    return languages


def _language(language: str | None) -> str:
    return language or translation.get_language() or DEFAULT_LANGUAGE


def site_pages(language: str | None = None) -> dict:
    """The footer links for a language (the active one by default), and the statuses to show
    in that order: the language's own driftsinfo page first, then the Danish one. A link falls
    back to the Danish page when the page has no live translation in that language."""
    languages = _all_languages()
    code = _language(language)
    danish = languages.get(DEFAULT_LANGUAGE) or _empty()
    own = languages.get(code) or _empty()
    links = ("about_url", "accessibility_url", "checklist_url")
    record = {key: own.get(key) or danish.get(key) for key in links}
    # The links that lead to a Danish page from the English site (for hreflang="da").
    record["danish_links"] = sorted(
        key for key in links if code != DEFAULT_LANGUAGE and not own.get(key) and danish.get(key)
    )
    statuses = []
    if code != DEFAULT_LANGUAGE and own["status"]:
        statuses.append({**own["status"], "language": code})
    if danish["status"]:
        statuses.append({**danish["status"], "language": DEFAULT_LANGUAGE})
    record["statuses"] = statuses
    return record


def _in_force(status: dict, now: dt.datetime) -> bool:
    starts = dt.datetime.fromisoformat(status["from"]) if status["from"] else None
    ends = dt.datetime.fromisoformat(status["to"]) if status["to"] else None
    return bool(status["level"]) and not ((starts and now < starts) or (ends and now >= ends))


def status_in_force(now: dt.datetime | None = None, language: str | None = None) -> dict | None:
    """The operations status shown as a banner now, or None: the visitor's language's status
    when it is in force, else the Danish one (an outage is announced on the English site even
    before the agency has written it in English; `language` says which text it is)."""
    now = now or _now()
    for status in site_pages(language)["statuses"]:
        if _in_force(status, now):
            return status
    return None


def banner_stamp() -> str:
    """Changes whenever the banner a public page shows changes (and with the footer links)."""
    links = {k: v for k, v in site_pages().items() if k != "statuses"}  # with danish_links
    shown = {"status": status_in_force(), **links}
    raw = json.dumps(shown, sort_keys=True)
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:12]


def accessibility_statement_url(language: str | None = None) -> str | None:
    return settings.PLOV_ACCESSIBILITY_STATEMENT_URL or site_pages(language)["accessibility_url"]


def forget() -> None:
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))


@receiver(page_published, dispatch_uid="plov.pages.published")
@receiver(page_unpublished, dispatch_uid="plov.pages.unpublished")
@receiver(page_slug_changed, dispatch_uid="plov.pages.slug")
@receiver(post_page_move, dispatch_uid="plov.pages.moved")
def page_changed(sender, **kwargs) -> None:
    forget()


def _page_deleted(sender, **kwargs) -> None:
    forget()


def connect_deletes() -> None:
    from wagtail.models import Page

    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="plov.pages.deleted")

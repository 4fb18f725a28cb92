"""Template context shared by the public pages."""

from __future__ import annotations

from django.urls import translate_url
from django.utils.translation import get_language


def language_switch(request) -> dict:
    """The same page in the other language, as a plain link: no form, no CSRF token, no
    cookie, so public pages stay cacheable. Danish lives at /, English at /en/."""
    current = get_language() or "da"
    other = "da" if current == "en" else "en"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
    }

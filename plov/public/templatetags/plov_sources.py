"""`{% source_note source %}`: a figure's source and date in the one small form every public
page uses (plov.publishing.sources.Source; nothing when the figure has no source)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("public/_source.html")
def source_note(source, outdated: bool = False):
    return {"source": source, "outdated": outdated}

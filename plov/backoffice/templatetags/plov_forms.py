"""Attributes that give a back-office form Wagtail's own editor behaviour.

`{% unsaved_changes force=... %}` on a `<form>`: Wagtail's unsaved-changes controller (`w-unsaved`)
asks before the page is left (a link, the browser's back button, closing the tab) while the form
holds changes, and not after it is submitted. `force` is true when the form was shown again with
what the user typed (a refusal, an error, a question): that text is not saved either.

`{% save_shortcut %}` on the form's save button: Ctrl+S / Cmd+S clicks it (Wagtail's `w-kbd`, as
the admin's *Genveje* dialog promises), instead of the browser's "Gem side som".
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def unsaved_changes(force: bool = False) -> SafeString:
    return format_html(
        ' data-controller="w-unsaved"'
        ' data-action="w-unsaved#submit beforeunload@window->w-unsaved#confirm"'
        ' data-w-unsaved-confirmation-value="true"'
        ' data-w-unsaved-force-value="{}"',
        "true" if force else "false",
    )


@register.simple_tag
def save_shortcut() -> SafeString:
    return mark_safe(
        ' data-controller="w-kbd" data-w-kbd-key-value="mod+s" data-w-kbd-scope-value="global"'
        ' aria-keyshortcuts="Control+S Meta+S"'
    )

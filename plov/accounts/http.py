"""The one way a back-office view says "no": a real 403 page in the admin's layout.

Wagtail's admin turns a `PermissionDenied` into a redirect to its dashboard with a flash
message, which hides the refusal from tests, screen readers and the browser's history; our
scoped views answer 403 themselves through `forbidden` (or the `refuses_forbidden` decorator).
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

DEFAULT_MESSAGE = "Din rolle giver ikke adgang til denne side eller handling."


class Forbidden(PermissionDenied):
    """Raised by a view when scope refuses; its message is shown to the user."""


def forbidden(request: HttpRequest, message: str = "", *, back_url: str = "") -> HttpResponse:
    """The Danish 403 page with `message` (a default one when empty)."""
    return render(
        request,
        "accounts/forbidden.html",
        {"message": message or DEFAULT_MESSAGE, "back_url": back_url},
        status=403,
    )


def refuses_forbidden(view):
    """Decorate a function view (or `dispatch`) so that `PermissionDenied` becomes `forbidden`."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        # A method (`dispatch(self, request, ...)`) gets the view as first argument.
        http_request = request if isinstance(request, HttpRequest) else args[0]
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            message = str(refusal) if isinstance(refusal, Forbidden) else ""
            return forbidden(http_request, message)

    return wrapper

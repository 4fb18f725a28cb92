"""Security headers and session lifetime (settings in `plov/settings/base.py`).

- `PlovCSPMiddleware`: django-csp's middleware; under `/admin/` the Wagtail admin's policy
  (`PLOV_CSP_ADMIN`, which allows the inline scripts and styles Wagtail writes) replaces the
  public one. Everywhere else the strict `CONTENT_SECURITY_POLICY` holds.
- `PermissionsPolicyMiddleware`: the `Permissions-Policy` header on every response.
- `SessionLifetimeMiddleware`: a logged-in session ends `PLOV_SESSION_MAX_HOURS` after the
  login however active the user is (the idle timeout is Django's own: `SESSION_COOKIE_AGE`
  renewed on every request by `SESSION_SAVE_EVERY_REQUEST`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase

LOGIN_AT = "plov_login_at"
ADMIN_PREFIX = "/admin/"


class PlovCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if request.path_info.startswith(ADMIN_PREFIX) and parts.config is None:
            parts.config = settings.PLOV_CSP_ADMIN
        # Logging in and out are form posts that the browser follows to the identity provider
        # (SEB): form-action must allow its origin, read when the request is answered.
        providers = {
            _origin(url)
            for url in (settings.OIDC_OP_AUTHORIZATION_ENDPOINT, settings.OIDC_OP_LOGOUT_ENDPOINT)
            if url
        }
        if providers:
            parts.update = {**(parts.update or {}), "form-action": sorted(providers)}
        return parts


def _origin(url: str) -> str:
    parsed = urlsplit(url)
    return f"{parsed.scheme}://{parsed.netloc}"


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PLOV_PERMISSIONS_POLICY)
        return response


@receiver(user_logged_in, dispatch_uid="plov.security.login_at")
def _remember_login_time(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = int(time.time())


class SessionLifetimeMiddleware:
    """Log out a session older than PLOV_SESSION_MAX_HOURS (counted from the login)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only sessions that exist: anonymous public requests read nothing.
        if session is not None and session.session_key:
            login_at = session.get(LOGIN_AT)
            max_age = settings.PLOV_SESSION_MAX_HOURS * 3600
            if request.user.is_authenticated and (
                login_at is None or time.time() - login_at > max_age
            ):
                # The request goes on as anonymous: the back office sends it to the login.
                logout(request)
        return self.get_response(request)

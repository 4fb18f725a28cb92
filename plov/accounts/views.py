"""The login page ("Log ind via SEB", and demo logins in demo mode), logout and refusal."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from plov.accounts.auth import REFUSAL_SESSION_KEY, Access, Refusal, apply_access
from plov.accounts.models import ROLE_BY_GROUP

logger = logging.getLogger("plov.accounts")

DEFAULT_NEXT = "/admin/"

REFUSAL_MESSAGES = {
    Refusal.NO_ROLE: (
        "Du har ikke en rolle, der giver adgang",
        "Dit login fra SEB giver ikke adgang til Plejeoverblikkets administration. Rollen "
        "ploGodkender giver ikke længere adgang. Bed din organisations brugeradministrator i SEB "
        "om at tildele dig en af rollerne ploRedaktør, driftsoverenskomstansvarlig, "
        "Sundhedsdatastyrelsen eller Ældretilsynet, og log derefter ind igen.",
    ),
    Refusal.CONFLICT: (
        "Din konto kan ikke bruges med SEB",
        "Der findes allerede en lokal konto med samme brugernavn. Kontakt Sundhedsdatastyrelsen.",
    ),
    Refusal.INVALID: (
        "Login kunne ikke gennemføres",
        "Oplysningerne fra SEB manglede en gyldig brugeridentitet. Kontakt din organisations "
        "brugeradministrator i SEB.",
    ),
    Refusal.INACTIVE: (
        "Din konto er deaktiveret",
        "Din konto i Plejeoverblikket er deaktiveret. Kontakt Sundhedsdatastyrelsen.",
    ),
    Refusal.FAILED: (
        "Login blev ikke gennemført",
        "Login via SEB blev afbrudt eller mislykkedes. Prøv igen.",
    ),
}


def safe_next(request: HttpRequest, value: str | None) -> str:
    """`value` when it is a URL on this site, else the admin's front page."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return DEFAULT_NEXT


def sso_configured() -> bool:
    return bool(
        getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")
        and getattr(settings, "OIDC_OP_TOKEN_ENDPOINT", "")
        and getattr(settings, "OIDC_RP_CLIENT_ID", "")
    )


def _demo_logins():
    from plov.demo.users import demo_logins

    return demo_logins()


@never_cache
@require_GET
def login_page(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.GET.get("next"))
    context = {
        "next": next_url,
        "sso_configured": sso_configured(),
        "demo": settings.PLOV_DEMO,
        "demo_logins": _demo_logins() if settings.PLOV_DEMO else [],
        "logged_out": "logget_ud" in request.GET,
    }
    return render(request, "accounts/login.html", context)


@never_cache
@require_POST
def demo_login(request: HttpRequest) -> HttpResponse:
    """Log in as one of the demo users without a password (demo mode only)."""
    if not settings.PLOV_DEMO:
        raise Http404
    logins = {login.username: login for login in _demo_logins()}
    login = logins.get(request.POST.get("username", ""))
    if login is None:
        raise Http404
    User = get_user_model()
    user = User.objects.filter(username=login.username).first()
    if user is None:
        from plov.demo.users import create_demo_users

        create_demo_users()
        user = User.objects.get(username=login.username)
    # Give the demo user the profile single sign-on would have given it.
    role = ROLE_BY_GROUP[login.role]
    apply_access(
        user,
        Access(roles=[role], cvr=login.cvr, first_name=user.first_name, last_name=user.last_name),
    )
    user.email = f"{login.username}+{login.cvr}@demo.plejeoverblikket.dk"  # as plov demo has it
    user.save(update_fields=["email"])
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    logger.info("Demo-login som %s", login.username)
    return HttpResponseRedirect(safe_next(request, request.POST.get("next")))


def seb_logout_url(request: HttpRequest, id_token: str | None) -> str | None:
    """The provider's end-session URL (OpenID Connect RP-Initiated Logout 1.0) that ends the SEB
    session too and comes back to the login page; None when the user did not log in via SEB or
    the provider has no such endpoint."""
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    if not endpoint or not id_token:
        return None
    back = request.build_absolute_uri(reverse("accounts:login") + "?logget_ud=1")
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": back,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "ui_locales": "da",
    }
    separator = "&" if "?" in endpoint else "?"
    return endpoint + separator + urlencode(query)


@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """ "Log ud" (ours and Wagtail's menu): ends the session here and, for a SEB login, at SEB,
    so that the next "Log ind via SEB" asks for credentials again."""
    if request.method == "POST":
        id_token = request.session.get("oidc_id_token")
        auth.logout(request)
        seb_url = seb_logout_url(request, id_token)
        if seb_url:
            return HttpResponseRedirect(seb_url)
        return HttpResponseRedirect(reverse("accounts:login") + "?logget_ud=1")
    return render(request, "accounts/logout.html")


@never_cache
@require_GET
def refused(request: HttpRequest) -> HttpResponse:
    reason = request.session.pop(REFUSAL_SESSION_KEY, None) or Refusal.FAILED
    title, message = REFUSAL_MESSAGES.get(reason, REFUSAL_MESSAGES[Refusal.FAILED])
    return render(
        request,
        "accounts/refused.html",
        {"title": title, "message": message, "reason": reason},
        status=403,
    )


class CallbackView(OIDCAuthenticationCallbackView):
    """mozilla-django-oidc's callback; a refused or failed login logs out whoever was logged in
    in this browser and lands on the refusal page with the reason."""

    def login_failure(self):
        request = self.request
        reason = request.session.get(REFUSAL_SESSION_KEY)
        user = getattr(self, "user", None)
        if reason is None and user is not None and not user.is_active:
            reason = Refusal.INACTIVE
        if request.user.is_authenticated:
            auth.logout(request)
        request.session[REFUSAL_SESSION_KEY] = reason or Refusal.FAILED
        return HttpResponseRedirect(reverse("accounts:refused"))

    def login_success(self):
        self.request.session.pop(REFUSAL_SESSION_KEY, None)
        return super().login_success()


DRIFTSINFO_URL = "https://driftsinfosund.dk/driftsstatus/plov2-plejeoverblikket"


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """/admin/vejledning/: the essentials of the Danish guides (editors, contract managers, the
    SOR registration of care homes and home-care sites) for plov's back office, and whom to ask.
    Mounted by `plov.accounts.wagtail_hooks` inside the admin, so only a logged-in user sees it.
    Every role reads every section: a colleague's task is often the answer to a warning."""
    return render(request, "accounts/guide.html", {"driftsinfo_url": DRIFTSINFO_URL})

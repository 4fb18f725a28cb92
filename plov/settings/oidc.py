"""Single sign-on (SEB, OpenID Connect) settings: imported at the end of base.py.

Environment variables (read here, once):

- `PLOV_OIDC_ISSUER`: the provider's issuer. When set, endpoints not given are read from
  `{issuer}/.well-known/openid-configuration` at startup, and ID tokens must carry this `iss`.
- `PLOV_OIDC_CLIENT_ID`, `PLOV_OIDC_CLIENT_SECRET`: plov's client at the provider.
- `PLOV_OIDC_AUTHORIZATION_ENDPOINT`, `PLOV_OIDC_TOKEN_ENDPOINT`, `PLOV_OIDC_USERINFO_ENDPOINT`,
  `PLOV_OIDC_JWKS_ENDPOINT`: the provider's endpoints (default: discovered).
- `PLOV_OIDC_SCOPES` (`openid profile email`): the scopes asked for.
- `PLOV_OIDC_END_SESSION_ENDPOINT`: the provider's RP-initiated logout endpoint (default:
  discovered `end_session_endpoint`); when known, "Log ud" also ends the SEB session.
- `PLOV_OIDC_USE_PKCE` (`1`): PKCE (S256) on the authorisation code.
- `PLOV_OIDC_TOKEN_BASIC_AUTH` (`0`): client_secret_basic instead of client_secret_post.
- `PLOV_OIDC_CLAIM_CVR`, `PLOV_OIDC_CLAIM_ROLES`, `PLOV_OIDC_CLAIM_SOR_IDS`,
  `PLOV_OIDC_CLAIM_EMAIL` (`organisation_cvr`, `roles`, `sor_ids`, `email`): the claim names.
- `PLOV_OIDC_AGENCY_CVRS` (`33257872`, Sundhedsdatastyrelsen): the CVR numbers that may hold the
  agency role, comma-separated; empty: any.

Self-contained (no import from base.py), so that it can be imported at base.py's end.
"""

import json
import logging
import os
import urllib.parse
import urllib.request

from django.core.exceptions import ImproperlyConfigured

_logger = logging.getLogger("plov.accounts")


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false).")


def discover_oidc_provider(issuer: str, timeout: float = 5.0) -> dict:
    """The provider's metadata from `{issuer}/.well-known/openid-configuration`.

    The document must name the same issuer (OpenID Connect Discovery §4.3); plain http is only
    accepted for a provider on this machine (tests)."""
    issuer = issuer.rstrip("/")
    parsed = urllib.parse.urlsplit(issuer)
    if parsed.scheme != "https" and not (
        parsed.scheme == "http" and parsed.hostname in {"127.0.0.1", "localhost", "::1"}
    ):
        raise ImproperlyConfigured(f"PLOV_OIDC_ISSUER must be an https URL, not {issuer!r}")
    with urllib.request.urlopen(  # scheme checked above
        f"{issuer}/.well-known/openid-configuration", timeout=timeout
    ) as response:
        metadata = json.load(response)
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise ImproperlyConfigured(
            f"The provider at {issuer} calls itself {metadata.get('issuer')!r}"
        )
    return metadata


def oidc_endpoints(issuer: str) -> dict[str, str]:
    """OIDC_* endpoint settings from the provider's discovery document."""
    metadata = discover_oidc_provider(issuer)
    return {
        "OIDC_OP_ISSUER": str(metadata["issuer"]),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": metadata.get("authorization_endpoint", ""),
        "OIDC_OP_TOKEN_ENDPOINT": metadata.get("token_endpoint", ""),
        "OIDC_OP_USER_ENDPOINT": metadata.get("userinfo_endpoint", ""),
        "OIDC_OP_JWKS_ENDPOINT": metadata.get("jwks_uri", ""),
        "OIDC_OP_LOGOUT_ENDPOINT": metadata.get("end_session_endpoint", ""),
    }


AUTHENTICATION_BACKENDS = [
    "plov.accounts.auth.PlovOIDCBackend",
    # Local passwords: the demo's users and tests. No page offers a password form (Wagtail's
    # /admin/login/ redirects to /konto/login/), so in production only SEB logs anyone in.
    "django.contrib.auth.backends.ModelBackend",
]

OIDC_RP_CLIENT_ID = _env("PLOV_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = _env("PLOV_OIDC_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = _env("PLOV_OIDC_SCOPES", "openid profile email")
OIDC_OP_ISSUER = _env("PLOV_OIDC_ISSUER").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = _env("PLOV_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = _env("PLOV_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = _env("PLOV_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = _env("PLOV_OIDC_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = _env("PLOV_OIDC_END_SESSION_ENDPOINT")
if OIDC_OP_ISSUER and not all(
    (
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
        OIDC_OP_LOGOUT_ENDPOINT,
    )
):
    try:
        _found = oidc_endpoints(OIDC_OP_ISSUER)
    except (OSError, ValueError, KeyError) as _exc:
        # Startup (and the nightly run) must not depend on the provider answering: SEB login
        # stays off ("not set up" on the login page) until the next start.
        _logger.warning("OIDC discovery at %s failed: %s", OIDC_OP_ISSUER, _exc)
    else:
        OIDC_OP_AUTHORIZATION_ENDPOINT = (
            OIDC_OP_AUTHORIZATION_ENDPOINT or _found["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        )
        OIDC_OP_TOKEN_ENDPOINT = OIDC_OP_TOKEN_ENDPOINT or _found["OIDC_OP_TOKEN_ENDPOINT"]
        OIDC_OP_USER_ENDPOINT = OIDC_OP_USER_ENDPOINT or _found["OIDC_OP_USER_ENDPOINT"]
        OIDC_OP_JWKS_ENDPOINT = OIDC_OP_JWKS_ENDPOINT or _found["OIDC_OP_JWKS_ENDPOINT"]
        OIDC_OP_LOGOUT_ENDPOINT = OIDC_OP_LOGOUT_ENDPOINT or _found["OIDC_OP_LOGOUT_ENDPOINT"]

OIDC_USE_NONCE = True
OIDC_USE_PKCE = _env_flag("PLOV_OIDC_USE_PKCE", True)
OIDC_TOKEN_USE_BASIC_AUTH = _env_flag("PLOV_OIDC_TOKEN_BASIC_AUTH", False)
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = True
OIDC_CALLBACK_CLASS = "plov.accounts.views.CallbackView"
OIDC_STORE_ACCESS_TOKEN = False
# The ID token is kept in the (server-side) session only as the `id_token_hint` of the SEB
# logout request; it is never logged.
OIDC_STORE_ID_TOKEN = True

PLOV_OIDC_CLAIM_CVR = _env("PLOV_OIDC_CLAIM_CVR", "organisation_cvr")
PLOV_OIDC_CLAIM_ROLES = _env("PLOV_OIDC_CLAIM_ROLES", "roles")
PLOV_OIDC_CLAIM_SOR_IDS = _env("PLOV_OIDC_CLAIM_SOR_IDS", "sor_ids")
PLOV_OIDC_CLAIM_EMAIL = _env("PLOV_OIDC_CLAIM_EMAIL", "email")
PLOV_OIDC_AGENCY_CVRS = _env("PLOV_OIDC_AGENCY_CVRS", "33257872")

LOGIN_URL = "/konto/login/"
LOGIN_REDIRECT_URL = "/admin/"
LOGIN_REDIRECT_URL_FAILURE = "/konto/afvist/"
LOGOUT_REDIRECT_URL = "/konto/login/?logget_ud=1"
# Wagtail 8: where the admin sends anonymous users (and where its logout lands), and where
# private front-end pages send them.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# No local passwords to change or reset: SEB owns the credentials.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

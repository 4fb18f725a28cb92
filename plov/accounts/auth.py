"""Single sign-on through SEB: an OpenID Connect login maps the claims to a user, a profile,
role groups and Wagtail admin access, again at every login.

The claims (names are settings):

- `sub`: the user's username (never the e-mail address);
- `name`, or `given_name` + `family_name`: the user's name;
- `email` (`PLOV_OIDC_CLAIM_EMAIL`): the work address, used only for the weekly data-quality mail
  (ignored when invalid or `email_verified` is false);
- `PLOV_OIDC_CLAIM_CVR` (default `organisation_cvr`): the organisation's CVR number;
- `PLOV_OIDC_CLAIM_ROLES` (default `roles`): a list of role values (see `ROLE_BY_CLAIM_VALUE`);
- `PLOV_OIDC_CLAIM_SOR_IDS` (default `sor_ids`): optionally, the SOR-IDs the user is limited to.

A role is kept only when the organisation may hold it: an editor needs a CVR number; a contract
manager's CVR must be a municipality's; a supervisor's CVR must be a municipality hosting a
supervising authority; the agency role needs one of `PLOV_OIDC_AGENCY_CVRS` when that is set
(SEB lets each organisation's own user administrators grant roles, so a role value alone must not
make a municipality's employee the national administrator). A user left with no role (only
`ploGodkender`, or nothing) is refused: their stored roles and groups are removed and they are
sent to the refusal page with a Danish explanation.

Security notes on top of mozilla-django-oidc: the ID token's `iss` (when `OIDC_OP_ISSUER` is set),
`aud` and `azp` are checked; the userinfo `sub` must equal the ID token's; a single sign-on login
never takes over an account that can log in with a password (local or demo accounts); a
deactivated user's sessions stop working.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

import jwt
import requests
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from plov.accounts.models import GROUP_BY_ROLE, ROLE_BY_CLAIM_VALUE, Role, UserProfile
from plov.accounts.scope import CVR_PATTERN, Scope, authorities_for_cvr, municipality_code_for_cvr

logger = logging.getLogger("plov.accounts")

REFUSAL_SESSION_KEY = "plov_login_refused"


class Refusal:
    """Why a login was refused (the refusal page shows the matching Danish text)."""

    NO_ROLE = "no_role"
    CONFLICT = "conflict"
    INVALID = "invalid"
    INACTIVE = "inactive"
    FAILED = "failed"


_ROLE_LOOKUP = {
    unicodedata.normalize("NFC", value).casefold(): role
    for value, role in ROLE_BY_CLAIM_VALUE.items()
}
_SOR_ID = re.compile(r"\d{1,20}")


def _setting(name: str, default: str) -> str:
    return getattr(settings, name, default) or default


def _as_list(value) -> list[str]:
    """A claim that should be a list: a JSON list, or a string separated by commas/spaces."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if isinstance(v, str | int) and str(v).strip()]
    return []


@dataclass
class Access:
    """What a login's claims give: kept roles (in Role order), CVR, SOR-IDs and name."""

    roles: list[str] = field(default_factory=list)
    cvr: str = ""
    sor_ids: list[str] = field(default_factory=list)
    first_name: str = ""
    last_name: str = ""
    email: str = ""  # the work address, for service mail only (the weekly data-quality mail)
    dropped: list[str] = field(default_factory=list)
    ignored_values: list[str] = field(default_factory=list)


def derive_access(claims: dict) -> Access:
    """Map claims to roles, CVR, SOR-IDs and name; drop roles the organisation may not hold."""
    access = Access()
    raw_cvr = claims.get(_setting("PLOV_OIDC_CLAIM_CVR", "organisation_cvr"))
    cvr = re.sub(r"\s", "", str(raw_cvr)) if isinstance(raw_cvr, str | int) else ""
    access.cvr = cvr if CVR_PATTERN.fullmatch(cvr) else ""

    wanted: set[str] = set()
    for value in _as_list(claims.get(_setting("PLOV_OIDC_CLAIM_ROLES", "roles"))):
        role = _ROLE_LOOKUP.get(unicodedata.normalize("NFC", value).casefold())
        if role is None:
            access.ignored_values.append(value)  # ploGodkender and anything unknown
        else:
            wanted.add(role.value)

    agency_cvrs = {c.strip() for c in str(settings.PLOV_OIDC_AGENCY_CVRS).split(",") if c.strip()}
    for role in Role:
        if role.value not in wanted:
            continue
        if not access.cvr:
            reason = "login uden gyldigt CVR-nummer"
        elif role == Role.CONTRACT_MANAGER and municipality_code_for_cvr(access.cvr) is None:
            reason = "organisationens CVR-nummer er ikke en kommunes"
        elif role == Role.SUPERVISOR and not authorities_for_cvr(access.cvr):
            reason = "organisationens CVR-nummer er ikke en tilsynskommunes"
        elif role == Role.AGENCY and agency_cvrs and access.cvr not in agency_cvrs:
            reason = "organisationens CVR-nummer er ikke Sundhedsdatastyrelsens"
        else:
            access.roles.append(role.value)
            continue
        access.dropped.append(role.value)
        # No personal data in the log: the role and why, not who.
        logger.warning("SSO-login: rollen %s er fjernet: %s", role.value, reason)

    access.sor_ids = sorted(
        {
            s
            for s in _as_list(claims.get(_setting("PLOV_OIDC_CLAIM_SOR_IDS", "sor_ids")))
            if _SOR_ID.fullmatch(s)
        }
    )

    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) and given.strip():
        access.first_name = given.strip()
        access.last_name = family.strip() if isinstance(family, str) else ""
    elif isinstance(claims.get("name"), str) and claims["name"].strip():
        first, _, last = claims["name"].strip().rpartition(" ")
        access.first_name, access.last_name = (first, last) if first else (last, "")
    access.first_name, access.last_name = access.first_name[:150], access.last_name[:150]
    access.email = _work_email(claims)
    return access


def _work_email(claims: dict) -> str:
    """The `email` claim when it is a valid address the provider has not marked unverified."""
    value = claims.get(_setting("PLOV_OIDC_CLAIM_EMAIL", "email"))
    if not isinstance(value, str) or claims.get("email_verified") is False:
        return ""
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value[:254]


def role_groups() -> dict[str, Group]:
    """The four role groups (created if missing), each with Wagtail admin access."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for role, name in GROUP_BY_ROLE.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[role] = group
    return groups


@transaction.atomic
def apply_access(user, access: Access) -> None:
    """Write the claims' access onto the user: name, profile, role groups and is_staff.

    Only the four role groups are managed; any other group an administrator gave stays."""
    user.first_name, user.last_name = access.first_name, access.last_name
    # Personal data kept: name, organisation, and the work e-mail address SEB gives (for the
    # weekly data-quality mail); all three are rewritten at every login.
    user.email = access.email
    user.is_staff = bool(access.roles)
    user.save()
    UserProfile.objects.update_or_create(
        user=user,
        defaults={
            "organisation_cvr": access.cvr,
            "roles": list(access.roles),
            "sor_ids": list(access.sor_ids),
            "last_claims_at": timezone.now(),
        },
    )
    groups = role_groups()
    user.groups.remove(*[g for role, g in groups.items() if role not in access.roles])
    user.groups.add(*[groups[role] for role in access.roles])
    if hasattr(user, "plov_profile"):
        user.plov_profile.refresh_from_db()
    Scope.forget(user)


class PlovOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with plov's claims mapping (see module doc)."""

    # --- protocol checks mozilla-django-oidc leaves out ----------------------------------

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = self.get_settings("OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorised for another client")
        return payload

    def retrieve_matching_jwk(self, token):
        """The provider's signing key for this token: the JWKS key with the token's `kid`, or,
        when the token names no key (allowed by RFC 7515), the provider's only signing key of
        the token's algorithm. Never a guess between several keys."""
        header = jwt.get_unverified_header(token)
        if "kid" in header:
            return super().retrieve_matching_jwk(token)
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        candidates = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig"
            and key.get("alg", header.get("alg")) == header.get("alg")
            and key.get("kty") == ("EC" if str(header.get("alg")).startswith("ES") else "RSA")
        ]
        if len(candidates) != 1:
            raise SuspiciousOperation("ID token names no key and the provider has several")
        return jwt.PyJWK(candidates[0])

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as exc:
            # The provider refused the code or did not answer: a failed login, not a 500.
            logger.warning(
                "SSO-login: udbyderen svarede ikke som forventet (%s)", type(exc).__name__
            )
            self.refuse(Refusal.FAILED)
            return None

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    # --- claims → user -----------------------------------------------------------------

    def verify_claims(self, claims) -> bool:
        sub = claims.get("sub")
        return isinstance(sub, str) and 0 < len(sub) <= 150 and sub.isprintable()

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=claims.get("sub"))

    def describe_user_by_claims(self, claims) -> str:
        return "subject (skjult)"

    def create_user(self, claims):
        user = self.UserModel(username=claims["sub"])
        user.set_unusable_password()
        user.save()
        return user

    def update_user(self, user, claims):
        apply_access(user, derive_access(claims))
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        return self.user_from_claims(self.merge_claims(payload, user_info))

    @staticmethod
    def merge_claims(id_token_claims: dict, user_info: dict) -> dict:
        """The ID token's claims overlaid with userinfo's, which must be about the same user."""
        if user_info.get("sub") != id_token_claims.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        return {**id_token_claims, **user_info}

    def user_from_claims(self, claims: dict):
        """The user these claims log in, created or updated; None when the login is refused."""
        if not self.verify_claims(claims):
            logger.warning("SSO-login afvist: ugyldigt eller manglende sub")
            return self.refuse(Refusal.INVALID)
        access = derive_access(claims)
        user = self.filter_users_by_claims(claims).first()
        if user is not None and user.has_usable_password():
            # A local (password or demo) account: never taken over by a single sign-on subject.
            logger.warning(
                "SSO-login afvist: brugernavnet tilhører en lokal konto (id %s)", user.pk
            )
            return self.refuse(Refusal.CONFLICT)
        if not access.roles:
            if user is not None:
                apply_access(user, access)  # what the provider took away is gone now
            logger.info("SSO-login afvist: ingen rolle, der giver adgang")
            return self.refuse(Refusal.NO_ROLE)
        if user is None:
            user = self.create_user(claims)
        apply_access(user, access)
        return user

    def refuse(self, reason: str) -> None:
        request = getattr(self, "request", None)
        session = getattr(request, "session", None)
        if session is not None:
            session[REFUSAL_SESSION_KEY] = reason
        return None

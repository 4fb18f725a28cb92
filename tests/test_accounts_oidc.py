"""Single sign-on claims → user, profile, groups and admin access (plov.accounts.auth), called on
the backend directly; the login, demo-login, logout and refusal pages through the test client."""

from __future__ import annotations

import logging
import time
import urllib.parse

import jwt
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from plov.accounts.auth import REFUSAL_SESSION_KEY, PlovOIDCBackend, Refusal
from plov.accounts.models import GROUP_BY_ROLE, UserProfile
from plov.demo import users as demo_users
from plov.units.models import Organisation
from tests import country as c

SUB = "seb-7f3a9c"
SILKEBORG_CVR = "29189919"


@pytest.fixture
def backend(db, rf: RequestFactory):
    backend = PlovOIDCBackend()
    request = rf.get("/oidc/callback/")
    request.session = {}
    backend.request = request
    return backend


def claims(*roles, cvr=c.AARHUS_CVR, sub=SUB, **extra):
    return {
        "sub": sub,
        "name": "Anne Marie Jensen",
        "organisation_cvr": cvr,
        "roles": list(roles),
        **extra,
    }


def groups(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def test_the_role_groups_are_the_demos(db):
    assert sorted(GROUP_BY_ROLE.values()) == sorted(demo_users.GROUPS)


def test_a_first_login_creates_a_user_named_by_the_subject(imported, backend):
    user = backend.user_from_claims(
        claims("ploRedaktør", sor_ids=[c.SOLGAARDEN, "not-a-sor-id"], email="anne@aarhus.dk")
    )
    user = get_user_model().objects.get(pk=user.pk)
    assert user.username == SUB
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == (
        "Anne Marie",
        "Jensen",
        "anne@aarhus.dk",
    )
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("wagtailadmin.access_admin")
    assert groups(user) == ["Redaktør"]
    profile = UserProfile.objects.get(user=user)
    assert profile.roles == ["editor"]
    assert profile.organisation_cvr == c.AARHUS_CVR
    assert profile.sor_ids == [c.SOLGAARDEN]
    assert profile.last_claims_at is not None


@pytest.mark.parametrize(
    "extra",
    [{}, {"email": "ikke en adresse"}, {"email": "anne@aarhus.dk", "email_verified": False}],
)
def test_the_work_email_is_kept_only_while_seb_gives_a_good_one(imported, backend, extra):
    user = backend.user_from_claims(claims("ploRedaktør", email="anne@aarhus.dk"))
    assert get_user_model().objects.get(pk=user.pk).email == "anne@aarhus.dk"
    user = backend.user_from_claims(claims("ploRedaktør", **extra))
    assert get_user_model().objects.get(pk=user.pk).email == ""


def test_roles_are_derived_again_at_every_login(imported, backend):
    first = backend.user_from_claims(
        claims("ploRedaktør", "driftsoverenskomstansvarlig", sor_ids=[c.SOLGAARDEN])
    )
    assert groups(first) == ["Driftsoverenskomstansvarlig", "Redaktør"]
    second = backend.user_from_claims(claims("driftsoverenskomstansvarlig"))
    assert second.pk == first.pk
    second = get_user_model().objects.get(pk=second.pk)
    assert groups(second) == ["Driftsoverenskomstansvarlig"]
    assert second.plov_profile.roles == ["contract_manager"]
    assert second.plov_profile.sor_ids == []  # no longer narrowed
    assert get_user_model().objects.count() == 1


def test_plogodkender_alone_is_refused_and_takes_the_old_rights_away(imported, backend):
    user = backend.user_from_claims(claims("ploRedaktør"))
    assert backend.user_from_claims(claims("ploGodkender")) is None
    assert backend.request.session[REFUSAL_SESSION_KEY] == Refusal.NO_ROLE
    user = get_user_model().objects.get(pk=user.pk)
    assert groups(user) == []
    assert not user.is_staff
    assert not user.has_perm("wagtailadmin.access_admin")
    assert user.plov_profile.roles == []


def test_a_first_login_without_a_role_creates_no_user(imported, backend):
    assert backend.user_from_claims(claims("ploGodkender")) is None
    assert backend.user_from_claims(claims()) is None
    assert backend.user_from_claims(claims("ploRedaktør", cvr="")) is None  # no organisation
    assert backend.user_from_claims({"roles": ["ploRedaktør"]}) is None  # no subject
    assert not get_user_model().objects.exists()


def test_the_contract_manager_role_needs_a_municipalitys_cvr(imported, backend, caplog):
    caplog.set_level(logging.WARNING, logger="plov.accounts")
    user = backend.user_from_claims(
        claims("ploRedaktør", "driftsoverenskomstansvarlig", cvr=c.COMPANY_CVR)
    )
    assert user.plov_profile.roles == ["editor"]
    assert groups(user) == ["Redaktør"]
    assert "contract_manager" in caplog.text
    for secret in (SUB, "Anne", "Jensen"):
        assert secret not in caplog.text
    # the only role dropped: refused
    assert (
        backend.user_from_claims(
            claims("driftsoverenskomstansvarlig", cvr=c.COMPANY_CVR, sub="other")
        )
        is None
    )


def test_the_agency_and_supervisor_roles_need_their_organisations(imported, backend, settings):
    Organisation.objects.create(
        kind="municipality", name="Silkeborg Kommune", cvr_number=SILKEBORG_CVR, municipality_id=740
    )
    supervisor = backend.user_from_claims(claims("Ældretilsynet", cvr=SILKEBORG_CVR, sub="t"))
    assert groups(supervisor) == ["Ældretilsynet"]
    assert backend.user_from_claims(claims("Ældretilsynet", cvr=c.AARHUS_CVR, sub="t2")) is None

    assert backend.user_from_claims(claims("Sundhedsdatastyrelsen", sub="a1")) is None
    agency = backend.user_from_claims(claims("Sundhedsdatastyrelsen", cvr="33257872", sub="a2"))
    assert groups(agency) == ["Sundhedsdatastyrelsen"]
    settings.PLOV_OIDC_AGENCY_CVRS = ""
    assert backend.user_from_claims(claims("Sundhedsdatastyrelsen", sub="a3")) is not None


def test_claim_names_are_settings_and_lists_may_be_strings(imported, backend, settings):
    settings.PLOV_OIDC_CLAIM_CVR = "cvr"
    settings.PLOV_OIDC_CLAIM_ROLES = "plov_roller"
    settings.PLOV_OIDC_CLAIM_SOR_IDS = "sor"
    user = backend.user_from_claims(
        {
            "sub": SUB,
            "given_name": "Anne",
            "family_name": "Jensen",
            "cvr": c.AARHUS_CVR,
            "plov_roller": "PLOREDAKTØR ploGodkender",
            "sor": f"{c.SITE_NORTH},{c.SITE_SOUTH}",
        }
    )
    assert (user.first_name, user.last_name) == ("Anne", "Jensen")
    assert user.plov_profile.roles == ["editor"]
    assert user.plov_profile.sor_ids == [c.SITE_NORTH, c.SITE_SOUTH]


def test_a_local_account_is_never_taken_over(imported, backend):
    local = get_user_model().objects.create_user("admin", password="x", is_superuser=True)
    assert (
        backend.user_from_claims(claims("Sundhedsdatastyrelsen", cvr="33257872", sub="admin"))
        is None
    )
    assert backend.request.session[REFUSAL_SESSION_KEY] == Refusal.CONFLICT
    local.refresh_from_db()
    assert local.is_superuser and not hasattr(local, "plov_profile") and groups(local) == []


def test_userinfo_must_be_about_the_id_tokens_subject(backend):
    assert backend.merge_claims({"sub": "a", "x": 1}, {"sub": "a", "y": 2}) == {
        "sub": "a",
        "x": 1,
        "y": 2,
    }
    with pytest.raises(SuspiciousOperation):
        backend.merge_claims({"sub": "a"}, {"sub": "b"})


def test_the_id_token_must_be_for_this_client_from_this_issuer(db, settings):
    secret = "a-shared-secret-long-enough-for-hs256-signatures"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_CLIENT_ID = "plov"
    settings.OIDC_RP_CLIENT_SECRET = secret
    settings.OIDC_OP_ISSUER = "https://seb.example"
    backend = PlovOIDCBackend()

    def token(**changes):
        payload = {
            "iss": "https://seb.example",
            "aud": "plov",
            "sub": SUB,
            "nonce": "n",
            "exp": int(time.time()) + 60,
            **changes,
        }
        return jwt.encode(payload, secret, algorithm="HS256")

    assert backend.verify_token(token(), nonce="n")["sub"] == SUB
    assert backend.verify_token(token(aud=["plov", "x"], azp="plov"), nonce="n")
    for bad in (
        dict(iss="https://evil.example"),
        dict(aud="another-client"),
        dict(aud=["plov", "x"], azp="x"),
    ):
        with pytest.raises(SuspiciousOperation):
            backend.verify_token(token(**bad), nonce="n")
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(), nonce="another")
    with pytest.raises(jwt.ExpiredSignatureError):
        backend.verify_token(token(exp=int(time.time()) - 60), nonce="n")


def test_a_deactivated_users_session_stops_working(imported, backend):
    user = backend.user_from_claims(claims("ploRedaktør"))
    assert backend.get_user(user.pk) == user
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None


# --- pages -------------------------------------------------------------------------------


def test_the_admin_sends_anonymous_users_to_the_login_page(client, db, settings):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://seb.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://seb.example/token"
    settings.OIDC_RP_CLIENT_ID = "plov"
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/konto/login/?next=/admin/"
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/konto/login/?next=/admin/pages/"
    page = client.get("/konto/login/?next=/admin/pages/").content.decode()
    assert "Log ind via SEB" in page
    assert 'href="/oidc/authenticate/?next=/admin/pages/"' in page
    assert "Demobrugere" not in page
    # a foreign next is dropped
    page = client.get("/konto/login/?next=https://evil.example/").content.decode()
    assert "evil.example" not in page
    response = client.get("/oidc/authenticate/?next=/admin/")
    assert response["Location"].startswith("https://seb.example/authorize?")
    assert "code_challenge=" in response["Location"] and "nonce=" in response["Location"]


def test_demo_logins_exist_only_in_demo_mode(client, imported, settings):
    settings.PLOV_DEMO = False
    assert client.post("/konto/login/demo/", {"username": "redaktoer-aarhus"}).status_code == 404
    settings.PLOV_DEMO = True
    page = client.get("/konto/login/").content.decode()
    assert "Demobrugere" in page and 'value="redaktoer-aarhus"' in page
    assert client.get("/konto/login/demo/").status_code == 405
    assert client.post("/konto/login/demo/", {"username": "nobody"}).status_code == 404
    response = client.post(
        "/konto/login/demo/", {"username": "redaktoer-aarhus", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    user = get_user_model().objects.get(username="redaktoer-aarhus")
    assert user.plov_profile.roles == ["editor"]
    assert user.plov_profile.organisation_cvr == c.AARHUS_CVR
    assert client.get("/admin/").status_code == 200


def test_demo_login_needs_the_csrf_token(imported, settings):
    from django.test import Client

    settings.PLOV_DEMO = True
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/konto/login/demo/", {"username": "admin"}).status_code == 403


def test_logout_is_a_post(client, imported, backend):
    user = backend.user_from_claims(claims("ploRedaktør"))
    client.force_login(user, backend="plov.accounts.auth.PlovOIDCBackend")
    assert client.get("/konto/logout/").status_code == 200
    assert client.get("/admin/").status_code == 200
    response = client.post("/konto/logout/")
    assert response["Location"] == "/konto/login/?logget_ud=1"
    assert client.get("/admin/").status_code == 302


def test_a_failed_callback_lands_on_the_danish_refusal_page(client, db):
    response = client.get("/oidc/callback/?error=access_denied&state=x")
    assert response["Location"] == "/konto/afvist/"
    response = client.get("/konto/afvist/")
    assert response.status_code == 403
    assert "Login via SEB blev afbrudt eller mislykkedes" in response.content.decode()


def test_discovery_wants_https_except_on_this_machine():
    from django.core.exceptions import ImproperlyConfigured

    from plov.settings.oidc import discover_oidc_provider

    with pytest.raises(ImproperlyConfigured):
        discover_oidc_provider("http://seb.example")


def test_wagtails_logout_ends_the_seb_session_when_the_user_came_from_seb(client, settings, db):
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://seb.example/logout"
    settings.OIDC_RP_CLIENT_ID = "plov"
    user = get_user_model().objects.create_user("seb-user")
    client.force_login(user, backend="plov.accounts.auth.PlovOIDCBackend")
    session = client.session
    session["oidc_id_token"] = "header.payload.signature"
    session.save()

    response = client.post("/admin/logout/")  # Wagtail's menu posts here

    assert response.status_code == 302
    target = urllib.parse.urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "seb.example", "/logout")
    query = urllib.parse.parse_qs(target.query)
    assert query["id_token_hint"] == ["header.payload.signature"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/konto/login/?logget_ud=1"]
    assert query["client_id"] == ["plov"]
    assert "_auth_user_id" not in client.session


def test_a_local_login_logs_out_locally(client, settings, db):
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://seb.example/logout"
    client.force_login(get_user_model().objects.create_user("demo-user"))
    response = client.post("/konto/logout/")
    assert response["Location"] == "/konto/login/?logget_ud=1"
    assert "_auth_user_id" not in client.session

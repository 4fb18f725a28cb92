"""Log in through a real OpenID Connect provider in Chromium.

The provider is oidc-provider-mock (Authlib + Flask) served on 127.0.0.1 by the test: plov finds it
by discovery, sends the browser to its authorisation form, exchanges the code at its token
endpoint, checks the RS256 ID token against its JWKS and reads its userinfo. Nothing is mocked on
plov's side. Users and their claims are set with the provider's `PUT /users/{sub}`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from django.contrib.auth import get_user_model
from oidc_provider_mock import app as provider_app
from werkzeug.serving import make_server

from plov.settings.oidc import oidc_endpoints
from plov.units.models import Municipality, Organisation
from tests.browser.conftest import assert_accessible, screenshot

AARHUS_CVR = "55133018"
SUB = "seb-bruger-4711"


@pytest.fixture
def provider(monkeypatch) -> Iterator[str]:
    """The provider's issuer URL; the provider runs in a thread for the test."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on 127.0.0.1 only
    server = make_server("127.0.0.1", 0, provider_app(require_nonce=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture
def sso(provider, settings) -> str:
    for name, value in oidc_endpoints(provider).items():  # discovery, as at startup
        setattr(settings, name, value)
    settings.OIDC_RP_CLIENT_ID = "plov"
    settings.OIDC_RP_CLIENT_SECRET = "plov-secret"
    settings.OIDC_USE_PKCE = True
    return provider


def aarhus_organisation() -> Organisation:
    # Transactional tests flush the tables between them, reference data included.
    aarhus, _ = Municipality.objects.get_or_create(
        code=751,
        defaults={"name": "Aarhus", "region_code": 1082, "region_name": "Region Midtjylland"},
    )
    return Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Aarhus Kommune",
        cvr_number=AARHUS_CVR,
        municipality=aarhus,
    )


def set_claims(provider: str, sub: str, claims: dict) -> None:
    response = requests.put(f"{provider}/users/{sub}", json=claims, timeout=5)
    assert response.status_code == 204, response.text


def log_in_via_seb(page, base_url: str, sub: str, start: str = "/admin/") -> None:
    page.goto(base_url + start)
    assert "/konto/login/" in page.url
    page.get_by_role("link", name="Log ind via SEB").click()
    page.locator("input[name=sub]").fill(sub)  # the provider's own login form
    page.get_by_role("button", name="Authorize").click()


def test_an_editor_logs_in_via_seb_and_is_refused_once_the_role_is_gone(live_server, page, sso, db):
    aarhus_organisation()
    set_claims(
        sso,
        SUB,
        {
            "name": "Anne Marie Jensen",
            "organisation_cvr": AARHUS_CVR,
            "roles": ["ploRedaktør", "driftsoverenskomstansvarlig", "ploGodkender"],
            "sor_ids": ["100000000010"],
        },
    )

    page.goto(live_server.url + "/konto/login/")
    assert_accessible(page)
    screenshot(page, "konto-login")

    log_in_via_seb(page, live_server.url, SUB)
    page.wait_for_url(live_server.url + "/admin/")
    assert "Anne Marie Jensen" in page.content()  # Wagtail's dashboard, logged in
    user = get_user_model().objects.get(username=SUB)
    assert sorted(user.groups.values_list("name", flat=True)) == [
        "Driftsoverenskomstansvarlig",
        "Redaktør",
    ]
    assert user.plov_profile.sor_ids == ["100000000010"]
    assert user.has_perm("wagtailadmin.access_admin")

    # The organisation's user administrator takes the roles away in SEB.
    set_claims(
        sso,
        SUB,
        {"name": "Anne Marie Jensen", "organisation_cvr": AARHUS_CVR, "roles": ["ploGodkender"]},
    )
    log_in_via_seb(page, live_server.url, SUB, start="/konto/login/")
    page.wait_for_url(live_server.url + "/konto/afvist/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Du har ikke en rolle, der giver adgang"
    )
    assert "ploGodkender giver ikke længere adgang" in page.content()
    assert_accessible(page)
    screenshot(page, "konto-afvist")

    user = get_user_model().objects.get(username=SUB)
    assert list(user.groups.all()) == [] and not user.is_staff
    page.goto(live_server.url + "/admin/")
    assert "/konto/login/" in page.url  # logged out as well


def test_demo_users_log_in_with_a_button(live_server, page, settings, db):
    settings.PLOV_DEMO = True
    aarhus_organisation()
    page.goto(live_server.url + "/admin/")
    assert "/konto/login/" in page.url
    assert_accessible(page)
    screenshot(page, "konto-login-demo")
    page.get_by_role("button", name="Log ind som Redaktør, Aarhus Kommune").click()
    page.wait_for_url(live_server.url + "/admin/")
    user = get_user_model().objects.get(username="redaktoer-aarhus")
    assert (
        user.plov_profile.roles == ["editor"] and user.plov_profile.organisation_cvr == AARHUS_CVR
    )


def test_logging_out_ends_the_seb_session_too(live_server, page, sso, db):
    """RP-initiated logout: "Log ud" sends the browser to the provider's end-session endpoint
    with the ID token as hint, and the provider sends it back to plov's login page."""
    aarhus_organisation()
    set_claims(
        sso,
        SUB,
        {"name": "Anne Marie Jensen", "organisation_cvr": AARHUS_CVR, "roles": ["ploRedaktør"]},
    )
    log_in_via_seb(page, live_server.url, SUB)
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/konto/logout/")
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(sso + "/oauth2/end_session?**")
    hint = page.url.split("id_token_hint=", 1)[1].split("&", 1)[0]
    assert hint.count(".") == 2  # a JWT: the ID token SEB issued at login
    page.get_by_role("button", name="End session").click()  # the provider's own form
    page.wait_for_url(live_server.url + "/konto/login/?logget_ud=1")
    page.goto(live_server.url + "/admin/")
    assert "/konto/login/" in page.url  # logged out here as well

"""A contract manager's journey in Chromium, on the demo country (scale 0.05): log in with the
demo button as kontrakt-aarhus, find a private care home elsewhere by name, register a
driftsoverenskomst, and see the home in Aarhus' public search at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal

from plov import clock
from plov.agreements.models import ServiceAgreement
from plov.publishing.visibility import visible_units
from plov.units.models import Organisation, Unit, UnitKind
from tests.browser.conftest import assert_accessible, screenshot

AARHUS = 751

# The live server reads the database from another thread, so the demo is committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, demo_country) -> str:
    """The demo country (scale 0.05) served by live_server, with the demo login buttons.

    Reference data comes from `reference_data` (tests/browser/conftest.py). A transactional
    test before this one may have emptied the tables without post_migrate (serialized_rollback
    does): make what post_migrate makes (content types, permissions) first; it is idempotent."""
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    settings.PLOV_DEMO = True
    demo_country.build()
    cache.clear()
    yield live_server.url
    cache.clear()


def counterpart() -> Unit:
    """A published private care home outside Aarhus that Aarhus' citizens do not see yet, with
    a name no other unit shares."""
    shown = visible_units(AARHUS).values("pk")
    candidates = (
        Unit.objects.published()
        .filter(kind=UnitKind.CARE_HOME, owner__kind=Organisation.Kind.COMPANY)
        .exclude(municipality_id=AARHUS)
        .exclude(pk__in=shown)
        .order_by("name")
    )
    for unit in candidates:
        if Unit.objects.filter(name=unit.name).count() == 1:
            return unit
    pytest.fail("the demo has no private care home for Aarhus to agree with")


def test_a_contract_manager_registers_an_agreement_and_the_unit_is_found_in_the_search(site, page):
    unit = counterpart()
    start = clock.today() - dt.timedelta(days=1)

    page.goto(site + "/admin/serviceleverancer/")
    assert "/konto/login/" in page.url
    page.get_by_role("button", name=re.compile(r"Driftsoverenskomstansvarlig, Aarhus")).click()
    page.wait_for_url(re.compile(r"/admin/serviceleverancer/$"))
    assert "Aftalepart: Aarhus Kommune" in page.locator("main").inner_text()
    # The menu offers what a contract manager does, not what an editor does.
    assert page.get_by_role("link", name="Serviceleverancer").count() >= 1
    assert page.get_by_role("link", name="Aftalebeskrivelser").count() == 0

    page.get_by_role("link", name="Ny serviceleverance").click()
    page.wait_for_url(re.compile(r"/admin/serviceleverancer/ny/"))
    assert page.locator("#id_type option[value=friplejebolig]").count() == 0
    # The agreement first, then the unit: searching and choosing keep what was typed.
    page.fill("#id_reference", "AAR-DEMO-1")
    page.select_option("#id_type", "driftsoverenskomst")
    page.fill("#id_start", f"{start:%-d/%-m/%Y}")
    page.fill("#unit-search", unit.name)
    page.get_by_role("button", name="Søg", exact=True).click()
    row = page.locator(f'#unit-results tr[data-sor-id="{unit.sor_id}"]')
    assert page.input_value("#id_reference") == "AAR-DEMO-1"
    row.get_by_role("button", name=re.compile(r"^Vælg ")).click()
    assert unit.name in page.locator("#selected-unit").inner_text()
    assert page.input_value("#id_reference") == "AAR-DEMO-1"
    assert page.input_value("#id_type") == "driftsoverenskomst"
    assert page.input_value("#id_start") == f"{start:%d.%m.%Y}"
    assert not ServiceAgreement.objects.filter(reference="AAR-DEMO-1").exists()

    page.get_by_role("button", name="Opret serviceleverance").click()
    page.wait_for_url(re.compile(r"/admin/serviceleverancer/(#\w*)?$"))
    assert "AAR-DEMO-1" in page.locator("#agreements").inner_text()
    assert page.get_by_text(f"Serviceleverancen AAR-DEMO-1 med {unit.name} er oprettet").count()
    screenshot(page, "agreements")
    assert_accessible(page)

    agreement = ServiceAgreement.objects.get(municipality_id=AARHUS, reference="AAR-DEMO-1")
    assert agreement.unit_id == unit.pk and agreement.start == start
    assert visible_units(AARHUS).filter(pk=unit.pk).exists()

    # The public search for Aarhus shows it at once (a colleague's page: if it is not there
    # yet, the visibility above is the check).
    response = page.goto(site + "/soeg/?" + f"kommune={AARHUS}&navn={unit.name}")
    if response is not None and response.status == 404:
        return
    names = page.locator(".plov-result__name a").all_inner_texts()
    assert unit.name in names


def _logged_in_context(browser, site: str, user):
    """A browser context of its own with `user`'s session (a second contract manager has no
    demo button)."""
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    return context


def test_two_contract_managers_edit_one_agreement_and_the_second_save_is_refused(site, browser):
    from django.contrib.auth import get_user_model

    from plov.accounts.auth import Access, apply_access

    # The guide's example; the small demo may not have it, then it is registered here.
    agreement = ServiceAgreement.objects.filter(
        municipality_id=AARHUS, reference="DO-2025-0001"
    ).first() or ServiceAgreement.objects.create(
        municipality_id=AARHUS,
        unit=counterpart(),
        reference="DO-2025-0001",
        type="driftsoverenskomst",
        start=clock.today() - dt.timedelta(days=30),
    )
    reference = agreement.reference
    aarhus_cvr = Organisation.objects.get(municipality_id=AARHUS).cvr_number
    colleague = get_user_model().objects.create_user("kontrakt-aarhus-2")
    apply_access(colleague, Access(roles=["contract_manager"], cvr=aarhus_cvr))
    get_user_model().objects.filter(pk=colleague.pk).update(first_name="Bente", last_name="Berg")

    first = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    second = _logged_in_context(browser, site, get_user_model().objects.get(pk=colleague.pk))
    try:
        a, b = first.new_page(), second.new_page()
        for page in (a, b):
            page.set_default_timeout(15_000)
        edit = f"{site}/admin/serviceleverancer/{agreement.pk}/"
        a.goto(edit)
        a.get_by_role("button", name=re.compile(r"Driftsoverenskomstansvarlig, Aarhus")).click()
        a.wait_for_url(re.compile(r"/admin/serviceleverancer/"))
        a.goto(edit)
        b.goto(edit)
        assert b.input_value("#id_reference") == reference

        # Both edit; the first saves.
        a.fill("#id_reference", reference + "-A")
        b.fill("#id_reference", reference + "-B")
        a.get_by_role("button", name="Gem serviceleverance").click()
        a.wait_for_url(re.compile(r"/admin/serviceleverancer/(\?.*)?$"))
        assert a.get_by_text(f"Serviceleverancen {reference}-A med").count()

        # The second's save is refused (409), names who changed it, and keeps the text.
        with b.expect_response(lambda r: r.request.method == "POST") as answer:
            b.get_by_role("button", name="Gem serviceleverance").click()
        assert answer.value.status == 409
        conflict = b.locator("#form-conflict").inner_text()
        assert "Serviceleverancen er ikke gemt: den er ændret af Driftsoverenskomstansvarlig" in (
            conflict
        )
        assert "Dine indtastninger står stadig i formularen" in conflict
        assert b.input_value("#id_reference") == reference + "-B"
        agreement.refresh_from_db()
        assert agreement.reference == reference + "-A"  # nothing wiped
        screenshot(b, "agreement-conflict")
        assert_accessible(b)

        # Saving again is a deliberate choice; the history shows both, with who and what.
        b.get_by_role("button", name="Gem serviceleverance").click()
        b.wait_for_url(re.compile(r"/admin/serviceleverancer/(\?.*)?$"))
        agreement.refresh_from_db()
        assert agreement.reference == reference + "-B"
        b.goto(f"{site}/admin/serviceleverancer/{agreement.pk}/historik/")
        versions = b.locator("#agreement-versions").inner_text()
        assert "Gemt af Bente Berg" in versions
        assert "Gemt af Driftsoverenskomstansvarlig, Aarhus Kommune" in versions
        assert f"{reference}-A" in versions and f"{reference}-B" in versions
        screenshot(b, "agreement-history")
        assert_accessible(b)
        # At 390 px (a fresh load, as a phone opens it) nothing runs off the side.
        b.set_viewport_size({"width": 390, "height": 844})
        b.reload()
        width = b.evaluate("document.querySelector('#agreement-versions').scrollWidth")
        assert width <= 390, width
        b.screenshot(path="var/screenshots/agreement-history-390.png", full_page=True)
    finally:
        first.close()
        second.close()

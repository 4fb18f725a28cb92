"""A supervisor's journey in Chromium, on the demo country (scale 0.05): Ældretilsynet Silkeborg
logs in with the demo button, finds a care home in Aarhus, registers the written feedback (PDF,
date, status) and a påbud with a deadline (first forgetting the deadline), and the public unit
page shows both in plain Danish with dates (checked with axe). A supervisor of another
authority (Ældretilsynet Gentofte) does not see the home and gets 403 for forged posts, and the
database is unchanged.

Screenshots: var/screenshots/supervision-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

from plov import clock
from plov.supervision.models import Sanction, SupervisionFeedback
from plov.units.models import Organisation, Unit, UnitKind
from tests.browser.conftest import assert_accessible, screenshot
from tests.test_backoffice_editing import make_user
from tests.test_media import pdf

AARHUS, GENTOFTE = 751, 157
GENTOFTE_CVR = "19438414"

# The live server reads the database from another thread, so the demo is committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, tmp_path, demo_country) -> str:
    """The demo country (scale 0.05) served by live_server, with the demo login buttons.

    Reference data comes from `reference_data` (tests/browser/conftest.py). A transactional
    test before this one may have emptied the tables without post_migrate: make what
    post_migrate makes (content types, permissions) first; it is idempotent."""
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    settings.PLOV_DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_country.build()
    cache.clear()
    yield live_server.url
    cache.clear()


def care_home_in_aarhus() -> Unit:
    """A published care home in Aarhus with a name no other unit shares, and (if the demo has
    one) no supervision data of its own yet."""
    homes = [
        unit
        for unit in Unit.objects.published()
        .filter(kind=UnitKind.CARE_HOME, municipality_id=AARHUS)
        .order_by("name")
        if Unit.objects.filter(name=unit.name).count() == 1
    ]
    if not homes:
        pytest.fail("the demo has no published care home in Aarhus")
    untouched = [
        unit
        for unit in homes
        if not SupervisionFeedback.objects.filter(unit=unit).exists()
        and not Sanction.objects.filter(unit=unit).exists()
    ]
    return (untouched or homes)[0]


def danish(day: dt.date) -> str:
    with translation.override("da"):
        return date_format(day, "j. F Y")


def snapshot() -> dict:
    return {
        "feedback": [model_to_dict(f) for f in SupervisionFeedback.objects.order_by("pk")],
        "sanctions": [model_to_dict(s) for s in Sanction.objects.order_by("pk")],
        "documents": get_document_model().objects.count(),
        "log": ModelLogEntry.objects.exclude(action="plov.login").count(),
    }


def log_in_as(browser, base: str, user):
    """A new browser context logged in as `user` (a session made by Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return context


def test_a_supervisor_registers_feedback_and_a_paabud_and_the_public_page_shows_them(
    site, browser, page
):
    base = site
    unit = care_home_in_aarhus()
    today = clock.today()
    inspected = today  # the latest inspection, whatever the demo has
    decided = today - dt.timedelta(days=1)
    deadline = today + dt.timedelta(days=45)

    feedback_before = set(
        SupervisionFeedback.objects.filter(unit=unit).values_list("pk", flat=True)
    )
    sanctions_before = set(Sanction.objects.filter(unit=unit).values_list("pk", flat=True))

    # Log in with the demo button; the menu offers "Tilsyn".
    page.goto(base + "/admin/tilsyn/")
    assert "/konto/login/" in page.url
    page.locator('button[name="username"][value="tilsyn-silkeborg"]').click()
    page.wait_for_url(re.compile(r"/admin/tilsyn/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Ældretilsynet Silkeborg")
    assert page.get_by_role("link", name="Tilsyn").count() >= 1
    assert page.get_by_role("link", name="Serviceleverancer").count() == 0

    # Find the home by name and open it.
    page.fill("#filter-q", unit.name)
    page.get_by_role("button", name="Søg", exact=True).click()
    row = page.locator(f'#supervised-units tr[data-sor-id="{unit.sor_id}"]')
    expect(row).to_be_visible()
    row.get_by_role("link", name=unit.name).click()
    page.wait_for_url(re.compile(rf"/admin/tilsyn/{unit.pk}/$"))
    expect(page.get_by_role("heading", level=2, name=f"Tilsyn: {unit.name}")).to_be_visible()

    # The written feedback: PDF, tilsynsdato, status, sammenfatning.
    page.get_by_role("link", name="Registrér tilbagemelding").click()
    page.wait_for_url(re.compile(rf"/admin/tilsyn/{unit.pk}/tilbagemelding/$"))
    page.set_input_files(
        "#id_document",
        files=[{"name": "tilsynsrapport.pdf", "mimeType": "application/pdf", "buffer": pdf()}],
    )
    page.fill("#id_inspected_on", f"{inspected:%d.%m.%Y}")
    page.select_option("#id_status", "vaesentlige_bemaerkninger")
    # A CPR number in the public summary is refused, with the text kept to correct.
    page.fill("#id_summary", "Beboer 010203-1234 klagede.")
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(
        page.get_by_text("Sammenfatningen ser ud til at indeholde et CPR-nummer")
    ).to_be_visible()
    expect(page.locator("#id_summary")).to_have_value("Beboer 010203-1234 klagede.")
    page.set_input_files(
        "#id_document",
        files=[{"name": "tilsynsrapport.pdf", "mimeType": "application/pdf", "buffer": pdf()}],
    )
    page.fill("#id_summary", "Medicinhåndteringen skal forbedres.")
    screenshot(page, "supervision-feedback-form")
    page.get_by_role("button", name="Forhåndsvis").click()

    # The preview: as the public will see it, and nothing public until it is confirmed.
    preview = page.locator("#public-preview")
    expect(preview).to_contain_text("Væsentlige bemærkninger")
    expect(preview).to_contain_text("Medicinhåndteringen skal forbedres.")
    expect(preview.get_by_role("link", name="Læs tilbagemeldingen fra tilsynet")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Intet er offentliggjort endnu")
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.locator("#confirm-error")).to_contain_text("bekræft, at teksten ikke indeholder")
    assert (
        set(SupervisionFeedback.objects.filter(unit=unit).values_list("pk", flat=True))
        == feedback_before
    )
    screenshot(page, "supervision-feedback-preview")
    assert_accessible(page)
    page.get_by_label(re.compile("Jeg har læst det, som det vises offentligt")).check()
    page.get_by_role("button", name="Offentliggør").click()
    page.wait_for_url(re.compile(rf"/admin/tilsyn/{unit.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("Tilbagemeldingen fra tilsynet")
    expect(page.locator("#feedback")).to_contain_text(inspected.strftime("%d.%m.%Y"))

    # A påbud: first without its deadline (refused, the typed input kept), then with it.
    page.get_by_role("link", name="Registrér sanktion").click()
    page.wait_for_url(re.compile(rf"/admin/tilsyn/{unit.pk}/sanktion/$"))
    page.select_option("#id_type", "paabud")
    page.fill("#id_decided_on", f"{decided:%-d.%-m.%Y}")
    page.fill("#id_themes", "Medicinhåndtering og dokumentation")
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_text("Et påbud skal have en frist")).to_be_visible()
    expect(page.locator("#id_themes")).to_have_value("Medicinhåndtering og dokumentation")
    expect(page.locator("#id_decided_on")).to_have_value(f"{decided:%d.%m.%Y}")
    assert set(Sanction.objects.filter(unit=unit).values_list("pk", flat=True)) == sanctions_before
    page.fill("#id_deadline", f"{deadline:%d/%m-%Y}")
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.locator("#public-preview")).to_contain_text("Medicinhåndtering og dokumentation")
    page.get_by_label(re.compile("Jeg har læst det, som det vises offentligt")).check()
    page.get_by_role("button", name="Offentliggør").click()
    page.wait_for_url(re.compile(rf"/admin/tilsyn/{unit.pk}/$"))
    expect(page.locator("#current-sanctions")).to_contain_text("Påbud om at sikre kvaliteten")
    expect(page.locator("#current-sanctions")).to_contain_text(deadline.strftime("%d.%m.%Y"))
    screenshot(page, "supervision-unit")

    feedback = SupervisionFeedback.objects.exclude(pk__in=feedback_before).get(unit=unit)
    assert feedback.authority.name == "Ældretilsynet Silkeborg"
    assert feedback.document is not None
    sanction = Sanction.objects.exclude(pk__in=sanctions_before).get(unit=unit)
    assert (sanction.type, sanction.decided_on, sanction.deadline) == ("paabud", decided, deadline)

    # The public page shows it at once, in plain Danish with dates.
    page.goto(f"{base}/enhed/{unit.pk}/")
    section = page.locator("section[aria-labelledby=tilsyn]")
    expect(section).to_contain_text("Væsentlige bemærkninger")
    expect(section).to_contain_text(f"Tilsyn den {danish(inspected)}")
    expect(section).to_contain_text("Medicinhåndteringen skal forbedres.")
    expect(section.get_by_role("link", name=re.compile("Læs tilbagemeldingen"))).to_have_attribute(
        "href", feedback.document.url
    )
    expect(section).to_contain_text("Påbud om at sikre kvaliteten")
    expect(section).to_contain_text("Medicinhåndtering og dokumentation")
    expect(section).to_contain_text(danish(deadline))
    expect(section).to_contain_text(danish(decided))
    expect(page.locator("#sanction-alert-heading")).to_contain_text(
        "Ældretilsynet har givet en sanktion, der gælder nu"
    )
    screenshot(page, "supervision-public")
    assert_accessible(page)

    # Another authority's supervisor: the home is not theirs.
    gentofte = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, municipality_id=GENTOFTE
    ).first() or Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Gentofte Kommune",
        cvr_number=GENTOFTE_CVR,
        municipality_id=GENTOFTE,
    )
    other = make_user("tilsyn-gentofte", roles=["supervisor"], cvr=gentofte.cvr_number)
    context = log_in_as(browser, base, other)
    try:
        other_page = context.new_page()
        other_page.set_default_timeout(15_000)
        other_page.goto(base + "/admin/tilsyn/")
        expect(other_page.locator("main")).to_contain_text("Ældretilsynet Gentofte")
        assert other_page.locator(f'tr[data-sor-id="{unit.sor_id}"]').count() == 0
        response = other_page.goto(f"{base}/admin/tilsyn/{unit.pk}/")
        assert response is not None and response.status == 404

        before = snapshot()
        token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        headers = {"X-CSRFToken": token, "Referer": base + "/admin/tilsyn/"}
        forged = [
            (
                f"/admin/tilsyn/{unit.pk}/sanktion/",
                {
                    "form": {
                        "type": "forbud_indflytning",
                        "decided_on": today.isoformat(),
                        "period_end": deadline.isoformat(),
                        "themes": "Forfalsket",
                    }
                },
            ),
            (
                f"/admin/tilsyn/{unit.pk}/sanktion/{sanction.pk}/ophaev/",
                {"form": {"lifted_on": today.isoformat()}},
            ),
            (
                f"/admin/tilsyn/{unit.pk}/sanktion/{sanction.pk}/",
                {
                    "form": {
                        "type": "paabud",
                        "decided_on": decided.isoformat(),
                        "deadline": today.isoformat(),
                        "themes": "Forfalsket",
                    }
                },
            ),
            (
                f"/admin/tilsyn/{unit.pk}/tilbagemelding/",
                {
                    "multipart": {
                        "document": {
                            "name": "x.pdf",
                            "mimeType": "application/pdf",
                            "buffer": pdf(),
                        },
                        "inspected_on": today.isoformat(),
                        "status": "ingen_bemaerkninger",
                    }
                },
            ),
        ]
        for path, body in forged:
            answer = other_page.request.post(base + path, headers=headers, **body)
            assert answer.status == 403, (path, answer.status)
            assert "Ingen adgang" in answer.text()
        assert snapshot() == before
        sanction.refresh_from_db()
        assert (
            sanction.lifted_on is None and sanction.themes == "Medicinhåndtering og dokumentation"
        )
    finally:
        context.close()

"""How to apply, per municipality (issue 12 point 4): the municipality's editors write it in the
back office with lock and versions; a private company's editor, another municipality's editor
and a contract manager may not; the public page, the unit page's links and the visit checklist."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from plov.applying import guidance as rules
from plov.applying.demo import create_demo_guidance
from plov.applying.models import ApplicationGuidance
from plov.pages.demo import create_demo_pages
from plov.units.models import Municipality
from tests import country as c
from tests.test_backoffice_editing import AGENCY_CVR, make_user
from tests.test_public_unit import shown, unit  # noqa: F401  (the fixture and a helper)

AARHUS = 751
COPENHAGEN = 101
FILLED = {
    "care_home_text": "Ring til Visitationen.\n\nDu får svar inden for fire uger.",
    "home_care_text": "Visitator kommer på besøg.",
    "phone": "89 40 20 00",
    "phone_hours": "Hverdage kl. 8-12",
    "email": "visitation@aarhus.dk",
    "url": "https://www.aarhus.dk/",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def aarhus_editor(shown):  # noqa: F811
    return make_user("red-aarhus", ["editor"], c.AARHUS_CVR)


def url(name: str, code: int = AARHUS, *args) -> str:
    return reverse(f"applying:{name}", args=[code, *args])


def test_a_municipality_editor_locks_writes_and_checks_in_with_versions(client, aarhus_editor):
    client.force_login(aarhus_editor)
    page = client.get(url("edit")).content.decode()
    assert "Du skal låse dette element, før du kan rette i det" in page
    # Saving without the lock is refused, and what was written stays in the form.
    response = client.post(url("edit"), FILLED)
    assert response.status_code == 409
    assert "Ring til Visitationen." in response.content.decode()
    assert not ApplicationGuidance.objects.filter(care_home_text__contains="Ring").exists()

    assert client.post(url("lock")).status_code == 302
    assert client.post(url("edit"), FILLED).status_code == 302
    guidance = ApplicationGuidance.objects.get(municipality_id=AARHUS)
    assert guidance.phone == "89 40 20 00" and guidance.updated_by == aarhus_editor
    assert client.post(url("edit"), {**FILLED, "phone": "89 40 20 01"}).status_code == 302
    versions = rules.versions(guidance)
    assert [v.number for v in versions] == [3, 2, 1]  # 1: as it was before the first save
    assert versions[0].changed == ["phone"]
    history = client.get(url("history")).content.decode()
    assert "Version 3" in history and "telefon" in history

    # Restore version 2, as a new version.
    response = client.post(url("restore", AARHUS, versions[1].revision.pk))
    assert response.status_code == 302
    guidance.refresh_from_db()
    assert guidance.phone == "89 40 20 00" and len(rules.versions(guidance)) == 4

    assert client.post(url("check_in")).status_code == 302
    guidance.refresh_from_db()
    assert not guidance.locked
    assert client.post(url("edit"), {**FILLED, "phone": "11 11 11 11"}).status_code == 409


def test_bad_input_gets_a_danish_error_and_loses_nothing(client, aarhus_editor):
    client.force_login(aarhus_editor)
    client.post(url("lock"))
    response = client.post(
        url("edit"), {**FILLED, "phone": "12", "url": "http://aarhus.dk", "email": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv telefonnummeret med 8 cifre" in page
    assert "Linket skal begynde med https://." in page
    assert "Ring til Visitationen." in page
    response = client.post(url("edit"), {"care_home_text": "Ring til os."})
    assert "Oplys mindst én måde at kontakte kommunen på" in response.content.decode()
    assert not ApplicationGuidance.objects.filter(care_home_text__contains="Ring").exists()


@pytest.mark.parametrize(
    "who",
    [
        "private_editor",  # a private company's editor: no municipality
        "other_municipality_editor",  # an editor of Aarhus editing Copenhagen
        "contract_manager",
        "anonymous",
    ],
)
def test_only_the_municipalitys_own_editors_and_the_agency_may_write(client, shown, who):  # noqa: F811
    code = COPENHAGEN if who == "other_municipality_editor" else AARHUS
    if who == "private_editor":
        client.force_login(make_user("red-privat", ["editor"], c.COMPANY_CVR))
    elif who == "other_municipality_editor":
        client.force_login(make_user("red-aarhus", ["editor"], c.AARHUS_CVR))
    elif who == "contract_manager":
        client.force_login(make_user("kontrakt", ["contract_manager"], c.AARHUS_CVR))
    for method, target in [
        ("get", url("edit", code)),
        ("post", url("lock", code)),
        ("post", url("edit", code)),
        ("get", url("history", code)),
    ]:
        response = getattr(client, method)(target, FILLED if method == "post" else None)
        assert response.status_code in ((302,) if who == "anonymous" else (403,)), target
        if who != "anonymous":
            assert "Du kan kun skrive ansøgningsvejledningen for din egen kommune." in (
                response.content.decode()
            )
    assert not ApplicationGuidance.objects.filter(phone="89 40 20 00").exists()
    assert not ApplicationGuidance.objects.filter(locked=True).exists()


def test_the_agency_writes_for_any_municipality_and_sees_which_have_none(client, shown):  # noqa: F811
    agency = make_user("sds", ["agency"], AGENCY_CVR)
    client.force_login(agency)
    client.post(url("lock", COPENHAGEN))
    assert client.post(url("edit", COPENHAGEN), FILLED).status_code == 302
    overview = client.get(reverse("applying:index")).content.decode()
    assert "97 kommuner har ikke skrevet den endnu" in overview
    # A municipality's editor goes straight to their own; a private editor is refused.
    client.force_login(make_user("red-aarhus", ["editor"], c.AARHUS_CVR))
    assert client.get(reverse("applying:index"))["Location"] == url("edit", AARHUS)
    client.force_login(make_user("red-privat", ["editor"], c.COMPANY_CVR))
    assert client.get(reverse("applying:index")).status_code == 403


def test_the_public_page_shows_the_guidance_in_both_languages(client, shown):  # noqa: F811
    create_demo_pages()
    aarhus = Municipality.objects.get(code=AARHUS)
    ApplicationGuidance.objects.create(municipality=aarhus, **FILLED)
    page = client.get("/kommune/aarhus/ansoeg/").content.decode()
    assert "<h1>Sådan søger du i Aarhus Kommune</h1>" in page
    assert (
        "<p>Ring til Visitationen.</p>" in page
        and "<p>Du får svar inden for fire uger.</p>" in page
    )
    assert 'href="tel:89402000"' in page and 'href="mailto:visitation@aarhus.dk"' in page
    assert 'href="/spoergsmaal-til-besoeget/"' in page
    english = client.get("/en/kommune/aarhus/ansoeg/").content.decode()
    assert "<h1>How to apply in Aarhus Kommune</h1>" in english
    assert '<div lang="da"><p>Ring til Visitationen.</p>' in english  # the municipality's text
    assert 'href="/en/questions-for-your-visit/"' in english
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/kommune/aarhus/ansoeg/">'
        in english
    )
    assert '<a href="/kommune/aarhus/ansoeg/" lang="da" hreflang="da">Dansk</a>' in english
    # A municipality that has written nothing: says so, and where to go instead.
    empty = client.get("/kommune/koebenhavn/ansoeg/").content.decode()
    assert "Københavns Kommune har ikke skrevet sin vejledning her endnu" in empty
    assert client.get("/kommune/findes-ikke/ansoeg/").status_code == 404
    index = client.get("/ansoeg/").content.decode()
    assert 'href="/kommune/aarhus/ansoeg/">Aarhus Kommune</a>' in index


def test_the_unit_page_and_compare_link_the_guidance_and_the_checklist(client, shown):  # noqa: F811
    create_demo_pages()
    solgaarden = unit(c.SOLGAARDEN)
    page = client.get(f"/enhed/{solgaarden.pk}/", follow=True).content.decode()
    section = page[page.index('id="ansoeg"') :]
    assert 'href="/kommune/aarhus/ansoeg/">Sådan søger du i Aarhus Kommune</a>' in section
    assert 'href="/spoergsmaal-til-besoeget/"' in section
    english = client.get(f"/en/enhed/{solgaarden.pk}/", follow=True).content.decode()
    assert 'href="/en/kommune/aarhus/ansoeg/">How to apply in Aarhus Kommune</a>' in english
    assert 'href="/en/questions-for-your-visit/"' in english
    compare = client.get(f"/sammenlign/?ids={solgaarden.pk}").content.decode()
    assert 'href="/spoergsmaal-til-besoeget/">Spørgsmål til besøget (til udskrift)</a>' in compare


def test_the_checklist_page_prints_and_is_in_the_sitemap(client, shown):  # noqa: F811
    create_demo_pages()
    page = client.get("/spoergsmaal-til-besoeget/").content.decode()
    assert "<h2>Pleje og personale</h2>" in page
    assert "Hvor mange medarbejdere er der om dagen, om aftenen og om natten?" in page
    assert "data-plov-print hidden" in page and "compare-print.js" in page
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/spoergsmaal-til-besoeget/</loc>" in sitemap
    assert "/en/questions-for-your-visit/</loc>" in sitemap


def test_the_demo_fills_most_municipalities(db):
    written = create_demo_guidance()
    assert 80 <= written < 98
    for guidance in ApplicationGuidance.objects.all():
        guidance.full_clean()  # what the demo writes, the form's validators accept

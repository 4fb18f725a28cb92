"""The agency's own pages (plov.pages): edited in Wagtail's admin by the agency only, served
after every public URL, the operations status as a banner on every public page, and the footer
links to Om Plejeoverblikket and the tilgængelighedserklæring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from plov.pages import status
from plov.pages.demo import create_demo_pages
from plov.pages.models import DriftsinfoPage, GuidancePage
from plov.pages.permissions import grant_agency_page_permissions
from tests import country as c
from tests.test_public_unit import shown, unit  # noqa: F401  (the fixture and a helper)

WHEN = "%Y-%m-%d %H:%M"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def root(db) -> Page:
    grant_agency_page_permissions()
    return Site.objects.get(is_default_site=True).root_page


def _user(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, password="x")
    group_obj, _ = Group.objects.get_or_create(name=group)
    group_obj.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group_obj)
    return user


@pytest.fixture
def agency(root, django_user_model):
    return _user(django_user_model, "sds", "Sundhedsdatastyrelsen")


@pytest.fixture
def editor(root, django_user_model):
    return _user(django_user_model, "redaktoer", "Redaktør")


def guidance_form(title: str, slug: str, publish: bool = True) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text("<p>Du kan selv vælge plejehjem.</p>"),
            "body": streamfield([("heading", "Først visiterer kommunen")]),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def driftsinfo_form(level: str, text: str, starts: dt.datetime, ends: dt.datetime) -> dict:
    return nested_form_data(
        {
            "title": "Driftsinfo",
            "slug": "driftsinfo",
            "status_level": level,
            "status_text": text,
            "status_from": timezone.localtime(starts).strftime(WHEN),
            "status_to": timezone.localtime(ends).strftime(WHEN),
            "intro": rich_text("<p>Status for Plejeoverblikket.</p>"),
            "body": streamfield([]),
        }
    ) | {"action-publish": "action-publish"}


def add_url(model: str, parent: Page) -> str:
    return f"/admin/pages/add/pages/{model}/{parent.pk}/"


# --- Editing in the admin ----------------------------------------------------------------------


def test_the_agency_writes_a_draft_then_publishes_it_with_revisions(client, root, agency):
    client.force_login(agency)
    response = client.post(
        add_url("guidancepage", root), guidance_form("Frit valg", "frit-valg", publish=False)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = GuidancePage.objects.get(slug="frit-valg")
    assert not page.live and client.get("/frit-valg/").status_code == 404  # a draft is not shown
    edit = f"/admin/pages/{page.pk}/edit/"
    assert client.post(edit, guidance_form("Frit valg", "frit-valg")).status_code == 302
    page.refresh_from_db()
    assert page.live and page.revisions.count() == 2
    client.logout()
    shown_page = client.get("/frit-valg/").content.decode()
    assert "<h1>Frit valg</h1>" in shown_page and "Først visiterer kommunen" in shown_page
    assert "vendor/dkfds/css/dkfds-borgerdk.plov.css" in shown_page  # the public site's look


def test_an_editor_may_neither_add_nor_edit_a_page(client, root, editor):
    page = root.add_child(instance=GuidancePage(title="Om helhedspleje", slug="om-helhedspleje"))
    client.force_login(editor)
    assert client.get(add_url("guidancepage", root)).status_code in (302, 403)
    client.post(add_url("guidancepage", root), guidance_form("Snyd", "snyd"))
    assert not GuidancePage.objects.filter(slug="snyd").exists()
    response = client.post(
        f"/admin/pages/{page.pk}/edit/", guidance_form("Ændret", "om-helhedspleje")
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title == "Om helhedspleje" and page.revisions.count() == 0


def test_a_page_cannot_take_a_public_address(client, root, agency):
    client.force_login(agency)
    response = client.post(add_url("guidancepage", root), guidance_form("Kort", "kort"))
    assert response.status_code == 200
    assert "Adressen /kort/ bruges allerede af Plejeoverblikket" in response.content.decode()
    assert not GuidancePage.objects.exists()


def test_the_public_pages_still_answer_beside_the_agencys_pages(client, root):
    create_demo_pages()
    for url in (
        "/",
        "/soeg/?kommune=751",
        "/kort/",
        "/sammenlign/",
        "/overgangsordning/",
        "/en/",
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/docs",
    ):
        assert client.get(url).status_code == 200, url
    assert (
        "Sådan vælger du plejehjem" in client.get("/saadan-vaelger-du-plejehjem/").content.decode()
    )
    assert client.get("/findes-ikke/").status_code == 404


def test_the_sitemap_lists_the_live_pages_only(client, root):
    create_demo_pages()
    root.add_child(instance=GuidancePage(title="Kladde", slug="kladde", live=False))
    sitemap = client.get("/sitemap.xml").content.decode()
    for slug in ("driftsinfo", "frit-valg", "om-plejeoverblikket", "tilgaengelighedserklaering"):
        assert f"/{slug}/</loc>" in sitemap
    for slug in (
        "operations-status",
        "free-choice",
        "about",
        "accessibility-statement",
        "how-to-choose-a-care-home",
        "about-home-care",
        "guide-for-editors",
    ):
        assert f"/en/{slug}/</loc>" in sitemap
    assert "/kladde/" not in sitemap


# --- The operations status ---------------------------------------------------------------------


def test_publishing_the_status_shows_the_banner_at_once_and_it_goes_at_its_end(
    client, root, agency, monkeypatch
):
    assert "plov-status-banner" not in client.get("/").content.decode()  # now cached
    now = timezone.now().replace(second=0, microsecond=0)
    client.force_login(agency)
    form = client.get(add_url("driftsinfopage", root)).content.decode()
    assert "Driftsstatus (banner på alle offentlige sider)" in form and "Vises til" in form
    response = client.post(
        add_url("driftsinfopage", root),
        driftsinfo_form(
            "outage",
            "Søgningen er nede. Vi arbejder på det.",
            now - dt.timedelta(minutes=5),
            now + dt.timedelta(hours=1),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DriftsinfoPage.objects.get().live
    client.logout()
    for url in ("/", "/kort/", "/overgangsordning/", "/driftsinfo/"):
        page = client.get(url).content.decode()
        assert "Søgningen er nede. Vi arbejder på det." in page, url
        assert "alert-error" in page and 'href="/driftsinfo/"' in page
    # An hour and a minute later the same cached front page shows no banner.
    monkeypatch.setattr(status, "_now", lambda: now + dt.timedelta(hours=1, minutes=1))
    assert "Søgningen er nede" not in client.get("/").content.decode()


def test_a_status_is_not_shown_before_it_starts_nor_while_a_draft(
    client, root, agency, monkeypatch
):
    now = timezone.now().replace(second=0, microsecond=0)
    page = root.add_child(
        instance=DriftsinfoPage(
            title="Driftsinfo",
            slug="driftsinfo",
            status_level="warning",
            status_text="Planlagt vedligeholdelse søndag.",
            status_from=now + dt.timedelta(days=1),
            status_to=now + dt.timedelta(days=2),
        )
    )
    page.save_revision().publish()
    assert "Planlagt vedligeholdelse" not in client.get("/").content.decode()
    assert "Ingen kendte driftsproblemer" in client.get("/driftsinfo/").content.decode()
    monkeypatch.setattr(status, "_now", lambda: now + dt.timedelta(days=1, minutes=1))
    assert "Planlagt vedligeholdelse" in client.get("/").content.decode()
    # A newer draft changes nothing until it is published; unpublishing removes the banner.
    page.status_text = "Ny tekst"
    page.save_revision()
    assert "Ny tekst" not in client.get("/").content.decode()
    page.unpublish()
    assert "Planlagt vedligeholdelse" not in client.get("/").content.decode()


def test_the_status_form_refuses_an_end_before_the_start(client, root, agency):
    now = timezone.now()
    client.force_login(agency)
    response = client.post(
        add_url("driftsinfopage", root),
        driftsinfo_form("info", "Tekst", now, now - dt.timedelta(hours=1)),
    )
    assert response.status_code == 200
    assert "Sluttidspunktet skal ligge efter starttidspunktet." in response.content.decode()
    assert not DriftsinfoPage.objects.exists()


# --- Footer links ------------------------------------------------------------------------------


def test_every_public_page_type_links_about_and_the_accessibility_statement(
    client,
    root,
    shown,  # noqa: F811  (the fixture imported above)
):
    create_demo_pages()
    urls = [
        "/",
        "/soeg/?kommune=751",
        "/kort/",
        "/sammenlign/",
        "/overgangsordning/",
        f"/enhed/{unit(c.SOLGAARDEN).pk}/",
        "/frit-valg/",
        "/driftsinfo/",
        "/vejledning-til-redaktoerer/",
        "/findes-ikke/",
    ]
    for url in urls:
        page = client.get(url, follow=True).content.decode()
        footer = page[page.index("<footer") :]
        assert 'href="/om-plejeoverblikket/">Om Plejeoverblikket</a>' in footer, url
        assert 'href="/tilgaengelighedserklaering/">Tilgængelighedserklæring</a>' in footer, url
    # The English site links the English translations, in English.
    for url in (
        "/en/",
        "/en/kort/",
        "/en/sammenlign/",
        f"/en/enhed/{unit(c.SOLGAARDEN).pk}/",
        "/en/free-choice/",
        "/en/operations-status/",
        "/en/findes-ikke/",
    ):
        page = client.get(url, follow=True).content.decode()
        footer = page[page.index("<footer") :]
        assert 'href="/en/about/">About Plejeoverblikket</a>' in footer, url
        assert 'href="/en/accessibility-statement/">Accessibility statement</a>' in footer, url


def test_the_statement_links_to_was_tool_when_set(client, root, settings):
    settings.PLOV_ACCESSIBILITY_STATEMENT_URL = "https://www.was.digst.dk/plejeoverblikket-dk"
    create_demo_pages()
    footer = client.get("/").content.decode().split("<footer")[1]
    assert 'href="https://www.was.digst.dk/plejeoverblikket-dk"' in footer
    assert "/tilgaengelighedserklaering/" not in footer


def test_the_demo_creates_the_pages_again_without_duplicates(root):
    create_demo_pages()
    create_demo_pages()
    assert DriftsinfoPage.objects.live().filter(locale__language_code="da").count() == 1
    assert set(GuidancePage.objects.live().values_list("title", flat=True)) == {
        "Sådan vælger du plejehjem",
        "Om helhedspleje",
        "Frit valg",
        "How to choose a care home",
        "About home care",
        "Free choice",
    }
    # Each English page is the translation of a Danish one (Wagtail's translation key).
    for page in GuidancePage.objects.filter(locale__language_code="en"):
        assert page.get_translation_or_none(Locale.objects.get(language_code="da")).live


def test_a_scheduled_status_appears_when_wagtail_publishes_it_and_goes_when_it_expires(
    client, root
):
    from django.core.management import call_command
    from wagtail.models import Revision

    now = timezone.now()
    page = root.add_child(
        instance=DriftsinfoPage(
            title="Driftsinfo",
            slug="driftsinfo",
            live=False,
            status_level="outage",
            status_text="Nedetid ved opgradering i aften.",
        )
    )
    page.go_live_at = now + dt.timedelta(hours=1)
    page.save_revision().publish()  # Wagtail schedules it: not live yet
    page.refresh_from_db()
    assert not page.live
    assert "Nedetid ved opgradering" not in client.get("/").content.decode()
    # The hour has passed: the nightly/cron `publish_scheduled` publishes it.
    past = now - dt.timedelta(minutes=1)
    for revision in Revision.objects.filter(approved_go_live_at__isnull=False):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save()
    call_command("publish_scheduled")
    assert "Nedetid ved opgradering" in client.get("/").content.decode()
    DriftsinfoPage.objects.filter(pk=page.pk).update(expire_at=now - dt.timedelta(minutes=1))
    call_command("publish_scheduled")
    assert "Nedetid ved opgradering" not in client.get("/").content.decode()


def test_the_language_link_of_a_danish_only_page_goes_to_the_english_site(client, root):
    create_demo_pages()
    _publish_child(root, GuidancePage(title="Kun på dansk", slug="kun-paa-dansk"))
    page = client.get("/kun-paa-dansk/").content.decode()
    assert '<a href="/en/" lang="en" hreflang="en">English</a>' in page
    assert 'rel="alternate"' not in page  # one language: no alternates
    assert client.get("/en/kun-paa-dansk/").status_code == 404  # not on the English site


def _publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_page_submitted_for_moderation_goes_live_when_a_colleague_approves(
    client, root, agency, django_user_model
):
    from wagtail.models import TaskState

    colleague = _user(django_user_model, "sds2", "Sundhedsdatastyrelsen")
    client.force_login(agency)
    data = guidance_form("Om helhedspleje", "om-helhedspleje", publish=False)
    data["action-submit"] = "action-submit"
    assert client.post(add_url("guidancepage", root), data).status_code == 302
    page = GuidancePage.objects.get(slug="om-helhedspleje")
    assert not page.live and page.workflow_in_progress
    client.force_login(colleague)
    state = TaskState.objects.get(
        workflow_state__base_content_type__isnull=False, status=TaskState.STATUS_IN_PROGRESS
    )
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302), response.content.decode()[:1000]
    page.refresh_from_db()
    assert page.live
    client.logout()
    assert client.get("/om-helhedspleje/").status_code == 200


# --- English (Wagtail's localisation) ----------------------------------------------------------


def english_root() -> Page:
    return Site.objects.get(is_default_site=True).root_page.get_translation(
        Locale.objects.get(language_code="en")
    )


def test_an_english_page_links_its_danish_original_with_hreflang_and_lang(client, root):
    create_demo_pages()
    page = client.get("/en/free-choice/").content.decode()
    assert '<html lang="en">' in page and '<article class="plov-content-page" lang="en">' in page
    assert "<h1>Free choice</h1>" in page and "Free choice of care home" in page
    assert '<a href="/frit-valg/" lang="da" hreflang="da">Dansk</a>' in page
    assert '<link rel="alternate" hreflang="da" href="http://testserver/frit-valg/">' in page
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/free-choice/">' in page
    danish = client.get("/frit-valg/").content.decode()
    assert '<a href="/en/free-choice/" lang="en" hreflang="en">English</a>' in danish
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/free-choice/">' in danish
    assert "Last updated" in page and "Senest opdateret" in danish
    driftsinfo = client.get("/en/operations-status/").content.decode()
    assert '<h2 id="driftsstatus">Operations status</h2>' in driftsinfo
    assert '<th scope="col">Performed by</th>' in driftsinfo


def test_the_banner_speaks_the_visitors_language_and_falls_back_to_danish(client, root):
    create_demo_pages()
    english = client.get("/en/").content.decode()
    banner = english[english.index("plov-status-banner") : english.index("</main>")]
    assert "Service information" in banner and "Planned maintenance" in banner
    assert 'href="/en/operations-status/">See the operations status</a>' in banner
    assert "Planlagt vedligeholdelse" in client.get("/kort/").content.decode()
    # The English translation is withdrawn: the English site shows the Danish status, marked
    # as Danish, and links the Danish driftsinfo.
    DriftsinfoPage.objects.get(locale__language_code="en").unpublish()
    english = client.get("/en/kort/").content.decode()
    banner = english[english.index("plov-status-banner") : english.index("</main>")]
    assert '<span lang="da">Planlagt vedligeholdelse' in banner
    assert 'href="/driftsinfo/">See the operations status</a>' in banner
    # Danish status ended, no English status: no banner on either site.
    danish = DriftsinfoPage.objects.get(locale__language_code="da")
    danish.status_level, danish.status_text = "", ""
    danish.save_revision().publish()
    assert "plov-status-banner" not in client.get("/en/").content.decode()
    assert "plov-status-banner" not in client.get("/").content.decode()


def test_the_agency_translates_a_page_into_an_english_draft_and_publishes_it(
    client, root, agency, editor
):
    danish = _publish_child(root, GuidancePage(title="Frit valg", slug="frit-valg"))
    english = Locale.objects.get(language_code="en")
    url = f"/admin/translation/submit/page/{danish.pk}/"
    client.force_login(editor)  # an editor may not translate
    assert client.post(url, {"locales": [english.pk]}).status_code in (302, 403)
    assert not GuidancePage.objects.filter(locale=english).exists()
    client.force_login(agency)
    form = client.get(f"/admin/pages/{danish.pk}/edit/").content.decode()
    assert "Oversæt" in form  # Wagtail's button, in Danish
    response = client.post(url, {"locales": [english.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    translation = GuidancePage.objects.get(locale=english)
    assert translation.translation_key == danish.translation_key
    assert not translation.live  # a draft until the agency publishes it
    assert client.get("/en/frit-valg/").status_code == 404
    edit = f"/admin/pages/{translation.pk}/edit/"
    assert client.post(edit, guidance_form("Free choice", "free-choice")).status_code == 302
    translation.refresh_from_db()
    assert translation.live and translation.revisions.count() == 2  # the copy, the edit
    client.logout()
    assert "<h1>Free choice</h1>" in client.get("/en/free-choice/").content.decode()
    assert '<a href="/en/free-choice/"' in client.get("/frit-valg/").content.decode()


def test_an_english_page_cannot_take_an_address_of_the_english_site(client, root, agency):
    client.force_login(agency)
    response = client.post(add_url("guidancepage", english_root()), guidance_form("Map", "kort"))
    assert response.status_code == 200
    assert "Adressen /en/kort/ bruges allerede af Plejeoverblikket" in response.content.decode()


def test_a_one_of_a_kind_page_is_translated_too(client, root, agency):
    """Driftsinfo, about and the statement are one each (max_count): "Oversæt" still makes
    their English copy."""
    danish = _publish_child(root, DriftsinfoPage(title="Driftsinfo", slug="driftsinfo"))
    english = Locale.objects.get(language_code="en")
    client.force_login(agency)
    response = client.post(
        f"/admin/translation/submit/page/{danish.pk}/", {"locales": [english.pk]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DriftsinfoPage.objects.filter(locale=english, live=False).count() == 1


def test_the_english_footer_falls_back_to_the_danish_pages_and_says_so(client, root):
    create_demo_pages()
    from plov.pages.models import AboutPage

    AboutPage.objects.get(locale__language_code="en").unpublish()
    footer = client.get("/en/kort/").content.decode().split("<footer")[1]
    assert '<a href="/om-plejeoverblikket/" hreflang="da">About Plejeoverblikket</a>' in footer
    assert '<a href="/en/accessibility-statement/">Accessibility statement</a>' in footer

"""An editor's day in the back office, in Chromium, on the demo country: log in on the demo login
page, find a unit, lock it, change a text in the rich-text editor, save (published at once),
check in, open the version history, compare, and restore the earlier version. Meanwhile a
second person (another browser) sees who holds the lock.

Screenshots: var/screenshots/backoffice-editor-*.png and backoffice-history-*.png."""

from __future__ import annotations

import re

import pytest
from django.core.management.sql import emit_post_migrate_signal
from playwright.sync_api import expect

from plov.units.models import Unit, UnitContent, UnitKind
from tests.browser.conftest import DESKTOP, screenshot

# The live server reads the database from another thread, so the demo is committed.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_TEXT = "Vi arbejder med nærvær, værdighed og faste relationer – også for pårørende."


@pytest.fixture
def transactional_db(transactional_db):
    """pytest-django's, plus Wagtail's default locale: a transactional test before this one
    flushed it, and the browser tests' `reference_data` (tests/browser/conftest.py) needs it to
    make Wagtail's root page again."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    return transactional_db


@pytest.fixture
def demo(transactional_db, request, settings, tmp_path) -> str:
    """The demo country (scale 0.05) served by live_server, with the demo login buttons.

    A transactional test before this one may have emptied the tables without post_migrate:
    make what post_migrate makes (content types, permissions) first (it is idempotent); the
    reference data comes from `reference_data` and the demo from `demo_site`
    (tests/browser/conftest.py)."""
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    settings.PLOV_DEMO = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return request.getfixturevalue("demo_site").url


def log_in(page, base: str, username: str, next_url: str = "/admin/enheder/") -> None:
    page.goto(f"{base}/konto/login/?next={next_url}")
    page.locator(f'button[name="username"][value="{username}"]').click()
    page.wait_for_url(f"**{next_url}")


def messages(page):
    return page.locator(".messages")


def test_an_editor_locks_edits_saves_checks_in_and_restores(demo, browser, page):
    base = demo
    unit = (
        Unit.objects.filter(owner__municipality_id=751, kind=UnitKind.CARE_HOME, published=True)
        .order_by("name")
        .first()
    )
    assert unit is not None
    original = UnitContent.objects.filter(unit=unit).values_list("values", flat=True).first() or ""

    # The dashboard: find the unit by name.
    log_in(page, base, "redaktoer-aarhus")
    expect(page.get_by_role("heading", name="Mine enheder")).to_be_visible()
    page.get_by_label("Søg efter navn eller SOR-ID").fill(unit.name)
    page.get_by_role("button", name="Søg").click()
    page.locator("#units").get_by_role("link", name=unit.name).click()
    page.wait_for_url(f"**/admin/enheder/{unit.pk}/")
    expect(page.locator("#must-lock")).to_have_text(
        "Du skal låse dette element, før du kan rette i det"
    )

    # Lock, edit the values text in the rich-text editor, save.
    page.get_by_role("button", name="Lås og rediger").click()
    expect(messages(page)).to_contain_text("Enheden er låst til dig")
    editor = page.locator("#id_values").locator("xpath=..").locator('[contenteditable="true"]')
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    editor.type(NEW_TEXT)
    # Draftail writes its hidden input a moment after the last keystroke.
    # Wait for the whole text (a loaded machine types slower than Draftail syncs).
    expect(page.locator("#id_values")).to_have_value(re.compile(r"for p\S*rende\."))
    page.locator("#save-button").click()
    expect(messages(page)).to_contain_text("Gemt og publiceret")
    content = UnitContent.objects.get(unit=unit)
    assert NEW_TEXT in content.values
    assert content.locked and content.locked_by.username == "redaktoer-aarhus"
    expect(page.locator("#lock-status")).to_contain_text("Du har låst enheden")
    screenshot(page, "backoffice-editor")

    # Someone else, in another browser, sees who holds the lock.
    other_context = browser.new_context(locale="da-DK", viewport=DESKTOP)
    try:
        other = other_context.new_page()
        other.set_default_timeout(15_000)
        log_in(other, base, "admin", next_url=f"/admin/enheder/{unit.pk}/")
        expect(other.locator("#lock-status")).to_contain_text(
            "Låst af Redaktør, Aarhus Kommune siden"
        )
        expect(other.get_by_role("button", name="Lås og rediger")).to_have_count(0)
        expect(other.locator('[contenteditable="true"]')).to_have_count(0)
    finally:
        other_context.close()

    # Check in.
    page.locator("#checkin-form").get_by_role("button", name="Tjek ind").click()
    expect(messages(page)).to_contain_text("Tjekket ind")
    content.refresh_from_db()
    assert not content.locked

    # The history: the demo's text is version 1, the save version 2; the diff shows both.
    page.locator("#history-link").click()
    page.wait_for_url(f"**/admin/enheder/{unit.pk}/historik/")
    rows = page.locator("#versions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Redaktør, Aarhus Kommune")
    expect(page.locator("#diff")).to_contain_text("Værdigrundlag")
    expect(page.locator('#diff [data-field="values"] ins')).to_contain_text("nærvær")
    screenshot(page, "backoffice-history")

    # Restoring needs the lock; then version 1 comes back as version 3.
    expect(page.get_by_text("Lås for at gendanne")).to_be_visible()
    page.get_by_role("button", name="Lås og rediger").click()
    page.wait_for_url(f"**/admin/enheder/{unit.pk}/historik/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gendan version 1").click()
    expect(messages(page)).to_contain_text("Version 1 er gendannet.")
    expect(page.locator("#versions tbody tr")).to_have_count(3)
    content.refresh_from_db()
    assert content.values == original
    assert content.revisions.count() == 3

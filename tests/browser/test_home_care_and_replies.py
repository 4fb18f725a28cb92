"""Issue 12, points 5 and 6 in Chromium, on the demo country, at 390 px and 1280 px with axe:
a home-care site's everyday facts on its page and in compare (beside a care home), the search
filter by language, a unit's own comment beside Ældretilsynet's feedback, and the editor's
page where the comment is written."""

from __future__ import annotations

import pytest

from plov.supervision.models import FeedbackReply
from plov.units.models import Unit, UnitKind
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot
from tests.browser.test_supervision_journey import log_in_as
from tests.test_backoffice_editing import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def both_widths(page, name: str) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_accessible(page)
        # Nothing wider than the screen but the tables that scroll on purpose.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} is {overflow}px wider than {size['width']}px"
    screenshot(page, name)


def test_home_care_facts_on_the_page_in_compare_and_in_search(demo_site, page):
    base = demo_site.url
    sites = list(
        Unit.objects.published()
        .filter(kind=UnitKind.HOME_CARE_SITE, content__helpers_per_fortnight__isnull=False)
        .exclude(content__languages="")
        .select_related("content")
        .order_by("pk")[:2]
    )
    assert len(sites) == 2, "the demo fills the home-care fields of most sites"
    site = sites[0]
    page.goto(f"{base}/enhed/{site.pk}/")
    section = page.locator("section[aria-labelledby=hverdag]")
    assert section.locator("h2").inner_text() == "Hjælpen i hverdagen"
    text = section.inner_text()
    assert f"{site.content.helpers_per_fortnight} forskellige hjælpere" in text
    assert "Sprog ud over dansk" in text and "Kilde: Oplyst af enheden" in text
    both_widths(page, "home-care-unit")

    care_home = Unit.objects.published().filter(kind=UnitKind.CARE_HOME).order_by("pk").first()
    page.goto(f"{base}/sammenlign/?ids={sites[0].pk},{sites[1].pk},{care_home.pk}")
    row = page.locator("tr", has=page.locator("th[scope=row]", has_text="Forskellige hjælpere"))
    cells = row.locator("td").all_inner_texts()
    assert len(cells) == 3 and "hjælpere" in cells[0] and cells[2] == "Ikke relevant"
    assert page.locator("th[scope=rowgroup]", has_text="Hjælpen i hverdagen").count() == 1
    both_widths(page, "home-care-compare")

    # The search filter by language: every result speaks it.
    code = site.content.languages.split(",")[0]
    municipality = site.municipality.name
    page.goto(f"{base}/soeg/?type=helhedspleje&kommune={municipality}&sprog={code}")
    assert page.locator(f"#sprog-{code}").is_checked()
    assert site.name in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_units_comment_beside_the_feedback_and_where_its_editor_writes_it(
    demo_site, browser, page
):
    base = demo_site.url
    reply = (
        FeedbackReply.objects.exclude(text="")
        .filter(unit__published=True)
        .select_related("unit__owner", "feedback")
        .order_by("pk")
        .first()
    )
    assert reply is not None, "the demo has units that answered their feedback"
    unit = reply.unit
    page.goto(f"{base}/enhed/{unit.pk}/#tilsyn")
    aside = page.locator("aside.plov-unit-reply").first
    assert aside.locator("h4").inner_text() == "Enhedens bemærkninger"
    assert reply.text in aside.inner_text()
    assert "Det er stedets egne ord, ikke Ældretilsynets." in aside.inner_text()
    both_widths(page, "unit-reply")

    page.goto(f"{base}/en/enhed/{unit.pk}/")
    assert page.locator("aside.plov-unit-reply h4").first.inner_text() == "The unit's comments"

    editor = make_user("redaktoer", ["editor"], unit.owner.cvr_number, first="Rie", last="Red")
    context = log_in_as(browser, base, editor)
    admin = context.new_page()
    admin.goto(f"{base}/admin/enheder/{unit.pk}/tilsyn/")
    assert admin.locator("h1").first.inner_text().startswith("Tilsyn og enhedens bemærkninger")
    field = admin.locator(f"#tilbagemelding-{reply.feedback_id} textarea[name=text]")
    assert field.input_value() == reply.text
    field.fill("Vi har fulgt op på alle punkter.")
    admin.locator(f"#tilbagemelding-{reply.feedback_id} button[type=submit]").click()
    admin.wait_for_load_state()
    assert "Enhedens bemærkninger er gemt" in admin.locator("body").inner_text()
    for size in (PHONE, DESKTOP):
        admin.set_viewport_size(size)
        assert_accessible(admin)
    context.close()
    reply.refresh_from_db()
    assert reply.text == "Vi har fulgt op på alle punkter."

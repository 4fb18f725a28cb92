"""Issue 18's layout points in Chromium on the demo country: at 390 px the action columns of
*Mine enheder* and the agreements list stay reachable, and no search field overlaps its button
(390 px and 1280 px); axe finds nothing on those pages.

Screenshots: var/screenshots/polish-*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, screenshot
from tests.browser.test_backoffice_journey import demo, log_in, transactional_db  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# For each link: inside the viewport as the page is, or inside a box the user can scroll
# sideways (overflow-x auto/scroll with more content than width). Never cut off by a box that
# hides its overflow, and the page itself never wider than the screen.
REACHABLE = """(selector) => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.left >= 0 && box.right <= width + 1) continue;
    let node = el.parentElement, scrolls = false;
    while (node && node !== document.body) {
      const style = getComputedStyle(node);
      if (["auto", "scroll"].includes(style.overflowX) && node.scrollWidth > node.clientWidth) {
        scrolls = true; break;
      }
      node = node.parentElement;
    }
    if (!scrolls) out.push(el.outerHTML.slice(0, 120) + " at " + Math.round(box.left));
  }
  return {unreachable: out, pageWidth: document.documentElement.scrollWidth, width};
}"""

OVERLAPS = """(form) => {
  const field = form.querySelector("input[type=search], input[name=q]");
  const button = form.querySelector("button[type=submit], button:not([type])");
  const a = field.getBoundingClientRect(), b = button.getBoundingClientRect();
  const overlap = !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
  return {overlap, field: [a.left, a.top, a.right, a.bottom], button: [b.left, b.top, b.right, b.bottom]};
}"""


def check_page(page, name: str, actions: str, form: str) -> None:
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        result = page.evaluate(REACHABLE, actions)
        assert page.locator(actions).count() > 0, actions
        assert not result["unreachable"], (label, result)
        assert result["pageWidth"] <= result["width"] + 1, (label, result)
        boxes = page.locator(form).evaluate(OVERLAPS)
        assert not boxes["overlap"], (label, boxes)
    screenshot(page, f"polish-{name}")
    page.set_viewport_size(PHONE)
    assert_accessible(page)


def test_mine_enheder_at_390px(demo, page):  # noqa: F811
    log_in(page, demo, "redaktoer-privat")
    check_page(
        page,
        "mine-enheder",
        "#units tbody td:last-child a, #units tbody td:first-child a",
        "form.plov-search",
    )


def test_the_agreements_list_at_390px(demo, page):  # noqa: F811
    log_in(page, demo, "kontrakt-aarhus", next_url="/admin/serviceleverancer/")
    check_page(page, "serviceleverancer", "#agreements tbody td:last-child a", "form.plov-filters")


WORD_HTML = (
    '<html><body><p class="MsoNormal">Priser pr. måned:</p>'
    '<table class="MsoTableGrid" border="1"><tr><td><p class="MsoNormal">Enkeltbolig</p></td>'
    '<td><p class="MsoNormal">7.500 kr.</p></td></tr><tr><td>Parbolig</td><td>9.800 kr.</td>'
    "</tr></table>"
    '<p class="MsoNormal">Efter tabellen.</p></body></html>'
)
PASTE = """(target, html) => {
  target.focus();
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "Priser pr. måned:\\nEnkeltbolig\\t7.500 kr.\\nParbolig\\t9.800 kr.\\nEfter tabellen.");
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_a_word_table_pasted_into_the_editor_keeps_its_rows_apart(demo, page):  # noqa: F811
    import re

    from playwright.sync_api import expect

    from plov.units.models import Unit, UnitContent, UnitKind

    unit = (
        Unit.objects.filter(owner__municipality_id=751, kind=UnitKind.CARE_HOME)
        .order_by("name")
        .first()
    )
    log_in(page, demo, "redaktoer-aarhus", next_url=f"/admin/enheder/{unit.pk}/")
    page.get_by_role("button", name="Lås og rediger").click()
    editor = page.locator("#id_values").locator("xpath=..").locator('[contenteditable="true"]')
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    editor.evaluate(PASTE, WORD_HTML)
    expect(page.locator("#id_values")).to_have_value(re.compile("Efter tabellen"))
    page.locator("#save-button").click()
    expect(page.locator(".messages")).to_contain_text("Gemt")
    saved = UnitContent.objects.get(unit=unit).values
    text = re.sub(r"<[^>]+>", "|", saved)
    assert "Parbolig9.800" not in text and "kr.Parbolig" not in text, saved
    assert "måned:Enkeltbolig" not in text, saved
    assert "<p>Enkeltbolig – 7.500 kr.</p><p>Parbolig – 9.800 kr.</p>" in saved, saved


def test_the_tilsyn_and_data_quality_filters_at_390px(demo, page):  # noqa: F811
    log_in(page, demo, "tilsyn-silkeborg", next_url="/admin/tilsyn/")
    check_page(
        page, "tilsyn", "#units tbody td:first-child a, table.listing tbody a", "form.plov-filters"
    )


def test_the_guide_is_reached_from_the_start_page_and_help(demo, page):  # noqa: F811
    from playwright.sync_api import expect

    log_in(page, demo, "kontrakt-aarhus", next_url="/admin/")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)  # the start page with its linked counts and the guide panel
    page.get_by_role("link", name="Læs vejledningen").click()
    page.wait_for_url("**/admin/vejledning/")
    expect(
        page.get_by_role("heading", name="Driftsoverenskomstansvarlig: serviceleverancer")
    ).to_be_visible()
    page.goto(f"{demo}/admin/")
    page.get_by_role("button", name="Hjælp").click()
    page.get_by_role("list", name="Hjælp").get_by_role("link", name="Vejledning").click()
    page.wait_for_url("**/admin/vejledning/")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1] + 1, width
    screenshot(page, "polish-vejledning")
    page.set_viewport_size(PHONE)
    assert_accessible(page)

"""What editors type is kept, in Chromium on the demo country (scale 0.05):

- every date field (unit, agreement, supervision feedback, sanction) takes 1.2.2020, 1/2/2020,
  1/2-2020 and ISO, shows dd.mm.åååå (also in an English browser) and stores exactly that date;
  a date it cannot read stays as typed, is explained, and is refused by the server;
- Sygefravær 20,5 is stored as 20.5 and shown with a comma; 205 is asked about first;
- Ctrl+S saves the editor forms;
- leaving a form with unsaved changes (a link, the browser's back button) asks first, and does
  not after a save;
- restoring a version that would hide the unit asks the save's question.

axe (WCAG 2.1 AA) finds nothing on the pages with these questions and messages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from plov.agreements.models import ServiceAgreement
from plov.supervision.models import Sanction, SupervisionFeedback
from plov.units.models import Unit, UnitContent, UnitKind
from tests.browser import test_agreements_journey as agreements_journey
from tests.browser import test_backoffice_journey as backoffice_journey
from tests.browser import test_supervision_journey as supervision_journey
from tests.browser.conftest import assert_accessible, screenshot
from tests.test_media import pdf

pytestmark = pytest.mark.django_db(transaction=True)

# The demo country and its logins, as the other journeys make them.
transactional_db = backoffice_journey.transactional_db
demo = backoffice_journey.demo
log_in = backoffice_journey.log_in

HINT = "Skriv datoen som dd.mm.åååå, fx 01.02.2020"
FEB_1 = dt.date(2020, 2, 1)
DANISH_FORMS = ["1.2.2020", "1/2/2020", "1/2-2020", "2020-02-01", "01.02.2020"]
# Wagtail's unsaved-changes controller reads the form's starting state 2 s after the page loads.
UNSAVED_WATCH_MS = 2600


class Dialogs:
    """Every dialog the page opens: its type and message; accepted unless `dismiss` is set."""

    def __init__(self, page):
        self.seen: list[tuple[str, str]] = []
        self.dismiss = False
        page.on("dialog", self._handle)

    def _handle(self, dialog) -> None:
        self.seen.append((dialog.type, dialog.message))
        if self.dismiss:
            dialog.dismiss()
        else:
            dialog.accept()

    def types(self) -> list[str]:
        return [t for t, _ in self.seen]


def messages(page):
    return page.locator(".messages")


def a_shown_care_home() -> Unit:
    unit = (
        Unit.objects.published()
        .filter(owner__municipality_id=751, kind=UnitKind.CARE_HOME)
        .order_by("name")
        .first()
    )
    assert unit is not None
    return unit


def type_into(page, selector: str, text: str) -> None:
    """As a person types: click (which gives the page a user gesture), clear, type."""
    field = page.locator(selector)
    field.click()
    field.fill("")
    field.press_sequentially(text)


def test_the_unit_editor_keeps_dates_and_decimals_saves_with_ctrl_s_and_asks_before_leaving(
    demo, page
):
    base = demo
    unit = a_shown_care_home()
    dialogs = Dialogs(page)
    log_in(page, base, "redaktoer-aarhus", next_url=f"/admin/enheder/{unit.pk}/")
    page.get_by_role("button", name="Lås og rediger").click()
    expect(messages(page)).to_contain_text("Enheden er låst til dig")
    before = UnitContent.objects.get(unit=unit)

    # Every Danish way of writing 1 February 2020 becomes 01.02.2020 when the field is left.
    date = page.locator("#id_cvr_valid_from")
    expect(date).to_have_attribute("placeholder", "dd.mm.åååå")
    for typed in DANISH_FORMS:
        type_into(page, "#id_cvr_valid_from", typed)
        date.press("Tab")
        expect(date).to_have_value("01.02.2020")
    # A date it cannot read stays exactly as typed, with the format said; the save refuses it.
    type_into(page, "#id_cvr_valid_from", "01.02.20")
    date.press("Tab")
    expect(date).to_have_value("01.02.20")
    expect(page.locator("#id_cvr_valid_from-dateformat")).to_have_text(HINT)
    type_into(page, "#id_sick_leave_days", "20,5")
    page.keyboard.press("Control+s")
    expect(messages(page)).to_contain_text("Enheden er ikke gemt: ret fejlene nedenfor.")
    expect(page.locator("#unit-form")).to_contain_text(HINT)
    expect(date).to_have_value("01.02.20")
    expect(page.locator("#id_sick_leave_days")).to_have_value("20,5")
    after_refusal = UnitContent.objects.get(unit=unit)
    assert (after_refusal.cvr_valid_from, after_refusal.sick_leave_days) == (
        before.cvr_valid_from,
        before.sick_leave_days,
    )

    # The refused form holds unsaved text: the browser's back button asks (and stays).
    editor_url = page.url
    dialogs.dismiss = True
    page.evaluate("history.back()")
    page.wait_for_timeout(1000)
    assert "beforeunload" in dialogs.types()
    assert page.url == editor_url

    # Ctrl+S saves; the date is stored exactly, the decimal with its comma.
    dialogs.dismiss = False
    type_into(page, "#id_cvr_valid_from", "1/2-2020")
    date.press("Tab")
    page.keyboard.press("Control+s")
    expect(messages(page)).to_contain_text("Gemt")
    content = UnitContent.objects.get(unit=unit)
    assert content.cvr_valid_from == FEB_1
    assert content.sick_leave_days == Decimal("20.5")
    expect(date).to_have_value("01.02.2020")
    expect(page.locator("#id_sick_leave_days")).to_have_value("20,5")

    # 205 sick days is asked about first; nothing is saved until the editor confirms.
    page.wait_for_timeout(UNSAVED_WATCH_MS)
    type_into(page, "#id_sick_leave_days", "205")
    page.locator("#save-button").click()
    question = page.locator("#confirm-warnings")
    expect(question).to_contain_text("Sygefravær på 205 dage pr. fuldtidsansat er usædvanligt højt")
    assert UnitContent.objects.get(unit=unit).sick_leave_days == Decimal("20.5")
    screenshot(page, "forms-unit-warning")
    assert_accessible(page)
    page.get_by_label("Ja, oplysningerne er rigtige – gem").check()
    page.keyboard.press("Control+s")
    expect(messages(page)).to_contain_text("Gemt")
    assert UnitContent.objects.get(unit=unit).sick_leave_days == Decimal("205")

    # Unsaved text: "← Mine enheder" asks; dismissed, the text is still there.
    page.wait_for_timeout(UNSAVED_WATCH_MS)
    type_into(page, "#id_leader_first_name", "Grethe")
    page.wait_for_timeout(700)
    dialogs.seen.clear()
    dialogs.dismiss = True
    page.get_by_role("link", name="← Mine enheder").click(no_wait_after=True)
    page.wait_for_timeout(1000)
    assert dialogs.types() == ["beforeunload"]
    assert page.url == editor_url
    expect(page.locator("#id_leader_first_name")).to_have_value("Grethe")
    # So does the link to images and documents.
    dialogs.seen.clear()
    page.get_by_role("navigation", name="Enhedens sider").get_by_role(
        "link", name="Billeder, dokumenter og boligbeskrivelser"
    ).click(no_wait_after=True)
    page.wait_for_timeout(1000)
    assert dialogs.types() == ["beforeunload"]
    assert page.url == editor_url

    # After a save, leaving does not ask.
    dialogs.dismiss = False
    page.keyboard.press("Control+s")
    expect(messages(page)).to_contain_text("Gemt")
    assert UnitContent.objects.get(unit=unit).leader_first_name == "Grethe"
    dialogs.seen.clear()
    page.get_by_role("link", name="← Mine enheder").click()
    page.wait_for_url(re.compile(r"/admin/enheder/$"))
    assert dialogs.seen == []

    # Mine enheder lists only the units not shown, when asked.
    page.select_option("#id_vises", "nej")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url(re.compile(r"vises=nej"))
    expect(page.locator("main")).to_contain_text("der ikke vises for borgerne")
    page.wait_for_timeout(1000)
    assert_accessible(page)


def test_restoring_a_version_that_would_hide_the_unit_asks_like_a_save(demo, page):
    base = demo
    unit = a_shown_care_home()
    Dialogs(page)  # accepts "Gendan version N?"
    log_in(page, base, "redaktoer-aarhus", next_url=f"/admin/enheder/{unit.pk}/")
    page.get_by_role("button", name="Lås og rediger").click()
    expect(messages(page)).to_contain_text("Enheden er låst til dig")

    # A P-number not in CVR: the save asks first; confirmed, the unit is hidden (a version).
    type_into(page, "#id_p_number", "9999999999")
    page.locator("#save-button").click()
    expect(page.locator("#confirm-hide-warning")).to_contain_text("PNummeret findes ikke i CVR")
    page.get_by_label("Gem alligevel – enheden skjules").check()
    page.locator("#save-button").click()
    expect(messages(page)).to_contain_text("enheden er skjult")
    unit.refresh_from_db()
    assert not unit.published
    content = UnitContent.objects.get(unit=unit)
    hidden_revision = content.latest_revision_id

    # Restore the version before (shown again: nothing to ask), then the hidden one.
    page.locator("#history-link").click()
    page.wait_for_url(f"**/admin/enheder/{unit.pk}/historik/")
    rows = page.locator("#versions tbody tr")
    count = rows.count()
    assert count >= 2
    page.get_by_role("button", name=f"Gendan version {count - 1}").click()
    expect(messages(page)).to_contain_text(f"Version {count - 1} er gendannet. Gemt og publiceret")
    unit.refresh_from_db()
    assert unit.published

    hidden_number = next(
        i
        for i, row in enumerate(reversed(rows.all()), start=1)
        if row.get_attribute("data-revision") == str(hidden_revision)
    )
    page.get_by_role("button", name=f"Gendan version {hidden_number}").click()
    question = page.locator("#confirm-hide-warning")
    expect(question).to_contain_text(
        "Ændringerne er ikke gemt endnu: enheden vil ikke længere blive vist for borgerne"
    )
    expect(question).to_contain_text("PNummeret findes ikke i CVR")
    unit.refresh_from_db()
    assert unit.published  # nothing restored yet
    screenshot(page, "forms-restore-question")
    assert_accessible(page)
    page.get_by_label("Gem alligevel – enheden skjules").check()
    page.get_by_role("button", name=f"Gendan version {hidden_number}").first.click()
    expect(messages(page)).to_contain_text(
        f"Version {hidden_number} er gendannet. Gemt – enheden er skjult"
    )
    unit.refresh_from_db()
    assert not unit.published
    assert UnitContent.objects.get(unit=unit).p_number == "9999999999"


def test_agreement_dates_are_kept_ctrl_s_saves_and_leaving_asks(demo, page):
    base = demo
    unit = agreements_journey.counterpart()
    dialogs = Dialogs(page)
    log_in(page, base, "kontrakt-aarhus", next_url="/admin/serviceleverancer/ny/")
    page.wait_for_timeout(UNSAVED_WATCH_MS)

    type_into(page, "#id_reference", "AAR-DATO-1")
    page.select_option("#id_type", "driftsoverenskomst")
    for typed in DANISH_FORMS:
        type_into(page, "#id_start", typed)
        page.locator("#id_start").press("Tab")
        expect(page.locator("#id_start")).to_have_value("01.02.2020")
    type_into(page, "#id_end", "31.02.2030")
    page.locator("#id_end").press("Tab")
    expect(page.locator("#id_end-dateformat")).to_have_text(HINT)

    # Leaving with what was typed asks first ("Fortryd").
    dialogs.dismiss = True
    page.get_by_role("link", name="Fortryd").click(no_wait_after=True)
    page.wait_for_timeout(1000)
    assert dialogs.types() == ["beforeunload"]
    expect(page.locator("#id_reference")).to_have_value("AAR-DATO-1")
    dialogs.dismiss = False
    dialogs.seen.clear()

    type_into(page, "#unit-search", unit.name)
    page.get_by_role("button", name="Søg", exact=True).click()
    page.locator(f'#unit-results tr[data-sor-id="{unit.sor_id}"]').get_by_role(
        "button", name=re.compile(r"^Vælg ")
    ).click()
    expect(page.locator("#id_start")).to_have_value("01.02.2020")
    expect(page.locator("#id_end")).to_have_value("31.02.2030")

    # Ctrl+S saves: refused for the impossible end date, kept as typed; then saved.
    page.locator("#id_reference").click()
    page.keyboard.press("Control+s")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#agreement-form")).to_contain_text(HINT)
    expect(page.locator("#id_end")).to_have_value("31.02.2030")
    assert not ServiceAgreement.objects.filter(reference="AAR-DATO-1").exists()
    screenshot(page, "forms-agreement-refused")
    assert_accessible(page)
    type_into(page, "#id_end", "1/2-2030")
    page.locator("#id_end").press("Tab")
    page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/admin/serviceleverancer/(#\w*)?$"))
    agreement = ServiceAgreement.objects.get(reference="AAR-DATO-1")
    assert (agreement.start, agreement.end) == (FEB_1, dt.date(2030, 2, 1))
    assert "beforeunload" not in dialogs.types()  # submitting never asks


def publish(page) -> None:
    """Ældretilsynet's confirmation on the public preview, then "Offentliggør"."""
    page.get_by_label(re.compile("Jeg har læst det, som det vises offentligt")).check()
    page.get_by_role("button", name="Offentliggør").click()


def test_supervision_dates_in_an_english_browser(demo, browser):
    """Ældretilsynet's feedback and sanction forms in a browser set to English: the dates are
    still shown and read as dd.mm.åååå."""
    base = demo
    unit = supervision_journey.care_home_in_aarhus()
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    dialogs = Dialogs(page)
    try:
        log_in(page, base, "tilsyn-silkeborg", next_url=f"/admin/tilsyn/{unit.pk}/tilbagemelding/")
        page.set_input_files(
            "#id_document",
            files=[{"name": "tilsyn.pdf", "mimeType": "application/pdf", "buffer": pdf()}],
        )
        for typed in DANISH_FORMS:
            type_into(page, "#id_inspected_on", typed)
            page.locator("#id_inspected_on").press("Tab")
            expect(page.locator("#id_inspected_on")).to_have_value("01.02.2020")
        page.select_option("#id_status", "ingen_bemaerkninger")
        page.keyboard.press("Control+s")  # the form's save action: the public preview first
        expect(page.locator("#public-preview")).to_contain_text(
            "1. februar 2020"
        )  # as the public sees it
        publish(page)
        page.wait_for_url(re.compile(rf"/admin/tilsyn/{unit.pk}/$"))
        feedback = SupervisionFeedback.objects.filter(unit=unit).order_by("-pk").first()
        assert feedback.inspected_on == FEB_1

        # A sanction: an unreadable decision date is refused and kept, then 1/2-2020 is saved.
        page.goto(base + f"/admin/tilsyn/{unit.pk}/sanktion/")
        page.select_option("#id_type", "paabud")
        type_into(page, "#id_decided_on", "1.2.20")
        type_into(page, "#id_deadline", "1.3.2020")
        type_into(page, "#id_themes", "Medicinhåndtering")
        page.keyboard.press("Control+s")
        expect(page.locator("main")).to_contain_text(HINT)
        expect(page.locator("#id_decided_on")).to_have_value("1.2.20")
        assert not Sanction.objects.filter(unit=unit, themes="Medicinhåndtering").exists()
        assert_accessible(page)
        # The refused form holds unsaved text: leaving asks.
        dialogs.dismiss = True
        page.get_by_role("link", name="Annullér").click(no_wait_after=True)
        page.wait_for_timeout(1000)
        assert "beforeunload" in dialogs.types()
        dialogs.dismiss = False
        type_into(page, "#id_decided_on", "1/2-2020")
        page.locator("#id_decided_on").press("Tab")
        expect(page.locator("#id_decided_on")).to_have_value("01.02.2020")
        page.keyboard.press("Control+s")
        expect(page.locator("#public-preview")).to_contain_text("Medicinhåndtering")
        publish(page)
        page.wait_for_url(re.compile(rf"/admin/tilsyn/{unit.pk}/$"))
        sanction = Sanction.objects.get(unit=unit, themes="Medicinhåndtering")
        assert (sanction.decided_on, sanction.deadline) == (FEB_1, dt.date(2020, 3, 1))
        # The edit form shows the stored dates as dd.mm.åååå.
        page.goto(base + f"/admin/tilsyn/{unit.pk}/sanktion/{sanction.pk}/")
        expect(page.locator("#id_decided_on")).to_have_value("01.02.2020")
        expect(page.locator("#id_deadline")).to_have_value("01.03.2020")
    finally:
        context.close()


def test_the_lock_holder_is_warned_five_minutes_before_the_lock_expires(demo, page, settings):
    settings.PLOV_LOCK_TIMEOUT_MINUTES = 5  # so the warning is due at once
    base = demo
    unit = a_shown_care_home()
    log_in(page, base, "redaktoer-aarhus", next_url=f"/admin/enheder/{unit.pk}/")
    page.get_by_role("button", name="Lås og rediger").click()
    expect(page.locator("#lock-status")).to_contain_text("Låsen udløber kl.")
    warning = page.locator("#lock-expiry-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_text(
        re.compile(r"^Din lås udløber om [1-5] minut(ter)?\. Gem for at beholde den\.$")
    )
    page.wait_for_timeout(1500)  # the message's fade-in is over
    assert_accessible(page)


def test_the_media_forms_ask_before_leaving_and_keep_amounts(demo, page):
    """A housing description (Wagtail's own form page, with its unsaved-changes controller):
    leaving with typed text asks; the rent 7.500 is stored as 7500 and shown as 7.500."""
    from plov.units.models import HousingDescription

    base = demo
    unit = a_shown_care_home()
    dialogs = Dialogs(page)
    log_in(page, base, "redaktoer-aarhus", next_url=f"/admin/enheder/{unit.pk}/")
    page.get_by_role("button", name="Lås og rediger").click()
    expect(messages(page)).to_contain_text("Enheden er låst til dig")
    page.goto(base + f"/admin/enheder/{unit.pk}/medier/boligbeskrivelser/ny/")
    expect(page.locator("#id_title option").first).to_have_text("Vælg titel")
    page.wait_for_timeout(UNSAVED_WATCH_MS)
    page.select_option("#id_title", "parbolig")
    type_into(page, "#id_rent", "7.500")
    type_into(page, "#id_description", "Lys bolig med altan mod haven.")
    page.wait_for_timeout(700)
    dialogs.dismiss = True
    page.evaluate("history.back()")
    page.wait_for_timeout(1000)
    assert "beforeunload" in dialogs.types()
    expect(page.locator("#id_rent")).to_have_value("7.500")
    dialogs.dismiss = False
    dialogs.seen.clear()
    page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(rf"/admin/enheder/{unit.pk}/medier/$"))
    assert "beforeunload" not in dialogs.types()
    housing = HousingDescription.objects.filter(unit=unit).order_by("-pk").first()
    assert housing.rent == 7500
    expect(page.locator("main")).to_contain_text("7.500")

"""What an editor types is stored as meant, or refused with a Danish message, never changed:
dates in every Danish form, decimal commas, thousands separators; parts of the homes larger than
the whole are refused; a P-number of another company and implausible figures are asked about;
home care has its own sections; restoring a version asks before hiding a unit, as a save does.

The rules are the same in the unit editor and in the bulk editorial import."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse

from plov.backoffice.fields import (
    INVALID_DATE,
    DanishDecimalField,
    WholeNumberField,
    parse_date,
    parse_decimal,
)
from plov.publishing.data_quality import findings
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import OTHER_COMPANY, other_company, other_company_against
from plov.units.editorial import import_editorial
from plov.units.forms import UnitContentForm
from plov.units.models import Unit, UnitContent, UnitKind
from tests import country as c
from tests import test_backoffice_editing as editing_tests
from tests.test_backoffice_editing import (
    action_url,
    content_of,
    editor_url,
    form_data,
    input_value,
    login,
    make_user,
    messages_of,
    post_confirming_warnings,
    snapshot,
)

# The unit editor's fixtures (the test country, its units, editor Anna).
units = editing_tests.units
anna = editing_tests.anna
own_production = editing_tests.own_production
published_solgaarden = editing_tests.published_solgaarden

FEB_1 = dt.date(2020, 2, 1)
OTHER_COMPANY_SOLGAARDEN = OTHER_COMPANY.format(name="Plejecenter Solgården", cvr=c.AARHUS_CVR)


# --- the parsers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1.2.2020",
        "01.02.2020",
        "1/2/2020",
        "01/02/2020",
        "1/2-2020",
        "1-2-2020",
        "2020-02-01",
        " 01.02.2020 ",
        "1. 2. 2020",
    ],
)
def test_every_danish_way_of_writing_a_date_means_that_date(text):
    assert parse_date(text) == FEB_1


@pytest.mark.parametrize(
    "text",
    ["01.02.20", "31.02.2020", "1.13.2020", "2020/02/01", "1.2", "i går", "01022020", "01.02.0020"],
)
def test_a_text_that_is_not_a_date_is_refused_not_guessed(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20,5", "20.5"),
        ("20.5", "20.5"),
        ("20", "20"),
        ("1.234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        (",5", "0.5"),
    ],
)
def test_decimals_are_read_as_danes_write_them(text, value):
    assert parse_decimal(text) == Decimal(value)


def test_a_decimal_field_refuses_what_is_not_a_number_and_shows_a_comma():
    field = DanishDecimalField(max_digits=5, decimal_places=1, required=False)
    assert field.clean("20,5") == Decimal("20.5")
    for bad in ("20,5,1", "tyve", "1.23,4", "20.5.1"):
        with pytest.raises(Exception, match="Skriv et tal, fx 20,5"):
            field.clean(bad)
    assert field.widget.format_value(Decimal("19.9")) == "19,9"
    assert field.widget.format_value(Decimal("20.0")) == "20"
    assert 'type="text"' in field.widget.render("x", Decimal("19.9"))


def test_whole_numbers_take_thousands_separators_and_show_them():
    field = WholeNumberField(required=False)
    assert field.clean("7.500") == 7500 and field.clean("7 500 kr.") == 7500
    with pytest.raises(Exception, match="helt tal"):
        field.clean("7,5")
    assert field.widget.format_value(7500) == "7.500"


# --- dates in the unit editor -----------------------------------------------------------------


@pytest.fixture
def editing(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    return unit


@pytest.mark.parametrize("typed", ["1.2.2020", "01.02.2020", "1/2/2020", "1/2-2020", "2020-02-01"])
def test_cvr_valid_from_is_stored_exactly_as_typed(client, editing, typed):
    response = client.post(
        editor_url(editing), form_data(content_of(editing), cvr_valid_from=typed), follow=True
    )
    assert any(m.startswith("Gemt") for m in messages_of(response))
    assert content_of(editing).cvr_valid_from == FEB_1
    assert input_value(response, "cvr_valid_from") == "01.02.2020"  # dd.mm.åååå in the editor


@pytest.mark.parametrize("typed", ["01.02.20", "31.02.2020", "i går"])
def test_a_date_that_cannot_be_read_is_refused_and_kept(client, editing, typed):
    before = snapshot(editing)
    response = client.post(
        editor_url(editing), form_data(content_of(editing), cvr_valid_from=typed)
    )
    page = htmllib.unescape(response.content.decode())
    assert INVALID_DATE in page
    assert "Enheden er ikke gemt" in " ".join(messages_of(response))
    assert input_value(response, "cvr_valid_from") == typed
    assert snapshot(editing) == before


def test_the_date_field_is_a_text_input_without_the_date_picker(client, editing):
    page = client.get(editor_url(editing)).content.decode()
    tag = re.search(r'<input[^>]*name="cvr_valid_from"[^>]*>', page).group(0)
    assert 'type="text"' in tag and 'placeholder="dd.mm.åååå"' in tag and "data-plov-date" in tag
    assert "initDateChooser" not in page  # the picker that replaced typed dates with today's


# --- decimals and plausibility ----------------------------------------------------------------


def test_sick_leave_with_a_decimal_comma_is_stored_and_shown_with_a_comma(client, editing):
    response = client.post(
        editor_url(editing), form_data(content_of(editing), sick_leave_days="20,5"), follow=True
    )
    assert any(m.startswith("Gemt") for m in messages_of(response))
    assert content_of(editing).sick_leave_days == Decimal("20.5")
    assert input_value(response, "sick_leave_days") == "20,5"
    tag = re.search(r'<input[^>]*name="sick_leave_days"[^>]*>', response.content.decode()).group(0)
    assert 'type="text"' in tag and 'inputmode="decimal"' in tag


def test_implausible_sick_leave_is_asked_about_before_it_is_saved(client, editing):
    before = snapshot(editing)
    data = form_data(content_of(editing), sick_leave_days="205", leader_first_name="Grethe")
    response = client.post(editor_url(editing), data)
    page = htmllib.unescape(response.content.decode())
    assert "Sygefravær på 205 dage pr. fuldtidsansat er usædvanligt højt" in page
    assert "Ja, oplysningerne er rigtige – gem" in page
    assert input_value(response, "leader_first_name") == "Grethe"
    assert snapshot(editing) == before

    # Confirming another value's warning does not count.
    client.post(editor_url(editing), data | {"bekraeft_advarsler": "0123456789abcdef"})
    assert snapshot(editing) == before

    response = post_confirming_warnings(client, editor_url(editing), data, follow=True)
    assert any(m.startswith("Gemt") for m in messages_of(response))
    assert content_of(editing).sick_leave_days == Decimal("205")

    # Confirmed and saved once, the figure is not asked about at the next save.
    response = client.post(
        editor_url(editing), form_data(content_of(editing), leader_first_name="Hanne"), follow=True
    )
    assert any(m.startswith("Gemt") for m in messages_of(response))
    assert content_of(editing).leader_first_name == "Hanne"


def test_a_changed_value_that_still_warns_is_asked_about_again(client, editing):
    first = form_data(content_of(editing), sick_leave_days="205")
    response = client.post(editor_url(editing), first)
    signature = re.search(r'name="bekraeft_advarsler" value="([^"]+)"', response.content.decode())
    second = first | {"sick_leave_days": "250", "bekraeft_advarsler": signature.group(1)}
    before = snapshot(editing)
    response = client.post(editor_url(editing), second)
    assert "Sygefravær på 250 dage" in htmllib.unescape(response.content.decode())
    assert snapshot(editing) == before


# --- housing sanity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"homes": "24", "homes_for_couples": "50"},
            "homes_for_couples",
            "Boliger for par (50) kan ikke være flere end antal boliger (24)",
        ),
        (
            {"homes": "24", "temporary_homes": "30"},
            "temporary_homes",
            "Antal midlertidige boliger (30) kan ikke være flere end antal boliger (24)",
        ),
        (
            {"homes": "24", "temporary_homes": "4", "temporary_homes_for_couples": "6"},
            "temporary_homes_for_couples",
            "Antal midlertidige boliger for par (6) kan ikke være flere end antal midlertidige "
            "boliger (4)",
        ),
    ],
)
def test_parts_of_the_homes_larger_than_the_whole_are_refused(
    client, editing, changes, field, message
):
    before = snapshot(editing)
    response = client.post(editor_url(editing), form_data(content_of(editing), **changes))
    assert message in htmllib.unescape(response.content.decode())
    assert snapshot(editing) == before
    form = UnitContentForm(form_data(content_of(editing), **changes), instance=content_of(editing))
    assert not form.is_valid() and form.errors[field] == [message]


def test_parts_equal_to_the_whole_are_fine(client, editing):
    client.post(
        editor_url(editing),
        form_data(content_of(editing), homes="24", homes_for_couples="24", temporary_homes="24"),
    )
    assert content_of(editing).homes_for_couples == 24


# --- a P-number of another company ------------------------------------------------------------


def test_the_other_company_rule(imported):
    pu = CvrProductionUnit.objects.get(p_number=c.P_SOLGAARDEN)
    assert other_company_against(pu, c.AARHUS_CVR) is None
    assert other_company_against(pu, c.COMPANY_CVR) == OTHER_COMPANY_SOLGAARDEN
    assert other_company_against(pu, None) is None  # nothing to compare
    assert other_company_against(None, c.COMPANY_CVR) is None
    # A P-number refused for its industry code says that first.
    assert other_company(c.P_WRONG_CODE, c.AARHUS_CVR) is None
    assert other_company(c.P_SOLGAARDEN, c.COMPANY_CVR) == OTHER_COMPANY_SOLGAARDEN
    assert "PNummeret hører til en anden virksomhed: Plejecenter Solgården (CVR 55133018)." in (
        OTHER_COMPANY_SOLGAARDEN
    )


def test_another_companys_p_number_is_confirmed_before_it_is_saved(client, units):
    unit = units["lindehus"]  # owned by COMPANY_CVR
    editor = make_user("privat", ["editor"], c.COMPANY_CVR)
    login(client, editor).post(action_url(unit, "lock"))
    before = snapshot(unit)
    data = form_data(content_of(unit), p_number=c.P_SOLGAARDEN)
    response = client.post(editor_url(unit), data)
    assert OTHER_COMPANY_SOLGAARDEN in htmllib.unescape(response.content.decode())
    assert snapshot(unit) == before

    # Said while typing, too.
    check = client.get(action_url(unit, "pnumber"), {"p": c.P_SOLGAARDEN}).json()
    assert check["level"] == "warning" and check["message"] == OTHER_COMPANY_SOLGAARDEN
    own = client.get(action_url(unit, "pnumber"), {"p": c.P_LINDEHUS}).json()
    assert own["level"] == "ok" and "other_company" not in own

    response = post_confirming_warnings(client, editor_url(unit), data, follow=True)
    assert any(m.startswith("Gemt") for m in messages_of(response))
    assert content_of(unit).p_number == c.P_SOLGAARDEN
    # Under the field after the save, as a warning.
    assert OTHER_COMPANY_SOLGAARDEN in htmllib.unescape(response.content.decode())
    # The data-quality dashboard lists it.
    rows = [r for r in findings() if r["unit_id"] == unit.pk]
    assert {"kind": "p_number_other_company", "detail": OTHER_COMPANY_SOLGAARDEN}.items() <= next(
        r for r in rows if r["kind"] == "p_number_other_company"
    ).items()


def test_the_units_own_p_number_is_not_asked_about(client, editing):
    response = client.post(
        editor_url(editing), form_data(content_of(editing), p_number=c.P_SOLGAARDEN), follow=True
    )
    assert any(m.startswith("Gemt") for m in messages_of(response))
    assert "bekraeft_advarsler" not in response.content.decode()
    assert not [r for r in findings() if r["kind"] == "p_number_other_company"]


# --- the bulk editorial import ----------------------------------------------------------------


def write(tmp_path, records):
    path = tmp_path / "indhold.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_import_applies_the_same_rules(imported, tmp_path):
    path = write(
        tmp_path,
        [
            {"sor_id": c.SOLGAARDEN, "homes": 24, "homes_for_couples": 50},
            {"sor_id": c.KAERBO, "homes": 24, "temporary_homes": 30},
            {
                "sor_id": c.LINDEHUS,
                "p_number": c.P_SOLGAARDEN,
                "sick_leave_days": "20,5",
                "cvr_valid_from": "1/2-2020",
            },
            {"sor_id": c.SITE_NORTH, "homes": 12},
        ],
    )
    summary, rejected = import_editorial(path)
    assert len(rejected) == 3
    assert (
        f"sor_id {c.SOLGAARDEN}" in rejected[0]
        and "Boliger for par (50) kan ikke være flere" in rejected[0]
    )
    assert "Antal midlertidige boliger (30) kan ikke være flere" in rejected[1]
    assert c.SITE_NORTH in rejected[2] and "ikke for helhedspleje: homes" in rejected[2]
    assert UnitContent.objects.filter(unit__sor_id=c.SOLGAARDEN, homes_for_couples=50).count() == 0
    # Another company's P-number is imported and reported, naming that CVR.
    lindehus = UnitContent.objects.get(unit__sor_id=c.LINDEHUS)
    assert lindehus.p_number == c.P_SOLGAARDEN
    assert lindehus.sick_leave_days == Decimal("20.5") and lindehus.cvr_valid_from == FEB_1
    notes = [n for n in summary.notes if "advarsel" in n]
    assert len(notes) == 1 and notes[0].startswith(f"{path}:")
    assert f"sor_id {c.LINDEHUS}" in notes[0] and f"CVR {c.AARHUS_CVR}" in notes[0]
    assert notes[0] in summary.render()


# --- home care has its own sections -----------------------------------------------------------


def test_home_care_has_no_housing_or_resident_sections(client, units, anna):
    site = units["site_north"]
    login(client, anna).post(action_url(site, "lock"))
    page = client.get(editor_url(site)).content.decode()
    assert "<span data-panel-heading-text>Hjemmepleje</span>" in page
    assert "<span data-panel-heading-text>Bolig</span>" not in page
    for name in ("homes", "housing_type", "temporary_homes", "resident_relations"):
        assert f'name="{name}"' not in page
    assert 'name="fixed_teams"' in page and "borgerne får hjælp af faste teams" in page
    # A POST cannot set a care home's fields on a home-care site either.
    client.post(editor_url(site), form_data(content_of(site), homes="12", fixed_teams="on"))
    content = content_of(site)
    assert content.fixed_teams and content.homes is None

    care_home = units["solgaarden"]
    login(client, anna).post(action_url(care_home, "lock"))
    page = client.get(editor_url(care_home)).content.decode()
    assert (
        "<span data-panel-heading-text>Bolig</span>" in page and 'name="resident_relations"' in page
    )
    assert "<span data-panel-heading-text>Hjemmepleje</span>" not in page


# --- restoring a version asks like a save -----------------------------------------------------


def test_restoring_a_version_that_would_hide_the_unit_asks_first(
    client, units, anna, own_production
):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    # Version 1 is the content before the first save; version 2 has a P-number with the wrong
    # industry code, version 3 the right one (shown).
    client.post(editor_url(unit), form_data(content_of(unit), p_number=c.P_WRONG_CODE))
    client.post(editor_url(unit), form_data(content_of(unit), p_number=c.P_SOLGAARDEN))
    unit.refresh_from_db()
    assert unit.published
    wrong = sorted(content_of(unit).revisions, key=lambda r: r.pk)[1]
    restore = reverse("backoffice:restore", args=[unit.pk, wrong.pk])
    before = snapshot(unit)

    response = client.post(restore)
    page = htmllib.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        "Ændringerne er ikke gemt endnu: enheden vil ikke længere blive vist for borgerne" in page
    )
    assert "Gendanner du version 2, skjules den for borgerne, fordi:" in page
    assert "Gem alligevel – enheden skjules" in page
    assert "PNummeret har den forkerte branchekode" in page
    assert snapshot(unit) == before
    # Confirming another P-number than the version's does not count.
    client.post(restore, {"gem_alligevel": c.P_SOLGAARDEN})
    assert snapshot(unit) == before

    response = client.post(restore, {"gem_alligevel": c.P_WRONG_CODE}, follow=True)
    unit.refresh_from_db()
    assert not unit.published
    assert content_of(unit).p_number == c.P_WRONG_CODE
    assert any(
        m.startswith("Version 2 er gendannet. Gemt – enheden er skjult")
        for m in messages_of(response)
    )


def test_restoring_a_version_that_keeps_the_unit_shown_is_not_asked_about(
    client, published_solgaarden
):
    unit = published_solgaarden
    client.post(editor_url(unit), form_data(content_of(unit), leader_first_name="Grethe"))
    second = sorted(content_of(unit).revisions, key=lambda r: r.pk)[1]
    response = client.post(reverse("backoffice:restore", args=[unit.pk, second.pk]), follow=True)
    assert any(
        m.startswith("Version 2 er gendannet. Gemt og publiceret") for m in messages_of(response)
    )
    assert Unit.objects.get(pk=unit.pk).published


# --- the lock banner --------------------------------------------------------------------------


def test_the_lock_banner_shows_when_the_lock_was_taken_and_when_it_expires(
    client, units, anna, settings
):
    from django.utils import timezone
    from wagtail.models import ModelLogEntry

    settings.PLOV_LOCK_TIMEOUT_MINUTES = 30
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    content = content_of(unit)
    # Taken at 09:05 (the lock's entry in the log), last saved 09:40.
    taken = timezone.make_aware(dt.datetime(2026, 3, 12, 9, 5))
    saved = timezone.make_aware(dt.datetime(2026, 3, 12, 9, 40))
    ModelLogEntry.objects.filter(action="wagtail.lock").update(timestamp=taken)
    UnitContent.objects.filter(pk=content.pk).update(locked_at=saved)
    from plov.backoffice import locking

    state = locking.lock_state(content_of(unit), now=saved, with_taken=True)
    assert state.since_text == "12.03.2026 kl. 09:05"
    assert state.expires_text == "10:10"
    assert state.expires_at == saved + dt.timedelta(minutes=30)

    # The page (now: the lock has expired, as 09:40 is long ago) and a fresh lock.
    UnitContent.objects.filter(pk=content.pk).update(locked_at=timezone.now())
    page = htmllib.unescape(client.get(editor_url(unit)).content.decode())
    assert "Du har låst enheden (siden 12.03.2026 kl. 09:05)" in page
    expires = timezone.localtime(content_of(unit).locked_at + dt.timedelta(minutes=30))
    assert f"Låsen udløber kl. {expires:%H:%M}" in page
    assert 'data-lock-expires="' in page

    # Someone else sees the lock's time, too.
    bent = make_user("bent2", ["editor"], c.AARHUS_CVR, first="Bent", last="Berg")
    page = htmllib.unescape(login(client, bent).get(editor_url(unit)).content.decode())
    assert "Låst af Anna Andersen siden 12.03.2026 kl. 09:05" in page
    assert "data-lock-expires" not in page


# --- smaller points ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "cvr", "target"),
    [
        (["contract_manager"], c.AARHUS_CVR, "plov_agreements:index"),
    ],
)
def test_mine_enheder_sends_other_roles_to_their_own_list(client, imported, roles, cvr, target):
    user = make_user(f"u-{roles[0]}", roles, cvr)
    response = login(client, user).get(reverse("backoffice:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse(target)


def test_the_menus_hide_what_plov_does_not_use(client, imported):
    agency = make_user("agency", ["agency"], editing_tests.AGENCY_CVR, superuser=True)
    html = login(client, agency).get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    names = set(re.findall(r'"name": "([^"]+)"', props))
    assert {"mine-enheder", "laase", "revisionslog", "users", "collections"} <= names
    assert not names & {"forms", "locked-pages", "workflows", "redirects"}
    # The agency edits its own pages (driftsinfo, guidance) in Wagtail's page tree.
    assert "explorer" in names


def test_an_editor_sees_no_page_tree(client, imported):
    editor = make_user("ed-aarhus", ["editor"], c.AARHUS_CVR)
    html = login(client, editor).get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    names = set(re.findall(r'"name": "([^"]+)"', props))
    assert "mine-enheder" in names and "explorer" not in names


def test_selects_say_what_to_choose_instead_of_dashes(db):
    from plov.media.forms import HousingDescriptionForm, UnitDocumentForm
    from plov.supervision.coverage import CoverageForm, HandOverForm

    forms_ = [
        HousingDescriptionForm(),
        UnitDocumentForm(with_file=True),
        CoverageForm(),
        HandOverForm(),
    ]
    rendered = "".join(str(form) for form in forms_)
    assert "---------" not in rendered
    for label in ("Vælg titel", "Vælg dokumenttype", "Vælg kommune", "Vælg tilsynsmyndighed"):
        assert label in rendered


def test_mine_enheder_filters_units_not_shown(client, units, anna, own_production):
    solgaarden = units["solgaarden"]
    login(client, anna).post(action_url(solgaarden, "lock"))
    client.post(editor_url(solgaarden), form_data(content_of(solgaarden), p_number=c.P_SOLGAARDEN))
    assert Unit.objects.get(pk=solgaarden.pk).published
    url = reverse("backoffice:dashboard")

    def listed(**params):
        return {row["unit"].pk for row in client.get(url, params).context["rows"]}

    everything = listed()
    hidden = listed(vises="nej")
    shown = listed(vises="ja")
    assert solgaarden.pk in shown and solgaarden.pk not in hidden
    # "Vises ikke" lists what the start page counts as not shown yet: open units, not a
    # home-care provider (never shown itself: its sites are).
    never_shown = set(
        Unit.objects.filter(pk__in=everything)
        .filter(Q(kind=UnitKind.HOME_CARE_PROVIDER) | Q(closed_on__isnull=False))
        .values_list("pk", flat=True)
    )
    assert hidden and hidden | shown | never_shown == everything and not hidden & shown
    assert not hidden & never_shown
    assert all(not Unit.objects.get(pk=pk).published for pk in hidden)
    assert listed(vises="noget andet") == everything
    page = client.get(url, {"vises": "nej"}).content.decode()
    assert '<option value="nej" selected>Vises ikke</option>' in page

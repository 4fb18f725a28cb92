"""The unit editor in the back office: lock → edit → save → check in, versions, lock expiry, stale
saves, register fields that no POST can change, the agency's locks and audit log.

Runs on the small test country (Aarhus 751 owns the municipal units; CVR 12345678 the private
ones). Users get their roles the way single sign-on gives them (`apply_access`)."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision

from plov.accounts.auth import Access, apply_access
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.backoffice import views
from plov.backoffice.forms import FORM_FIELDS, RichTextWidget
from plov.registers.cvr import import_cvr
from plov.registers.dar import import_dar
from plov.registers.pnumber import MISSING, NOT_IN_CVR, SECONDARY_CODE, WRONG_CODE
from plov.registers.sor import import_sor
from plov.units.forms import RICH_TEXT_FIELDS
from plov.units.models import Organisation, Profession, Property, Unit, UnitContent, UnitKind
from tests import country as c

MUST_LOCK = "Du skal låse dette element, før du kan rette i det"
NO_AGREEMENT = "Serviceleverance - Der mangler at blive tilknyttet en aftale"
AGENCY_CVR = "33257872"


# --- helpers (also used by tests/test_backoffice_matrix.py) --------------------------------


def make_user(username, roles=(), cvr="", sor_ids=(), first="", last="", superuser=False):
    """A user as single sign-on leaves it: profile, role groups (with admin access), name."""
    User = get_user_model()
    user = User.objects.create_user(username, is_superuser=superuser)
    apply_access(
        user,
        Access(
            roles=list(roles),
            cvr=cvr,
            sor_ids=list(sor_ids),
            first_name=first or username,
            last_name=last,
        ),
    )
    return User.objects.get(pk=user.pk)


def editor_url(unit) -> str:
    return reverse("backoffice:edit", args=[unit.pk])


def action_url(unit, name) -> str:
    return reverse(f"backoffice:{name}", args=[unit.pk])


def form_data(content: UnitContent | None = None, **changes) -> dict:
    """What the editor's form posts: the stored values, with `changes`. Rich text goes as HTML
    (the widget takes HTML as well as Draftail's JSON)."""
    data: dict = {}
    for name in FORM_FIELDS:
        value = getattr(content, name, None) if content is not None and content.pk else None
        if name in ("professions", "properties"):
            value = list(value.values_list("pk", flat=True)) if value is not None else []
        elif name == "fixed_teams":
            value = "on" if value else None
        elif value is None:
            value = ""
        data[name] = value
    base = content.latest_revision_id if content is not None and content.pk else None
    data["base_revision"] = str(base or "")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_confirming_warnings(client, url: str, data: dict, **kwargs):
    """Post the form as an editor does who is asked to confirm a warning (e.g. a P-number of
    another company) and ticks "Ja, oplysningerne er rigtige": post, read the checkbox, post
    again with it."""
    first = client.post(url, data)
    match = re.search(r'name="bekraeft_advarsler" value="([^"]+)"', first.content.decode())
    assert match, "no warning to confirm"
    return client.post(url, data | {"bekraeft_advarsler": match.group(1)}, **kwargs)


def content_of(unit) -> UnitContent | None:
    return UnitContent.objects.filter(unit=unit).first()


def snapshot(unit) -> dict:
    """Everything a forbidden request must leave as it was."""
    content = content_of(unit)
    return {
        "unit": {k: v for k, v in model_to_dict(Unit.objects.get(pk=unit.pk)).items()},
        "content": model_to_dict(content) if content else None,
        "lock": (content.locked, content.locked_by_id, content.locked_at) if content else None,
        "revisions": Revision.objects.filter(
            object_id__in=[str(content.pk)] if content else [],
            base_content_type__model="unitcontent",
        ).count(),
        "contents": UnitContent.objects.count(),
    }


def actions_logged(**filters) -> list[str]:
    return list(
        ModelLogEntry.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


def rendered_value(response, name: str) -> str:
    """The value a field is rendered with: the text of Draftail's JSON for rich text."""
    page = response.content.decode()
    tag = re.search(r'<input[^>]*\bname="' + re.escape(name) + r'"[^>]*>', page)
    assert tag, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    raw = htmllib.unescape(value.group(1)) if value else ""
    try:
        state = json.loads(raw)
    except ValueError:
        return raw
    return "\n".join(block["text"] for block in state.get("blocks", []))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def units(imported):
    return {
        "solgaarden": Unit.objects.get(sor_id=c.SOLGAARDEN),
        "kaerbo": Unit.objects.get(sor_id=c.KAERBO),
        "site_north": Unit.objects.get(sor_id=c.SITE_NORTH),
        "lindehus": Unit.objects.get(sor_id=c.LINDEHUS),
        "site_private": Unit.objects.get(sor_id=c.SITE_PRIVATE),
    }


@pytest.fixture
def anna(db):
    return make_user("anna", ["editor"], c.AARHUS_CVR, first="Anna", last="Andersen")


@pytest.fixture
def bent(db):
    return make_user("bent", ["editor"], c.AARHUS_CVR, first="Bent", last="Berg")


@pytest.fixture
def agency(db):
    return make_user("sds", ["agency"], AGENCY_CVR, first="Sara", last="Sundhedsdata")


@pytest.fixture
def own_production(units, today):
    """Aarhus offers Solgården to its citizens: the only thing missing is the P-number."""
    return ServiceAgreement.objects.create(
        municipality_id=751,
        unit=units["solgaarden"],
        reference="AAR-1",
        type=AgreementType.OWN_PRODUCTION,
        start=today - dt.timedelta(days=10),
    )


def login(client, user):
    client.force_login(user)
    return client


# --- the cycle -----------------------------------------------------------------------------


def test_lock_save_publish_and_check_in(client, units, anna, own_production):
    unit = units["solgaarden"]
    login(client, anna)

    response = client.get(editor_url(unit))
    assert response.status_code == 200
    html = response.content.decode()
    assert MUST_LOCK in html
    assert "Lås og rediger" in html
    assert 'name="leader_first_name"' not in html  # read-only until locked
    assert "Enheden har ikke noget PNummer" in html  # the warning bar
    assert content_of(unit) is None  # opening the editor writes nothing

    response = client.post(action_url(unit, "lock"))
    assert response.status_code == 302
    content = content_of(unit)
    assert content.locked and content.locked_by == anna and content.locked_at is not None
    assert actions_logged(action="wagtail.lock") == ["wagtail.lock"]

    html = client.get(editor_url(unit)).content.decode()
    assert 'name="leader_first_name"' in html and MUST_LOCK not in html
    assert "Tjek ind" in html and "Gem" in html

    professions = list(Profession.objects.all()[:2])
    props = list(Property.objects.all()[:1])
    data = form_data(
        content,
        p_number=c.P_SOLGAARDEN,
        leader_first_name="Grethe",
        leader_last_name="Ølgaard",
        values="<p>Vi tror på nærvær og værdighed.</p>",
        homes="42",
        housing_type="aeldreloven_47",
        professions=[p.pk for p in professions],
        properties=[p.pk for p in props],
        fixed_teams="on",
    )
    response = client.post(editor_url(unit), data, follow=True)
    assert response.status_code == 200
    assert "Gemt og publiceret" in messages_of(response)

    content.refresh_from_db()
    unit.refresh_from_db()
    assert content.p_number == c.P_SOLGAARDEN
    assert content.leader_last_name == "Ølgaard"
    assert content.values == "<p>Vi tror på nærvær og værdighed.</p>"
    assert content.homes == 42 and content.fixed_teams
    assert set(content.professions.all()) == set(professions)
    assert unit.published and unit.warnings == []
    assert content.locked and content.locked_by == anna  # saving keeps the lock

    # Version 1 is the content as it was before the first save (empty), version 2 the save.
    original, revision = sorted(content.revisions, key=lambda r: r.pk)
    assert original.user is None and original.content["values"] == ""
    assert original.content["_plov_relations"]["professions"] == []
    assert revision.user == anna
    assert revision.content["values"] == content.values
    assert sorted(revision.content["_plov_relations"]["professions"]) == sorted(
        p.pk for p in professions
    )
    assert content.latest_revision_id == revision.pk
    assert {"wagtail.edit", "plov.save", "plov.publish"} <= set(actions_logged())
    # The open data's change feed: the unit is shown now, and which public fields changed.
    from plov.opendata.models import ChangeEvent

    events = ChangeEvent.objects.filter(unit=unit)
    assert events.filter(kind="unit_published").count() == 1
    changed = events.get(kind="unit_changed")
    assert changed.public
    assert {"p_number", "homes", "values", "leader_first_name", "fixed_teams"} <= set(
        changed.fields
    )

    response = client.post(action_url(unit, "check_in"), follow=True)
    content.refresh_from_db()
    assert not content.locked and content.locked_by is None and content.locked_at is None
    assert "wagtail.unlock" in actions_logged()
    assert MUST_LOCK in response.content.decode()


def test_save_and_check_in_in_one_step(client, units, anna, own_production):
    unit = units["solgaarden"]
    login(client, anna)
    client.post(action_url(unit, "lock"))
    content = content_of(unit)
    response = client.post(
        editor_url(unit), form_data(content, p_number=c.P_SOLGAARDEN, checkin="1"), follow=True
    )
    content.refresh_from_db()
    assert not content.locked and content.p_number == c.P_SOLGAARDEN
    assert any(m.startswith("Tjekket ind") for m in messages_of(response))


def test_an_incomplete_unit_is_saved_with_the_warning_bar_messages(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna)
    client.post(action_url(unit, "lock"))
    content = content_of(unit)

    response = client.post(
        editor_url(unit), form_data(content, p_number=c.P_WRONG_CODE), follow=True
    )
    saved = [m for m in messages_of(response) if m.startswith("Gemt")]
    assert saved == [f"Gemt – enheden vises ikke endnu: {WRONG_CODE}; {NO_AGREEMENT}"]
    html = response.content.decode()
    assert 'id="warning-bar"' in html
    assert WRONG_CODE in html and NO_AGREEMENT in html
    unit.refresh_from_db()
    assert not unit.published
    assert {w["category"] for w in unit.warnings} == {"P-nummer", "Serviceleverance"}
    content.refresh_from_db()
    assert content.p_number == c.P_WRONG_CODE  # a wrong P-number is saved, and blocks showing

    response = client.post(editor_url(unit), form_data(content, p_number=""), follow=True)
    assert f"Gemt – enheden vises ikke endnu: {MISSING}; {NO_AGREEMENT}" in messages_of(response)

    response = client.post(editor_url(unit), form_data(content, p_number="12345"))
    assert response.status_code == 200
    assert "P-nummeret skal bestå af 10 cifre" in response.content.decode()


def test_a_secondary_industry_code_warns_but_publishes(client, units, anna, own_production):
    unit = units["solgaarden"]
    login(client, anna)
    client.post(action_url(unit, "lock"))
    # P_SECONDARY is another company's production unit: the editor confirms that first.
    response = post_confirming_warnings(
        client, editor_url(unit), form_data(content_of(unit), p_number=c.P_SECONDARY), follow=True
    )
    assert "Gemt og publiceret" in messages_of(response)
    assert f"Bemærk: {SECONDARY_CODE}" in messages_of(response)
    html = response.content.decode()
    assert SECONDARY_CODE in html  # under the field and in the bar
    unit.refresh_from_db()
    assert unit.published


def test_the_p_number_is_checked_while_typing(client, units, anna):
    login(client, anna)
    url = action_url(units["solgaarden"], "pnumber")
    assert client.get(url, {"p": c.P_WRONG_CODE}).json()["message"] == WRONG_CODE
    result = client.get(url, {"p": c.P_SOLGAARDEN}).json()
    assert result["level"] == "ok" and result["production_unit"]["name"] == "Plejecenter Solgården"


def readonly(response, name: str) -> str:
    """The text of a read-only value in the editor."""
    page = response.content.decode()
    match = re.search(r'data-field="' + re.escape(name) + r'">(.*?)</div>', page, flags=re.S)
    assert match, f"no read-only value {name}"
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_register_values_are_shown_read_only_beside_the_editors(client, units, anna):
    unit = units["solgaarden"]
    UnitContent.objects.create(unit=unit, p_number=c.P_SOLGAARDEN, employees=50)
    login(client, anna)
    response = client.get(editor_url(unit))
    assert readonly(response, "employees") == "50"
    assert readonly(response, "cvr_employees") == "48 Fra CVR"
    assert readonly(response, "cvr_full_time_employees") == "39,5 Fra CVR"
    assert readonly(response, "cvr_industry") == "871010 Plejehjem Fra CVR"
    assert readonly(response, "visiting_address") == "Solvej 4, 8000 Aarhus C Fra SOR"
    assert readonly(response, "phone") == "87131000 Fra SOR"
    assert readonly(response, "email") == "solgaarden@aarhus.dk Fra SOR"
    assert readonly(response, "municipality") == "Aarhus Kommune Fra SOR og DAR"
    assert "Udfyldes feltet, vises dit tal; ellers vises CVR&#x27;s." in response.content.decode()

    lindehus = units["lindehus"]
    UnitContent.objects.create(unit=lindehus, p_number=c.P_LINDEHUS)
    login(client, make_user("firma", ["editor"], c.COMPANY_CVR))
    response = client.get(editor_url(lindehus))
    assert readonly(response, "cvr_employees") == "20–49 (interval fra CVR) Fra CVR"


# --- locks ---------------------------------------------------------------------------------


def test_only_one_editor_holds_the_lock_and_others_see_who(client, units, anna, bent):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    login(client, bent)
    html = client.get(editor_url(unit)).content.decode()
    assert "Låst af Anna Andersen siden " in html
    assert "Lås og rediger" not in html
    assert 'name="leader_first_name"' not in html

    response = client.post(action_url(unit, "lock"), follow=True)
    assert any(m.startswith("Låst af Anna Andersen siden") for m in messages_of(response))
    content = content_of(unit)
    assert content.locked_by == anna

    before = snapshot(unit)
    response = client.post(editor_url(unit), form_data(content, leader_first_name="Bent"))
    assert response.status_code == 409
    assert snapshot(unit) == before
    assert rendered_value(response, "leader_first_name") == "Bent"


def test_a_lock_expires_after_inactivity(client, units, anna, bent, settings):
    settings.PLOV_LOCK_TIMEOUT_MINUTES = 30
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    content = content_of(unit)
    anna_form = form_data(content, values="<p>Annas lange tekst om værdier</p>")

    UnitContent.objects.filter(pk=content.pk).update(
        locked_at=timezone.now() - dt.timedelta(minutes=29)
    )
    login(client, bent)
    client.post(action_url(unit, "lock"))
    assert content_of(unit).locked_by == anna  # 29 minutes: still Anna's

    UnitContent.objects.filter(pk=content.pk).update(
        locked_at=timezone.now() - dt.timedelta(minutes=31)
    )
    html = client.get(editor_url(unit)).content.decode()
    assert "låsen er udløbet" in html and "Lås og rediger" in html
    response = client.post(action_url(unit, "lock"), follow=True)
    content.refresh_from_db()
    assert content.locked_by == bent
    assert "Anna Andersens lås var udløbet og er overtaget af dig." in messages_of(response)
    entry = ModelLogEntry.objects.filter(action="wagtail.lock").latest("pk")
    assert entry.user == bent and entry.data == {"expired_lock_of": "Anna Andersen"}

    # Anna comes back and saves: refused, and her text is still in the form.
    login(client, anna)
    before = snapshot(unit)
    response = client.post(editor_url(unit), anna_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Dine ændringer er ikke gemt" in html
    assert "Låst af Bent Berg siden" in html
    assert rendered_value(response, "values") == "Annas lange tekst om værdier"
    assert snapshot(unit) == before


def test_the_timeout_is_a_setting(client, units, anna, bent, settings):
    settings.PLOV_LOCK_TIMEOUT_MINUTES = 5
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    UnitContent.objects.filter(unit=unit).update(locked_at=timezone.now() - dt.timedelta(minutes=6))
    login(client, bent).post(action_url(unit, "lock"))
    assert content_of(unit).locked_by == bent


def test_the_holder_of_an_expired_lock_nobody_took_may_save_and_renews_it(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    old = timezone.now() - dt.timedelta(hours=2)
    UnitContent.objects.filter(unit=unit).update(locked_at=old)
    content = content_of(unit)
    response = client.post(editor_url(unit), form_data(content, leader_first_name="Grethe"))
    assert response.status_code == 302
    content.refresh_from_db()
    assert content.leader_first_name == "Grethe" and content.locked_at > old + dt.timedelta(hours=1)


def test_a_save_after_check_in_is_refused_and_the_text_kept(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    content = content_of(unit)
    data = form_data(content, activities="<p>Banko hver tirsdag – på æøå</p>")
    client.post(action_url(unit, "check_in"))  # in another tab

    before = snapshot(unit)
    response = client.post(editor_url(unit), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Dine ændringer er ikke gemt" in html and MUST_LOCK in html
    assert rendered_value(response, "activities") == "Banko hver tirsdag – på æøå"
    assert 'name="relock"' in html  # "Lås og gem"
    assert snapshot(unit) == before

    response = client.post(editor_url(unit), {**data, "relock": "1"})
    assert response.status_code == 302
    content.refresh_from_db()
    assert content.activities == "<p>Banko hver tirsdag – på æøå</p>"
    assert content.locked_by == anna


def test_lock_and_save_is_refused_when_someone_else_saved_meanwhile(
    client, units, anna, bent, agency
):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    anna_form = form_data(content_of(unit), vision="<p>Annas vision</p>")
    login(client, agency).post(action_url(unit, "release"))
    login(client, bent).post(action_url(unit, "lock"))
    client.post(
        editor_url(unit), form_data(content_of(unit), vision="<p>Bents vision</p>", checkin="1")
    )

    login(client, anna)
    response = client.post(editor_url(unit), {**anna_form, "relock": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "enheden er blevet gemt af en anden" in html and "Bent Berg" in html
    assert rendered_value(response, "vision") == "Annas vision"
    content = content_of(unit)
    assert content.vision == "<p>Bents vision</p>"
    assert content.locked_by == anna  # she has the lock now and can decide
    # Saving again (the form now knows the newest version) is her explicit choice.
    response = client.post(
        editor_url(unit),
        {**anna_form, "base_revision": str(content.latest_revision_id)},
    )
    assert response.status_code == 302
    assert content_of(unit).vision == "<p>Annas vision</p>"


def test_the_agency_releases_a_lock(client, units, anna, agency):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    content = content_of(unit)

    login(client, agency)
    html = client.get(reverse("backoffice:locks")).content.decode()
    assert unit.name in html and "Anna Andersen" in html and "Aktiv" in html
    response = client.post(
        action_url(unit, "release"),
        {"holder": str(anna.pk), "next": reverse("backoffice:locks")},
    )
    assert response.status_code == 302 and response.url == reverse("backoffice:locks")
    content.refresh_from_db()
    assert not content.locked and content.locked_by is None
    entry = ModelLogEntry.objects.get(action="plov.lock_released")
    assert entry.user == agency and entry.data["holder"] == "Anna Andersen"
    assert "Ingen enheder er låst." in client.get(reverse("backoffice:locks")).content.decode()

    login(client, anna)
    response = client.post(editor_url(unit), form_data(content, leader_first_name="X"))
    assert response.status_code == 409


def test_an_editor_cannot_release_someone_elses_lock(client, units, anna, bent):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    login(client, bent)
    assert client.post(action_url(unit, "release")).status_code == 403
    assert client.post(action_url(unit, "check_in")).status_code == 302
    assert content_of(unit).locked_by == anna
    assert client.get(reverse("backoffice:locks")).status_code == 403


# --- what a POST can never change ------------------------------------------------------------


def test_a_forged_post_cannot_change_register_fields(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    content = content_of(unit)
    register_before = model_to_dict(Unit.objects.get(pk=unit.pk))
    other = units["lindehus"]
    forged = form_data(
        content,
        leader_first_name="Grethe",
        name="Hacket plejehjem",
        sor_id="999999999999",
        visiting_address=json.dumps({"street": "Falskvej", "house_number": "1"}),
        phone="11111111",
        owner=str(other.owner_id),
        municipality="101",
        published="on",
        closed_on="2020-01-01",
        unit=str(other.pk),
        locked_by=str(anna.pk + 100),
        image_1="1",
        latest_revision="1",
    )
    response = client.post(editor_url(unit), forged)
    assert response.status_code == 302
    register_after = model_to_dict(Unit.objects.get(pk=unit.pk))
    for name in ("published",):  # derived, recomputed by refresh_publication, never posted
        register_before.pop(name), register_after.pop(name)
    assert register_after == register_before
    content.refresh_from_db()
    assert content.unit_id == unit.pk and content.leader_first_name == "Grethe"
    assert content.image_1 is None and content.locked_by == anna
    assert not UnitContent.objects.filter(unit=other).exists()


def test_a_register_import_never_touches_what_editors_wrote(
    client, units, anna, imported, tmp_path
):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    client.post(
        editor_url(unit),
        form_data(content_of(unit), p_number=c.P_SOLGAARDEN, values="<p>Vores værdier</p>"),
    )
    before = model_to_dict(content_of(unit))
    revisions = Revision.objects.count()

    changed = imported.copy()
    changed.entity(c.SOLGAARDEN).name = "Plejecenter Solgården (nyt navn)"
    sor, cvr, dar = changed.write(tmp_path / "again")
    import_dar(dar)
    import_cvr(cvr)
    import_sor(sor)

    assert Unit.objects.get(pk=unit.pk).name == "Plejecenter Solgården (nyt navn)"
    assert model_to_dict(content_of(unit)) == before
    assert Revision.objects.count() == revisions


def test_rich_text_is_cleaned_of_scripts_styles_and_attributes(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    content = content_of(unit)
    pasted = (
        '<script>alert("x")</script><p style="color:red" onclick="steal()" class="MsoNormal">'
        '<span style="font-family:Calibri">Fra Word</span> med <b>fed</b></p>'
        '<p><a href="javascript:alert(1)">farlig</a> <a href="https://aarhus.dk" target="_blank">'
        "god</a></p><iframe src=x></iframe>"
    )
    client.post(editor_url(unit), form_data(content, food=pasted))
    content.refresh_from_db()
    stored = content.food
    for bad in ("script", "style", "onclick", "class=", "javascript", "iframe", "target", "span"):
        assert bad not in stored
    assert "Fra Word" in stored and "<b>fed</b>" in stored
    assert '<a href="https://aarhus.dk">god</a>' in stored


def test_rich_text_from_the_draftail_editor_is_stored_as_html(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    contentstate = RichTextWidget().format_value("<p>Fællesspisning hver <b>fredag</b></p>")
    client.post(editor_url(unit), form_data(content_of(unit), food=contentstate))
    stored = content_of(unit).food
    assert "Fællesspisning hver" in stored and "<b>fredag</b>" in stored and "{" not in stored


# --- history -------------------------------------------------------------------------------


def test_history_lists_versions_compares_and_restores(client, units, anna, bent):
    unit = units["solgaarden"]
    register_before = {
        k: v for k, v in model_to_dict(Unit.objects.get(pk=unit.pk)).items() if k != "published"
    }
    nurse, cook = Profession.objects.all()[:2]
    login(client, anna).post(action_url(unit, "lock"))
    client.post(
        editor_url(unit),
        form_data(
            content_of(unit),
            values="<p>Første udgave af teksten</p>",
            professions=[nurse.pk],
            homes="40",
            checkin="1",
        ),
    )
    login(client, bent).post(action_url(unit, "lock"))
    client.post(
        editor_url(unit),
        form_data(
            content_of(unit),
            values="<p>Anden udgave af teksten</p>",
            professions=[nurse.pk, cook.pk],
            homes="44",
            checkin="1",
        ),
    )
    content = content_of(unit)
    # Version 1 is the (empty) content before Anna's first save; 2 is Anna's, 3 is Bent's.
    original, first, second = sorted(content.revisions, key=lambda r: r.pk)
    assert original.user is None and original.content["values"] == ""

    response = client.get(action_url(unit, "history"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Version 1" in html and "Version 2" in html and "Version 3" in html
    assert "Før første redigering" in html
    assert "Anna Andersen" in html and "Bent Berg" in html
    # By default the two newest versions are compared.
    assert "Værdigrundlag" in html and "<del>Første</del>" in html and "<ins>Anden</ins>" in html
    assert "Antal boliger" in html and "Faggrupper" in html
    assert cook.name in html

    html = client.get(action_url(unit, "history"), {"a": second.pk, "b": first.pk}).content.decode()
    assert "Forskelle mellem version 2" in html  # always older → newer
    assert client.get(action_url(unit, "history"), {"a": 999999}).status_code == 404

    # Restoring needs the lock.
    before = snapshot(unit)
    restore = reverse("backoffice:restore", args=[unit.pk, first.pk])
    response = client.post(restore, follow=True)
    assert any(MUST_LOCK in m for m in messages_of(response))
    assert snapshot(unit) == before

    client.post(action_url(unit, "lock"))
    response = client.post(restore, follow=True)
    assert any(m.startswith("Version 2 er gendannet.") for m in messages_of(response))
    content.refresh_from_db()
    assert content.values == "<p>Første udgave af teksten</p>" and content.homes == 40
    assert list(content.professions.all()) == [nurse]
    revisions = sorted(content.revisions, key=lambda r: r.pk)
    assert len(revisions) == 4 and revisions[-1].user == bent
    assert content.latest_revision_id == revisions[-1].pk
    assert "wagtail.revert" in actions_logged()
    assert ModelLogEntry.objects.filter(action="plov.save", data__restored_version=2).exists()
    register_after = {
        k: v for k, v in model_to_dict(Unit.objects.get(pk=unit.pk)).items() if k != "published"
    }
    assert register_after == register_before
    assert content.locked_by == bent

    # Version 1, the content before the first edit, can be restored too: the unit is empty
    # again (and stays locked by Bent).
    client.post(reverse("backoffice:restore", args=[unit.pk, original.pk]))
    content.refresh_from_db()
    assert content.values == "" and content.homes is None
    assert list(content.professions.all()) == []
    assert content.revisions.count() == 5


def test_content_written_before_any_version_becomes_version_one(client, units, anna):
    unit = units["solgaarden"]
    imported_at = timezone.now() - dt.timedelta(days=40)
    UnitContent.objects.create(unit=unit, values="<p>Fra den gamle løsning</p>")
    UnitContent.objects.filter(unit=unit).update(updated_at=imported_at)
    login(client, anna).post(action_url(unit, "lock"))
    client.post(editor_url(unit), form_data(content_of(unit), values="<p>Ny tekst</p>"))
    revisions = sorted(content_of(unit).revisions, key=lambda r: r.pk)
    assert [r.user for r in revisions] == [None, anna]
    assert revisions[0].content["values"] == "<p>Fra den gamle løsning</p>"
    assert revisions[0].created_at == imported_at  # version 1 is dated when it was imported
    html = client.get(action_url(unit, "history")).content.decode()
    assert "System (import)" in html
    assert "<del>Fra den gamle løsning</del>" in html and "<ins>Ny tekst</ins>" in html


def test_a_save_without_changes_makes_no_version_but_renews_the_lock(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    # A fresh unit saved without a change: no version at all (not even version 1).
    response = client.post(editor_url(unit), form_data(content_of(unit)), follow=True)
    assert views.SAVED_UNCHANGED in messages_of(response)
    assert content_of(unit).revisions.count() == 0

    nurse = Profession.objects.first()
    client.post(
        editor_url(unit),
        form_data(
            content_of(unit), values="<p>Tekst</p>", professions=[nurse.pk], sick_leave_days="19.9"
        ),
    )
    content = content_of(unit)
    assert content.revisions.count() == 2
    latest, saves_logged = content.latest_revision_id, actions_logged().count("plov.save")

    # "Gem ofte": the same values again, an hour later. The lock is renewed, nothing else.
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    UnitContent.objects.filter(pk=content.pk).update(locked_at=an_hour_ago)
    response = client.post(editor_url(unit), form_data(content_of(unit)), follow=True)
    assert response.status_code == 200
    assert views.SAVED_UNCHANGED in messages_of(response)
    content.refresh_from_db()
    assert content.revisions.count() == 2 and content.latest_revision_id == latest
    assert actions_logged().count("plov.save") == saves_logged
    assert content.locked_by == anna and content.locked_at > an_hour_ago

    # A change in a relation alone is a change.
    client.post(editor_url(unit), form_data(content_of(unit), professions=[]))
    assert content_of(unit).revisions.count() == 3
    # An unchanged save with "Gem og tjek ind" still checks in.
    response = client.post(editor_url(unit), form_data(content_of(unit), checkin="1"), follow=True)
    assert views.SAVED_UNCHANGED in messages_of(response)
    content.refresh_from_db()
    assert content.revisions.count() == 3 and not content.locked


def test_the_rich_text_editors_round_trip_is_no_change(client, units, anna):
    """Imported text (line breaks between paragraphs, <strong>) comes back from Draftail as
    <p>…</p><p><b>…</b></p>: the same text, so saving it unchanged makes no version."""
    unit = units["solgaarden"]
    UnitContent.objects.create(
        unit=unit, values="<p>Nærvær</p>\n<p><strong>Værdighed</strong> og ro</p>"
    )
    login(client, anna).post(action_url(unit, "lock"))
    as_draftail = RichTextWidget().format_value(content_of(unit).values)
    response = client.post(
        editor_url(unit), form_data(content_of(unit), values=as_draftail), follow=True
    )
    assert views.SAVED_UNCHANGED in messages_of(response)
    assert content_of(unit).revisions.count() == 0
    changed = RichTextWidget().format_value("<p>Nærvær</p><p><b>Værdighed</b> og fred</p>")
    client.post(editor_url(unit), form_data(content_of(unit), values=changed))
    assert content_of(unit).revisions.count() == 2


def test_history_of_a_unit_never_saved(client, units, anna):
    login(client, anna)
    response = client.get(action_url(units["solgaarden"], "history"))
    assert response.status_code == 200
    assert "ingen versioner" in response.content.decode()


# --- dashboard, audit log, menu -------------------------------------------------------------


def test_the_dashboard_lists_the_editors_units_with_state(client, units, anna, bent, today):
    UnitContent.objects.create(
        unit=units["kaerbo"], locked=True, locked_by=bent, locked_at=timezone.now()
    )
    login(client, anna)
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {row["unit"].sor_id for row in response.context["rows"]}
    assert {c.SOLGAARDEN, c.KAERBO, c.SITE_NORTH} <= shown
    assert c.LINDEHUS not in shown and c.SITE_PRIVATE not in shown
    assert "Bent Berg" in html and "P-nummer (1)" in html and "SOR (1)" in html
    assert "Vises ikke" in html

    rows = client.get(reverse("backoffice:dashboard"), {"q": "kærbo"}).context["rows"]
    assert [r["unit"].sor_id for r in rows] == [c.KAERBO]
    rows = client.get(reverse("backoffice:dashboard"), {"q": c.SITE_NORTH}).context["rows"]
    assert [r["unit"].sor_id for r in rows] == [c.SITE_NORTH]


def test_the_dashboard_is_paginated(client, units, anna, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    login(client, anna)
    first = client.get(reverse("backoffice:dashboard"))
    total = first.context["total"]
    assert total > 2 and len(first.context["rows"]) == 2
    assert "Side 1 af" in first.content.decode()
    last = client.get(reverse("backoffice:dashboard"), {"p": (total + 1) // 2})
    assert len(last.context["rows"]) == total - 2 * ((total + 1) // 2 - 1)


def test_the_dashboard_shows_missing_agreement_descriptions(client, units, today):
    company = make_user("privat", ["editor"], c.COMPANY_CVR)
    site = units["site_private"]
    ServiceAgreement.objects.create(
        municipality_id=746,
        unit=site,
        reference="SKB-9",
        type=AgreementType.OPERATING_AGREEMENT,
        start=today,
    )
    login(client, company)
    html = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "Mangler for Skanderborg Kommune" in html and "/admin/serviceleverancer/" in html
    AgreementDescription.objects.create(unit=site, municipality_id=746, text="Vi leverer ...")
    html = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "Mangler for" not in html


def test_logins_and_actions_are_in_the_agencys_audit_log(client, units, anna, agency):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    client.post(editor_url(unit), form_data(content_of(unit), leader_first_name="Grethe"))
    assert client.get(reverse("backoffice:audit_log")).status_code == 403

    login(client, agency)
    assert ModelLogEntry.objects.filter(action="plov.login", user=anna).exists()
    response = client.get(reverse("backoffice:audit_log"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Logget ind" in html and "Gemt" in html and "Låst" in html
    assert "Ændrede felter: Leders fornavn" in html

    response = client.get(reverse("backoffice:audit_log"), {"handling": "plov.login"})
    assert {r["entry"].action for r in response.context["rows"]} == {"plov.login"}
    response = client.get(reverse("backoffice:audit_log"), {"bruger": str(anna.pk)})
    assert {r["entry"].user_id for r in response.context["rows"]} == {anna.pk}
    assert "plov.login" in {r["entry"].action for r in response.context["rows"]}


def test_the_menu_shows_each_role_its_pages(client, anna, agency):
    html = login(client, anna).get("/admin/").content.decode()
    assert (
        "Mine enheder" in html
        and "Revisionslog" not in html
        and "/admin/enheder/laase/" not in html
    )
    html = login(client, agency).get("/admin/").content.decode()
    assert "Mine enheder" in html and "Revisionslog" in html and "/admin/enheder/laase/" in html


def test_the_editor_shows_every_section(client, units, anna):
    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    html = client.get(editor_url(unit)).content.decode()
    for heading in (
        "Data",
        "Personale",
        "Bolig",
        "Kontakt",
        "Billeder",
        "Faglig tilgang og aktiviteter",
        "Forhold",
        "Aktivitetsadresse",
        "Besøgsadresse",
        "Postadresse",
    ):
        assert f"<span data-panel-heading-text>{heading}</span>" in html
    for label in (
        "P-nummer",
        "CVR gældende fra",
        "Sygefravær",
        "Lederomsætning",
        "Boligtype",
        "Leders fornavn",
        "Værdigrundlag",
        "Faste teams",
        "Faggrupper",
        "Egenskaber",
    ):
        assert label in html
    for housing in (
        "§47-plejehjem jf. Ældreloven",
        "Friplejeboligbebyggelser jf. Lov om Friplejebolig",
        "Plejeboligbebyggelser jf. Ældreboligloven",
        "Plejeboligbebyggelser jf. almenboligloven",
    ):
        assert housing in html
    assert "Billede 1 (forsidebillede)" in html and f"/admin/enheder/{unit.pk}/medier/" in html
    groups = set(Property.objects.values_list("group", flat=True))
    assert all(group in html for group in groups)
    for name in RICH_TEXT_FIELDS:
        assert f'name="{name}"' in html
    assert unit.kind == UnitKind.CARE_HOME


# --- a save that would hide a published unit ----------------------------------------------


NOT_IN_CVR_P = "9999999999"  # ten digits, no production unit in the test CVR
HIDE_LABEL = "Gem alligevel – enheden skjules"


def input_value(response, name: str) -> str:
    tag = re.search(r'<input[^>]*\bname="' + name + r'"[^>]*>', response.content.decode())
    assert tag, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return htmllib.unescape(value.group(1)) if value else ""


@pytest.fixture
def published_solgaarden(client, units, anna, own_production):
    """Solgården shown to citizens, locked by Anna, with a saved P-number that matches CVR."""
    unit = units["solgaarden"]
    login(client, anna)
    client.post(action_url(unit, "lock"))
    client.post(editor_url(unit), form_data(content_of(unit), p_number=c.P_SOLGAARDEN))
    unit.refresh_from_db()
    assert unit.published
    return unit


@pytest.mark.parametrize(
    ("p_number", "reason"), [(NOT_IN_CVR_P, NOT_IN_CVR), (c.P_WRONG_CODE, WRONG_CODE)]
)
def test_a_save_that_would_hide_a_published_unit_asks_first(
    client, published_solgaarden, p_number, reason
):
    unit = published_solgaarden
    content = content_of(unit)
    before = snapshot(unit)
    logged = actions_logged()
    data = form_data(content, p_number=p_number, leader_first_name="Grethe", homes="41")
    response = client.post(editor_url(unit), data)
    assert response.status_code == 200
    page = htmllib.unescape(response.content.decode())
    assert "enheden vil ikke længere blive vist for borgerne" in page
    assert reason in page  # the P-number check's own message says why
    assert HIDE_LABEL in page
    assert input_value(response, "p_number") == p_number  # everything typed is kept
    assert input_value(response, "leader_first_name") == "Grethe"
    assert input_value(response, "homes") == "41"
    # Nothing was saved, published or logged.
    assert snapshot(unit) == before
    assert actions_logged() == logged

    # Confirming another P-number than the one typed does not count.
    client.post(editor_url(unit), data | {"gem_alligevel": c.P_SECONDARY})
    assert snapshot(unit) == before

    response = client.post(editor_url(unit), data | {"gem_alligevel": p_number}, follow=True)
    content.refresh_from_db()
    unit.refresh_from_db()
    assert content.p_number == p_number and content.leader_first_name == "Grethe"
    assert not unit.published
    assert any(
        m.startswith("Gemt – enheden er skjult og vises ikke længere for borgerne: " + reason)
        for m in messages_of(response)
    )
    assert "plov.unpublish" in actions_logged()


def test_saves_that_keep_a_published_unit_shown_are_not_asked_about(client, published_solgaarden):
    unit = published_solgaarden
    response = post_confirming_warnings(
        client,
        editor_url(unit),
        form_data(content_of(unit), p_number=c.P_SECONDARY, leader_first_name="Grethe"),
        follow=True,
    )
    assert "Gemt og publiceret" in messages_of(response)
    assert HIDE_LABEL not in response.content.decode()
    assert content_of(unit).leader_first_name == "Grethe"


# --- small texts ------------------------------------------------------------------------


def help_of(response, name: str) -> str:
    """The help text shown with a read-only value."""
    page = response.content.decode()
    match = re.search(
        r'<div class="w-field__wrapper[^"]*"[^>]*>(?:(?!w-field__wrapper).)*?data-field="'
        + re.escape(name)
        + r'".*?</div>\s*</div>',
        page,
        flags=re.S,
    )
    assert match, f"no field {name}"
    return htmllib.unescape(match.group(0))


def test_the_read_only_cvr_staff_figures_say_where_they_come_from(client, units, anna):
    unit = units["solgaarden"]
    UnitContent.objects.create(unit=unit, p_number=c.P_SOLGAARDEN)
    login(client, anna)
    for locked in (False, True):
        if locked:
            client.post(action_url(unit, "lock"))
        response = client.get(editor_url(unit))
        for name in ("cvr_employees", "cvr_full_time_employees"):
            shown = help_of(response, name)
            assert "Fra CVR. Vises, når feltet ovenfor er tomt." in shown
            assert "Udfyldes feltet" not in shown


def test_the_version_count_reads_well(client, units, anna, own_production):
    unit = units["solgaarden"]
    login(client, anna)
    page = client.get(editor_url(unit)).content.decode()
    assert "Versionshistorik (ingen versioner endnu)" in page and "0 versioner" not in page
    client.post(action_url(unit, "lock"))
    client.post(editor_url(unit), form_data(content_of(unit), p_number=c.P_SOLGAARDEN))
    # The first save: the content before it (version 1) and after it (version 2).
    assert "Versionshistorik (2 versioner)" in client.get(editor_url(unit)).content.decode()
    client.post(editor_url(unit), form_data(content_of(unit), leader_first_name="Grethe"))
    assert "Versionshistorik (3 versioner)" in client.get(editor_url(unit)).content.decode()


@pytest.mark.parametrize(
    "who,sor_id,agreements_link",
    [
        ("municipal editor", c.SOLGAARDEN, None),
        ("private provider's editor", c.SITE_PRIVATE, "Aftalebeskrivelser"),
        ("agency", c.SOLGAARDEN, "Serviceleverancer"),
        ("contract manager", c.SOLGAARDEN, "Serviceleverancer"),
        ("supervisor", c.SOLGAARDEN, None),
    ],
)
def test_every_link_on_the_unit_page_opens_for_its_reader(
    client, units, who, sor_id, agreements_link
):
    """No dead ends: each link in the unit page's navigation answers 200 for whoever sees it."""
    user = {
        "municipal editor": lambda: make_user("e", ["editor"], c.AARHUS_CVR),
        "private provider's editor": lambda: make_user("p", ["editor"], c.COMPANY_CVR),
        "agency": lambda: make_user("a", ["agency"], AGENCY_CVR),
        "contract manager": lambda: make_user("k", ["contract_manager"], c.AARHUS_CVR),
        "supervisor": lambda: supervisor_of_aarhus(),
    }[who]()
    unit = Unit.objects.get(sor_id=sor_id)
    page = login(client, user).get(editor_url(unit)).content.decode()
    nav = re.search(r'<nav class="plov-links".*?</nav>', page, flags=re.S).group(0)
    links = dict(
        (label.strip(), href) for href, label in re.findall(r'href="([^"]+)"[^>]*>([^<]+)<', nav)
    )
    for label, href in links.items():
        assert client.get(href).status_code == 200, (label, href)
    labels = {label for label in links if label in ("Serviceleverancer", "Aftalebeskrivelser")}
    assert labels == ({agreements_link} if agreements_link else set())
    back = next(label for label in links if label.startswith("&larr;"))
    assert back == "&larr; " + {
        "contract manager": "Serviceleverancer",
        "supervisor": "Tilsyn",
    }.get(who, "Mine enheder")


def supervisor_of_aarhus():
    """A supervisor of Ældretilsynet Silkeborg (hosted by Silkeborg Kommune), which covers
    Aarhus."""
    Organisation.objects.get_or_create(
        cvr_number="29189919",
        defaults={
            "kind": Organisation.Kind.MUNICIPALITY,
            "name": "Silkeborg Kommune",
            "municipality_id": 740,
        },
    )
    return make_user("t", ["supervisor"], "29189919")


def test_a_save_whose_audit_entry_fails_keeps_no_version(client, units, anna, monkeypatch):
    """The version, its audit entry and the publication are one transaction (issue 14): a
    failure in the audit log must not leave a saved version nobody can trace."""
    from plov.backoffice import actions

    unit = units["solgaarden"]
    login(client, anna).post(action_url(unit, "lock"))
    client.post(editor_url(unit), form_data(content_of(unit), values="<p>Før</p>"))
    before = content_of(unit)
    versions, logged = before.revisions.count(), actions_logged().count("plov.save")

    def broken_audit(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(actions, "audit", broken_audit)
    client.raise_request_exception = False
    response = client.post(editor_url(unit), form_data(content_of(unit), values="<p>Efter</p>"))
    assert response.status_code == 500
    after = content_of(unit)
    assert after.values == before.values and "Før" in after.values
    assert after.revisions.count() == versions
    assert after.latest_revision_id == before.latest_revision_id
    assert actions_logged().count("plov.save") == logged

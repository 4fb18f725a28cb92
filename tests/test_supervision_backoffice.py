"""Ældretilsynet's registrations in the back office (/admin/tilsyn/): feedback (PDF, date,
status), sanctions (type, decision date, themes, deadline or period), changing and lifting them.

Runs on the small test country: Ældretilsynet Silkeborg (hosted by Silkeborg Kommune, CVR
29189919) covers Aarhus (751) and Skanderborg (746); Ældretilsynet Gentofte covers neither. The
role × action matrix checks every answer, and for every refused one that nothing changed: the
feedback, the sanctions, the documents, their stored files and collections, and the audit log.
Feedback can be corrected (its PDF replaced) and withdrawn; a replaced or withdrawn PDF is gone
from the public page, from the storage and from its old URL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from wagtail.documents import get_document_model
from wagtail.models import Collection, ModelLogEntry

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.clock import today
from plov.media.models import UnitMediaFolder
from plov.publishing.refresh import refresh_publication
from plov.supervision.models import (
    Sanction,
    SanctionType,
    SupervisingAuthority,
    SupervisionFeedback,
    SupervisionStatus,
)
from plov.units.models import Organisation, Unit, UnitContent
from tests import country as c
from tests.test_backoffice_editing import make_user
from tests.test_media import pdf

SILKEBORG_CVR = "29189919"  # hosts Ældretilsynet Silkeborg, which covers Aarhus (751)
GENTOFTE_CVR = "19438414"  # hosts Ældretilsynet Gentofte: covers neither 751 nor 746
AGENCY_CVR = "33257872"
DAY = dt.timedelta(days=1)


# --- the world -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(imported):
    for name, cvr, code in (
        ("Silkeborg Kommune", SILKEBORG_CVR, 740),
        ("Gentofte Kommune", GENTOFTE_CVR, 157),
    ):
        Organisation.objects.create(
            kind=Organisation.Kind.MUNICIPALITY, name=name, cvr_number=cvr, municipality_id=code
        )
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    # Published, so that the public page shows what is registered.
    UnitContent.objects.update_or_create(unit=solgaarden, defaults={"p_number": c.P_SOLGAARDEN})
    ServiceAgreement.objects.create(
        municipality_id=751,
        unit=solgaarden,
        type=AgreementType.OWN_PRODUCTION,
        start=today() - 30 * DAY,
        reference="AAR-1",
    )
    refresh_publication()
    solgaarden.refresh_from_db()
    assert solgaarden.published
    silkeborg = SupervisingAuthority.objects.get(name="Ældretilsynet Silkeborg")
    sanction = Sanction.objects.create(
        unit=solgaarden,
        authority=silkeborg,
        type=SanctionType.BAN_NEW_RESIDENTS,
        decided_on=today() - 20 * DAY,
        themes="Bemanding",
        period_end=today() + 100 * DAY,
    )
    return {"solgaarden": solgaarden, "sanction": sanction, "authority": silkeborg}


def make_feedback(
    unit,
    authority,
    *,
    days_ago=40,
    status=SupervisionStatus.MINOR,
    summary="Kun mindre bemærkninger om dokumentation.",
) -> SupervisionFeedback:
    """A registered feedback with its PDF in the unit's media folder (as registering leaves it)."""
    document = get_document_model()(
        title=f"tilsyn-{days_ago}.pdf", collection=UnitMediaFolder.collection_for(unit)
    )
    document.file = ContentFile(pdf(), name=f"tilsyn-{days_ago}-dage.pdf")
    document._set_document_file_metadata()
    document.save()
    return SupervisionFeedback.objects.create(
        unit=unit,
        authority=authority,
        inspected_on=today() - days_ago * DAY,
        status=status,
        summary=summary,
        document=document,
    )


@pytest.fixture
def registered(world):
    """The world with one feedback on Solgården (Mindre bemærkninger, 40 days ago)."""
    return {**world, "feedback": make_feedback(world["solgaarden"], world["authority"])}


ACTORS = {
    "supervisor": dict(roles=["supervisor"], cvr=SILKEBORG_CVR),
    "other_supervisor": dict(roles=["supervisor"], cvr=GENTOFTE_CVR),
    "agency": dict(roles=["agency"], cvr=AGENCY_CVR),
    "editor": dict(roles=["editor"], cvr=c.AARHUS_CVR),
    "contract_manager": dict(roles=["contract_manager"], cvr=c.AARHUS_CVR),
    "no_role": dict(roles=[], cvr=c.AARHUS_CVR, admin=True),
    "anonymous": None,
}


def actor(client, name: str):
    spec = ACTORS[name]
    if spec is None:
        return None
    spec = dict(spec)
    admin = spec.pop("admin", False)
    user = make_user(f"u-{name}", first="Tina", last="Tilsyn", **spec)
    if admin:  # a stale admin permission: the request reaches plov's own checks
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    client.force_login(user)
    return user


def url(name: str, *args) -> str:
    return reverse(f"plov_supervision:{name}", args=args)


# What the preview's "Offentliggør" sends with the confirmation ticked (without it, a valid
# registration shows the preview and publishes nothing: tests/test_supervision_public_safety.py).
CONFIRMED = {"handling": "offentliggoer", "no_personal_data": "on"}


def feedback_data(**changes) -> dict:
    data = {
        **CONFIRMED,
        "document": SimpleUploadedFile("rapport.pdf", pdf(), content_type="application/pdf"),
        "inspected_on": (today() - 5 * DAY).isoformat(),
        "status": SupervisionStatus.SIGNIFICANT,
        "summary": "Medicinhåndteringen skal forbedres.",
    }
    data.update(changes)
    return data


def sanction_data(**changes) -> dict:
    data = {
        **CONFIRMED,
        "type": SanctionType.ORDER,
        "decided_on": (today() - 2 * DAY).isoformat(),
        "themes": "Medicinhåndtering",
        "deadline": (today() + 60 * DAY).isoformat(),
        "period_end": "",
    }
    data.update(changes)
    return data


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def snapshot() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "files": stored_files(),
        "feedback": [model_to_dict(f) for f in SupervisionFeedback.objects.order_by("pk")],
        "sanctions": [model_to_dict(s) for s in Sanction.objects.order_by("pk")],
        "documents": get_document_model().objects.count(),
        "collections": Collection.objects.count(),
        "log": list(
            ModelLogEntry.objects.exclude(action="plov.login")
            .order_by("pk")
            .values_list("action", "object_id")
        ),
    }


# --- who may do what ----------------------------------------------------------------------

ACTIONS = [
    "index",
    "unit",
    "feedback_form",
    "register_feedback",
    "register_sanction",
    "edit_sanction",
    "lift_sanction",
    "edit_feedback_form",
    "edit_feedback",
    "withdraw_feedback_form",
    "withdraw_feedback",
]
WRITES = {
    "register_feedback",
    "register_sanction",
    "edit_sanction",
    "lift_sanction",
    "edit_feedback",
    "withdraw_feedback",
}


def expected(actor_name: str, action: str) -> int | str:
    if actor_name == "anonymous":
        return "login"
    if actor_name in ("supervisor", "agency"):
        return 302 if action in WRITES else 200
    if actor_name == "other_supervisor":
        if action == "index":
            return 200  # their own (here: empty) list
        return 403 if action in WRITES else 404  # another authority's unit: not seen, not touched
    return 403  # editors, contract managers, no role: not their pages at all


def run(client, action: str, world) -> object:
    unit, sanction, feedback = world["solgaarden"], world["sanction"], world["feedback"]
    if action == "index":
        return client.get(url("index"))
    if action == "unit":
        return client.get(url("unit", unit.pk))
    if action == "feedback_form":
        return client.get(url("feedback", unit.pk))
    if action == "register_feedback":
        return client.post(url("feedback", unit.pk), feedback_data())
    if action == "register_sanction":
        return client.post(url("sanction", unit.pk), sanction_data())
    if action == "edit_sanction":
        return client.post(
            url("sanction_edit", unit.pk, sanction.pk),
            sanction_data(
                type=SanctionType.BAN_NEW_RESIDENTS,
                decided_on=sanction.decided_on.isoformat(),
                deadline="",
                period_end=(today() + 10 * DAY).isoformat(),
                themes="Bemanding og ledelse",
            ),
        )
    if action == "lift_sanction":
        return client.post(
            url("sanction_lift", unit.pk, sanction.pk), {"lifted_on": today().isoformat()}
        )
    if action == "edit_feedback_form":
        return client.get(url("feedback_edit", unit.pk, feedback.pk))
    if action == "edit_feedback":  # a corrected date and status, and a replacement PDF
        return client.post(url("feedback_edit", unit.pk, feedback.pk), feedback_data())
    if action == "withdraw_feedback_form":
        return client.get(url("feedback_withdraw", unit.pk, feedback.pk))
    if action == "withdraw_feedback":
        return client.post(url("feedback_withdraw", unit.pk, feedback.pk))
    raise AssertionError(action)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("actor_name", list(ACTORS))
def test_matrix(client, registered, actor_name, action):
    world = registered
    actor(client, actor_name)
    before = snapshot()
    response = run(client, action, world)
    want = expected(actor_name, action)
    if want == "login":
        assert response.status_code == 302
        assert "/login" in response["Location"]
    else:
        assert response.status_code == want, response.content.decode()[:2000]
    if want in (403, 404, "login") or action not in WRITES:
        assert snapshot() == before, "a refused or read-only request changed the database"
    else:
        assert snapshot() != before
    if want == 403:
        assert "Ingen adgang" in response.content.decode()


def test_a_forged_post_for_another_authoritys_unit_changes_nothing(client, world):
    """Gentofte's supervisor posts every form for Solgården (Aarhus): 403 each, nothing written,
    also with a forged `unit`/`authority` in the form."""
    actor(client, "other_supervisor")
    unit, sanction = world["solgaarden"], world["sanction"]
    feedback = make_feedback(unit, world["authority"])
    gentofte = SupervisingAuthority.objects.get(name="Ældretilsynet Gentofte")
    before = snapshot()
    forged = {"unit": unit.pk, "authority": gentofte.pk}
    for path, data in (
        (url("feedback", unit.pk), feedback_data(**forged)),
        (url("feedback_edit", unit.pk, feedback.pk), feedback_data(**forged)),
        (url("feedback_withdraw", unit.pk, feedback.pk), forged),
        # A feedback pk that does not exist, or is not this unit's: still 403, not 404.
        (url("feedback_edit", unit.pk, 999_999), feedback_data()),
        (url("feedback_withdraw", unit.pk, 999_999), {}),
        (url("sanction", unit.pk), sanction_data(**forged)),
        (url("sanction_edit", unit.pk, sanction.pk), sanction_data(**forged)),
        (url("sanction_lift", unit.pk, sanction.pk), {"lifted_on": today().isoformat()}),
    ):
        response = client.post(path, data)
        assert response.status_code == 403, path
    assert snapshot() == before


def test_the_menu_and_the_list_are_the_supervisors(client, world):
    actor(client, "supervisor")
    page = client.get(url("index")).content.decode()
    assert '"/admin/tilsyn/"' in page  # the menu item (in the sidebar's JSON)
    assert "Ældretilsynet Silkeborg" in page
    assert world["solgaarden"].name in page
    assert Unit.objects.get(sor_id=c.LINDEHUS).name in page  # private, also in Aarhus
    # Searching by SOR-ID and by (part of) the name.
    by_sor = client.get(url("index"), {"q": c.SOLGAARDEN}).content.decode()
    assert f'data-sor-id="{c.SOLGAARDEN}"' in by_sor
    assert f'data-sor-id="{c.LINDEHUS}"' not in by_sor
    name_word = world["solgaarden"].name.split()[0].lower()
    assert (
        f'data-sor-id="{c.SOLGAARDEN}"'
        in client.get(url("index"), {"q": name_word}).content.decode()
    )
    # The overview shows the ban in force.
    row = re.search(rf'<tr data-sor-id="{c.SOLGAARDEN}">.*?</tr>', page, flags=re.S).group(0)
    assert "<strong>1</strong>" in row
    # The authoritative list is one click away, as CSV of the supervisor's own units.
    link = re.search(r'href="([^"]+)" download>Hent tilsynslisten \(CSV\)', page).group(1)
    listing = client.get(link)
    assert listing.status_code == 200 and listing["Content-Type"].startswith("text/csv")
    text = listing.content.decode("utf-8-sig")
    assert c.SOLGAARDEN in text and "Ældretilsynet Silkeborg" in text
    changes = re.search(r'href="([^"]+)" download>Ændringer', page).group(1)
    assert client.get(changes.replace("&amp;", "&")).status_code == 200


def test_the_menu_item_is_hidden_from_editors(client, world):
    actor(client, "editor")
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"/admin/mine-enheder/"' in page or '"/admin/enheder/"' in page
    assert '"/admin/tilsyn/"' not in page


def test_another_authoritys_list_is_empty(client, world):
    actor(client, "other_supervisor")
    page = client.get(url("index")).content.decode()
    assert "Ældretilsynet Gentofte" in page
    assert world["solgaarden"].name not in page
    assert "Ingen enheder" in page


# --- registering ---------------------------------------------------------------------------


def danish(day: dt.date) -> str:
    with translation.override("da"):
        return date_format(day, "j. F Y")


def public_page(client, unit) -> str:
    client.logout()
    response = client.get(f"/enhed/{unit.pk}/", follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_feedback_and_a_paabud_show_on_the_public_page_at_once(client, world):
    unit = world["solgaarden"]
    # The page is cached before anything is registered.
    assert "Der er endnu ikke offentliggjort en tilbagemelding" in public_page(client, unit)

    user = actor(client, "supervisor")
    response = client.post(url("feedback", unit.pk), feedback_data())
    assert response.status_code == 302 and response["Location"] == url("unit", unit.pk)
    feedback = SupervisionFeedback.objects.get(unit=unit)
    assert feedback.authority == world["authority"]
    assert feedback.inspected_on == today() - 5 * DAY
    assert feedback.status == SupervisionStatus.SIGNIFICANT
    assert feedback.document.file.read().startswith(b"%PDF-1.7")
    assert feedback.document.collection.name.endswith(f"({unit.sor_id})")
    assert feedback.document.uploaded_by_user == user

    response = client.post(url("sanction", unit.pk), sanction_data())
    assert response.status_code == 302
    order = Sanction.objects.get(unit=unit, type=SanctionType.ORDER)
    assert order.deadline == today() + 60 * DAY and order.authority == world["authority"]
    assert order.themes == "Medicinhåndtering"

    detail = client.get(url("unit", unit.pk)).content.decode()
    assert "Væsentlige bemærkninger" in detail and "Påbud om at sikre kvaliteten" in detail

    page = public_page(client, unit)
    assert "Væsentlige bemærkninger" in page
    assert "Medicinhåndteringen skal forbedres." in page
    assert feedback.document.url in page
    assert "Påbud om at sikre kvaliteten" in page
    assert "Medicinhåndtering" in page
    in_force = page.split("Sanktioner, der gælder nu", 1)[1].split("Kvalitet og tilfredshed")[0]
    in_force = in_force.split("Tidligere")[0]
    assert "Påbud om at sikre kvaliteten" in in_force
    # Dates in plain Danish, e.g. "Frist" … "12. juni 2026".
    assert re.search(r"Frist</dt>\s*<dd>" + re.escape(danish(today() + 60 * DAY)), in_force)
    assert f"Tilsyn den {danish(today() - 5 * DAY)}" in page

    actions = list(
        ModelLogEntry.objects.filter(user_id=user.pk)
        .exclude(action="plov.login")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["plov.supervision_feedback_created", "plov.sanction_created"]


def test_a_lifted_sanction_moves_to_the_history(client, world):
    unit, ban = world["solgaarden"], world["sanction"]
    page = public_page(client, unit)
    assert "Forbud mod indflytning af nye beboere" in page.split("Tidligere")[0]

    actor(client, "supervisor")
    form = client.get(url("sanction_lift", unit.pk, ban.pk)).content.decode()
    assert f'value="{today():%d.%m.%Y}"' in form  # today, unless another day is chosen
    response = client.post(
        url("sanction_lift", unit.pk, ban.pk), {"lifted_on": today().isoformat()}
    )
    assert response.status_code == 302
    ban.refresh_from_db()
    assert ban.lifted_on == today()
    assert not Sanction.objects.in_force(today()).filter(pk=ban.pk).exists()
    entry = ModelLogEntry.objects.get(action="plov.sanction_lifted")
    assert entry.data["changes"] == {"lifted_on": ["", today().isoformat()]}

    page = public_page(client, unit)
    now, history = page.split("Sanktioner, der gælder nu", 1)[1].split("Tidligere", 1)
    assert "Ingen sanktioner gælder nu." in now
    assert "Forbud mod indflytning af nye beboere" in history
    assert "Ophævet" in history


def test_editing_a_sanction_is_audited_without_its_text(client, world):
    unit, ban = world["solgaarden"], world["sanction"]
    actor(client, "supervisor")
    response = client.get(url("sanction_edit", unit.pk, ban.pk))
    assert 'value="Bemanding"' in response.content.decode() or "Bemanding</textarea>" in (
        response.content.decode()
    )
    response = client.post(
        url("sanction_edit", unit.pk, ban.pk),
        sanction_data(
            type=SanctionType.BAN_NEW_RESIDENTS,
            decided_on=ban.decided_on.isoformat(),
            deadline="",
            period_end=(today() + 10 * DAY).isoformat(),
            themes="Bemanding og ledelse",
        ),
    )
    assert response.status_code == 302
    ban.refresh_from_db()
    assert ban.period_end == today() + 10 * DAY and ban.themes == "Bemanding og ledelse"
    entry = ModelLogEntry.objects.get(action="plov.sanction_changed")
    assert entry.data["changes"] == {
        "themes": "ændret",
        "period_end": [(today() + 100 * DAY).isoformat(), (today() + 10 * DAY).isoformat()],
    }
    assert "Bemanding" not in str(entry.data)


def test_the_agency_registers_for_any_unit_with_the_units_authority(client, world):
    unit = world["solgaarden"]
    actor(client, "agency")
    response = client.post(url("sanction", unit.pk), sanction_data(type=SanctionType.ADVICE_ORDER))
    assert response.status_code == 302
    assert Sanction.objects.get(type=SanctionType.ADVICE_ORDER).authority == world["authority"]


def test_nothing_personal_is_logged(client, world):
    unit = world["solgaarden"]
    user = actor(client, "supervisor")
    client.post(url("feedback", unit.pk), feedback_data(summary="Borgeren Hans Hansen faldt."))
    entry = ModelLogEntry.objects.get(action="plov.supervision_feedback_created")
    assert "Hansen" not in str(entry.data)
    assert entry.data["sor_id"] == unit.sor_id and entry.data["summary_given"] is True
    assert entry.user_id == user.pk


def test_the_agencys_audit_log_names_the_supervisors_registrations_in_danish(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    client.post(url("feedback", unit.pk), feedback_data())
    client.post(url("sanction", unit.pk), sanction_data())
    actor(client, "agency")
    page = client.get(reverse("backoffice:audit_log")).content.decode()
    table = page.split('id="log"', 1)[1]  # the rows, not the filter's options
    assert "<td>Tilsynstilbagemelding registreret</td>" in table
    assert "<td>Sanktion registreret</td>" in table


# --- validation ----------------------------------------------------------------------------


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def field_errors(page: str, name: str) -> str:
    """The error messages Wagtail shows at one field."""
    block = re.search(
        rf'data-contentpath="{name}">\s*<div class="w-field__errors"[^>]*>(.*?)</div>',
        page,
        flags=re.S,
    )
    return " ".join(block.group(1).split()) if block else ""


@pytest.mark.parametrize(
    "data, message",
    [
        (b"GIF89a not a pdf at all", "Filen er ikke en PDF-fil"),
        (b"%PDF-1.4\n", "ufuldstændig eller beskadiget"),
        (b"", "Filen er tom"),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(client, world, data, message):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    before = snapshot()
    upload = SimpleUploadedFile("rapport.pdf", data, content_type="application/pdf")
    page = errors_of(client.post(url("feedback", unit.pk), feedback_data(document=upload)))
    assert message in field_errors(page, "document")
    assert snapshot() == before
    # The typed input is kept (the file has to be chosen again).
    assert f'value="{(today() - 5 * DAY).isoformat()}"' in page
    assert "Medicinhåndteringen skal forbedres.</textarea>" in page
    assert 'value="vaesentlige_bemaerkninger" selected' in page
    assert "vælg PDF-filen igen" in page


def test_feedback_needs_a_file_a_date_and_a_status(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    before = snapshot()
    page = errors_of(
        client.post(
            url("feedback", unit.pk),
            {"inspected_on": "", "status": "", "summary": "Kun tekst"},
        )
    )
    assert "Vælg tilbagemeldingens PDF-fil" in field_errors(page, "document")
    assert "Tilsynsdato skal udfyldes" in field_errors(page, "inspected_on")
    assert "Vælg status" in field_errors(page, "status")
    assert "Kun tekst</textarea>" in page
    future = (today() + 3 * DAY).isoformat()
    page = errors_of(client.post(url("feedback", unit.pk), feedback_data(inspected_on=future)))
    assert "Tilsynsdato må ikke ligge i fremtiden" in field_errors(page, "inspected_on")
    page = errors_of(client.post(url("feedback", unit.pk), feedback_data(status="fremragende")))
    assert "Vælg en status fra listen" in field_errors(page, "status")
    assert snapshot() == before


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"deadline": ""}, "deadline", "Et påbud skal have en frist"),
        (
            {"type": SanctionType.ADVICE_ORDER, "deadline": ""},
            "deadline",
            "Et påbud skal have en frist",
        ),
        (
            {"type": SanctionType.BAN_NEW_CITIZENS, "deadline": ""},
            "period_end",
            "Et forbud skal have en dato, det gælder til",
        ),
        (
            {"type": SanctionType.BAN_NEW_RESIDENTS, "period_end": (today() + DAY).isoformat()},
            "deadline",
            "Et forbud har en periode, ikke en frist",
        ),
        (
            {"period_end": (today() + DAY).isoformat()},
            "period_end",
            "Et påbud har en frist, ikke en periode",
        ),
        (
            {"deadline": (today() - 10 * DAY).isoformat()},
            "deadline",
            "Fristen må ikke ligge før afgørelsesdatoen",
        ),
        (
            {
                "type": SanctionType.BAN_NEW_CITIZENS,
                "deadline": "",
                "period_end": (today() - 10 * DAY).isoformat(),
            },
            "period_end",
            "Forbuddets slutdato må ikke ligge før afgørelsesdatoen",
        ),
        ({"decided_on": ""}, "decided_on", "Afgørelsesdato skal udfyldes"),
        ({"decided_on": "31-02-2026"}, "decided_on", "Skriv datoen som dd.mm.åååå, fx 01.02.2020"),
        (
            {
                "decided_on": (today() + DAY).isoformat(),
                "deadline": (today() + 9 * DAY).isoformat(),
            },
            "decided_on",
            "Afgørelsesdato må ikke ligge i fremtiden",
        ),
        ({"type": ""}, "type", "Vælg sanktionens type"),
        ({"type": "boede"}, "type", "Vælg en type fra listen"),
    ],
)
def test_sanction_validation(client, world, changes, field, message):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    before = snapshot()
    data = sanction_data(**changes)
    page = errors_of(client.post(url("sanction", unit.pk), data))
    assert message in field_errors(page, field)
    assert snapshot() == before
    # What was typed is kept.
    assert "Medicinhåndtering</textarea>" in page
    if data["decided_on"] and re.fullmatch(r"\d{4}-\d\d-\d\d", data["decided_on"]):
        assert f'value="{data["decided_on"]}"' in page


def test_lifting_before_the_decision_is_refused(client, world):
    unit, ban = world["solgaarden"], world["sanction"]
    actor(client, "supervisor")
    before = snapshot()
    too_early = (ban.decided_on - DAY).isoformat()
    page = errors_of(client.post(url("sanction_lift", unit.pk, ban.pk), {"lifted_on": too_early}))
    assert "Ophævelsesdatoen må ikke ligge før afgørelsesdatoen" in field_errors(page, "lifted_on")
    assert f'value="{too_early}"' in page
    page = errors_of(
        client.post(
            url("sanction_lift", unit.pk, ban.pk), {"lifted_on": (today() + DAY).isoformat()}
        )
    )
    assert "Ophævelsesdato må ikke ligge i fremtiden" in field_errors(page, "lifted_on")
    assert snapshot() == before


def test_another_units_sanction_is_not_found_through_this_unit(client, world):
    unit, ban = world["solgaarden"], world["sanction"]
    lindehus = Unit.objects.get(sor_id=c.LINDEHUS)
    actor(client, "supervisor")
    before = snapshot()
    response = client.post(
        url("sanction_lift", lindehus.pk, ban.pk), {"lifted_on": today().isoformat()}
    )
    assert response.status_code == 404
    assert snapshot() == before
    assert client.get(url("unit", 999_999)).status_code == 404
    assert unit.pk != lindehus.pk


def test_a_unit_without_an_authority_gets_nothing_registered(client, world):
    """The agency reaches every unit, but a sanction needs the unit's supervising authority:
    the private provider aggregate has no beliggenhedskommune covered by one."""
    provider = Unit.objects.get(kind="home_care_provider", owner__cvr_number=c.COMPANY_CVR)
    actor(client, "agency")
    before = snapshot()
    page = errors_of(client.post(url("sanction", provider.pk), sanction_data()))
    assert "ikke dækket af en tilsynsmyndighed" in page
    assert "Medicinhåndtering</textarea>" in page
    page = errors_of(client.post(url("feedback", provider.pk), feedback_data()))
    assert "ikke dækket af en tilsynsmyndighed" in page
    assert snapshot() == before


def test_a_lifted_sanctions_date_is_corrected_or_cleared_on_its_edit_page(client, world):
    unit, ban = world["solgaarden"], world["sanction"]
    actor(client, "supervisor")
    client.post(url("sanction_lift", unit.pk, ban.pk), {"lifted_on": today().isoformat()})
    page = client.get(url("sanction_edit", unit.pk, ban.pk)).content.decode()
    assert 'name="lifted_on"' in page and f'value="{today():%d.%m.%Y}"' in page
    data = sanction_data(
        type=ban.type,
        decided_on=ban.decided_on.isoformat(),
        deadline="",
        period_end=ban.period_end.isoformat(),
        themes=ban.themes,
        lifted_on=(ban.decided_on - DAY).isoformat(),
    )
    page = errors_of(client.post(url("sanction_edit", unit.pk, ban.pk), data))
    assert "Ophævelsesdatoen må ikke ligge før afgørelsesdatoen" in field_errors(page, "lifted_on")
    data["lifted_on"] = ""
    assert client.post(url("sanction_edit", unit.pk, ban.pk), data).status_code == 302
    ban.refresh_from_db()
    assert ban.lifted_on is None
    assert Sanction.objects.in_force(today()).filter(pk=ban.pk).exists()
    entry = ModelLogEntry.objects.filter(action="plov.sanction_changed").get()
    assert entry.data["changes"] == {"lifted_on": [today().isoformat(), ""]}


# --- correcting and withdrawing feedback -----------------------------------------------------


def register(client, unit, commits, **changes) -> SupervisionFeedback:
    """Register a feedback through the form, as the logged-in supervisor, and commit it."""
    with commits(execute=True):
        response = client.post(url("feedback", unit.pk), feedback_data(**changes))
    assert response.status_code == 302
    return SupervisionFeedback.objects.filter(unit=unit).order_by("-pk").first()


def document_gone(document) -> None:
    """The document row, its stored file and its public URL are all gone."""
    assert not get_document_model().objects.filter(pk=document.pk).exists()
    assert not Path(document.file.path).exists()


def test_the_unit_page_offers_to_correct_and_withdraw_each_feedback(client, registered):
    unit, feedback = registered["solgaarden"], registered["feedback"]
    actor(client, "supervisor")
    page = client.get(url("unit", unit.pk)).content.decode()
    row = re.search(rf'<tr data-feedback="{feedback.pk}">.*?</tr>', page, flags=re.S).group(0)
    assert f'href="{url("feedback_edit", unit.pk, feedback.pk)}"' in row and ">Ret</a>" in row
    assert f'href="{url("feedback_withdraw", unit.pk, feedback.pk)}"' in row
    assert ">Tilbagekald</a>" in row


def test_correcting_feedback_and_replacing_its_pdf_shows_publicly_at_once(
    client, world, django_capture_on_commit_callbacks
):
    unit = world["solgaarden"]
    user = actor(client, "supervisor")
    feedback = register(client, unit, django_capture_on_commit_callbacks)
    old = feedback.document
    old_url, old_path = old.url, Path(old.file.path)
    page = public_page(client, unit)  # cached with the wrong values
    assert old_url in page and "Væsentlige bemærkninger" in page
    assert client.get(old_url).status_code == 200

    client.force_login(user)
    form = client.get(url("feedback_edit", unit.pk, feedback.pk)).content.decode()
    assert f'value="{(today() - 5 * DAY):%d.%m.%Y}"' in form
    assert 'value="vaesentlige_bemaerkninger" selected' in form
    assert "Medicinhåndteringen skal forbedres.</textarea>" in form
    assert old_url in form  # the current PDF, to check before replacing it

    corrected = today() - 9 * DAY
    new_pdf = SimpleUploadedFile("rettet rapport.pdf", pdf(padding=64), "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("feedback_edit", unit.pk, feedback.pk),
            feedback_data(
                document=new_pdf,
                inspected_on=corrected.isoformat(),
                status=SupervisionStatus.NO_REMARKS,
                summary="Tilsynet havde ingen bemærkninger.",
            ),
        )
    assert response.status_code == 302 and response["Location"] == url("unit", unit.pk)
    feedback.refresh_from_db()
    assert feedback.inspected_on == corrected
    assert feedback.status == SupervisionStatus.NO_REMARKS
    assert feedback.summary == "Tilsynet havde ingen bemærkninger."
    assert feedback.authority == world["authority"]
    new = feedback.document
    assert new.pk != old.pk and new.title == "rettet rapport.pdf"
    assert new.file.read() == pdf(padding=64)
    assert new.collection_id == old.collection_id and new.uploaded_by_user == user
    # The replaced document is deleted, with its file, once the change committed.
    document_gone(old)
    assert not old_path.exists()

    page = public_page(client, unit)
    assert "Ingen bemærkninger" in page and "Væsentlige bemærkninger" not in page
    assert "Tilsynet havde ingen bemærkninger." in page
    assert "Medicinhåndteringen skal forbedres." not in page
    assert f"Tilsyn den {danish(corrected)}" in page
    assert new.url in page and old_url not in page
    assert client.get(old_url).status_code == 404
    assert client.get(new.url).status_code == 200

    entry = ModelLogEntry.objects.get(action="plov.supervision_feedback_changed")
    assert entry.user_id == user.pk
    assert entry.data["sor_id"] == unit.sor_id and entry.data["feedback"] == feedback.pk
    assert entry.data["changes"] == {
        "inspected_on": [(today() - 5 * DAY).isoformat(), corrected.isoformat()],
        "status": [SupervisionStatus.SIGNIFICANT, SupervisionStatus.NO_REMARKS],
        "summary": "ændret",
        "document": [old.pk, new.pk],
    }
    assert entry.data["summary_given"] is True
    assert "bemærkninger" not in str(entry.data) and "Medicin" not in str(entry.data)


def test_correcting_without_a_new_pdf_keeps_the_document(
    client, registered, django_capture_on_commit_callbacks
):
    unit, feedback = registered["solgaarden"], registered["feedback"]
    document = feedback.document
    public_page(client, unit)
    user = actor(client, "supervisor")
    data = {
        **CONFIRMED,
        "inspected_on": feedback.inspected_on.isoformat(),
        "status": SupervisionStatus.CRITICAL,
        "summary": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("feedback_edit", unit.pk, feedback.pk), data)
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == SupervisionStatus.CRITICAL and feedback.summary == ""
    assert feedback.document_id == document.pk and Path(document.file.path).exists()
    entry = ModelLogEntry.objects.get(action="plov.supervision_feedback_changed")
    assert entry.data["changes"] == {
        "status": [SupervisionStatus.MINOR, SupervisionStatus.CRITICAL],
        "summary": "ændret",
    }
    assert entry.data["summary_given"] is False
    assert "dokumentation" not in str(entry.data)

    page = public_page(client, unit)
    assert "Kritiske bemærkninger" in page and "Kun mindre bemærkninger" not in page
    assert document.url in page
    assert client.get(document.url).status_code == 200

    # Saving it unchanged writes nothing, and logs nothing.
    client.force_login(user)
    before = snapshot()
    assert client.post(url("feedback_edit", unit.pk, feedback.pk), data).status_code == 302
    assert snapshot() == before


@pytest.mark.parametrize(
    "data, message",
    [
        (b"GIF89a not a pdf at all", "Filen er ikke en PDF-fil"),
        (b"%PDF-1.4\n", "ufuldstændig eller beskadiget"),
        (b"", "Filen er tom"),
    ],
)
def test_a_wrong_replacement_pdf_is_refused_and_the_input_kept(client, registered, data, message):
    unit, feedback = registered["solgaarden"], registered["feedback"]
    actor(client, "supervisor")
    before = snapshot()
    upload = SimpleUploadedFile("rapport.pdf", data, content_type="application/pdf")
    typed = feedback_data(
        document=upload,
        inspected_on=(today() - 12 * DAY).isoformat(),
        status=SupervisionStatus.CRITICAL,
        summary="Rettet sammenfatning.",
    )
    page = errors_of(client.post(url("feedback_edit", unit.pk, feedback.pk), typed))
    assert message in field_errors(page, "document")
    assert snapshot() == before
    assert f'value="{(today() - 12 * DAY).isoformat()}"' in page
    assert 'value="kritiske_bemaerkninger" selected' in page
    assert "Rettet sammenfatning.</textarea>" in page
    assert "vælg PDF-filen igen" in page
    assert client.get(feedback.document.url).status_code == 200  # the old one is still served


def test_correcting_feedback_has_the_same_validation_but_no_required_file(client, registered):
    unit, feedback = registered["solgaarden"], registered["feedback"]
    actor(client, "supervisor")
    before = snapshot()
    target = url("feedback_edit", unit.pk, feedback.pk)
    page = errors_of(client.post(target, {"inspected_on": "", "status": "", "summary": "Tekst"}))
    assert field_errors(page, "document") == ""
    assert "Tilsynsdato skal udfyldes" in field_errors(page, "inspected_on")
    assert "Vælg status" in field_errors(page, "status")
    assert "Tekst</textarea>" in page
    future = (today() + 3 * DAY).isoformat()
    page = errors_of(client.post(target, {"inspected_on": future, "status": "ingen_bemaerkninger"}))
    assert "Tilsynsdato må ikke ligge i fremtiden" in field_errors(page, "inspected_on")
    assert f'value="{future}"' in page
    page = errors_of(client.post(target, feedback_data(status="fremragende")))
    assert "Vælg en status fra listen" in field_errors(page, "status")
    page = errors_of(client.post(target, feedback_data(summary="x" * 5_001)))
    assert "Sammenfatningen må højst være 5000 tegn" in field_errors(page, "summary")
    assert snapshot() == before


def test_a_failed_correction_keeps_the_old_pdf_and_stores_no_new_one(
    client, registered, monkeypatch, django_capture_on_commit_callbacks
):
    """The replaced document is deleted only when the change commits: a failure after the new
    file was stored rolls back, removes the new file and keeps the old one."""
    from plov.supervision import actions

    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    unit, feedback = registered["solgaarden"], registered["feedback"]
    actor(client, "supervisor")
    before = snapshot()
    monkeypatch.setattr(actions, "audit", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        client.post(url("feedback_edit", unit.pk, feedback.pk), feedback_data())
    assert snapshot() == before
    assert Path(feedback.document.file.path).exists()


def test_withdrawing_feedback_removes_it_and_its_pdf_from_the_public_page(
    client, world, django_capture_on_commit_callbacks
):
    unit = world["solgaarden"]
    user = actor(client, "supervisor")
    earlier = register(
        client,
        unit,
        django_capture_on_commit_callbacks,
        inspected_on=(today() - 60 * DAY).isoformat(),
        status=SupervisionStatus.MINOR,
        summary="Tidligere tilsyn.",
    )
    wrong = register(
        client, unit, django_capture_on_commit_callbacks, summary="Forkert enheds rapport."
    )
    wrong_url, earlier_url = wrong.document.url, earlier.document.url
    page = public_page(client, unit)
    assert wrong_url in page and "Forkert enheds rapport." in page

    client.force_login(user)
    confirm = client.get(url("feedback_withdraw", unit.pk, wrong.pk)).content.decode()
    assert "forsvinder fra enhedens offentlige side" in confirm
    assert f"tilsynet den {earlier.inspected_on:%d.%m.%Y}" in confirm  # what becomes «Seneste»
    assert "Ja, tilbagekald tilbagemeldingen" in confirm
    assert SupervisionFeedback.objects.filter(pk=wrong.pk).exists()  # a GET only asks

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("feedback_withdraw", unit.pk, wrong.pk))
    assert response.status_code == 302 and response["Location"] == url("unit", unit.pk)
    assert list(SupervisionFeedback.objects.filter(unit=unit)) == [earlier]
    document_gone(wrong.document)
    assert Path(earlier.document.file.path).exists()

    page = public_page(client, unit)
    assert wrong_url not in page and "Forkert enheds rapport." not in page
    assert earlier_url in page and "Tidligere tilsyn." in page
    assert f"Tilsyn den {danish(earlier.inspected_on)}" in page
    assert client.get(wrong_url).status_code == 404
    assert client.get(earlier_url).status_code == 200

    entry = ModelLogEntry.objects.get(action="plov.supervision_feedback_withdrawn")
    assert entry.user_id == user.pk and entry.object_id == str(wrong.pk)
    assert entry.data["feedback"] == wrong.pk and entry.data["document"] == wrong.document.pk
    assert entry.data["inspected_on"] == wrong.inspected_on.isoformat()
    assert entry.data["status"] == wrong.status and entry.data["summary_given"] is True
    assert "Forkert" not in str(entry.data)

    # Withdrawing the last one leaves the unit without feedback.
    client.force_login(user)
    confirm = client.get(url("feedback_withdraw", unit.pk, earlier.pk)).content.decode()
    assert "ingen tilbagemelding fra tilsyn" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("feedback_withdraw", unit.pk, earlier.pk)).status_code == 302
    document_gone(earlier.document)
    page = public_page(client, unit)
    assert "Der er endnu ikke offentliggjort en tilbagemelding" in page
    assert earlier_url not in page
    assert client.get(earlier_url).status_code == 404
    # Withdrawn twice (a second tab): not found, nothing written.
    client.force_login(user)
    before = snapshot()
    assert client.post(url("feedback_withdraw", unit.pk, earlier.pk)).status_code == 404
    assert snapshot() == before


def test_another_units_feedback_is_not_found_through_this_unit(client, registered):
    unit, feedback = registered["solgaarden"], registered["feedback"]
    lindehus = Unit.objects.get(sor_id=c.LINDEHUS)  # also Aarhus: the supervisor's own unit
    theirs = make_feedback(lindehus, registered["authority"], days_ago=3)
    actor(client, "supervisor")
    before = snapshot()
    for unit_pk, feedback_pk in ((unit.pk, theirs.pk), (lindehus.pk, feedback.pk)):
        for name in ("feedback_edit", "feedback_withdraw"):
            target = url(name, unit_pk, feedback_pk)
            assert client.get(target).status_code == 404, target
            assert client.post(target, feedback_data()).status_code == 404, target
    assert snapshot() == before


def test_the_agencys_audit_log_names_corrections_and_withdrawals_in_danish(client, registered):
    unit, feedback = registered["solgaarden"], registered["feedback"]
    actor(client, "supervisor")
    client.post(url("feedback_edit", unit.pk, feedback.pk), feedback_data(document=""))
    client.post(url("feedback_withdraw", unit.pk, feedback.pk))
    actor(client, "agency")
    page = client.get(reverse("backoffice:audit_log")).content.decode()
    table = page.split('id="log"', 1)[1]
    assert "<td>Tilsynstilbagemelding rettet</td>" in table
    assert "<td>Tilsynstilbagemelding tilbagekaldt</td>" in table
    assert "Medicinhåndteringen" not in table and "dokumentation" not in table


def test_the_list_holds_exactly_the_units_of_the_authoritative_list(client, world):
    """The Tilsyn page, the start page and the CSV count the same units: care homes and
    home-care sites, not the automatic home-care provider that groups the sites."""
    from plov.supervision.register import supervised_units as authoritative

    actor(client, "supervisor")
    page = client.get(url("index")).content.decode()
    listed = set(re.findall(r'<tr data-sor-id="([^"]*)"', page))
    expected = {r["sor_id"] for r in authoritative(authorities={"Ældretilsynet Silkeborg"})}
    assert listed == expected and "" not in listed

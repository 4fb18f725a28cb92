"""Agreements as safe as units (issue 18, point 9): a stale save is refused with 409 and the
typed values kept, every change is a version with who/when and what changed, and the audit
log has it; Friplejebolig and overlaps are refused in the form; a Lokalplejehjem elsewhere asks
for a confirmation; the agency's party defaults to the unit's municipality; and the party or
the agency can annul an agreement registered by mistake, which then never counts again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from plov import clock
from plov.agreements import history
from plov.agreements.models import AgreementType, ServiceAgreement
from plov.publishing.visibility import visible_units
from plov.units.models import UnitContent
from tests import country as c
from tests import test_backoffice_agreements as base
from tests.test_backoffice_agreements import (
    AARHUS,
    CREATE,
    INDEX,
    SKANDERBORG,
    agreement_data,
    existing_agreement,
    make_user,
    snapshot,
    unit,
)

# The small test country with its actors, as the agreements' own tests have it.
world = base.world
as_user = base.as_user


def edit_url(agreement) -> str:
    return reverse("plov_agreements:edit", args=[agreement.pk])


def base_in(page: str) -> str:
    """The version the page's form started from ("" when the agreement has none yet)."""
    assert 'name="base_revision"' in page
    found = re.search(r'name="base_revision" value="([^"]*)"', page)
    return found.group(1) if found else ""


def form_of(agreement, **changes) -> dict:
    data = {
        "unit": agreement.unit_id,
        "reference": agreement.reference,
        "type": agreement.type,
        "start": str(agreement.start),
        "end": str(agreement.end or ""),
    }
    return data | changes


# --- (a) optimistic concurrency, versions, audit --------------------------------------------


def test_a_second_contract_manager_saving_a_stale_form_is_refused_and_keeps_the_text(world):
    from django.test import Client

    agreement = existing_agreement(AARHUS, reference="DO-2025-0001")
    second_user = make_user("kontrakt-2", roles=["contract_manager"], cvr=c.AARHUS_CVR)
    world["contract_aarhus"].first_name, world["contract_aarhus"].last_name = "Anne", "Aftale"
    world["contract_aarhus"].save()
    first, second = Client(), Client()
    first.force_login(world["contract_aarhus"])
    second.force_login(second_user)

    # Both open the agreement.
    base_first = base_in(first.get(edit_url(agreement)).content.decode())
    base_second = base_in(second.get(edit_url(agreement)).content.decode())
    assert base_first == base_second

    # The first saves a new end date.
    response = first.post(
        edit_url(agreement), form_of(agreement, end="2030-12-31", base_revision=base_first)
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.end == dt.date(2030, 12, 31)

    # The second, from the old form, changes the reference: refused, nothing written.
    before = snapshot()
    response = second.post(
        edit_url(agreement),
        form_of(agreement, end="", reference="DO-2025-0001-B", base_revision=base_second),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert snapshot() == before
    agreement.refresh_from_db()
    assert (agreement.reference, agreement.end) == ("DO-2025-0001", dt.date(2030, 12, 31))
    assert "Serviceleverancen er ikke gemt: den er ændret af Anne Aftale" in page
    assert "Dine indtastninger står stadig i formularen" in page
    assert 'value="DO-2025-0001-B"' in page  # what the second typed
    assert 'id="form-conflict"' in page

    # Saving again from the refused form is a deliberate choice and goes through.
    response = second.post(
        edit_url(agreement),
        form_of(agreement, end="", reference="DO-2025-0001-B", base_revision=base_in(page)),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.reference, agreement.end) == ("DO-2025-0001-B", None)

    # Three versions: as stored before, the first's change, the second's; each audited.
    found = history.versions(agreement)
    assert [v.number for v in found] == [3, 2, 1]
    assert found[1].author == "Anne Aftale" and found[0].author == "kontrakt-2"
    assert [(ch.label, ch.before, ch.after) for ch in found[1].changes] == [
        ("Slutdato", "", "31.12.2030")
    ]
    assert {(ch.label, ch.before, ch.after) for ch in found[0].changes} == {
        ("Aftaleidentifikation", "DO-2025-0001", "DO-2025-0001-B"),
        ("Slutdato", "31.12.2030", ""),
    }
    assert ModelLogEntry.objects.filter(action="plov.agreement_changed").count() == 2

    # The history page shows who, when and what.
    page = first.get(reverse("plov_agreements:history", args=[agreement.pk])).content.decode()
    assert "Version 3 (nuværende)" in page and "Gemt af Anne Aftale" in page
    assert "<del>DO-2025-0001</del>" in page and "<ins>DO-2025-0001-B</ins>" in page


def test_a_save_without_a_change_is_no_version(as_user):
    agreement = existing_agreement(AARHUS)
    client = as_user("contract_aarhus")
    base = base_in(client.get(edit_url(agreement)).content.decode())
    before = snapshot()
    response = client.post(edit_url(agreement), form_of(agreement, base_revision=base))
    assert response.status_code == 302
    assert snapshot() == before
    assert history.versions(agreement) == []


def test_ending_from_a_stale_page_is_refused(as_user):
    agreement = existing_agreement(AARHUS)
    client = as_user("contract_aarhus")
    end_url = reverse("plov_agreements:end", args=[agreement.pk])
    stale = base_in(client.get(end_url).content.decode())
    base = base_in(client.get(edit_url(agreement)).content.decode())
    client.post(edit_url(agreement), form_of(agreement, reference="AAR-1B", base_revision=base))
    before = snapshot()
    response = client.post(end_url, {"end": str(clock.today()), "base_revision": stale})
    assert response.status_code == 409
    assert "Serviceleverancen er ikke afsluttet: den er ændret" in response.content.decode()
    assert snapshot() == before


def test_history_is_the_partys_and_the_agencys_only(as_user):
    agreement = existing_agreement(AARHUS)
    url = reverse("plov_agreements:history", args=[agreement.pk])
    assert as_user("contract_aarhus").get(url).status_code == 200
    assert as_user("agency").get(url).status_code == 200
    assert as_user("contract_skanderborg").get(url).status_code == 404
    assert as_user("editor_company").get(url).status_code == 403


# --- (b), (c) refused in the form -----------------------------------------------------------


def test_the_agency_cannot_make_a_municipal_care_home_a_friplejebolig(as_user):
    client = as_user("agency")
    before = snapshot()
    response = client.post(
        CREATE,
        agreement_data(c.SOLGAARDEN, reference="FRI-9", type="friplejebolig")
        | {"municipality": AARHUS},
    )
    assert response.status_code == 200
    assert "Friplejebolig kan kun aftales med en privat friplejebolig" in response.content.decode()
    assert snapshot() == before


def test_an_overlapping_agreement_is_refused_naming_the_existing_one(as_user):
    existing_agreement(AARHUS, reference="AAR-1", start=dt.date(2024, 1, 1))
    client = as_user("contract_aarhus")
    before = snapshot()
    response = client.post(CREATE, agreement_data(c.LINDEHUS, reference="AAR-2"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Perioden overlapper serviceleverancen AAR-1 (Driftsoverenskomst, fra 01.01.2024" in (
        page
    )
    assert snapshot() == before
    # Another type is another agreement.
    response = client.post(
        CREATE, agreement_data(c.LINDEHUS, reference="AAR-2", type="lokalplejehjem")
    )
    assert response.status_code == 302


# --- (e) a warning to confirm ---------------------------------------------------------------


def test_a_lokalplejehjem_in_another_municipality_asks_for_a_confirmation(as_user):
    client = as_user("contract_skanderborg")
    data = agreement_data(c.LINDEHUS, reference="SKA-LP", type="lokalplejehjem")
    before = snapshot()
    response = client.post(CREATE, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert snapshot() == before
    assert 'id="form-warnings"' in page
    assert "Lindehuset ligger i Aarhus Kommune, ikke i Skanderborg Kommune" in page
    key = re.search(r'name="confirm_warnings" value="([0-9a-f]+)"', page).group(1)
    # A confirmation of other warnings (or none) does not count.
    assert client.post(CREATE, data | {"confirm_warnings": "0" * 16}).status_code == 200
    assert snapshot() == before
    response = client.post(CREATE, data | {"confirm_warnings": key})
    assert response.status_code == 302
    assert ServiceAgreement.objects.get(reference="SKA-LP").type == AgreementType.LOCAL_CARE_HOME


def test_a_lokalplejehjem_whose_housing_is_friplejebolig_asks_too(as_user):
    UnitContent.objects.filter(unit=unit(c.LINDEHUS)).update(housing_type="friplejebolig")
    response = as_user("contract_aarhus").post(
        CREATE, agreement_data(c.LINDEHUS, reference="AAR-LP", type="lokalplejehjem")
    )
    assert "har boligtypen friplejebolig" in response.content.decode()
    assert not ServiceAgreement.objects.filter(reference="AAR-LP").exists()


# --- (f) the agency's party defaults to the unit's municipality ----------------------------


def test_the_agency_choosing_a_unit_gets_its_municipality_as_party(as_user):
    client = as_user("agency")
    page = client.post(
        CREATE, {"enhed": unit(c.SITE_PRIVATE).pk, "reference": "X", "municipality": ""}
    ).content.decode()
    assert re.search(rf'<option value="{SKANDERBORG}" selected>', page)
    assert "Forvalgt: enhedens beliggenhedskommune" in page
    assert 'value="X"' in page
    # A party the agency chose is kept.
    page = client.post(
        CREATE, {"enhed": unit(c.SITE_PRIVATE).pk, "municipality": str(AARHUS)}
    ).content.decode()
    assert re.search(rf'<option value="{AARHUS}" selected>', page)
    assert not re.search(rf'<option value="{SKANDERBORG}" selected>', page)


# --- (d) annulling --------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["contract_aarhus", "agency"])
def test_the_party_or_the_agency_annuls_an_agreement_and_it_never_counts(as_user, actor):
    agreement = existing_agreement(AARHUS, reference="AAR-1")
    assert c.LINDEHUS in set(visible_units(AARHUS).values_list("sor_id", flat=True))
    client = as_user(actor)
    url = reverse("plov_agreements:annul", args=[agreement.pk])
    page = client.get(url).content.decode()
    # A reason is required.
    response = client.post(url, {"reason": "  ", "base_revision": base_in(page)})
    assert response.status_code == 200 and "Skriv, hvorfor aftalen annulleres" in (
        response.content.decode()
    )
    response = client.post(url, {"reason": "Forkert enhed", "base_revision": base_in(page)})
    assert response.status_code == 302

    assert not ServiceAgreement.objects.filter(pk=agreement.pk).exists()
    kept = ServiceAgreement.all_objects.get(pk=agreement.pk)
    assert kept.annulled and kept.annul_reason == "Forkert enhed"
    assert ModelLogEntry.objects.filter(action="plov.agreement_annulled").count() == 1
    assert c.LINDEHUS not in set(visible_units(AARHUS).values_list("sor_id", flat=True))
    assert not unit(c.LINDEHUS).published  # its only agreement: no longer shown anywhere

    # Not in the list, unless asked for; then with its history, not editable.
    row = f'data-agreement="{agreement.pk}"'
    assert row not in client.get(INDEX, {"kommune": AARHUS}).content.decode()
    listed = client.get(INDEX, {"kommune": AARHUS, "tilstand": "annulleret"}).content.decode()
    assert row in listed and "Annulleret" in listed
    assert f'href="{edit_url(agreement)}"' not in listed
    assert client.get(edit_url(agreement)).status_code == 404
    page = client.get(reverse("plov_agreements:history", args=[agreement.pk])).content.decode()
    assert "Forkert enhed" in page and "Version 2 (nuværende)" in page

    # The agency's audit log says who annulled which agreement.
    log = (
        as_user("agency")
        .get(reverse("backoffice:audit_log"), {"handling": "plov.agreement_annulled"})
        .content.decode()
    )
    assert "Serviceleverance annulleret" in log
    assert f"Kommune {AARHUS}, SOR-ID {c.LINDEHUS}. Aftale AAR-1" in log

    # The correct agreement may use the same reference.
    response = client.post(
        CREATE, agreement_data(c.LINDEHUS, reference="AAR-1") | {"municipality": AARHUS}
    )
    assert response.status_code == 302


def test_a_citizens_municipal_search_no_longer_shows_a_unit_whose_only_agreement_was_annulled(
    as_user, client
):
    agreement = existing_agreement(AARHUS, reference="AAR-1")
    assert "Lindehuset" in client.get("/soeg/", {"kommune": AARHUS}).content.decode()
    url = reverse("plov_agreements:annul", args=[agreement.pk])
    as_user("contract_aarhus").post(url, {"reason": "Oprettet ved en fejl"})
    from django.core.cache import cache

    cache.clear()
    page = client.get("/soeg/", {"kommune": AARHUS}).content.decode()
    assert "Lindehuset" not in page
    assert client.get("/api/v1/agreements", {"kommune": AARHUS}).json()["total"] == 0


@pytest.mark.parametrize(
    ("actor", "status"),
    [("contract_skanderborg", 404), ("editor_company", 403), ("editor_aarhus", 403)],
)
def test_nobody_else_may_annul(as_user, actor, status):
    agreement = existing_agreement(AARHUS, reference="AAR-1")
    url = reverse("plov_agreements:annul", args=[agreement.pk])
    client = as_user(actor)
    before = snapshot()
    assert client.get(url).status_code == status
    assert client.post(url, {"reason": "Fejl"}).status_code == status
    assert snapshot() == before
    assert not ServiceAgreement.all_objects.get(pk=agreement.pk).annulled


def test_a_contract_manager_cannot_annul_the_agencys_friplejebolig(as_user):
    agreement = existing_agreement(AARHUS, reference="FRI-1", type=AgreementType.FREE_CARE_HOME)
    url = reverse("plov_agreements:annul", args=[agreement.pk])
    manager = as_user("contract_aarhus")
    before = snapshot()
    assert manager.post(url, {"reason": "Fejl"}).status_code == 403
    assert snapshot() == before
    assert as_user("agency").post(url, {"reason": "Fejl"}).status_code == 302


# --- point 16: the unit's agreements, read-only, on its page ---------------------------------


def test_a_private_editor_is_told_who_makes_a_missing_agreement_and_sees_the_agreements(as_user):
    lindehus = unit(c.LINDEHUS)
    url = reverse("backoffice:edit", args=[lindehus.pk])
    editor = as_user("editor_company")
    page = editor.get(url).content.decode()
    assert 'id="agreement-next-step"' in page
    assert "Enheden har ingen serviceleverance i kraft" in page
    assert "oprettes af den driftsoverenskomstansvarlige i den kommune" in page
    assert "Der er ikke registreret nogen serviceleverancer for enheden." in page

    ended = existing_agreement(
        SKANDERBORG, reference="SKA-OLD", start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1)
    )
    current = existing_agreement(AARHUS, reference="AAR-1")
    page = editor.get(url).content.decode()
    assert 'id="agreement-next-step"' not in page
    section = page[page.index('id="unit-agreements"') :]
    section = section[: section.index("</section>")]
    assert "AAR-1" in section and "I kraft" in section
    assert "SKA-OLD" in section and "Udløbet" in section
    # Read-only: no link to change them.
    assert reverse("plov_agreements:edit", args=[current.pk]) not in section
    assert reverse("plov_agreements:edit", args=[ended.pk]) not in section
    # An annulled agreement is not among them.
    ServiceAgreement.objects.filter(pk=current.pk).update(annulled_at=dt.datetime.now(dt.UTC))
    section = editor.get(url).content.decode()
    assert "AAR-1" not in section[section.index('id="unit-agreements"') :]


def test_a_municipal_unit_without_agreement_names_its_own_municipality(as_user):
    page = (
        as_user("editor_aarhus")
        .get(reverse("backoffice:edit", args=[unit(c.SOLGAARDEN).pk]))
        .content.decode()
    )
    assert "oprettes af den driftsoverenskomstansvarlige i Aarhus Kommune" in page


def test_the_warning_is_asked_once_not_at_every_later_save(as_user):
    agreement = existing_agreement(
        SKANDERBORG, reference="SKA-LP", type=AgreementType.LOCAL_CARE_HOME
    )
    client = as_user("contract_skanderborg")
    base = base_in(client.get(edit_url(agreement)).content.decode())
    response = client.post(
        edit_url(agreement), form_of(agreement, end="2030-12-31", base_revision=base)
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.end == dt.date(2030, 12, 31)

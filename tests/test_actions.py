# ruff: noqa: F811  (fixtures imported from tests/test_backoffice_editing.py are arguments here)
"""Writes as actions with an audit entry and a refresh of the affected units only (issue 14,
§2): the four faults the issue names, each with the behaviour a user relies on."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from wagtail.models import ModelLogEntry

from plov import clock
from plov.agreements.importer import import_agreements
from plov.agreements.models import AgreementType, ServiceAgreement
from plov.backoffice.audit import AuditAction
from plov.publishing.refresh import refresh_publication
from plov.units.models import Unit, UnitContent
from tests import country as c
from tests.test_backoffice_editing import (  # noqa: F401  (fixtures)
    action_url,
    anna,
    content_of,
    editor_url,
    form_data,
    login,
    own_production,
    units,
)

AARHUS = 751


def logged(action, unit=None) -> list[ModelLogEntry]:
    entries = ModelLogEntry.objects.filter(action=action).order_by("pk")
    if unit is not None:
        entries = entries.filter(object_id=str(unit.pk), content_type__model="unit")
    return list(entries)


def test_saving_a_unit_that_is_already_shown_is_not_logged_as_a_publication(
    client, units, anna, own_production
):
    unit = units["solgaarden"]
    login(client, anna)
    client.post(action_url(unit, "lock"))
    client.post(editor_url(unit), form_data(content_of(unit), p_number=c.P_SOLGAARDEN))
    unit.refresh_from_db()
    assert unit.published
    first = logged(AuditAction.PUBLISHED, unit)
    assert [e.user for e in first] == [anna]  # it came on the public site: one entry

    client.post(editor_url(unit), form_data(content_of(unit), leader_first_name="Grethe"))
    assert content_of(unit).leader_first_name == "Grethe"
    assert len(logged(AuditAction.SAVED)) == 2  # both saves are logged as saves
    assert logged(AuditAction.PUBLISHED, unit) == first  # the second is not a publication


def test_the_nightly_run_logs_the_units_that_come_on_or_go_off_the_public_site(
    units, own_production
):
    unit = units["solgaarden"]
    UnitContent.objects.create(unit=unit, p_number=c.P_SOLGAARDEN)
    refresh_publication()
    unit.refresh_from_db()
    assert unit.published
    [published] = logged(AuditAction.PUBLISHED, unit)
    assert published.user is None  # the system, not a person

    ServiceAgreement.objects.filter(pk=own_production.pk).update(end=clock.today())
    refresh_publication(today=clock.today() + dt.timedelta(days=1))  # the next night
    [unpublished] = logged(AuditAction.UNPUBLISHED, unit)
    assert unpublished.user is None
    assert unpublished.data["warnings"] == [
        w["message"] for w in Unit.objects.get(pk=unit.pk).warnings
    ]
    refresh_publication(today=clock.today() + dt.timedelta(days=1))
    assert len(logged(AuditAction.UNPUBLISHED, unit)) == 1  # nothing changed: nothing logged


def test_imported_agreements_leave_an_audit_entry_each(imported, tmp_path):
    csv = tmp_path / "aftaler.csv"
    start = (clock.today() - dt.timedelta(days=5)).isoformat()
    csv.write_text(
        "kommunekode;sor_id;aftaleidentifikation;type;start;slut;beskrivelse\n"
        f"751;{c.SOLGAARDEN};AAR-100;Myndighedsproduktion;{start};;\n",
        encoding="utf-8",
    )
    summary, rejected = import_agreements(csv)
    assert rejected == [] and summary.created == 1
    agreement = ServiceAgreement.objects.get(reference="AAR-100")
    [entry] = logged(AuditAction.AGREEMENT_CREATED)
    assert entry.object_id == str(agreement.pk) and entry.user is None
    assert entry.data["source"] == "import aftaler.csv"
    assert entry.data["sor_id"] == c.SOLGAARDEN and entry.data["kommune"] == AARHUS

    csv.write_text(csv.read_text().replace(";;\n", ";2099-12-31;\n"), encoding="utf-8")
    import_agreements(csv)
    [changed] = logged(AuditAction.AGREEMENT_CHANGED)
    assert changed.data["changes"] == {"end": ["", "2099-12-31"]}
    import_agreements(csv)  # the same file again: nothing changes, nothing is logged
    assert len(logged(AuditAction.AGREEMENT_CHANGED)) == 1


def test_a_request_re_evaluates_the_units_it_changes_not_the_whole_country(
    client, units, anna, own_production
):
    """Another unit's stale state stays as it was: only the agreement's unit (and the
    provider above it) is evaluated. The nightly run still evaluates every unit."""
    other = units["lindehus"]
    Unit.objects.filter(pk=other.pk).update(warnings=[{"category": "x", "message": "stale"}])
    login(client, anna)
    unit = units["solgaarden"]
    client.post(action_url(unit, "lock"))
    client.post(editor_url(unit), form_data(content_of(unit), p_number=c.P_SOLGAARDEN))
    assert Unit.objects.get(pk=unit.pk).published
    assert Unit.objects.get(pk=other.pk).warnings == [{"category": "x", "message": "stale"}]

    ServiceAgreement.objects.create(
        municipality_id=AARHUS,
        unit=units["site_north"],
        reference="AAR-9",
        type=AgreementType.OWN_PRODUCTION,
        start=clock.today(),
    )
    from plov.agreements.actions import end_agreement

    end_agreement(own_production, clock.today(), user=anna)
    assert Unit.objects.get(pk=other.pk).warnings == [{"category": "x", "message": "stale"}]

    refresh_publication()
    assert Unit.objects.get(pk=other.pk).warnings != [{"category": "x", "message": "stale"}]


def test_a_site_change_re_evaluates_its_provider(units, own_production):
    site = units["site_north"]
    provider = Unit.objects.get(pk=site.parent_id)
    refresh_publication()
    assert not Unit.objects.get(pk=provider.pk).published
    UnitContent.objects.create(unit=site, p_number=c.P_SITE_NORTH)
    ServiceAgreement.objects.create(
        municipality_id=AARHUS,
        unit=site,
        reference="AAR-2",
        type=AgreementType.OWN_PRODUCTION,
        start=clock.today(),
    )
    refresh_publication(unit_ids=[site.pk])
    assert Unit.objects.get(pk=site.pk).published
    assert Unit.objects.get(pk=provider.pk).published  # shown once one of its sites is
    assert reverse("backoffice:edit", args=[site.pk])

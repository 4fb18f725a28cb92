"""plov.supervision.actions, called directly (no HTTP): a registration, correction, withdrawal,
change or lifting writes its row and its audit entry together, whoever calls it (the back-office
views are tested in test_supervision_backoffice); the entry names the user and keeps no free
text; a failed write leaves neither, and discards the PDF it was given."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

from plov.backoffice.audit import AuditAction
from plov.clock import today
from plov.media.models import UnitMediaFolder
from plov.supervision import actions
from plov.supervision.models import (
    Sanction,
    SanctionType,
    SupervisionFeedback,
    SupervisionStatus,
)
from tests import test_supervision_backoffice as backoffice
from tests.test_backoffice_editing import make_user
from tests.test_media import pdf

# The back-office tests' country and media folder (fixtures).
world = backoffice.world
registered = backoffice.registered  # the world with one feedback (Mindre bemærkninger, 40 days ago)
_fresh_cache_and_media = backoffice._fresh_cache_and_media
DAY = dt.timedelta(days=1)


@pytest.fixture
def supervisor(world):
    return make_user("tilsyn-actions", roles=["supervisor"], cvr=backoffice.SILKEBORG_CVR)


def a_document(unit):
    document = get_document_model()(
        title="tilsyn.pdf", collection=UnitMediaFolder.collection_for(unit)
    )
    document.file = ContentFile(pdf(), name="tilsyn.pdf")
    document._set_document_file_metadata()
    document.save()
    return document


def test_registering_a_feedback_is_audited_without_its_summary(world, supervisor):
    unit, authority = world["solgaarden"], world["authority"]
    document = a_document(unit)
    feedback = actions.register_feedback(
        unit=unit,
        authority=authority,
        inspected_on=today() - dt.timedelta(days=3),
        status=SupervisionStatus.MINOR,
        summary="Mindre bemærkninger om medicinhåndtering.",
        document=document,
        user=supervisor,
    )
    entry = ModelLogEntry.objects.get(action=AuditAction.FEEDBACK_CREATED)
    assert entry.object_id == str(feedback.pk) and entry.user_id == supervisor.pk
    assert entry.data["sor_id"] == unit.sor_id
    assert entry.data["authority"] == "Ældretilsynet Silkeborg"
    assert entry.data["inspected_on"] == (today() - dt.timedelta(days=3)).isoformat()
    assert entry.data["status"] == SupervisionStatus.MINOR
    assert entry.data["document"] == document.pk and entry.data["summary_given"] is True
    assert "medicinhåndtering" not in str(entry.data)


def test_a_failed_registration_leaves_no_row_no_entry_and_no_document(world, supervisor):
    unit = world["solgaarden"]
    document = a_document(unit)
    with pytest.raises(IntegrityError):
        actions.register_feedback(
            unit=unit,
            authority=None,  # the row needs an authority: the write fails
            inspected_on=today(),
            status=SupervisionStatus.MINOR,
            document=document,
            user=supervisor,
        )
    assert not SupervisionFeedback.objects.filter(unit=unit).exists()
    assert not ModelLogEntry.objects.filter(action=AuditAction.FEEDBACK_CREATED).exists()
    assert not get_document_model().objects.filter(pk=document.pk).exists()


def test_lifting_a_sanction_is_audited_with_the_change(world, supervisor):
    ban = world["sanction"]
    lifted = actions.lift_sanction(ban, today(), user=supervisor)
    assert lifted.lifted_on == today()
    assert not Sanction.objects.in_force(today()).filter(pk=ban.pk).exists()
    entry = ModelLogEntry.objects.get(action=AuditAction.SANCTION_LIFTED)
    assert entry.object_id == str(ban.pk) and entry.user_id == supervisor.pk
    assert entry.data["changes"] == {"lifted_on": ["", today().isoformat()]}
    assert entry.data["type"] == ban.type and entry.data["sanction"] == ban.pk
    assert entry.data["authority"] == "Ældretilsynet Silkeborg"  # the sanction's own


def test_lifting_names_no_authority_when_the_caller_says_none_covers_the_unit(world, supervisor):
    actions.lift_sanction(world["sanction"], today(), user=supervisor, authority=None)
    entry = ModelLogEntry.objects.get(action=AuditAction.SANCTION_LIFTED)
    assert entry.data["authority"] == ""  # as the view logs a unit no authority covers today


# --- correcting a feedback --------------------------------------------------------------------


def correction(feedback, **values) -> dict:
    return {
        "inspected_on": feedback.inspected_on,
        "status": feedback.status,
        "summary": feedback.summary,
        "report_url": feedback.report_url,
        **values,
    }


def test_correcting_a_feedback_is_audited_with_its_changes_but_not_its_summary(
    registered, supervisor
):
    feedback = registered["feedback"]
    old_document = feedback.document
    new_document = a_document(feedback.unit)
    stored, changes = actions.correct_feedback(
        feedback,
        correction(
            feedback,
            inspected_on=today() - 2 * DAY,
            status=SupervisionStatus.SIGNIFICANT,
            summary="Væsentlige mangler i medicinhåndteringen.",
        ),
        document=new_document,
        user=supervisor,
    )
    feedback.refresh_from_db()
    assert feedback.inspected_on == today() - 2 * DAY
    assert feedback.status == SupervisionStatus.SIGNIFICANT
    assert feedback.document_id == new_document.pk == stored.document_id
    assert not get_document_model().objects.filter(pk=old_document.pk).exists()  # replaced
    entry = ModelLogEntry.objects.get(action=AuditAction.FEEDBACK_CHANGED)
    assert entry.object_id == str(feedback.pk) and entry.user_id == supervisor.pk
    assert (
        entry.data["changes"]
        == changes
        == {
            "inspected_on": [(today() - 40 * DAY).isoformat(), (today() - 2 * DAY).isoformat()],
            "status": [SupervisionStatus.MINOR, SupervisionStatus.SIGNIFICANT],
            "summary": "ændret",
            "document": [old_document.pk, new_document.pk],
        }
    )
    assert entry.data["feedback"] == feedback.pk and entry.data["summary_given"] is True
    assert entry.data["sor_id"] == feedback.unit.sor_id
    assert entry.data["authority"] == "Ældretilsynet Silkeborg"
    assert "medicinhåndteringen" not in str(entry.data)
    assert "dokumentation" not in str(entry.data)  # nor the summary it replaced


def test_an_unchanged_correction_writes_nothing(registered, supervisor):
    feedback = registered["feedback"]
    stored, changes = actions.correct_feedback(feedback, correction(feedback), user=supervisor)
    assert changes == {} and stored.pk == feedback.pk
    assert not ModelLogEntry.objects.filter(action=AuditAction.FEEDBACK_CHANGED).exists()


def feedback_row(feedback) -> dict:
    return SupervisionFeedback.objects.filter(pk=feedback.pk).values().get()


def test_a_failed_correction_leaves_the_feedback_as_it_was_and_discards_the_new_pdf(
    registered, supervisor, monkeypatch
):
    feedback = registered["feedback"]
    before = feedback_row(feedback)
    new_document = a_document(feedback.unit)

    def fails(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(actions, "audit", fails)
    with pytest.raises(RuntimeError):
        actions.correct_feedback(
            feedback,
            correction(feedback, status=SupervisionStatus.CRITICAL),
            document=new_document,
            user=supervisor,
        )
    assert feedback_row(feedback) == before
    assert get_document_model().objects.filter(pk=feedback.document_id).exists()  # kept
    assert not get_document_model().objects.filter(pk=new_document.pk).exists()
    assert not ModelLogEntry.objects.filter(action=AuditAction.FEEDBACK_CHANGED).exists()


def test_a_correction_of_an_unknown_field_writes_nothing(registered, supervisor):
    feedback = registered["feedback"]
    before = feedback_row(feedback)
    new_document = a_document(feedback.unit)
    with pytest.raises(ValueError):
        actions.correct_feedback(
            feedback, {"authority": None}, document=new_document, user=supervisor
        )
    assert feedback_row(feedback) == before
    assert not get_document_model().objects.filter(pk=new_document.pk).exists()
    assert not ModelLogEntry.objects.filter(action=AuditAction.FEEDBACK_CHANGED).exists()


def test_correcting_a_withdrawn_feedback_fails_and_discards_the_new_pdf(registered, supervisor):
    feedback = registered["feedback"]
    actions.withdraw_feedback(feedback, user=supervisor)
    new_document = a_document(feedback.unit)
    with pytest.raises(SupervisionFeedback.DoesNotExist):
        actions.correct_feedback(
            feedback, correction(feedback), document=new_document, user=supervisor
        )
    assert not get_document_model().objects.filter(pk=new_document.pk).exists()
    assert not ModelLogEntry.objects.filter(action=AuditAction.FEEDBACK_CHANGED).exists()


# --- withdrawing a feedback -------------------------------------------------------------------


def test_withdrawing_a_feedback_deletes_it_and_its_pdf_and_is_audited(registered, supervisor):
    feedback = registered["feedback"]
    pk, document = feedback.pk, feedback.document
    withdrawn = actions.withdraw_feedback(feedback, user=supervisor, authority=None)
    assert withdrawn.inspected_on == feedback.inspected_on  # kept for the caller's message
    assert not SupervisionFeedback.objects.filter(pk=pk).exists()
    assert not get_document_model().objects.filter(pk=document.pk).exists()
    entry = ModelLogEntry.objects.get(action=AuditAction.FEEDBACK_WITHDRAWN)
    assert entry.object_id == str(pk) and entry.user_id == supervisor.pk
    assert entry.data == {
        "sor_id": feedback.unit.sor_id,
        "unit": feedback.unit_id,
        "authority": "",  # the caller's: no authority covers the unit
        "feedback": pk,
        "inspected_on": (today() - 40 * DAY).isoformat(),
        "status": SupervisionStatus.MINOR,
        "summary_given": True,
        "document": document.pk,
    }


def test_a_failed_withdrawal_keeps_the_feedback_its_pdf_and_no_entry(
    registered, supervisor, monkeypatch
):
    feedback = registered["feedback"]
    before = feedback_row(feedback)

    def fails(document):
        raise RuntimeError("the storage is unavailable")

    monkeypatch.setattr(actions, "discard_document", fails)  # the last step of the withdrawal
    with pytest.raises(RuntimeError):
        actions.withdraw_feedback(feedback, user=supervisor)
    assert feedback_row(feedback) == before
    assert get_document_model().objects.filter(pk=feedback.document_id).exists()
    assert not ModelLogEntry.objects.filter(action=AuditAction.FEEDBACK_WITHDRAWN).exists()


# --- registering and changing a sanction ------------------------------------------------------


def test_registering_a_sanction_is_audited_without_its_themes(world, supervisor):
    unit, authority = world["solgaarden"], world["authority"]
    sanction = actions.register_sanction(
        unit=unit,
        authority=authority,
        type=SanctionType.ORDER,
        decided_on=today() - 5 * DAY,
        themes="Hygiejne og medicinhåndtering",
        deadline=today() + 30 * DAY,
        user=supervisor,
    )
    stored = Sanction.objects.get(pk=sanction.pk)
    assert (stored.unit_id, stored.authority_id, stored.type) == (
        unit.pk,
        authority.pk,
        SanctionType.ORDER,
    )
    assert stored.deadline == today() + 30 * DAY and stored.period_end is None
    entry = ModelLogEntry.objects.get(action=AuditAction.SANCTION_CREATED)
    assert entry.object_id == str(sanction.pk) and entry.user_id == supervisor.pk
    assert entry.data == {
        "sor_id": unit.sor_id,
        "unit": unit.pk,
        "authority": "Ældretilsynet Silkeborg",
        "type": SanctionType.ORDER,
        "decided_on": (today() - 5 * DAY).isoformat(),
        "deadline": (today() + 30 * DAY).isoformat(),
        "period_end": "",
        "themes_given": True,
    }


def test_a_failed_sanction_registration_leaves_no_row_and_no_entry(world, supervisor):
    unit = world["solgaarden"]
    count = Sanction.objects.filter(unit=unit).count()
    with pytest.raises(IntegrityError):
        actions.register_sanction(
            unit=unit,
            authority=None,  # the row needs an authority: the write fails
            type=SanctionType.ORDER,
            decided_on=today(),
            user=supervisor,
        )
    assert Sanction.objects.filter(unit=unit).count() == count
    assert not ModelLogEntry.objects.filter(action=AuditAction.SANCTION_CREATED).exists()


def sanction_values(sanction, **values) -> dict:
    return {
        "type": sanction.type,
        "decided_on": sanction.decided_on,
        "themes": sanction.themes,
        "deadline": sanction.deadline,
        "period_end": sanction.period_end,
        **values,
    }


def test_changing_a_sanction_is_audited_with_its_changes_but_not_its_themes(world, supervisor):
    ban = world["sanction"]
    old_end = ban.period_end
    stored, changes = actions.change_sanction(
        ban,
        sanction_values(ban, period_end=today() + 10 * DAY, themes="Bemanding og ledelse"),
        user=supervisor,
    )
    ban.refresh_from_db()
    assert ban.period_end == today() + 10 * DAY == stored.period_end
    assert ban.themes == "Bemanding og ledelse"
    entry = ModelLogEntry.objects.get(action=AuditAction.SANCTION_CHANGED)
    assert entry.object_id == str(ban.pk) and entry.user_id == supervisor.pk
    assert (
        entry.data["changes"]
        == changes
        == {
            "themes": "ændret",
            "period_end": [old_end.isoformat(), (today() + 10 * DAY).isoformat()],
        }
    )
    assert entry.data["sanction"] == ban.pk
    assert entry.data["authority"] == "Ældretilsynet Silkeborg"
    assert "ledelse" not in str(entry.data) and "Bemanding" not in str(entry.data)


def test_an_unchanged_sanction_writes_no_entry(world, supervisor):
    ban = world["sanction"]
    _, changes = actions.change_sanction(ban, sanction_values(ban), user=supervisor)
    assert changes == {}
    assert not ModelLogEntry.objects.filter(action=AuditAction.SANCTION_CHANGED).exists()


def sanction_row(sanction) -> dict:
    return Sanction.objects.filter(pk=sanction.pk).values().get()


def test_a_failed_sanction_change_leaves_the_sanction_as_it_was(world, supervisor, monkeypatch):
    ban = world["sanction"]
    before = sanction_row(ban)

    def fails(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(actions, "audit", fails)
    with pytest.raises(RuntimeError):
        actions.change_sanction(
            ban, sanction_values(ban, period_end=today() + 10 * DAY), user=supervisor
        )
    assert sanction_row(ban) == before


def test_a_sanction_change_of_an_unknown_field_writes_nothing(world, supervisor):
    ban = world["sanction"]
    before = sanction_row(ban)
    with pytest.raises(ValueError):
        actions.change_sanction(ban, {"unit": None, "type": SanctionType.ORDER}, user=supervisor)
    assert sanction_row(ban) == before
    assert not ModelLogEntry.objects.filter(action=AuditAction.SANCTION_CHANGED).exists()

"""plov.supervision.actions: a registration writes its row and its audit entry together, whoever
calls it (the back-office views are tested in test_supervision_backoffice), and a failed write
leaves neither."""

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
from plov.supervision.models import Sanction, SupervisionFeedback, SupervisionStatus
from tests import test_supervision_backoffice as backoffice
from tests.test_backoffice_editing import make_user
from tests.test_media import pdf

# The back-office tests' country and media folder (fixtures).
world = backoffice.world
_fresh_cache_and_media = backoffice._fresh_cache_and_media


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

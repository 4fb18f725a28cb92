"""The demo's supervision reports: most feedback has a generated PDF (accepted by plov's own
active-content check, stored in the unit's media folder like an upload), some a link to
Ældretilsynet's report; a relative downloads the PDF from the unit page; rebuilding the demo
leaves no old document, file or folder behind."""

from __future__ import annotations

import io

import pikepdf
import pytest
from wagtail.documents import get_document_model
from wagtail.models import Collection

from plov.media.documents import active_content, check_pdf_bytes
from plov.media.models import UnitMediaFolder
from plov.supervision.forms import report_url_problem
from plov.supervision.models import SupervisionFeedback
from tests.test_demo import run_demo


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(data: bytes) -> str:
    """The text a reader sees: the strings the page shows, decoded as their font does."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return "\n".join(
            bytes(operands[0]).decode("cp1252")
            for operands, operator in pikepdf.parse_content_stream(pdf.pages[0])
            if str(operator) == "Tj"
        )


def stored_files(root) -> set[str]:
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


def test_most_demo_feedback_has_a_real_pdf_report_and_some_a_link(db, media_root, client):
    run_demo()
    feedback = list(SupervisionFeedback.objects.select_related("unit", "document"))
    with_pdf = [f for f in feedback if f.document is not None]
    with_link = [f for f in feedback if f.report_url]
    assert len(with_pdf) / len(feedback) > 0.7
    assert with_link and all(report_url_problem(f.report_url) is None for f in with_link)
    assert any(not f.has_report for f in feedback) or len(feedback) < 30

    folders = dict(UnitMediaFolder.objects.values_list("unit_id", "collection_id"))
    for item in with_pdf:
        data = item.document.file.read()
        check_pdf_bytes(data)  # the check every upload passes: a PDF, whole, nothing active
        assert active_content(data) == []
        text = pdf_text(data)
        assert text.startswith("Tilsynsrapport") and item.unit.name in text
        assert item.get_status_display() in text
        assert item.document.collection_id == folders[item.unit_id]
        assert item.document.file_size == len(data)

    # the folders made in one go form a sound tree, in name order, and take a new one
    assert all(problem == [] for problem in Collection.find_problems())
    units_folder = Collection.objects.get(name="Enheder")
    names = [c.name for c in units_folder.get_children()]
    assert names == sorted(names) and len(names) == len(folders)
    newcomer = next(f.unit for f in feedback if f.unit_id not in folders)
    added = UnitMediaFolder.collection_for(newcomer)
    assert added.get_parent() == units_folder
    assert all(problem == [] for problem in Collection.find_problems())

    # a relative opens the latest report from a published unit's page: a download
    shown = next(
        f
        for f in with_pdf
        if f.unit.published
        and f.unit.closed_on is None
        and (SupervisionFeedback.objects.filter(unit=f.unit).first() == f)
    )
    page = client.get(f"/enhed/{shown.unit.pk}/", follow=True).content.decode()
    assert f'href="{shown.document.url}" download' in page
    response = client.get(shown.document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_rebuilding_the_demo_leaves_no_old_report_behind(
    db, media_root, django_capture_on_commit_callbacks
):
    def built() -> tuple[int, int, int]:
        """(documents, collections, stored files) after a demo run and its commit."""
        with django_capture_on_commit_callbacks(execute=True):
            run_demo()
        return (
            get_document_model().objects.count(),
            Collection.objects.count(),
            len(stored_files(media_root)),
        )

    first = built()
    assert first[0] > 0 and first[2] == first[0]
    assert built() == first

"""The supervision report a relative can read: the feedback's PDF (a download) or a link to
Ældretilsynet's own published report (https only), in the back office, on the unit page, in
the API and in the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache

from plov.supervision.forms import NO_REPORT, NOT_A_URL, NOT_HTTPS, report_url_problem
from plov.supervision.models import SupervisionFeedback
from tests import test_supervision_backoffice as base
from tests.test_supervision_backoffice import (
    actor,
    errors_of,
    feedback_data,
    field_errors,
    public_page,
    url,
)

# The back office's fixtures: the small country with Ældretilsynet Silkeborg covering Aarhus.
_fresh_cache_and_media = base._fresh_cache_and_media
world = base.world
registered = base.registered

REPORT = "https://www.aeldretilsynet.dk/tilsynsrapporter/solgaarden-2026"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", None),
        (REPORT, None),
        ("https://aeldretilsynet.dk/rapport?id=17&år=2026", None),
        ("http://www.aeldretilsynet.dk/rapport", NOT_HTTPS),
        ("javascript:alert(1)", NOT_HTTPS),
        ("www.aeldretilsynet.dk/rapport", NOT_HTTPS),
        ("ftp://aeldretilsynet.dk/rapport.pdf", NOT_HTTPS),
        ("https://", NOT_A_URL),
        ("https://aeldre tilsynet.dk/rapport", NOT_A_URL),
        ("https://bruger:hemmelig@aeldretilsynet.dk/rapport", NOT_A_URL),
        ("https://localhost/rapport", NOT_A_URL),
    ],
)
def test_only_an_https_address_can_be_the_report_link(value, problem):
    assert report_url_problem(value) == problem


def test_feedback_with_a_link_instead_of_a_pdf_is_registered_and_shown(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    data = feedback_data(report_url=REPORT)
    data.pop("document")
    response = client.post(url("feedback", unit.pk), data)
    assert response.status_code == 302
    feedback = SupervisionFeedback.objects.get(unit=unit)
    assert feedback.report_url == REPORT and feedback.document is None
    assert REPORT in client.get(url("unit", unit.pk)).content.decode()

    page = public_page(client, unit)
    assert f'<a href="{REPORT}" rel="noopener noreferrer">Læs Ældretilsynets rapport' in page


def test_the_preview_shows_the_link_and_carries_it_to_publication(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    data = feedback_data(report_url=REPORT, handling="forhaandsvis")
    data.pop("document")
    data.pop("no_personal_data")
    page = errors_of(client.post(url("feedback", unit.pk), data))
    assert 'id="preview-report-url"' in page and REPORT in page
    assert f'name="report_url" value="{REPORT}"' in page
    assert not SupervisionFeedback.objects.exists()


def test_a_link_that_is_not_https_is_refused_in_danish_and_the_input_kept(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    data = feedback_data(report_url="http://www.aeldretilsynet.dk/rapport")
    data.pop("document")
    page = errors_of(client.post(url("feedback", unit.pk), data))
    assert "skal begynde med https://" in field_errors(page, "report_url")
    assert 'value="http://www.aeldretilsynet.dk/rapport"' in page
    assert not SupervisionFeedback.objects.exists()


def test_feedback_needs_a_pdf_or_a_link(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    data = feedback_data()
    data.pop("document")
    page = errors_of(client.post(url("feedback", unit.pk), data))
    assert NO_REPORT in field_errors(page, "document")
    assert not SupervisionFeedback.objects.exists()


def test_a_correction_adds_a_link_and_keeps_the_pdf(client, registered):
    feedback = registered["feedback"]
    unit = registered["solgaarden"]
    supervisor = actor(client, "supervisor")
    edit = url("feedback_edit", unit.pk, feedback.pk)
    assert 'name="report_url"' in client.get(edit).content.decode()
    data = feedback_data(
        report_url=REPORT,
        inspected_on=feedback.inspected_on.isoformat(),
        status=feedback.status,
        summary=feedback.summary,
    )
    data.pop("document")
    assert client.post(edit, data).status_code == 302
    feedback.refresh_from_db()
    assert feedback.report_url == REPORT and feedback.document is not None
    page = public_page(client, unit)
    assert feedback.document.url in page and REPORT in page
    # a non-https link is refused on correction too, and nothing changes
    client.force_login(supervisor)
    page = errors_of(client.post(edit, {**data, "report_url": "http://example.org/r"}))
    assert "skal begynde med https://" in field_errors(page, "report_url")
    feedback.refresh_from_db()
    assert feedback.report_url == REPORT


def test_a_relative_downloads_the_pdf_from_the_unit_page(client, registered):
    unit = registered["solgaarden"]
    document = registered["feedback"].document
    page = public_page(client, unit)
    assert f'<a href="{document.url}" download>Læs tilbagemeldingen fra tilsynet' in page
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def csv_rows(client) -> list[dict]:
    response = client.get("/data/enheder.csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


def test_the_api_and_the_csv_carry_the_reports_address_and_date(client, registered, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://plejeoverblikket.dk"
    unit = registered["solgaarden"]
    feedback = registered["feedback"]
    absolute = "https://plejeoverblikket.dk" + feedback.document.url
    body = client.get(f"/api/v1/units/{unit.pk}").json()
    assert body["supervision_report_url"] == absolute
    assert body["supervision_report_date"] == feedback.inspected_on.isoformat()
    listed = next(u for u in client.get("/api/v1/units").json()["items"] if u["id"] == unit.pk)
    assert listed["supervision_report_url"] == absolute
    row = next(r for r in csv_rows(client) if r["SOR-ID"] == unit.sor_id)
    assert row["Tilsynsrapport"] == absolute
    assert row["Tilsynsrapportens dato"] == feedback.inspected_on.isoformat()

    # a newer feedback with only a link to Ældretilsynet's report: that is the newest report
    newer = base.make_feedback(unit, registered["authority"], days_ago=3)
    newer.document = None
    newer.report_url = REPORT
    newer.save()
    cache.clear()
    body = client.get(f"/api/v1/units/{unit.pk}").json()
    assert (body["supervision_report_url"], body["supervision_report_date"]) == (
        REPORT,
        newer.inspected_on.isoformat(),
    )
    row = next(r for r in csv_rows(client) if r["SOR-ID"] == unit.sor_id)
    assert row["Tilsynsrapport"] == REPORT

    # feedback without any report (none remains once the link is cleared): empty, not missing
    SupervisionFeedback.objects.filter(pk=newer.pk).update(report_url="")
    SupervisionFeedback.objects.filter(pk=feedback.pk).delete()
    cache.clear()
    body = client.get(f"/api/v1/units/{unit.pk}").json()
    assert body["supervision_report_url"] is None and body["supervision_report_date"] is None
    row = next(r for r in csv_rows(client) if r["SOR-ID"] == unit.sor_id)
    assert (row["Tilsynsrapport"], row["Tilsynsrapportens dato"]) == ("", "")


def test_compare_links_each_units_latest_report(client, registered):
    unit = registered["solgaarden"]
    document = registered["feedback"].document
    client.logout()
    page = client.get(f"/sammenlign/?ids={unit.pk}").content.decode()
    assert (
        f'<a class="plov-cell-note" href="{document.url}" download>Tilsynsrapport'
        f'<span class="sr-only"> – {unit.name}</span> (PDF)</a>'
    ) in page
    SupervisionFeedback.objects.filter(pk=registered["feedback"].pk).update(
        document=None, report_url=REPORT
    )
    cache.clear()
    page = client.get(f"/sammenlign/?ids={unit.pk}").content.decode()
    assert f'href="{REPORT}" rel="noopener noreferrer">Ældretilsynets rapport' in page

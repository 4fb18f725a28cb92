"""Supervision data is public at once, so it is checked first (issue 18, point 13): the Tilsyn
list filters, no CPR numbers and no ban of the wrong kind, and the preview the supervisor
confirms before a registration becomes public."""

from __future__ import annotations

import html
import re

from plov.clock import today
from plov.supervision.models import Sanction, SanctionType, SupervisionFeedback, SupervisionStatus
from plov.units.models import Unit
from tests import country as c
from tests import test_supervision_backoffice as base
from tests.test_supervision_backoffice import (
    actor,
    feedback_data,
    make_feedback,
    sanction_data,
    snapshot,
    url,
)

world = base.world  # the test country with Solgården published and a ban in force
_fresh_cache_and_media = base._fresh_cache_and_media  # autouse: media in tmp_path


def rows(page: str) -> set[str]:
    return set(re.findall(r'<tr data-sor-id="(\d+)">', page))


def test_the_tilsyn_list_filters_by_municipality_result_sanction_and_without(client, world):
    solgaarden = world["solgaarden"]
    make_feedback(solgaarden, world["authority"], status=SupervisionStatus.CRITICAL)
    actor(client, "supervisor")
    everything = rows(client.get(url("index")).content.decode())
    assert c.SOLGAARDEN in everything and c.LINDEHUS in everything

    critical = client.get(url("index"), {"seneste": SupervisionStatus.CRITICAL}).content.decode()
    assert rows(critical) == {c.SOLGAARDEN}
    assert "1 enhed matcher søgningen" in critical
    without = rows(client.get(url("index"), {"seneste": "uden"}).content.decode())
    assert without == everything - {c.SOLGAARDEN}
    assert rows(client.get(url("index"), {"sanktion": "ja"}).content.decode()) == {c.SOLGAARDEN}
    assert c.SOLGAARDEN not in rows(client.get(url("index"), {"sanktion": "nej"}).content.decode())
    # By municipality: Aarhus, and Skanderborg where the private home-care site lies.
    page = client.get(url("index"), {"kommune": "751"}).content.decode()
    assert rows(page) == everything - {c.SITE_PRIVATE}
    assert '<option value="751" selected>' in page
    assert rows(client.get(url("index"), {"kommune": "746"}).content.decode()) == {c.SITE_PRIVATE}
    # Only covered municipalities are offered; another is ignored, never a way around scope.
    assert 'value="157"' not in page
    assert rows(client.get(url("index"), {"kommune": "157"}).content.decode()) == everything
    # Filters combine.
    both = client.get(url("index"), {"sanktion": "ja", "seneste": "uden"}).content.decode()
    assert rows(both) == set() and "Ingen enheder matcher filtreringen" in both


def test_a_cpr_number_in_the_summary_or_themes_is_refused(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    before = snapshot()
    response = client.post(
        url("feedback", unit.pk), feedback_data(summary="Beboer 010203-1234 klagede.")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sammenfatningen ser ud til at indeholde et CPR-nummer (010203-xxxx)" in page
    assert "Beboer 010203-1234 klagede.</textarea>" in page  # kept, to correct
    response = client.post(url("sanction", unit.pk), sanction_data(themes="Sag 0102031234"))
    assert "Temaerne ser ud til at indeholde et CPR-nummer" in response.content.decode()
    assert snapshot() == before


def test_a_home_care_ban_on_a_care_home_is_refused(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    before = snapshot()
    period = (today() + 30 * base.DAY).isoformat()
    response = client.post(
        url("sanction", unit.pk),
        sanction_data(type=SanctionType.BAN_NEW_CITIZENS, deadline="", period_end=period),
    )
    assert "«Forbud mod at modtage nye borgere» gælder hjemmepleje" in response.content.decode()
    assert snapshot() == before
    response = client.post(
        url("sanction", unit.pk),
        sanction_data(type=SanctionType.BAN_NEW_RESIDENTS, deadline="", period_end=period),
    )
    assert response.status_code == 302
    assert Sanction.objects.filter(unit=unit).count() == 2
    assert Unit.objects.get(pk=unit.pk).kind == "care_home"
    assert SupervisionFeedback.objects.count() == 0


# --- the preview before publication --------------------------------------------------------


def preview_inputs(page: str) -> dict:
    """The hidden fields of the preview's form, as the browser sends them back."""
    form = page[page.index('id="preview-form"') :]
    form = form[: form.index("</form>")]
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
        if name != "csrfmiddlewaretoken"
    }


def test_a_feedback_is_public_only_after_the_preview_is_confirmed(client, world):
    unit = world["solgaarden"]
    assert "Der er endnu ikke offentliggjort en tilbagemelding" in base.public_page(client, unit)
    user = actor(client, "supervisor")
    typed = feedback_data(summary="Medicinhåndteringen skal forbedres.")
    for key in base.CONFIRMED:
        typed.pop(key)

    # "Forhåndsvis": the preview, as the public will see it; nothing is public.
    response = client.post(url("feedback", unit.pk), typed | {"handling": "forhaandsvis"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Intet er offentliggjort endnu" in page
    preview = page[page.index('id="public-preview"') :]
    assert "Væsentlige bemærkninger" in preview
    assert "Medicinhåndteringen skal forbedres." in preview
    assert "Læs tilbagemeldingen fra tilsynet" in preview
    assert SupervisionFeedback.objects.count() == 0
    sent = preview_inputs(page)
    assert sent["summary"] == "Medicinhåndteringen skal forbedres."
    assert sent["pending_document"]

    # "Offentliggør" without the confirmation: refused, still nothing public.
    response = client.post(url("feedback", unit.pk), sent | {"handling": "offentliggoer"})
    assert response.status_code == 200
    assert "bekræft, at teksten ikke indeholder navne" in response.content.decode()
    assert SupervisionFeedback.objects.count() == 0
    assert "Der er endnu ikke offentliggjort en tilbagemelding" in base.public_page(client, unit)

    # "Ret" goes back to the form with what was typed and the chosen PDF kept.
    client.force_login(user)
    response = client.post(url("feedback", unit.pk), sent | {"handling": "ret"})
    page = response.content.decode()
    assert 'id="pending-document"' in page and "Medicinhåndteringen skal forbedres.</textarea>" in (
        page
    )

    # Confirmed: public at once, with the PDF chosen before the preview.
    response = client.post(
        url("feedback", unit.pk),
        sent | {"handling": "offentliggoer", "no_personal_data": "on"},
    )
    assert response.status_code == 302
    feedback = SupervisionFeedback.objects.get(unit=unit)
    assert feedback.summary == "Medicinhåndteringen skal forbedres."
    assert feedback.document.file.read().startswith(b"%PDF")
    entry = base.ModelLogEntry.objects.get(action="plov.supervision_feedback_created")
    assert entry.data["confirmed_without_personal_data"] is True
    assert "Medicinhåndteringen skal forbedres." in base.public_page(client, unit)


def test_a_pending_pdf_cannot_be_taken_by_another_unit_or_a_forged_token(client, world):
    unit = world["solgaarden"]
    other = Unit.objects.get(sor_id=c.LINDEHUS)  # also in Aarhus, also supervised
    actor(client, "supervisor")
    typed = feedback_data()
    for key in base.CONFIRMED:
        typed.pop(key)
    page = client.post(url("feedback", unit.pk), typed | {"handling": "forhaandsvis"})
    sent = preview_inputs(page.content.decode())
    confirmed = sent | {"handling": "offentliggoer", "no_personal_data": "on"}
    # The token is this unit's: on another unit there is no PDF.
    response = client.post(url("feedback", other.pk), confirmed)
    assert response.status_code == 200
    assert "Vælg tilbagemeldingens PDF-fil" in response.content.decode()
    forged = confirmed | {"pending_document": sent["pending_document"][:-3] + "xyz"}
    assert (
        "Vælg tilbagemeldingens PDF-fil"
        in client.post(url("feedback", unit.pk), forged).content.decode()
    )
    assert SupervisionFeedback.objects.count() == 0


def test_a_sanction_is_public_only_after_the_preview_is_confirmed(client, world):
    unit = world["solgaarden"]
    actor(client, "supervisor")
    typed = sanction_data(themes="Medicinhåndtering")
    for key in base.CONFIRMED:
        typed.pop(key)
    before = Sanction.objects.count()
    response = client.post(url("sanction", unit.pk), typed | {"handling": "forhaandsvis"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="public-preview"' in page
    assert "Påbud om at sikre kvaliteten" in page and "Medicinhåndtering" in page
    assert Sanction.objects.count() == before
    sent = preview_inputs(page)
    response = client.post(
        url("sanction", unit.pk), sent | {"handling": "offentliggoer", "no_personal_data": "on"}
    )
    assert response.status_code == 302
    assert Sanction.objects.filter(unit=unit, type=SanctionType.ORDER).get().themes == (
        "Medicinhåndtering"
    )


def test_a_preview_left_without_publishing_leaves_its_pdf_for_a_day_only(client, world):
    import datetime as dt

    from django.utils import timezone
    from wagtail.documents import get_document_model

    from plov.supervision.pending import discard_abandoned_previews

    unit = world["solgaarden"]
    published = make_feedback(unit, world["authority"])  # linked: never touched
    actor(client, "supervisor")
    typed = feedback_data()
    for key in base.CONFIRMED:
        typed.pop(key)
    client.post(url("feedback", unit.pk), typed | {"handling": "forhaandsvis"})
    Document = get_document_model()
    pending = Document.objects.exclude(pk=published.document_id).get()
    assert pending.file.name.startswith("documents/tilsyn-")
    assert discard_abandoned_previews() == 0  # less than a day old: the supervisor may return
    later = timezone.now() + dt.timedelta(days=2)
    assert discard_abandoned_previews(now=later) == 1
    assert set(Document.objects.values_list("pk", flat=True)) == {published.document_id}

"""Invisible format characters (bidirectional controls, zero-width spaces, soft hyphens, tag
characters) never reach the database: they are removed from titles, file names and free text on
save, in the unit editor, the media pages, agreement descriptions, supervision summaries and
sanctions, and the editorial import. Every case is a real POST (or a real import file)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.supervision.models import Sanction, SupervisionFeedback
from plov.text import strip_invisible
from plov.units.editorial import import_editorial
from plov.units.models import HousingDescription, Unit, UnitContent, UnitDocument
from tests import country as c
from tests import test_backoffice_agreements as agreements
from tests import test_supervision_backoffice as supervision
from tests.test_backoffice_editing import (  # noqa: F401 (fixtures)
    action_url,
    anna,
    content_of,
    editor_url,
    form_data,
    units,
)
from tests.test_media import editor, media_root, pdf, picture, world  # noqa: F401

RLO, LRI, PDI, LRM, ALM = "\u202e", "\u2066", "\u2069", "\u200e", "\u061c"
ZWSP, BOM, WJ, SHY = "\u200b", "\ufeff", "\u2060", "\u00ad"
TAG_A = "\U000e0041"  # a tag character: hidden ASCII
ZWJ = "\u200d"


def test_the_rule():
    assert strip_invisible(f"rapport{RLO}fdp.exe") == "rapportfdp.exe"
    assert strip_invisible(f"{LRI}Sol{SHY}gården{PDI}{ZWSP}{BOM}{WJ}{LRM}{ALM}{TAG_A}") == (
        "Solgården"
    )
    for kept in ("Ærø – Åhaven", f"👩{ZWJ}⚕️", "فارسی\u200cزبان", "line\nbreak\ttab"):
        assert strip_invisible(kept) == kept


def test_the_unit_editor_removes_them(client, units, anna):  # noqa: F811
    unit = units["solgaarden"]
    client.force_login(anna)
    client.post(action_url(unit, "lock"))
    client.post(
        editor_url(unit),
        form_data(
            content_of(unit),
            leader_first_name=f"Gre{ZWSP}the{RLO}",
            leader_last_name=f"{LRI}Ølgaard{PDI}",
            values=f"<p>Vi tror{SHY} på <b>nær{BOM}vær</b>{TAG_A}.</p>",
            food_link=f"https://aarhus.dk/{WJ}mad",
        ),
    )
    content = content_of(unit)
    assert content.leader_first_name == "Grethe" and content.leader_last_name == "Ølgaard"
    assert content.values == "<p>Vi tror på <b>nærvær</b>.</p>"
    assert content.food_link == "https://aarhus.dk/mad"


def test_the_media_pages_remove_them_from_names_titles_and_texts(editor, client):  # noqa: F811
    unit, _ = editor
    response = client.post(
        reverse("unitmedia:document_add", args=[unit.pk]),
        {
            "name": f"Prisliste{RLO} 2026{ZWSP}",
            "document_type": UnitDocument.DocumentType.PRICE_LIST,
            "file": SimpleUploadedFile(f"pris{RLO}fdp.exe.pdf", pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    document = UnitDocument.objects.get(unit=unit)
    assert document.name == "Prisliste 2026"
    assert document.document.title == "prisfdp.exe.pdf"

    response = client.post(
        reverse("unitmedia:image", args=[unit.pk, 1]),
        {
            "file": SimpleUploadedFile(f"have{LRI}.jpg", picture(size=(1024, 768))),
            "alt_text": f"Haven{SHY} om foråret{TAG_A}",
        },
    )
    assert response.status_code == 302
    image = UnitContent.objects.get(unit=unit).image_1
    assert image.title == "have.jpg" and image.description == "Haven om foråret"

    response = client.post(
        reverse("unitmedia:housing_add", args=[unit.pk]),
        {
            "title": HousingDescription.Title.choices[0][0],
            "persons_per_home": "1",
            "description": f"Lys bolig{RLO}\nmed altan{BOM}",
        },
    )
    assert response.status_code == 302
    assert HousingDescription.objects.get(unit=unit).description == "Lys bolig\nmed altan"


def test_a_value_of_only_invisible_characters_is_empty(editor, client):  # noqa: F811
    unit, _ = editor
    response = client.post(
        reverse("unitmedia:document_add", args=[unit.pk]),
        {
            "name": f"{RLO}{ZWSP}{SHY}",
            "document_type": UnitDocument.DocumentType.PRICE_LIST,
            "file": SimpleUploadedFile("pris.pdf", pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "Skriv dokumentets navn." in response.content.decode()
    assert not UnitDocument.objects.exists()


def test_an_agreement_description_loses_them(imported):
    agreements.existing_agreement(agreements.SKANDERBORG, sor_id=c.SITE_PRIVATE, reference="S-1")
    client = agreements.Client()
    client.force_login(agreements.make_user("e", ["editor"], c.COMPANY_CVR))
    url = reverse(
        "plov_agreements:description",
        args=[Unit.objects.get(sor_id=c.SITE_PRIVATE).pk, agreements.SKANDERBORG],
    )
    assert client.post(url, {"text": f"Faste{ZWSP} teams{RLO} i hele kommunen"}).status_code == 302
    assert AgreementDescription.objects.get().text == "Faste teams i hele kommunen"


@pytest.fixture
def supervised(imported):
    return supervision.world.__wrapped__(imported)


def test_supervision_summaries_and_sanction_themes_lose_them(client, supervised):
    unit = supervised["solgaarden"]
    supervision.actor(client, "supervisor")
    response = client.post(
        supervision.url("feedback", unit.pk),
        supervision.feedback_data(summary=f"Medicin{SHY}håndteringen{RLO} skal forbedres.{TAG_A}"),
    )
    assert response.status_code == 302
    assert SupervisionFeedback.objects.get().summary == "Medicinhåndteringen skal forbedres."
    response = client.post(
        supervision.url("sanction", unit.pk),
        supervision.sanction_data(themes=f"Beman{ZWSP}ding{LRI}"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Sanction.objects.exclude(pk=supervised["sanction"].pk).get().themes == "Bemanding"


def test_the_editorial_import_removes_them(imported, tmp_path):
    site = Unit.objects.get(sor_id=c.SITE_PRIVATE)
    ServiceAgreement.objects.create(
        municipality_id=727,
        unit=site,
        reference="ODD-1",
        type=AgreementType.OPERATING_AGREEMENT,
        start="2025-01-01",
    )
    path = tmp_path / "indhold.json"
    path.write_text(
        json.dumps(
            [
                {
                    "sor_id": c.SITE_PRIVATE,
                    "leader_first_name": f"Ka{RLO}ren",
                    "values": f"<p>Nær{ZWSP}vær{BOM}</p>",
                    "agreement_descriptions": {"727": f"Faste teams{LRI} i Odder{PDI}"},
                }
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    _, rejected = import_editorial(path)
    assert rejected == []
    content = UnitContent.objects.get(unit=site)
    assert content.leader_first_name == "Karen" and content.values == "<p>Nærvær</p>"
    assert AgreementDescription.objects.get(unit=site).text == "Faste teams i Odder"

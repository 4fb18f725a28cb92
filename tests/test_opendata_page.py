"""The open-data page (/data/, /en/data/): downloads, licence, update time, archives and the
data dictionary, linked from the footer and the sitemap."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.utils import timezone

from plov.opendata.dictionary import API_FIELDS, CSV_COLUMNS, TRANSITION_COLUMNS
from plov.opendata.page import downloads
from plov.registers.models import ImportRun
from tests.test_opendata import shown  # noqa: F401  (fixture)


def text_of(response) -> str:
    assert response.status_code == 200
    return unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def links_of(response) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


@pytest.mark.usefixtures("shown")
def test_the_page_lists_every_download_and_each_one_answers(client):
    response = client.get("/data/")
    assert response.status_code == 200
    assert '<html lang="da">' in response.content.decode()
    links = links_of(response)
    for download in downloads():
        assert download.url in links
        answer = client.get(download.url)
        assert answer.status_code == 200, download.url
    assert {
        "/data/enheder.csv",
        "/data/fhir.json",
        "/api/v1/units",
        "/api/v1/agreements",
        "/api/v1/supervising-authorities",
        "/overgangsordning.csv",
    } <= links


def test_the_licence_is_the_setting(db, client, settings):
    text = text_of(client.get("/data/"))
    assert "CC BY 4.0" in text and "angiv “Plejeoverblikket” som kilde" in text
    assert "https://creativecommons.org/licenses/by/4.0/deed.da" in links_of(client.get("/data/"))
    assert "https://creativecommons.org/licenses/by/4.0/deed.en" in links_of(
        client.get("/en/data/")
    )
    settings.PLOV_OPEN_DATA_LICENCE = "CC0 1.0"
    response = client.get("/data/")
    assert "https://creativecommons.org/publicdomain/zero/1.0/deed.da" in links_of(response)
    settings.PLOV_OPEN_DATA_LICENCE = "Den Danske Licens 2.0"
    assert "Den Danske Licens 2.0" in text_of(client.get("/data/"))


def test_the_update_time_is_the_last_successful_import(db, client):
    assert "Der er endnu ikke importeret fra registrene." in text_of(client.get("/data/"))
    at = timezone.make_aware(dt.datetime(2026, 3, 2, 4, 41))
    ImportRun.objects.create(register="sor", source="x", status="succeeded", finished_at=at)
    ImportRun.objects.create(
        register="cvr", source="x", status="succeeded", finished_at=at - dt.timedelta(hours=1)
    )
    # later, but failed: not an update
    ImportRun.objects.create(
        register="dar", source="x", status="failed", finished_at=at + dt.timedelta(hours=1)
    )
    response = client.get("/data/")
    assert '<time datetime="2026-03-02T04:41:00+01:00">' in response.content.decode()
    text = text_of(response)
    assert "2. marts 2026" in text
    assert "seneste gennemførte registerimport" in text


def test_the_data_dictionary_is_rendered_in_both_languages(db, client):
    da = text_of(client.get("/data/"))
    en = text_of(client.get("/en/data/"))
    for term in [*CSV_COLUMNS, *TRANSITION_COLUMNS, *(t for ts in API_FIELDS.values() for t in ts)]:
        assert term.name in da and term.name in en
        assert term.da.replace("`", "") in da, term
        assert term.en.replace("`", "") in en, term
        assert term.type_da in da and term.type_en in en
        assert term.source_da in da and term.source_en in en
    assert "Datakatalog" in da and "Data dictionary" in en
    assert '<html lang="en">' in client.get("/en/data/").content.decode()


@pytest.mark.parametrize("url", ["/", "/en/", "/overgangsordning/"])
def test_every_footer_links_the_open_data_page(db, client, url):
    expected = "/en/data/" if url.startswith("/en/") else "/data/"
    footer = client.get(url).content.decode().split("<footer", 1)[1]
    assert f'href="{expected}"' in footer


def test_the_sitemap_lists_the_open_data_page(db, client):
    body = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/data/</loc>" in body
    assert "<loc>http://testserver/en/data/</loc>" in body

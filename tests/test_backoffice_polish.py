"""Issue 18's smaller points, as a user meets them in the back office: the unit editor links the
unit's public page, *Mine enheder* filters the units citizens do not see, empty choices read
"Vælg …", Wagtail's document pages say what they do, no name is said twice."""

from __future__ import annotations

import re

from django.urls import reverse

from plov.units.models import Unit, UnitKind
from tests.test_backoffice_editing import (  # noqa: F401 (fixtures)
    action_url,
    agency,
    anna,
    content_of,
    editor_url,
    form_data,
    login,
    own_production,
    published_solgaarden,
    units,
)
from tests.test_media import media_root, world  # noqa: F401 (fixtures)


def test_the_editor_links_the_public_page_of_a_shown_unit(client, published_solgaarden):  # noqa: F811 (fixtures)
    unit = published_solgaarden
    page = client.get(editor_url(unit)).content.decode()
    link = re.search(r'<a href="([^"]+)" id="public-page-link"[^>]*>([^<]+)</a>', page)
    assert link, "no link to the public page"
    assert link.group(1) == reverse("public:unit-short", args=[unit.pk])
    assert "Se enhedens side på Plejeoverblikket" in link.group(2)
    assert client.get(link.group(1), follow=True).status_code == 200


def test_the_editor_says_a_hidden_unit_has_no_public_page(client, units, anna):  # noqa: F811 (fixtures)
    unit = units["kaerbo"]
    assert not unit.published
    page = login(client, anna).get(editor_url(unit)).content.decode()
    assert 'id="public-page-link"' in page
    assert "Enheden har ingen offentlig side, før den vises på Plejeoverblikket" in page
    assert reverse("public:unit-short", args=[unit.pk]) not in page


def listed(client, query: str = "") -> tuple[int, set[int]]:
    page = client.get(reverse("backoffice:dashboard") + query).content.decode()
    total = int(re.search(r'id="units-count">(\d+) enhed', page).group(1))
    return total, {int(pk) for pk in re.findall(r'data-unit="(\d+)"', page)}


def test_mine_enheder_filters_the_units_not_shown(client, published_solgaarden):  # noqa: F811 (fixtures)
    shown = published_solgaarden
    total, everything = listed(client)
    assert shown.pk in everything
    hidden_total, hidden = listed(client, "?vises=nej")
    assert shown.pk not in hidden and hidden
    assert all(
        not u.published and u.kind != UnitKind.HOME_CARE_PROVIDER
        for u in Unit.objects.filter(pk__in=hidden)
    )
    shown_total, visible = listed(client, "?vises=ja")
    assert visible == {shown.pk}
    assert hidden_total + shown_total <= total
    # The filter stays chosen and combines with the search.
    page = client.get(reverse("backoffice:dashboard") + "?vises=nej&q=Kærbo").content.decode()
    assert '<option value="nej" selected>Vises ikke</option>' in page
    assert "der ikke vises for borgerne" in page
    # A value that is no filter lists everything.
    assert listed(client, "?vises=kanske")[0] == total


BLANK_DASHES = "---------"


def test_no_empty_choice_reads_dashes(client, units, agency):  # noqa: F811
    """Every form an editor, contract manager, supervisor or the agency opens names its empty
    choice in Danish ("Vælg …"), never Django's "---------"."""
    unit = units["solgaarden"]
    login(client, agency)
    assert client.post(action_url(unit, "lock")).status_code in (200, 302)
    pages = [
        editor_url(unit),
        reverse("plov_agreements:create"),
        reverse("unitmedia:housing_add", args=[unit.pk]),
        reverse("unitmedia:document_add", args=[unit.pk]),
        reverse("unitmedia:index", args=[unit.pk]),
        reverse("tilsynsdaekning:add"),
        reverse("tilsynsdaekning:hand_over"),
        reverse("plov_supervision:feedback", args=[unit.pk]),
        reverse("plov_supervision:sanction", args=[unit.pk]),
        reverse("backoffice:audit_log"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert BLANK_DASHES not in page, url
        assert "<option" in page or url.endswith(("/medier/", "/revisionslog/")), url


def test_each_removal_page_is_named_for_what_it_does(client, world, media_root):  # noqa: F811
    """The delete page of a document is "Slet dokument", not the edit page's "Rediger
    dokument" (nor the housing description's or image's)."""
    from plov.units.models import HousingDescription, UnitDocument
    from tests.test_media import lock, post_document, post_image, url

    media_units, users = world
    unit = media_units["lindehus"]
    lock(unit, users["editor_company"])
    client.force_login(users["editor_company"])
    assert post_document(client, unit).status_code == 302
    assert post_image(client, unit).status_code == 302
    document = UnitDocument.objects.get(unit=unit)
    housing = HousingDescription.objects.create(unit=unit, title="1-rumsbolig", persons_per_home=1)

    def crumbs(page: str) -> str:
        return re.search(r'<nav[^>]*aria-label="Brødkrummesti".*?</nav>', page, re.S).group(0)

    pages = {
        url("document_delete", unit, document.pk): ("Slet dokument", "Rediger dokument"),
        url("housing_delete", unit, housing.pk): (
            "Slet boligbeskrivelse",
            "Rediger boligbeskrivelse",
        ),
        url("image_remove", unit, 1): ("Fjern billede", "Forsidebillede"),
    }
    for address, (name, not_name) in pages.items():
        page = client.get(address).content.decode()
        assert name in crumbs(page), address
        assert not_name not in crumbs(page), address
    assert "Rediger dokument" in crumbs(
        client.get(url("document_edit", unit, document.pk)).content.decode()
    )


def test_the_agency_is_named_once(client, imported, settings):
    """The demo login and the agency user's name said "Sundhedsdatastyrelsen,
    Sundhedsdatastyrelsen" (its role and its organisation are the same name)."""
    settings.PLOV_DEMO = True
    page = client.get("/konto/login/").content.decode()
    assert "Log ind som Sundhedsdatastyrelsen</button>" in page
    assert "Log ind som Redaktør, Aarhus Kommune</button>" in page
    assert "Sundhedsdatastyrelsen, Sundhedsdatastyrelsen" not in page
    client.post("/konto/login/demo/", {"username": "admin", "next": "/admin/"})
    start = client.get("/admin/").content.decode()
    assert "Sundhedsdatastyrelsen, Sundhedsdatastyrelsen" not in start
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="admin").get_full_name() == (
        "Sundhedsdatastyrelsen"
    )


WORD_TABLE = (
    '<p>Priser pr. måned:</p><table class="MsoTableGrid" border="1"><tr>'
    '<td><p class="MsoNormal">Enkeltbolig</p></td><td><p class="MsoNormal">7.500 kr.</p></td>'
    '</tr><tr><td>Parbolig</td><td><span style="color:red">9.800 kr.</span></td></tr></table>'
    "<p>Efter tabellen.</p>"
)
WORD_TABLE_KEPT = (
    "<p>Priser pr. måned:</p><p>Enkeltbolig – 7.500 kr.</p><p>Parbolig – 9.800 kr.</p>"
    "<p>Efter tabellen.</p>"
)


def test_a_table_pasted_from_word_keeps_its_rows_apart(client, published_solgaarden):  # noqa: F811
    """A table's cells ran into each other and into the text before it ("Parbolig9.800 kr."):
    each row is now a paragraph, in the editor's saved text and on the public page."""
    unit = published_solgaarden
    response = client.post(editor_url(unit), form_data(content_of(unit), values=WORD_TABLE))
    assert response.status_code == 302
    assert content_of(unit).values == WORD_TABLE_KEPT
    public = client.get(reverse("public:unit-short", args=[unit.pk]), follow=True)
    assert "<p>Parbolig – 9.800 kr.</p>" in public.content.decode()
    assert "Parbolig9.800" not in public.content.decode()


def test_the_editorial_import_keeps_table_rows_apart(tmp_path, units):  # noqa: F811
    import json

    from plov.units.editorial import import_editorial

    path = tmp_path / "editorial.json"
    path.write_text(
        json.dumps([{"sor_id": units["lindehus"].sor_id, "food": WORD_TABLE}]), encoding="utf-8"
    )
    summary, rejected = import_editorial(path)
    assert not rejected
    assert content_of(units["lindehus"]).food == WORD_TABLE_KEPT


def test_a_contract_manager_sent_from_mine_enheder_is_told_why(client, imported):
    from tests.test_backoffice_editing import make_user

    login(client, make_user("kontrakt", ["contract_manager"], "55133018"))  # Aarhus
    response = client.get(reverse("backoffice:dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("plov_agreements:index")
    page = response.content.decode()
    assert "du har ingen enheder at redigere med din rolle" in page
    assert "Dit arbejde finder du under Serviceleverancer." in page

"""The public unit page, compare, sitemap, robots and the error pages."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.template import loader
from wagtail.documents import get_document_model

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.clock import today
from plov.public.unitpage import (
    load_unit,
    load_units_for_compare,
    parse_compare_ids,
)
from plov.publishing.refresh import refresh_publication
from plov.publishing.visibility import visible_units
from plov.supervision.models import (
    QualityResult,
    Sanction,
    SanctionType,
    SupervisingAuthority,
    SupervisionFeedback,
    SupervisionStatus,
)
from plov.units.formatting import format_address, unit_slug
from plov.units.models import (
    HousingDescription,
    Unit,
    UnitContent,
    UnitDocument,
    UnitKind,
)
from tests import country as c

AARHUS, SKANDERBORG, ODDER = 751, 746, 727
DAY = dt.timedelta(days=1)


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def agree(sor_id: str, party: int, type_: str, *, start=None, end=None) -> ServiceAgreement:
    return ServiceAgreement.objects.create(
        municipality_id=party,
        unit=unit(sor_id),
        type=type_,
        start=start or today() - 30 * DAY,
        end=end,
        reference=f"{party}-{sor_id}-{type_}-{start}-{end}",
    )


def pdf(title: str):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=f"{unit_slug(title)}.pdf")
    )


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shown(imported):
    """Solgården, Lindehuset and the sites published, with content, agreements and some
    supervision data on Solgården."""
    p_numbers = {
        c.SOLGAARDEN: c.P_SOLGAARDEN,
        c.LINDEHUS: c.P_LINDEHUS,
        c.SITE_NORTH: c.P_SITE_NORTH,
        c.SITE_SOUTH: c.P_SITE_SOUTH,
        c.SITE_PRIVATE: c.P_SITE_PRIVATE,
    }
    for sor_id, p_number in p_numbers.items():
        UnitContent.objects.update_or_create(unit=unit(sor_id), defaults={"p_number": p_number})
    agree(c.SOLGAARDEN, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_NORTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_SOUTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.LINDEHUS, AARHUS, AgreementType.OPERATING_AGREEMENT)
    agree(c.LINDEHUS, SKANDERBORG, AgreementType.OPERATING_AGREEMENT)
    agree(
        c.LINDEHUS,
        ODDER,
        AgreementType.OPERATING_AGREEMENT,
        start=today() - 400 * DAY,
        end=today() - DAY,
    )
    # a private home-care site: Skanderborg's agreement is described, Aarhus' is not yet
    agree(c.SITE_PRIVATE, SKANDERBORG, AgreementType.OPERATING_AGREEMENT)
    agree(c.SITE_PRIVATE, AARHUS, AgreementType.OPERATING_AGREEMENT)
    AgreementDescription.objects.create(
        unit=unit(c.SITE_PRIVATE), municipality_id=SKANDERBORG, text="Vi kommer døgnet rundt."
    )

    solgaarden = unit(c.SOLGAARDEN)
    content = solgaarden.content
    content.sick_leave_days = Decimal("12.4")
    content.leader_changes = 2
    content.full_time_employees = Decimal("41.5")  # the editor's figure beats CVR's 39.5
    content.homes = 48
    content.homes_for_couples = 2
    content.values = "<p>Hverdagen skal ligne livet derhjemme.</p>"
    content.food = "<p>Vi laver maden fra bunden hver dag.</p>"
    content.leader_first_name, content.leader_last_name = "Ørnulf", "Ærø"
    content.save()
    HousingDescription.objects.create(
        unit=solgaarden, title="1-rumsbolig", rent=6450, deposit=12000, rooms=1
    )
    HousingDescription.objects.create(
        unit=solgaarden, title="2-rumsbolig", rent=8200, deposit=15500, rooms=2
    )
    UnitDocument.objects.create(
        unit=solgaarden, name="Prisliste 2026", document=pdf("Prisliste"), document_type="prisliste"
    )
    UnitDocument.objects.create(
        unit=solgaarden,
        name="Forkert prisliste",
        document=pdf("Forkert"),
        document_type="prisliste",
        annulled=True,
    )
    authority = SupervisingAuthority.objects.first()
    SupervisionFeedback.objects.create(
        unit=solgaarden,
        authority=authority,
        inspected_on=today() - 400 * DAY,
        status=SupervisionStatus.MINOR,
    )
    SupervisionFeedback.objects.create(
        unit=solgaarden,
        authority=authority,
        inspected_on=dt.date(2026, 3, 12),
        status=SupervisionStatus.SIGNIFICANT,
        summary="Medicinhåndteringen skal forbedres.",
        document=pdf("Tilbagemelding"),
    )
    Sanction.objects.create(
        unit=solgaarden,
        authority=authority,
        type=SanctionType.ORDER,
        decided_on=today() - 10 * DAY,
        themes="Medicinhåndtering",
        deadline=today() + 60 * DAY,
    )
    Sanction.objects.create(
        unit=solgaarden,
        authority=authority,
        type=SanctionType.BAN_NEW_RESIDENTS,
        decided_on=today() - 500 * DAY,
        lifted_on=today() - 300 * DAY,
    )
    QualityResult.objects.create(
        unit=solgaarden,
        kind=QualityResult.Kind.INDICATOR,
        code="FALD",
        name="Faldulykker pr. 100 beboere",
        period="2025",
        value=Decimal("12.500"),
        national_average=Decimal("14.000"),
        source="Sundhedsdatastyrelsen",
        better=QualityResult.Better.LOWER,
    )
    QualityResult.objects.create(
        unit=solgaarden,
        kind=QualityResult.Kind.INDICATOR,
        code="FALD",
        name="Faldulykker pr. 100 beboere",
        period="2024",
        value=Decimal("19.000"),
    )
    QualityResult.objects.create(
        unit=solgaarden,
        kind=QualityResult.Kind.SATISFACTION,
        code="TILFREDS",
        name="Beboere, der er tilfredse med hjælpen",
        period="2025",
        value=Decimal("87.500"),
        unit_of_measure="%",
        source="Brugertilfredshedsundersøgelsen",
        better=QualityResult.Better.HIGHER,
        respondents=48,
    )
    refresh_publication()
    return imported


def page_of(client, sor_id: str, prefix: str = ""):
    response = client.get(f"{prefix}/enhed/{unit(sor_id).pk}/", follow=True)
    return response, response.content.decode()


# --- The page ----------------------------------------------------------------------------------


def test_a_published_unit_page_shows_what_a_citizen_needs(client, shown):
    response, html = page_of(client, c.SOLGAARDEN)
    assert response.status_code == 200
    assert response.redirect_chain == [
        (f"/enhed/{unit(c.SOLGAARDEN).pk}/plejecenter-solgaarden/", 301)
    ]
    assert "<h1" in html and "Plejecenter Solgården" in html
    assert "Solvej 4, 8000 Aarhus C" in html
    assert 'href="tel:+4587131000"' in html and "87 13 10 00" in html
    assert "solgaarden@aarhus.dk" in html
    assert "Ørnulf Ærø" in html
    # staff, with the source of each figure
    assert "Antal ansatte" in html and ">48<" in html and "Fra CVR" in html
    assert "41,5" in html and "Oplyst af enheden" in html and "39,5" not in html
    assert "12,4" in html and "Sygefravær" in html
    # who may choose it, the authority, supervision, sanctions, quality
    assert "Aarhus Kommune" in html
    assert "Ældretilsynet Silkeborg" in html
    assert "Væsentlige bemærkninger" in html and "12. marts 2026" in html
    assert "Medicinhåndteringen skal forbedres." in html
    assert "Påbud om at sikre kvaliteten" in html and "Medicinhåndtering" in html
    assert "Ældretilsynet har givet en sanktion, der gælder nu" in html
    assert "Forbud mod indflytning af nye beboere" in html  # in the history
    assert "Faldulykker pr. 100 beboere" in html and "12,5" in html and "14" in html
    assert ">19<" not in html  # only the newest period of an indicator
    assert "87,5 %" in html and "Brugertilfredshedsundersøgelsen" in html
    # housing and prices
    assert "6.450–8.200 kr." in html and "15.500 kr." in html
    # texts, documents (annulled ones hidden), last update
    assert "Hverdagen skal ligne livet derhjemme." in html
    assert "Prisliste 2026" in html and "Forkert prisliste" not in html
    assert "Sidst opdateret" in html
    # headings in order, tables with scoped headers, Open Graph
    assert (
        '<th scope="row" role="rowheader">' in html
        and '<th scope="col" role="columnheader">' in html
    )
    assert '<meta property="og:title" content="Plejecenter Solgården">' in html
    assert 'property="og:url"' in html and 'rel="canonical"' in html


def test_headings_never_skip_a_level(client, shown):
    _, html = page_of(client, c.SOLGAARDEN)
    main = html[html.index("<main") :]
    levels = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def quality_section(html: str) -> str:
    start = html.index('id="kvalitet"')
    return html[start : html.index("</section>", start)]


def test_each_figure_says_in_words_and_by_icon_how_it_compares(client, shown):
    section = quality_section(page_of(client, c.SOLGAARDEN)[1])
    # the rule, written on the page
    assert "Sådan vurderer vi tallene" in section
    assert "95 %-konfidensinterval" in section and "10 % af gennemsnittet" in section
    # which way is better, in words
    assert '<span class="plov-direction">Færre er bedre</span>' in section
    assert '<span class="plov-direction">Flere er bedre</span>' in section
    assert "48 besvarelser" in section
    # falls 12,5 against 14 nationally (more than 10 % of 14 fewer): better, with its own icon
    assert re.search(
        r'<span class="plov-verdict plov-verdict-better"><svg [^>]*aria-hidden="true"[^>]*>.*?</svg>'
        r'<span class="plov-verdict-text">Bedre end landsgennemsnittet</span>',
        section,
    )
    # the municipality's column names it; Solgården alone gives no average, and says why
    assert "Gennemsnit i Aarhus Kommune" in section
    assert "For få steder i kommunen har tallet til et gennemsnit" in section
    # no national average for the satisfaction figure: the reason stays shown
    assert "Intet landsgennemsnit offentliggjort" in section
    assert "plov-verdict-unknown" in section


def test_a_figure_without_a_stated_direction_gets_no_verdict(client, shown):
    QualityResult.objects.filter(code="FALD").update(better="")
    section = quality_section(page_of(client, c.SOLGAARDEN)[1])
    assert "Bedre end landsgennemsnittet" not in section
    assert "Det er ikke oplyst, om et højt eller et lavt tal er bedst" in section
    assert "Ingen vurdering: det er ikke oplyst, hvad der er bedst" in section


def test_the_verdicts_are_in_english_on_the_english_page(client, shown):
    pk = unit(c.SOLGAARDEN).pk
    en = client.get(f"/en/enhed/{pk}/plejecenter-solgaarden/").content.decode()
    section = quality_section(en)
    for text in (
        "How we judge the figures",
        "95% confidence interval",
        "Fewer is better",
        "More is better",
        "Better than the national average",
        "Average in Aarhus Municipality",
        "Too few places in the municipality have this figure for an average",
        "No national average published",
        "48 responses",
    ):
        assert text in section, text
    assert "Bedre end" not in section and "Færre er bedre" not in section


def test_the_latest_feedback_links_its_pdf(client, shown):
    feedback = SupervisionFeedback.objects.get(inspected_on=dt.date(2026, 3, 12))
    _, html = page_of(client, c.SOLGAARDEN)
    assert feedback.document.url in html


def test_a_care_home_is_offered_by_the_municipalities_with_agreements_in_force(client, shown):
    _, html = page_of(client, c.LINDEHUS)
    section = html[html.index('id="hvem"') : html.index('id="tilsyn"')]
    assert "Aarhus Kommune" in section and "Skanderborg Kommune" in section
    assert "Odder" not in section  # its agreement ended yesterday


def test_home_care_counts_only_described_driftsoverenskomster(client, shown):
    data = load_unit(unit(c.SITE_PRIVATE).pk)
    assert [o.code for o in data.offered_by] == [SKANDERBORG]
    assert data.offered_by[0].description == "Vi kommer døgnet rundt."


def test_the_municipalities_offering_a_unit_are_exactly_those_whose_search_shows_it(shown):
    codes = set(ServiceAgreement.objects.values_list("municipality_id", flat=True))
    assert len(codes) >= 3
    for u in Unit.objects.published().exclude(kind=UnitKind.HOME_CARE_PROVIDER):
        searching = {code for code in codes if visible_units(code).filter(pk=u.pk).exists()}
        assert {o.code for o in load_unit(u.pk).offered_by} == searching, u.name


def test_an_unpublished_unit_is_not_found(client, shown):
    kaerbo = unit(c.KAERBO)  # invalid visiting address: never published
    assert not kaerbo.published
    for path in (f"/enhed/{kaerbo.pk}/", f"/enhed/{kaerbo.pk}/{unit_slug(kaerbo.name)}/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Vi kan ikke finde siden" in response.content.decode()
    assert client.get("/enhed/999999/").status_code == 404
    assert client.get("/enhed/99999999999999999999999999/").status_code == 404


def test_a_closed_unit_is_gone_with_a_friendly_page(client, shown):
    solgaarden = unit(c.SOLGAARDEN)
    assert client.get(f"/enhed/{solgaarden.pk}/", follow=True).status_code == 200
    solgaarden.closed_on = today() - DAY
    solgaarden.save()
    response = client.get(f"/enhed/{solgaarden.pk}/plejecenter-solgaarden/")
    html = response.content.decode()
    assert response.status_code == 410
    assert "Plejecenter Solgården er lukket" in html
    assert "Find et andet plejehjem" in html
    assert "Solvej" not in html  # no half page


def test_the_canonical_url_spells_danish_letters_out(client, shown):
    pk = unit(c.SOLGAARDEN).pk
    assert unit_slug("Plejecenter Kærbo Østergård") == "plejecenter-kaerbo-oestergaard"
    response = client.get(f"/enhed/{pk}/forkert-navn/")
    assert response.status_code == 301
    assert response["Location"] == f"/enhed/{pk}/plejecenter-solgaarden/"
    en = client.get(f"/en/enhed/{pk}/")
    assert en.status_code == 301 and en["Location"] == f"/en/enhed/{pk}/plejecenter-solgaarden/"
    assert client.get(en["Location"]).status_code == 200
    assert client.post(f"/enhed/{pk}/plejecenter-solgaarden/").status_code == 405


def test_a_home_care_site_shows_its_providers_texts(client, shown):
    north = unit(c.SITE_NORTH)
    provider = north.parent
    assert provider.kind == UnitKind.HOME_CARE_PROVIDER
    UnitContent.objects.create(
        unit=provider, values="<p>Vi arbejder med hverdagsrehabilitering.</p>"
    )
    _, html = page_of(client, c.SITE_NORTH)
    assert "Vi arbejder med hverdagsrehabilitering." in html
    assert "Om leverandøren" in html
    provider.refresh_from_db()
    assert provider.published
    provider_page = client.get(f"/enhed/{provider.pk}/", follow=True).content.decode()
    assert "Helhedspleje Nord" in provider_page and "Helhedspleje Syd" in provider_page


def test_the_unit_page_needs_few_queries_and_fewer_when_cached(
    client, shown, django_assert_max_num_queries
):
    pk = unit(c.SOLGAARDEN).pk
    path = f"/enhed/{pk}/plejecenter-solgaarden/"
    # 15: with quality results, the municipality's averages are one query more
    # (plov.supervision.verdicts)
    with django_assert_max_num_queries(15):
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(path).status_code == 200
    # more rows of every kind cost no more queries
    solgaarden = unit(c.SOLGAARDEN)
    authority = SupervisingAuthority.objects.first()
    for n in range(8):
        QualityResult.objects.create(
            unit=solgaarden,
            kind="indicator",
            code=f"K{n}",
            name=f"Indikator {n}",
            period="2025",
            value=n,
        )
        UnitDocument.objects.create(
            unit=solgaarden, name=f"Dokument {n}", document=pdf(f"D{n}"), document_type="andet"
        )
        SupervisionFeedback.objects.create(
            unit=solgaarden,
            authority=authority,
            inspected_on=today() - n * 50 * DAY,
            status="ingen_bemaerkninger",
        )
        HousingDescription.objects.create(unit=solgaarden, title="parbolig", rent=9000 + n)
    with django_assert_max_num_queries(15):
        html = client.get(path).content.decode()
    assert "Indikator 7" in html and "Dokument 7" in html


def test_the_cache_is_cleared_when_the_unit_changes(client, shown):
    solgaarden = unit(c.SOLGAARDEN)
    path = f"/enhed/{solgaarden.pk}/plejecenter-solgaarden/"
    assert "Vi laver maden fra bunden" in client.get(path).content.decode()
    content = solgaarden.content
    content.food = "<p>Køkkenet bager rugbrød hver morgen.</p>"
    content.save()
    html = client.get(path).content.decode()
    assert "Køkkenet bager rugbrød" in html and "Vi laver maden fra bunden" not in html

    Sanction.objects.create(
        unit=solgaarden,
        authority=SupervisingAuthority.objects.first(),
        type=SanctionType.ADVICE_ORDER,
        decided_on=today(),
    )
    assert "Påbud om at modtage rådgivning og sparring" in client.get(path).content.decode()

    QualityResult.objects.filter(unit=solgaarden).delete()
    assert "Faldulykker" not in client.get(path).content.decode()

    # publication state is never cached
    Unit.objects.filter(pk=solgaarden.pk).update(published=False)  # as the nightly bulk update
    assert client.get(path).status_code == 404
    Unit.objects.filter(pk=solgaarden.pk).update(published=True)
    assert client.get(path).status_code == 200


def test_the_cache_is_per_language(client, shown):
    pk = unit(c.SOLGAARDEN).pk
    da = client.get(f"/enhed/{pk}/plejecenter-solgaarden/").content.decode()
    en = client.get(f"/en/enhed/{pk}/plejecenter-solgaarden/").content.decode()
    assert '<html lang="da">' in da and '<html lang="en">' in en
    # each language's cached page points to itself as canonical, and to the other as a switch
    assert re.search(rf'rel="canonical" href="[^"]*(?<!/en)/enhed/{pk}/', da)
    assert re.search(rf'rel="canonical" href="[^"]*/en/enhed/{pk}/', en)
    assert f'href="/en/enhed/{pk}/plejecenter-solgaarden/" lang="en"' in da


def test_the_english_page_names_statuses_and_sanctions_in_english(client, shown):
    pk = unit(c.SOLGAARDEN).pk
    en = client.get(f"/en/enhed/{pk}/plejecenter-solgaarden/").content.decode()
    assert "Significant remarks" in en and "Væsentlige bemærkninger" not in en
    assert "12 March 2026" in en and "12. marts 2026" not in en  # the inspection's date
    assert "Order to secure the quality (påbud)" in en
    da = client.get(f"/enhed/{pk}/plejecenter-solgaarden/").content.decode()
    assert "Væsentlige bemærkninger" in da and "Påbud om at sikre kvaliteten" in da
    assert "12. marts 2026" in da


def test_an_image_gives_the_page_a_picture_and_a_link_preview(client, shown):
    from io import BytesIO

    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.new("RGB", (1600, 1000), (90, 140, 110)).save(buffer, "JPEG")
    image = get_image_model().objects.create(
        title="Havestuen",
        description="Havestuen med udsigt til søen",
        file=ContentFile(buffer.getvalue(), "have.jpg"),
    )
    content = unit(c.SOLGAARDEN).content
    content.image_1 = image
    content.save()
    _, html = page_of(client, c.SOLGAARDEN)
    assert 'alt="Havestuen med udsigt til søen"' in html
    assert '<meta property="og:image" content="http://testserver/media/images/' in html


# --- Compare -----------------------------------------------------------------------------------


def compare_ids(*sor_ids: str) -> str:
    return ",".join(str(unit(s).pk) for s in sor_ids)


def test_three_units_side_by_side(client, shown, django_assert_max_num_queries):
    ids = compare_ids(c.SOLGAARDEN, c.LINDEHUS, c.SITE_NORTH)
    with django_assert_max_num_queries(16):
        response = client.get(f"/sammenlign/?ids={ids}")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<th scope="col" class="plov-compare-unit">') == 3
    for name in ("Plejecenter Solgården", "Lindehuset", "Helhedspleje Nord"):
        assert name in html
    for row in (
        "Type",
        "Ejer",
        "Adresse",
        "Antal boliger",
        "Boligtyper",
        "Husleje pr. måned",
        "Indskud",
        "Antal ansatte",
        "Sygefravær",
        "Lederskift",
        "Seneste tilsyn",
        "Sanktioner, der gælder nu",
        "Faldulykker pr. 100 beboere",
    ):
        assert f'<th scope="row">{row}' in html, row
    assert "6.450–8.200 kr." in html and "Påbud om at sikre kvaliteten" in html
    assert "Kommunal" in html and "Privat" in html
    # quality figures with their period and source
    assert (
        '<th scope="row">Faldulykker pr. 100 beboere<span class="plov-direction">Færre er '
        'bedre</span><span class="plov-source">Kilde: Sundhedsdatastyrelsen</span></th>' in html
    )
    # each figure with its source and period in the one small form (plov.publishing.sources)
    assert '<strong>12,5</strong><span class="plov-source">Kvalitetsindikator 2025' in html
    # each figure's verdict against the national and the municipality's average, in words
    assert "Bedre end landsgennemsnittet" in html
    assert "For få steder i kommunen har tallet til et gennemsnit" in html
    assert "95 %-konfidensinterval" in html  # the rule, under "Sådan skal tallene forstås"
    # remove one: a link to the other two
    solgaarden, lindehus, north = ids.split(",")
    assert f'href="/sammenlign/?ids={lindehus},{north}"' in html
    assert f"/sammenlign/?ids={ids}" in html  # the shareable address
    assert "@media print" in client.get("/static/public/css/unit.css").getvalue().decode()


def test_compare_loads_with_the_same_queries_for_one_or_four(shown, django_assert_max_num_queries):
    one = [unit(c.SOLGAARDEN).pk]
    four = [unit(s).pk for s in (c.SOLGAARDEN, c.LINDEHUS, c.SITE_NORTH, c.SITE_SOUTH)]
    with django_assert_max_num_queries(13):
        assert len(load_units_for_compare(one)) == 1
    with django_assert_max_num_queries(13):
        assert [d.name for d in load_units_for_compare(four)] == [
            "Plejecenter Solgården",
            "Lindehuset",
            "Helhedspleje Nord",
            "Helhedspleje Syd",
        ]


def test_more_than_four_is_refused_clearly(client, shown):
    ids = compare_ids(c.SOLGAARDEN, c.LINDEHUS, c.SITE_NORTH, c.SITE_SOUTH, c.SITE_PRIVATE)
    response = client.get(f"/sammenlign/?ids={ids}")
    html = response.content.decode()
    assert response.status_code == 400
    assert "højst 4 steder" in html
    assert html.count('class="plov-compare-unit"') == 4
    assert "Omsorgshuset Skanderborg" not in html


@pytest.mark.parametrize(
    "query",
    [
        "ids=abc",
        "ids=1;DROP",
        "ids=,,,",
        "ids=-1",
        "ids=1.5",
        "ids=%00",
        "ids=٣",
        "ids=" + "9" * 40,
        "ids=99999999999999999999",
        "ids=" + ",".join(["x"] * 500),
    ],
)
def test_junk_ids_give_a_message_never_an_error(client, shown, query):
    response = client.get(f"/sammenlign/?{query}")
    assert response.status_code in (200, 400)
    assert "Sammenlign plejehjem og helhedspleje" in response.content.decode()


def test_junk_beside_good_ids_still_shows_the_good_ones(client, shown):
    response = client.get(f"/sammenlign/?ids=abc,{unit(c.LINDEHUS).pk}")
    html = response.content.decode()
    assert response.status_code == 400
    assert "ikke er et enhedsnummer" in html and "«abc»" in html
    assert "Lindehuset" in html


def test_an_unpublished_or_unknown_unit_is_named_not_shown(client, shown):
    response = client.get(f"/sammenlign/?ids={compare_ids(c.LINDEHUS, c.KAERBO)},987654")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 af stederne vises ikke" in html
    assert "Lindehuset" in html and "Kærbo" not in html


def test_compare_without_ids_explains_itself(client, db):
    response = client.get("/sammenlign/")
    assert response.status_code == 200
    assert "op til fire" in response.content.decode()


def test_adding_a_unit_settles_on_one_shareable_url(client, shown):
    first, second = unit(c.SOLGAARDEN).pk, unit(c.LINDEHUS).pk
    html = client.get(f"/sammenlign/?ids={first}").content.decode()
    assert f'<option value="{second}">' in html  # offered in Aarhus too
    response = client.get(f"/sammenlign/?ids={first}&ids={second}")
    assert response.status_code == 302
    assert response["Location"] == f"/sammenlign/?ids={first},{second}"


def test_parse_compare_ids():
    assert parse_compare_ids(["3,1,3", "2"]) == ([3, 1, 2], [], False)
    assert parse_compare_ids(["1,2,3,4,5"]) == ([1, 2, 3, 4], [], True)
    assert parse_compare_ids(["a, 7 ,"]) == ([7], ["a"], False)
    assert parse_compare_ids([""]) == ([], [], False)


def test_format_address():
    assert (
        format_address(
            {
                "street": "Adelgade",
                "house_number": "3",
                "floor": "1",
                "door": "tv",
                "postcode": "8660",
                "district": "Skanderborg",
            }
        )
        == "Adelgade 3, 1. tv, 8660 Skanderborg"
    )
    assert format_address({}) == ""


# --- Sitemap, robots, error pages ---------------------------------------------------------------


def test_the_sitemap_lists_the_home_page_and_published_units_only(client, shown):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(response.content)
    locs = [u.findtext("s:loc", namespaces=ns) for u in root.findall("s:url", ns)]
    assert locs[0] == "http://testserver/"
    published = Unit.objects.published()
    assert len([loc for loc in locs if "/enhed/" in loc]) == published.count()
    assert locs[-2:] == ["http://testserver/data/", "http://testserver/en/data/"]  # open data
    assert f"http://testserver/enhed/{unit(c.SOLGAARDEN).pk}/plejecenter-solgaarden/" in locs
    assert not any(f"/enhed/{unit(c.KAERBO).pk}/" in loc for loc in locs)
    lastmods = [
        u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
        if "/enhed/" in u.findtext("s:loc", namespaces=ns)
    ]
    assert all(dt.date.fromisoformat(m) for m in lastmods)
    solgaarden = unit(c.SOLGAARDEN)
    solgaarden.closed_on = today()
    solgaarden.save()
    assert b"plejecenter-solgaarden" not in client.get("/sitemap.xml").content


def test_robots_allows_all_but_the_admin_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in body and "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_the_404_page_is_friendly(client, db):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "Vi kan ikke finde siden" in response.content.decode()


def test_the_500_page_needs_no_request_and_no_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render({})
    assert "Der skete en fejl" in html and 'lang="da"' in html


def test_unit_and_compare_pages_are_cached_briefly_and_load_no_sprite(client, shown):
    """Unit and compare pages: `Cache-Control: max-age=60` (as the search pages; the server's
    cache generation makes a change visible at once), the breadcrumb's chevron as its own small
    file instead of DKFDS's 53 kB icon sprite, the cut design-system CSS and the preloaded
    faces that plov.css declares."""
    from django.contrib.staticfiles import finders

    ids = compare_ids(c.SOLGAARDEN, c.LINDEHUS)
    plov_css = Path(finders.find("public/css/plov.css")).read_text(encoding="utf-8")
    for response in (page_of(client, c.SOLGAARDEN)[0], client.get(f"/sammenlign/?ids={ids}")):
        html = response.content.decode()
        assert response.status_code == 200
        assert "max-age=60" in response["Cache-Control"]
        assert "all-svg-icons.svg" not in html
        assert "/static/public/img/chevron-right.svg" in html
        assert "/static/vendor/dkfds/css/dkfds-borgerdk.plov.css" in html
        preloads = re.findall(r'<link rel="preload" href="/static/([^"]+)" as="font"', html)
        assert len(preloads) == 3
        for path in preloads:
            assert finders.find(path), path
            assert path.removeprefix("vendor/dkfds/") in plov_css, path
    assert "max-age" not in client.get("/enhed/987654321/").get("Cache-Control", "")

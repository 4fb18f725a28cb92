"""Service agreements in the back office (/admin/serviceleverancer/): contract managers, the
agency and private home-care editors, on the small test country (Aarhus 751 owns the municipal
units; Omsorgshuset ApS, CVR 12345678, owns Lindehuset in Aarhus and a home-care site in
Skanderborg 746). Every refused request must leave the database exactly as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from plov import clock
from plov.accounts.auth import Access, apply_access
from plov.agreements.forms import plain_text
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.publishing.refresh import refresh_publication
from plov.publishing.visibility import visible_units
from plov.units.models import Organisation, Unit, UnitContent
from tests import country as c

SKANDERBORG, AARHUS = 746, 751
SKANDERBORG_CVR = "29189633"
AGENCY_CVR = "33257872"

INDEX = reverse("plov_agreements:index")
CREATE = reverse("plov_agreements:create")
DESCRIPTIONS = reverse("plov_agreements:descriptions")
MISSING = "Enheden vises ikke for kommunen, før leverandøren har skrevet aftalebeskrivelsen"

ACTORS = {
    "agency": dict(roles=["agency"], cvr=AGENCY_CVR),
    "contract_aarhus": dict(roles=["contract_manager"], cvr=c.AARHUS_CVR),
    "contract_skanderborg": dict(roles=["contract_manager"], cvr=SKANDERBORG_CVR),
    "editor_aarhus": dict(roles=["editor"], cvr=c.AARHUS_CVR),
    "editor_company": dict(roles=["editor"], cvr=c.COMPANY_CVR),
    "editor_other_company": dict(roles=["editor"], cvr=c.OTHER_COMPANY_CVR),
}


def make_user(username, roles=(), cvr="", sor_ids=()):
    """As tests/test_accounts_scope.py makes them, with the role groups (and so Wagtail admin
    access) that a single sign-on login gives."""
    user = get_user_model().objects.create_user(username)
    apply_access(user, Access(roles=list(roles), cvr=cvr, sor_ids=list(sor_ids)))
    return get_user_model().objects.get(pk=user.pk)


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def visible(code: int) -> set[str]:
    return set(visible_units(code).values_list("sor_id", flat=True))


def snapshot() -> tuple:
    """Everything the agreement views may write."""
    return (
        sorted(
            ServiceAgreement.objects.values_list(
                "pk", "municipality_id", "unit_id", "reference", "type", "start", "end"
            )
        ),
        sorted(AgreementDescription.objects.values_list("unit_id", "municipality_id", "text")),
        sorted(Unit.objects.values_list("pk", "published")),
        ModelLogEntry.objects.count(),
    )


@pytest.fixture
def world(imported):
    Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Skanderborg Kommune",
        cvr_number=SKANDERBORG_CVR,
        municipality_id=SKANDERBORG,
    )
    # Complete apart from agreements: a P-number that matches CVR, a valid DAR address.
    for sor_id, p_number in (
        (c.SOLGAARDEN, c.P_SOLGAARDEN),
        (c.LINDEHUS, c.P_LINDEHUS),
        (c.SITE_PRIVATE, c.P_SITE_PRIVATE),
    ):
        UnitContent.objects.create(unit=unit(sor_id), p_number=p_number)
    refresh_publication()
    return {name: make_user(name, **spec) for name, spec in ACTORS.items()}


@pytest.fixture
def as_user(world):
    """A logged-in test client of its own for each actor."""

    def login(name):
        client = Client()
        client.force_login(world[name])
        return client

    return login


def agreement_data(sor_id, *, reference="SKA-17", type="driftsoverenskomst", start=None, end=""):
    start = clock.today() - dt.timedelta(days=10) if start is None else start
    return {
        "unit": unit(sor_id).pk,
        "reference": reference,
        "type": type,
        "start": str(start),
        "end": str(end),
    }


def existing_agreement(code=AARHUS, sor_id=c.LINDEHUS, reference="AAR-1", **kw) -> ServiceAgreement:
    values = dict(type=AgreementType.OPERATING_AGREEMENT, start=dt.date(2024, 1, 1)) | kw
    agreement = ServiceAgreement.objects.create(
        municipality_id=code, unit=unit(sor_id), reference=reference, **values
    )
    refresh_publication()
    return agreement


# --- contract managers -----------------------------------------------------------------------


def test_a_contract_manager_finds_a_private_care_home_elsewhere_and_it_is_shown_at_once(as_user):
    client = as_user("contract_skanderborg")
    assert c.LINDEHUS not in visible(SKANDERBORG)

    page = client.get(CREATE, {"q": "lindehuset"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Skanderborg Kommune" in html and 'name="municipality"' not in html  # shown, fixed
    assert f'data-sor-id="{c.LINDEHUS}"' in html
    assert 'value="friplejebolig"' not in html  # only the agency gets Friplejebolig
    chosen = client.get(CREATE, {"q": "lindehuset", "enhed": unit(c.LINDEHUS).pk})
    assert f'value="{unit(c.LINDEHUS).pk}"' in chosen.content.decode()

    response = client.post(CREATE, agreement_data(c.LINDEHUS))
    assert response.status_code == 302 and response["Location"] == INDEX
    agreement = ServiceAgreement.objects.get()
    assert (agreement.municipality_id, agreement.unit.sor_id, agreement.reference) == (
        SKANDERBORG,
        c.LINDEHUS,
        "SKA-17",
    )
    assert agreement.type == AgreementType.OPERATING_AGREEMENT
    assert agreement.created_by.username == "contract_skanderborg"
    assert c.LINDEHUS in visible(SKANDERBORG)  # a care home needs no description
    assert c.LINDEHUS not in visible(AARHUS)  # Aarhus has no agreement with it
    entry = ModelLogEntry.objects.get(action="plov.agreement_created")
    assert entry.object_id == str(agreement.pk) and entry.user.username == "contract_skanderborg"

    listing = client.get(INDEX).content.decode()
    assert "Lindehuset" in listing and "SKA-17" in listing and "I kraft" in listing


def test_a_search_and_a_choice_keep_what_was_typed_in_the_agreement(as_user):
    """QA: typing Aftaleidentifikation, Type and Startdato first, then searching ("Søg") or
    choosing ("Vælg") emptied section 2. Both sections are one form now: nothing is saved
    until "Opret", and what was typed comes back."""
    client = as_user("contract_skanderborg")
    typed = {"reference": "SKA-42", "type": "driftsoverenskomst", "start": "2025-03-01"}
    before = snapshot()
    found = client.post(CREATE, {"handling": "soeg", "q": "lindehuset", "unit": ""} | typed)
    assert found.status_code == 200
    html = found.content.decode()
    assert f'data-sor-id="{c.LINDEHUS}"' in html
    assert 'value="SKA-42"' in html and 'value="2025-03-01"' in html
    assert '<option value="driftsoverenskomst" selected>' in html
    assert "Søg enheden frem og vælg den" not in html  # a search is not a failed save
    assert 'id="form-errors"' not in html
    lindehus = unit(c.LINDEHUS).pk
    assert f'name="enhed" value="{lindehus}"' in html  # "Vælg" submits the same form

    chosen = client.post(CREATE, {"enhed": lindehus, "q": "lindehuset", "unit": ""} | typed)
    html = chosen.content.decode()
    assert f'name="unit" value="{lindehus}"' in html and "Valgt" in html
    assert 'value="SKA-42"' in html and 'value="2025-03-01"' in html
    assert '<option value="driftsoverenskomst" selected>' in html
    assert snapshot() == before  # searching and choosing write nothing

    saved = client.post(CREATE, {"handling": "gem", "unit": lindehus, "end": ""} | typed)
    assert saved.status_code == 302
    agreement = ServiceAgreement.objects.get()
    assert (agreement.municipality_id, agreement.reference, str(agreement.start)) == (
        SKANDERBORG,
        "SKA-42",
        "2025-03-01",
    )


def test_a_search_never_takes_the_party_from_the_form(as_user):
    """A contract manager's search naming another municipality is refused like a save; the
    agency's chosen municipality is kept across a search."""
    manager, agency = as_user("contract_aarhus"), as_user("agency")
    before = snapshot()
    forged = manager.post(
        CREATE, {"handling": "soeg", "q": "lindehuset", "municipality": SKANDERBORG}
    )
    assert forged.status_code == 403
    assert snapshot() == before
    kept = agency.post(
        CREATE, {"handling": "soeg", "q": "lindehuset", "municipality": SKANDERBORG}
    ).content.decode()
    assert f'<option value="{SKANDERBORG}" selected>' in kept
    assert snapshot() == before


def test_an_edit_keeps_the_typed_values_across_a_search(as_user):
    agreement = existing_agreement(SKANDERBORG, reference="SKA-1")
    client = as_user("contract_skanderborg")
    edit = reverse("plov_agreements:edit", args=[agreement.pk])
    before = snapshot()
    html = client.post(
        edit,
        {
            "handling": "soeg",
            "q": "omsorgshuset",
            "unit": agreement.unit_id,
            "reference": "SKA-1-RETTET",
            "type": "driftsoverenskomst",
            "start": "2024-01-01",
            "end": "2026-12-31",
        },
    ).content.decode()
    assert 'value="SKA-1-RETTET"' in html and 'value="2026-12-31"' in html
    assert snapshot() == before


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "ser ikke denne enhed, før kommunen har en serviceleverance med den."),
        (3, "ser ikke disse 3 enheder, før kommunen har en serviceleverance med dem."),
    ],
)
def test_the_attention_block_counts_units_in_danish(count, text):
    from django.template.loader import render_to_string

    html = render_to_string(
        "agreements/_attention.html",
        {
            "ending": [],
            "without_agreement": [unit_stub(i) for i in range(count)],
            "without_agreement_count": count,
            "ending_within_days": 60,
        },
    )
    assert text in " ".join(html.split())
    assert "disse 1 enhed" not in html


def unit_stub(i: int):
    return Unit(pk=1000 + i, name=f"Enhed {i}", sor_id=str(i), kind="care_home")


@pytest.mark.parametrize(
    ("user", "sor_id", "changes", "message"),
    [
        (
            "contract_skanderborg",
            c.LINDEHUS,
            {"start": "2025-05-01", "end": "2025-01-01"},
            "Slutdato må ikke ligge før startdato",
        ),
        ("contract_skanderborg", c.LINDEHUS, {"start": ""}, "Startdato skal udfyldes"),
        (
            "contract_skanderborg",
            c.LINDEHUS,
            {"start": "31-02-2025"},
            "Skriv datoen som dd.mm.åååå, fx 01.02.2020",
        ),
        (
            "contract_skanderborg",
            c.LINDEHUS,
            {"reference": "  "},
            "Aftaleidentifikation skal udfyldes",
        ),
        (
            "contract_skanderborg",
            c.LINDEHUS,
            {"type": "myndighedsproduktion"},
            "Myndighedsproduktion kan kun aftales med kommunens egne enheder",
        ),
        (
            "contract_aarhus",
            c.SOLGAARDEN,
            {"type": "driftsoverenskomst"},
            "Driftsoverenskomst kan kun aftales med en privat leverandørs enhed",
        ),
        (
            "contract_skanderborg",
            c.SITE_PRIVATE,
            {"type": "lokalplejehjem"},
            "Lokalplejehjem kan kun aftales med et privat ejet plejehjem (eget CVR)",
        ),
        ("contract_skanderborg", c.LINDEHUS, {"type": "lejeaftale"}, "Ukendt type"),
        ("contract_skanderborg", c.LINDEHUS, {"type": ""}, "Vælg en type"),
        (
            "contract_skanderborg",
            c.LINDEHUS,
            {"type": "friplejebolig"},
            "Kun Sundhedsdatastyrelsen kan oprette serviceleverancer af typen Friplejebolig",
        ),
        ("contract_skanderborg", c.LINDEHUS, {"unit": ""}, "Søg enheden frem og vælg den"),
    ],
)
def test_invalid_agreements_are_refused_with_the_danish_message(
    as_user, user, sor_id, changes, message
):
    client = as_user(user)
    before = snapshot()
    response = client.post(CREATE, agreement_data(sor_id) | changes)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'id="form-errors"' in page and "Serviceleverancen er ikke gemt." in page  # at the top
    assert snapshot() == before


def test_a_reference_is_unique_per_municipality(as_user):
    existing_agreement(SKANDERBORG, reference="SKA-17")
    client = as_user("contract_skanderborg")
    before = snapshot()
    response = client.post(CREATE, agreement_data(c.LINDEHUS, reference="SKA-17"))
    assert "har allerede en serviceleverance med aftaleidentifikationen SKA-17" in (
        response.content.decode()
    )
    assert snapshot() == before
    # Another municipality may use the same reference.
    assert (
        as_user("contract_aarhus")
        .post(CREATE, agreement_data(c.LINDEHUS, reference="SKA-17"))
        .status_code
        == 302
    )


def test_friplejebolig_is_created_only_by_the_agency_for_any_municipality(as_user):
    client = as_user("agency")
    form = client.get(CREATE, {"kommune": SKANDERBORG}).content.decode()
    assert 'value="friplejebolig"' in form and 'name="municipality"' in form
    data = agreement_data(c.LINDEHUS, reference="FRI-1", type="friplejebolig")
    response = client.post(CREATE, data | {"municipality": SKANDERBORG})
    assert response.status_code == 302
    agreement = ServiceAgreement.objects.get(reference="FRI-1")
    assert (agreement.municipality_id, agreement.type) == (SKANDERBORG, "friplejebolig")

    # The contract manager sees it but may neither change nor end it.
    manager = as_user("contract_skanderborg")
    assert "FRI-1" in manager.get(INDEX).content.decode()
    before = snapshot()
    edit = reverse("plov_agreements:edit", args=[agreement.pk])
    assert manager.get(edit).status_code == 403
    assert manager.post(edit, data | {"type": "driftsoverenskomst"}).status_code == 403
    assert (
        manager.post(
            reverse("plov_agreements:end", args=[agreement.pk]), {"end": str(clock.today())}
        ).status_code
        == 403
    )
    assert snapshot() == before


def test_the_agency_sees_every_municipality_and_filters(as_user):
    existing_agreement(AARHUS, reference="AAR-1")
    existing_agreement(SKANDERBORG, reference="SKA-1")
    client = as_user("agency")
    everything = client.get(INDEX).content.decode()
    assert "AAR-1" in everything and "SKA-1" in everything
    filtered = client.get(INDEX, {"kommune": SKANDERBORG}).content.decode()
    assert "SKA-1" in filtered and "AAR-1" not in filtered
    assert "SKA-1" not in as_user("contract_aarhus").get(INDEX).content.decode()


def test_a_contract_manager_changes_and_ends_an_agreement(as_user):
    agreement = existing_agreement(SKANDERBORG, reference="SKA-1")
    assert c.LINDEHUS in visible(SKANDERBORG)
    client = as_user("contract_skanderborg")
    edit = reverse("plov_agreements:edit", args=[agreement.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, agreement_data(c.LINDEHUS, reference="SKA-2", start=agreement.start)
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.reference == "SKA-2"
    assert ModelLogEntry.objects.filter(action="plov.agreement_changed").count() == 1

    end = reverse("plov_agreements:end", args=[agreement.pk])
    assert client.get(end).status_code == 200
    before = snapshot()
    refused = client.post(end, {"end": "2023-12-31"})
    assert "Slutdato må ikke ligge før startdato" in refused.content.decode()
    assert snapshot() == before
    yesterday = clock.today() - dt.timedelta(days=1)
    assert client.post(end, {"end": str(yesterday)}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.end == yesterday
    assert c.LINDEHUS not in visible(SKANDERBORG)  # ended: gone from the search at once
    assert ModelLogEntry.objects.filter(action="plov.agreement_ended").count() == 1
    assert "Udløbet" in client.get(INDEX).content.decode()


def test_another_municipalitys_contract_manager_cannot_see_or_touch_an_agreement(as_user):
    agreement = existing_agreement(AARHUS, reference="AAR-1")
    client = as_user("contract_skanderborg")
    assert "AAR-1" not in client.get(INDEX).content.decode()
    before = snapshot()
    edit = reverse("plov_agreements:edit", args=[agreement.pk])
    end = reverse("plov_agreements:end", args=[agreement.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, agreement_data(c.LINDEHUS, reference="X")).status_code == 404
    assert client.get(end).status_code == 404
    assert client.post(end, {"end": "2024-06-01"}).status_code == 404
    # Naming the other municipality in the list changes nothing for a contract manager.
    assert "AAR-1" not in client.get(INDEX, {"kommune": AARHUS}).content.decode()
    assert snapshot() == before


def test_a_forged_post_naming_another_municipality_is_refused(as_user):
    client = as_user("contract_aarhus")
    before = snapshot()
    data = agreement_data(c.LINDEHUS, reference="AAR-9")
    assert client.post(CREATE, data | {"municipality": SKANDERBORG}).status_code == 403
    skanderborg = existing_agreement(SKANDERBORG, reference="SKA-1")
    before = snapshot()
    edit = reverse("plov_agreements:edit", args=[skanderborg.pk])
    assert client.post(edit, data | {"municipality": SKANDERBORG}).status_code == 404
    own = existing_agreement(AARHUS, reference="AAR-1")
    before = snapshot()
    own_edit = reverse("plov_agreements:edit", args=[own.pk])
    assert client.post(own_edit, data | {"municipality": SKANDERBORG}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("user", ["editor_company", "editor_aarhus"])
def test_an_editor_cannot_create_or_change_agreements(as_user, user):
    agreement = existing_agreement(AARHUS, reference="AAR-1")
    client = as_user(user)
    before = snapshot()
    assert client.get(INDEX).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, agreement_data(c.LINDEHUS)).status_code == 403
    edit = reverse("plov_agreements:edit", args=[agreement.pk])
    assert client.post(edit, agreement_data(c.LINDEHUS, reference="X")).status_code == 403
    end = reverse("plov_agreements:end", args=[agreement.pk])
    assert client.post(end, {"end": "2024-06-01"}).status_code == 403
    assert snapshot() == before


def test_the_unit_search_finds_units_by_name_sor_id_and_address(as_user):
    client = as_user("contract_aarhus")

    def found(query):
        html = client.get(CREATE, {"q": query}).content.decode()
        return {
            s for s in (c.LINDEHUS, c.SITE_PRIVATE, c.SOLGAARDEN) if f'data-sor-id="{s}"' in html
        }

    assert found("Lindehuset") == {c.LINDEHUS}
    assert found(c.SITE_PRIVATE) == {c.SITE_PRIVATE}
    assert found("Adelgade 3") == {c.SITE_PRIVATE}
    assert found("solvej 4, 8000") == {c.SOLGAARDEN}
    assert found("Omsorgshuset") == {c.LINDEHUS, c.SITE_PRIVATE}
    assert "Ingen åbne plejeenheder" in client.get(CREATE, {"q": "Xyzzyvej"}).content.decode()


def test_menus_and_dashboard_follow_the_roles(as_user):
    soon = clock.today() + dt.timedelta(days=30)
    existing_agreement(AARHUS, reference="AAR-ENDING", end=soon)
    existing_agreement(SKANDERBORG, sor_id=c.SITE_PRIVATE, reference="SKA-1")
    menu = {"Serviceleverancer": INDEX, "Aftalebeskrivelser": DESCRIPTIONS}
    shown = {}
    for name in ACTORS:
        html = as_user(name).get(reverse("wagtailadmin_home")).content.decode()
        shown[name] = {label for label, url in menu.items() if f'"{url}"' in html}
        if name == "contract_aarhus":
            assert "Aftaler der udløber inden for 60 dage" in html
            assert "AAR-ENDING" in html
            assert "Egne enheder uden serviceleverance i kraft" in html
            assert "Plejecenter Solgården" in html
    assert shown == {
        "agency": {"Serviceleverancer", "Aftalebeskrivelser"},
        "contract_aarhus": {"Serviceleverancer"},
        "contract_skanderborg": {"Serviceleverancer"},
        "editor_aarhus": set(),
        "editor_company": {"Aftalebeskrivelser"},
        "editor_other_company": set(),
    }


# --- the private provider's agreement description ---------------------------------------------


def test_the_providers_editor_writes_the_description_and_the_site_is_shown(as_user):
    manager = as_user("contract_skanderborg")
    assert manager.post(CREATE, agreement_data(c.SITE_PRIVATE)).status_code == 302
    assert c.SITE_PRIVATE not in visible(SKANDERBORG)  # home care: waits for the description
    assert MISSING in manager.get(INDEX).content.decode()

    editor = as_user("editor_company")
    listing = editor.get(DESCRIPTIONS).content.decode()
    site = unit(c.SITE_PRIVATE)
    assert f'data-unit="{site.pk}" data-kommune="{SKANDERBORG}"' in listing
    assert "Skanderborg Kommune" in listing and "Mangler" in listing
    url = reverse("plov_agreements:description", args=[site.pk, SKANDERBORG])
    assert editor.get(url).status_code == 200
    text = (
        "<script>alert('x')</script><p>Vi leverer <b>hjælp</b> døgnet rundt &amp; i weekenden."
        "</p>\r\n&lt;i&gt;Faste teams&lt;/i&gt;"
    )
    response = editor.post(url, {"text": text})
    assert response.status_code == 302 and response["Location"] == DESCRIPTIONS
    saved = AgreementDescription.objects.get(unit=site, municipality_id=SKANDERBORG)
    assert saved.text == "Vi leverer hjælp døgnet rundt & i weekenden.\nFaste teams"
    assert c.SITE_PRIVATE in visible(SKANDERBORG)
    assert ModelLogEntry.objects.filter(action="plov.description_saved").count() == 1

    # The municipality reads it, without the warning, and cannot write it.
    listing = manager.get(INDEX).content.decode()
    assert "Vi leverer hjælp døgnet rundt &amp; i weekenden." in listing and MISSING not in listing
    before = snapshot()
    assert manager.get(url).status_code == 403
    assert manager.post(url, {"text": "Kommunens tekst"}).status_code == 403
    assert snapshot() == before


def test_an_empty_description_is_refused(as_user):
    existing_agreement(SKANDERBORG, sor_id=c.SITE_PRIVATE, reference="SKA-1")
    url = reverse("plov_agreements:description", args=[unit(c.SITE_PRIVATE).pk, SKANDERBORG])
    client = as_user("editor_company")
    before = snapshot()
    response = client.post(url, {"text": "<b> </b>"})
    assert "Aftalebeskrivelsen skal udfyldes" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("user", ["editor_other_company", "editor_aarhus"])
def test_another_organisations_editor_cannot_write_the_description(as_user, user):
    existing_agreement(SKANDERBORG, sor_id=c.SITE_PRIVATE, reference="SKA-1")
    client = as_user(user)
    site = unit(c.SITE_PRIVATE)
    assert f'data-unit="{site.pk}"' not in client.get(DESCRIPTIONS).content.decode()
    before = snapshot()
    url = reverse("plov_agreements:description", args=[site.pk, SKANDERBORG])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Overtaget"}).status_code == 404
    assert snapshot() == before
    assert c.SITE_PRIVATE not in visible(SKANDERBORG)


def test_a_description_needs_an_agreement_with_that_municipality(as_user):
    existing_agreement(SKANDERBORG, sor_id=c.SITE_PRIVATE, reference="SKA-1")
    client = as_user("editor_company")
    before = snapshot()
    for code in (AARHUS, 999):
        url = reverse("plov_agreements:description", args=[unit(c.SITE_PRIVATE).pk, code])
        assert client.post(url, {"text": "Tekst"}).status_code == 404
    # A care home's driftsoverenskomst has no description.
    existing_agreement(SKANDERBORG, sor_id=c.LINDEHUS, reference="SKA-2")
    before = snapshot()
    url = reverse("plov_agreements:description", args=[unit(c.LINDEHUS).pk, SKANDERBORG])
    assert client.post(url, {"text": "Tekst"}).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Mad & drikke", "Mad & drikke"),
        ("<b>fed</b> tekst", "fed tekst"),
        ("før<script>alert(1)</script>efter", "førefter"),
        ("&lt;img src=x onerror=alert(1)&gt;ok", "ok"),
        ("a < b og c > d", "a < b og c > d"),
        ("linje 1\r\n\r\n\r\n\r\nlinje 2  ", "linje 1\n\nlinje 2"),
    ],
)
def test_descriptions_are_plain_text(typed, kept):
    assert plain_text(typed) == kept

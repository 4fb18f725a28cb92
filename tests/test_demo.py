"""`plov demo`: a small demo country built through the real importers."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from plov import clock
from plov.agreements.models import ServiceAgreement
from plov.demo.generator import FILES, generate
from plov.demo.users import organisation_cvr
from plov.publishing.registration_errors import registration_errors
from plov.publishing.visibility import visible_units
from plov.supervision.authorities import authority_by_municipality
from plov.supervision.models import QualityResult, Sanction, SanctionType, SupervisionFeedback
from plov.units.models import Municipality, Organisation, Unit, UnitKind

SCALE = 0.05


def run_demo(folder: Path | None = None, **options) -> str:
    out = io.StringIO()
    call_command("demo", scale=SCALE, keep_files=folder, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _demo_media(settings, tmp_path):
    """The demo writes supervision reports (PDFs): into this test's folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def care_units():
    return Unit.objects.exclude(kind=UnitKind.HOME_CARE_PROVIDER)


@pytest.mark.django_db
def test_a_small_demo_is_built_with_every_municipality_owning_units():
    output = run_demo()  # its time: benchmarks/demo_build.py
    assert "Demodata bygget" in output and "afviste" not in output

    assert Organisation.objects.filter(municipality__isnull=False).count() == 98
    owners_of = {
        kind: set(
            care_units()
            .filter(kind=kind, owner__municipality__isnull=False)
            .values_list("owner__municipality", flat=True)
        )
        for kind in (UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE)
    }
    assert len(owners_of[UnitKind.CARE_HOME]) >= 5
    assert len(owners_of[UnitKind.HOME_CARE_SITE]) >= 5
    assert care_units().filter(owner__kind=Organisation.Kind.COMPANY).exists()
    assert Unit.objects.filter(kind=UnitKind.HOME_CARE_PROVIDER).exists()


def test_some_units_are_published_and_some_are_not(demo):
    open_units = care_units().open()
    published = open_units.filter(published=True).count()
    assert 0 < published < open_units.count()
    assert published / open_units.count() > 0.7
    messages = Counter(w["message"] for u in open_units.filter(published=False) for w in u.warnings)
    assert messages["Enheden har ikke noget PNummer"] > 0
    assert care_units().filter(closed_on__isnull=False).exists()


def test_a_municipality_sees_a_provider_lying_in_another(demo):
    crossing = [
        (code, unit)
        for code in Municipality.objects.values_list("code", flat=True)
        for unit in visible_units(code)
        if unit.municipality_id != code
    ]
    assert crossing
    code, unit = crossing[0]
    assert ServiceAgreement.objects.filter(municipality_id=code, unit=unit).exists()


def test_registration_errors_include_all_three_kinds(demo):
    kinds = Counter(error["kind"] for error in registration_errors())
    assert kinds["nested_care_home"] >= 2  # the care home above and the one below
    assert kinds["invalid_address"] >= 1
    assert kinds["duplicate"] >= 2  # reported for both units of the pair


def test_citizens_find_quality_results_and_supervision_to_compare(demo):
    """The unit pages and the compare view have something to show: results imported from the
    agency's file (every row accepted), feedback from the unit's own authority, sanctions."""
    open_units = care_units().open()
    with_results = open_units.filter(quality_results__isnull=False).distinct().count()
    assert with_results / open_units.count() > 0.5
    kinds = set(QualityResult.objects.values_list("kind", flat=True))
    assert kinds == {QualityResult.Kind.INDICATOR, QualityResult.Kind.SATISFACTION}
    assert not QualityResult.objects.filter(unit__closed_on__isnull=False).exists()
    coverage = authority_by_municipality()
    feedback = SupervisionFeedback.objects.select_related("unit", "authority")
    assert feedback.exists()
    for item in feedback:
        assert item.authority.name == coverage[item.unit.municipality_id]
    for sanction in Sanction.objects.select_related("unit"):
        assert sanction.deadline or sanction.period_end
        if sanction.type == SanctionType.BAN_NEW_RESIDENTS:
            assert sanction.unit.kind == UnitKind.CARE_HOME


def test_running_the_demo_twice_gives_the_same_result(db, tmp_path):
    def state() -> tuple:
        return (
            sorted(care_units().values_list("sor_id", "published", "closed_on")),
            ServiceAgreement.objects.count(),
            Organisation.objects.count(),
            sorted(
                SupervisionFeedback.objects.values_list("unit__sor_id", "inspected_on", "status")
            ),
            sorted(Sanction.objects.values_list("unit__sor_id", "type", "decided_on")),
            QualityResult.objects.count(),
        )

    run_demo(tmp_path / "first")
    first = state()
    run_demo(tmp_path / "second")
    assert state() == first
    for name in FILES.values():
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_demo_users_log_in_with_their_role_and_organisation(db, client, settings):
    settings.PLOV_DEMO_PASSWORD = "hemmelig-demo"
    output = run_demo()
    aarhus = Organisation.objects.get(municipality_id=751)
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    expected = {
        "admin": "Sundhedsdatastyrelsen",
        "redaktoer-aarhus": "Redaktør",
        "redaktoer-privat": "Redaktør",
        "kontrakt-aarhus": "Driftsoverenskomstansvarlig",
        "tilsyn-silkeborg": "Ældretilsynet",
        "redaktoer-hjemmepleje": "Redaktør",
    }
    for username, group in expected.items():
        user = users[username]
        assert [g.name for g in user.groups.all()] == [group]
        assert user.has_perm("wagtailadmin.access_admin")
        assert username in output
        assert client.login(username=username, password="hemmelig-demo")
        assert not client.login(username=username, password="demo")
    assert users["admin"].is_superuser
    assert not users["redaktoer-aarhus"].is_superuser
    assert organisation_cvr(users["redaktoer-aarhus"]) == aarhus.cvr_number
    private = Organisation.objects.get(cvr_number=organisation_cvr(users["redaktoer-privat"]))
    assert private.kind == Organisation.Kind.COMPANY


def test_the_full_demo_has_a_thousand_care_homes_and_four_hundred_sites(tmp_path):
    files = generate(tmp_path, seed=1, scale=1.0)  # its time: benchmarks/demo_build.py
    with files.paths["sor"].open(encoding="utf-8-sig") as handle:
        types = Counter(row["EntityTypeName"] for row in csv.DictReader(handle, delimiter=";"))
    assert types["plejeenhed"] >= 950
    assert types["helhedsplejeleverandørsted"] >= 350
    assert types["plejehjem"] + types["hjemmeplejeenhed"] >= 2  # old types, still in SOR


def test_the_home_care_editor_can_write_the_description_of_a_driftsoverenskomst(
    db, client, settings
):
    """The demo's private home-care editor (issue 18, point 19): listed on the login page, and
    its organisation's site has a driftsoverenskomst whose description it may write."""

    from django.urls import reverse

    settings.PLOV_DEMO = True
    run_demo()
    login_page = client.get("/konto/login/").content.decode()
    assert 'value="redaktoer-hjemmepleje"' in login_page
    assert "privat hjemmepleje med driftsoverenskomst" in login_page
    response = client.post(
        reverse("accounts:demo-login"), {"username": "redaktoer-hjemmepleje", "next": "/admin/"}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="redaktoer-hjemmepleje")
    company = Organisation.objects.get(cvr_number=organisation_cvr(user))
    assert company.kind == Organisation.Kind.COMPANY
    agreement = (
        ServiceAgreement.objects.in_force(clock.today())
        .filter(type="driftsoverenskomst", unit__owner=company, unit__kind=UnitKind.HOME_CARE_SITE)
        .first()
    )
    assert agreement is not None
    listing = client.get(reverse("plov_agreements:descriptions"))
    assert listing.status_code == 200 and agreement.unit.name in listing.content.decode()
    url = reverse(
        "plov_agreements:description", args=[agreement.unit_id, agreement.municipality_id]
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Hjemmehjælp og sygepleje hele døgnet."})
    assert response.status_code == 302


def test_the_demo_has_the_agencys_pages_and_the_agency_may_edit_them(demo):
    from wagtail.models import GroupPagePermission

    from plov.pages.models import (
        AboutPage,
        AccessibilityStatementPage,
        DriftsinfoPage,
        GuidancePage,
    )

    danish, english = (
        DriftsinfoPage.objects.live().filter(locale__language_code=code).get()
        for code in ("da", "en")
    )
    assert danish.status_text.startswith("Planlagt vedligeholdelse")
    assert english.status_text.startswith("Planned maintenance")
    assert english.translation_key == danish.translation_key
    for model in (AboutPage, AccessibilityStatementPage):
        assert model.objects.live().filter(locale__language_code="en").exists()
        assert model.objects.live().filter(locale__language_code="da").exists()
    assert GuidancePage.objects.live().filter(locale__language_code="da").count() == 3
    assert GuidancePage.objects.live().filter(locale__language_code="en").count() == 3
    granted = GroupPagePermission.objects.filter(group__name="Sundhedsdatastyrelsen")
    # on the Danish root page and its English copy
    assert granted.values("page").distinct().count() == 2
    assert {"add_page", "change_page", "publish_page"} <= set(
        granted.values_list("permission__codename", flat=True)
    )


def test_every_unit_with_a_valid_address_has_a_street_of_neighbours_in_dar(demo):
    from plov.registers.models import DarAddress

    matched = care_units().filter(dar_address__isnull=False).select_related("dar_address")
    assert matched.exists()
    for unit in matched:
        address = unit.dar_address
        street = DarAddress.objects.filter(
            street_name=address.street_name, postcode=address.postcode
        )
        houses = set(street.values_list("house_number", flat=True))
        assert len(houses) >= 5, f"{address}: only {sorted(houses)}"
    # several streets in a town, and blocks of flats with floors and doors
    by_town = Counter(
        postcode
        for postcode, _ in DarAddress.objects.values_list("postcode", "street_name").distinct()
    )
    assert max(by_town.values()) >= 3
    assert DarAddress.objects.exclude(floor="").exclude(door="").count() > 50
    # (the deliberately invalid visiting addresses stay out of DAR: see
    # test_registration_errors_include_all_three_kinds)


def test_most_care_homes_have_prices_and_vacancies_some_missing_some_outdated(demo):
    """The demo shows every state a relative meets: a full monthly cost, one with an amount
    missing, none; a current vacancy report, an outdated one, none; home care's extras."""
    from plov.units.costs import monthly_cost, vacancies
    from plov.units.models import UnitContent

    today = clock.today()
    homes = list(
        UnitContent.objects.filter(unit__kind=UnitKind.CARE_HOME, unit__closed_on__isnull=True)
    )
    costs = [monthly_cost(c) for c in homes]
    complete = sum(1 for m in costs if m and m.complete)
    partial = sum(1 for m in costs if m and not m.complete)
    missing = sum(1 for m in costs if m is None)
    assert complete > len(homes) / 2 and partial > 0 and missing > 0
    for m in costs:
        if m and m.complete:
            assert 8_000 < m.total < 20_000, m
            assert m.reported_on is not None and m.valid_from <= today
    reports = [vacancies(c, today=today) for c in homes]
    assert sum(1 for r in reports if r and r.current) > len(homes) / 2
    assert any(r and r.outdated for r in reports) and any(r is None for r in reports)
    sites = UnitContent.objects.filter(unit__kind=UnitKind.HOME_CARE_SITE)
    assert sites.exclude(extra_services="").exists() and sites.filter(extra_services="").exists()


def _examples(text: str) -> list[str]:
    """The examples in a hint or message: "Fx 8000 eller Solvej 4, 8000. …" → ["8000",
    "Solvej 4, 8000"]; "…, fx 8000, eller en adresse …, fx Solvej 4, 8000." likewise; and the
    English "for example … or …"."""
    found = []
    for match in re.finditer(
        r"\b(?:[Ff]x|[Ff]or example) (.+?)(?=, (?:eller|or) |\.(?:\s|$))", text
    ):
        found += re.split(r" (?:eller|or) ", match.group(1))
    return sorted({f.strip() for f in found})


def test_every_address_example_the_site_shows_is_found_in_the_demo(demo, client):
    """The address field's hint and the address error give examples: each of them, searched
    on the demo, finds a place and shows distances (no "Vi kan ikke finde adressen")."""
    from bs4 import BeautifulSoup

    texts = []
    for home in ("/", "/en/"):
        page = BeautifulSoup(client.get(home).content, "html.parser")
        texts.append(page.select_one("#adresse-hint").get_text(" ", strip=True))
    error_page = client.get("/soeg/?adresse=1+2+3+4")
    assert error_page.status_code == 400
    texts.append(
        BeautifulSoup(error_page.content, "html.parser")
        .select_one("#adresse-error")
        .get_text(" ", strip=True)
    )
    examples = sorted({e for text in texts for e in _examples(text)})
    assert examples == ["8000", "Solvej 4, 8000"], texts
    for language in ("", "/en"):
        for example in examples:
            response = client.get(f"{language}/soeg/", {"adresse": example})
            assert response.status_code == 200, (example, response.status_code)
            page = BeautifulSoup(response.content, "html.parser")
            assert page.select_one("#adresse-error") is None, example
            assert page.select(".plov-result__distance"), f"{example}: no distances shown"

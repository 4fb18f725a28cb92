"""The weekly data-quality e-mail (`plov data_quality_mail`), with Django's locmem backend:
one e-mail per municipality with findings, to exactly that municipality's active editors with
an e-mail address, listing the right counts; nothing when there is nothing to report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from plov import clock
from plov.publishing.data_quality import KINDS, counts, findings
from plov.units.models import Organisation, Unit
from tests import country as c
from tests.test_backoffice_editing import make_user

SKANDERBORG, AARHUS = 746, 751
SKANDERBORG_CVR = "29189633"
AGENCY_CVR = "33257872"
BASE_URL = "https://plejeoverblikket.example"


def with_email(username, email, **spec):
    """A user as single sign-on makes them, with an e-mail address (SSO stores none)."""
    user = make_user(username, **spec)
    user.email = email
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def world(imported, settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "plejeoverblikket@sundhedsdata.example"
    Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY,
        name="Skanderborg Kommune",
        cvr_number=SKANDERBORG_CVR,
        municipality_id=SKANDERBORG,
    )
    users = {
        "editor_aarhus": with_email(
            "ea", "redaktoer@aarhus.example", roles=["editor"], cvr=c.AARHUS_CVR
        ),
        "editor_aarhus_narrowed": with_email(
            "ean", "smal@aarhus.example", roles=["editor"], cvr=c.AARHUS_CVR, sor_ids=[c.SOLGAARDEN]
        ),
        "editor_aarhus_no_email": make_user("eax", roles=["editor"], cvr=c.AARHUS_CVR),
        "editor_aarhus_inactive": with_email(
            "eai", "gammel@aarhus.example", roles=["editor"], cvr=c.AARHUS_CVR
        ),
        "contract_aarhus": with_email(
            "ca", "kontrakt@aarhus.example", roles=["contract_manager"], cvr=c.AARHUS_CVR
        ),
        "editor_skanderborg": with_email(
            "es", "redaktoer@skanderborg.example", roles=["editor"], cvr=SKANDERBORG_CVR
        ),
        "editor_company": with_email(
            "ec", "redaktoer@omsorgshuset.example", roles=["editor"], cvr=c.COMPANY_CVR
        ),
        "agency": with_email("ag", "admin@sundhedsdata.example", roles=["agency"], cvr=AGENCY_CVR),
    }
    users["editor_aarhus_inactive"].is_active = False
    users["editor_aarhus_inactive"].save(update_fields=["is_active"])
    return users


def run(*args) -> str:
    out = io.StringIO()
    call_command("data_quality_mail", *args, stdout=out)
    return out.getvalue()


def by_recipients() -> dict[tuple[str, ...], mail.EmailMessage]:
    return {tuple(sorted(m.to)): m for m in mail.outbox}


def test_each_municipality_gets_one_email_to_exactly_its_editors(world):
    output = run()
    assert len(mail.outbox) == 3
    sent = by_recipients()
    # Each editor gets their own copy: no one sees a colleague's address.
    assert set(sent) == {
        ("redaktoer@aarhus.example",),
        ("smal@aarhus.example",),
        ("redaktoer@skanderborg.example",),
    }
    assert sent[("smal@aarhus.example",)].body == sent[("redaktoer@aarhus.example",)].body
    everyone = {address for m in mail.outbox for address in [*m.to, *m.cc, *m.bcc]}
    for outsider in (
        "gammel@aarhus.example",  # inactive
        "kontrakt@aarhus.example",  # contract manager, not an editor
        "redaktoer@omsorgshuset.example",  # a private company's editor
        "admin@sundhedsdata.example",
    ):
        assert outsider not in everyone
    aarhus = sent[("redaktoer@aarhus.example",)]
    assert aarhus.subject.startswith("Plejeoverblikket: datakvalitet i Aarhus Kommune, uge ")
    assert aarhus.from_email == "plejeoverblikket@sundhedsdata.example"
    assert "751 Aarhus Kommune" in output and "3 e-mail(s) til 2 kommune(r) sendt." in output


def test_the_email_lists_the_right_counts_the_top_units_and_the_dashboard(world):
    run("--kommune", str(AARHUS))
    message = by_recipients()[("redaktoer@aarhus.example",)]
    per_kind = counts(findings())["municipalities"][AARHUS]
    body = message.body
    assert f"fundet {sum(per_kind.values())} registreringsfejl og mangler" in body
    for kind, label in KINDS.items():
        if per_kind[kind]:
            assert f"  {label}: {per_kind[kind]}\n" in body
        else:
            assert f"  {label}: " not in body.split("Hvad betyder fundene?")[0]
    assert f"{BASE_URL}/admin/datakvalitet/kommune/751/" in body
    # the top units: the municipality's own link to the unit editor, a private unit does not
    kaerbo, lindehus = Unit.objects.get(sor_id=c.KAERBO), Unit.objects.get(sor_id=c.LINDEHUS)
    assert "Plejecenter Kærbo (SOR-ID 100000000011)" in body
    assert f"{BASE_URL}/admin/enheder/{kaerbo.pk}/" in body
    assert "Lindehuset" in body and f"/admin/enheder/{lindehus.pk}/" not in body
    # Skanderborg's private site lies in Skanderborg, not in Aarhus
    assert "Omsorgshuset Skanderborg" not in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{BASE_URL}/admin/datakvalitet/kommune/751/"' in html


def test_kommune_narrows_to_one_municipality(world):
    run("--kommune", str(SKANDERBORG))
    assert [m.to for m in mail.outbox] == [["redaktoer@skanderborg.example"]]
    assert "Omsorgshuset Skanderborg" in mail.outbox[0].body


def test_dry_run_prints_and_sends_nothing(world):
    output = run("--dry-run")
    assert mail.outbox == []
    assert "Til: redaktoer@aarhus.example, smal@aarhus.example (hver for sig)" in output
    assert "Til: redaktoer@skanderborg.example" in output
    assert "Emne: Plejeoverblikket: datakvalitet i Aarhus Kommune" in output
    assert "3 e-mail(s) til 2 kommune(r) ville blive sendt." in output


def test_no_email_without_findings_or_without_editors(world):
    # Skanderborg's only unit closes: no findings there, no e-mail
    Unit.objects.filter(sor_id=c.SITE_PRIVATE).update(closed_on=clock.today())
    run()
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "redaktoer@aarhus.example",
        "smal@aarhus.example",
    ]
    # Aarhus's editors lose their addresses: no one to write to
    mail.outbox.clear()
    world["editor_aarhus"].email = ""
    world["editor_aarhus"].save()
    world["editor_aarhus_narrowed"].is_active = False
    world["editor_aarhus_narrowed"].save()
    assert "0 e-mail(s) til 0 kommune(r) sendt." in run()
    assert mail.outbox == []


def test_nothing_to_report_sends_nothing(world):
    Unit.objects.update(closed_on=clock.today() - dt.timedelta(days=1))
    assert findings() == []
    output = run()
    assert mail.outbox == []
    assert "0 e-mail(s) til 0 kommune(r) sendt." in output

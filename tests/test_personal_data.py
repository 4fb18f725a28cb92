"""Text that looks like a CPR number is refused in every public free-text field (issue 18,
point 13): the rule (`plov.units.personal_data`), and the forms that use it."""

from __future__ import annotations

import pytest

from plov.agreements.forms import DescriptionForm
from plov.supervision.forms import sanction_kind_problem
from plov.supervision.models import SanctionType
from plov.units.forms import UnitContentForm
from plov.units.models import UnitKind
from plov.units.personal_data import cpr_numbers, cpr_problem


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Beboer 010203-1234 klagede.", ["010203-xxxx"]),
        ("Beboer 0102031234 klagede.", ["010203-xxxx"]),  # without the dash
        ("CPR: 311299 – 1234", ["311299-xxxx"]),  # Word's dash, spaced
        ("<p>Beboer <b>290204-1111</b></p>", ["290204-xxxx"]),  # in rich text
        ("Ring på 86 12 34 56 eller 86123456.", []),  # phone numbers
        ("P-nummer 1000000010", []),  # month 00: no date
        ("Sag 3213001234", []),  # day 32
        ("Sag 3102001234", []),  # 31 February
        ("Konto 12010203123456", []),  # a longer run of digits
        ("Åbent 010203 1234", []),  # a date and a number, no CPR shape
        ("Tilsyn 01.02.2026: 12 beboere", []),
    ],
)
def test_cpr_like_numbers_are_found(text, found):
    assert cpr_numbers(text) == found


def test_the_message_names_the_field_and_never_repeats_the_number():
    message = cpr_problem("Hans 010203-1234", "Sammenfatningen")
    assert message.startswith("Sammenfatningen ser ud til at indeholde et CPR-nummer (010203-xxxx)")
    assert "1234" not in message
    assert cpr_problem("Ingen personoplysninger", "Sammenfatningen") is None


def test_the_unit_content_form_refuses_a_cpr_number_in_public_text():
    form = UnitContentForm(data={"values": "<p>Kontakt 0102031234</p>", "vision": "<p>Godt</p>"})
    assert not form.is_valid()
    assert "ser ud til at indeholde et CPR-nummer" in form.errors["values"][0]
    assert "vision" not in form.errors


def test_the_agreement_description_refuses_a_cpr_number():
    form = DescriptionForm(data={"text": "Aftalt med borger 010203-1234"})
    assert not form.is_valid()
    assert "Aftalebeskrivelsen ser ud til at indeholde et CPR-nummer" in form.errors["text"][0]


@pytest.mark.parametrize(
    ("sanction", "kind", "refused"),
    [
        (SanctionType.BAN_NEW_CITIZENS, UnitKind.CARE_HOME, True),
        (SanctionType.BAN_NEW_RESIDENTS, UnitKind.CARE_HOME, False),
        (SanctionType.BAN_NEW_RESIDENTS, UnitKind.HOME_CARE_SITE, True),
        (SanctionType.BAN_NEW_CITIZENS, UnitKind.HOME_CARE_SITE, False),
        (SanctionType.ORDER, UnitKind.CARE_HOME, False),
        (SanctionType.ADVICE_ORDER, UnitKind.HOME_CARE_SITE, False),
    ],
)
def test_a_ban_fits_its_kind_of_unit(sanction, kind, refused):
    problem = sanction_kind_problem(sanction, kind)
    assert (problem is not None) == refused
    if sanction == SanctionType.BAN_NEW_CITIZENS and refused:
        assert problem == (
            "«Forbud mod at modtage nye borgere» gælder hjemmepleje. For en plejeenhed vælges "
            "«Forbud mod indflytning af nye beboere»"
        )


def test_the_bulk_imports_refuse_cpr_numbers_in_public_text(imported, tmp_path):
    import json

    from plov.agreements.importer import import_agreements
    from plov.agreements.models import AgreementDescription, ServiceAgreement
    from plov.units.editorial import import_editorial
    from plov.units.models import Unit, UnitContent
    from tests import country as c

    path = tmp_path / "aftaler.csv"
    path.write_text(
        "kommunekode;sor_id;aftaleidentifikation;type;start;slut;beskrivelse\n"
        f"746;{c.SITE_PRIVATE};SKA-1;Driftsoverenskomst;2025-01-01;;Borger 010203-1234\n",
        encoding="utf-8",
    )
    summary, rejected = import_agreements(path)
    assert summary.created == 0
    assert rejected == [
        f"{path}:2: beskrivelse ser ud til at indeholde et CPR-nummer (010203-xxxx). Teksten "
        "vises offentligt: fjern CPR-numre og andre personoplysninger"
    ]
    ServiceAgreement.objects.create(
        municipality_id=746,
        unit=Unit.objects.get(sor_id=c.SITE_PRIVATE),
        reference="SKA-1",
        type="driftsoverenskomst",
        start="2025-01-01",
    )
    records = tmp_path / "indhold.json"
    records.write_text(
        json.dumps(
            [
                {"sor_id": c.LINDEHUS, "values": "<p>Kontakt 0102031234</p>"},
                {"sor_id": c.SITE_PRIVATE, "agreement_descriptions": {"746": "CPR 010203-1234"}},
            ]
        ),
        encoding="utf-8",
    )
    summary, rejected = import_editorial(records)
    assert len(rejected) == 2
    assert rejected[0].endswith(
        f"sor_id {c.LINDEHUS}: values: Værdigrundlag ser ud til at indeholde et CPR-nummer "
        "(010203-xxxx). Teksten vises offentligt: fjern CPR-numre og andre personoplysninger"
    )
    assert (
        "Aftalebeskrivelsen for kommune 746 ser ud til at indeholde et CPR-nummer" in (rejected[1])
    )
    assert not UnitContent.objects.filter(unit__sor_id=c.LINDEHUS).exists()
    assert not AgreementDescription.objects.exists()

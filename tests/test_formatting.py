"""One formatting module (issue 14, §4): the one Danish address format, CVR's intervals, slugs."""

from __future__ import annotations

import pytest

from plov.units.formatting import (
    content_of,
    floor_door,
    format_address,
    interval_label,
    slug,
    street_line,
    unit_slug,
    word_variants,
)
from plov.units.models import Unit

SOLVEJ = {
    "street": "Solvej",
    "house_number": "4",
    "floor": "1",
    "door": "tv",
    "postcode": "8000",
    "district": "Aarhus C",
}


@pytest.mark.parametrize(
    ("parts", "written"),
    [
        (SOLVEJ, "Solvej 4, 1. tv, 8000 Aarhus C"),
        ({**SOLVEJ, "floor": "1."}, "Solvej 4, 1. tv, 8000 Aarhus C"),
        ({**SOLVEJ, "floor": "st", "door": "th"}, "Solvej 4, st. th, 8000 Aarhus C"),
        ({**SOLVEJ, "floor": "KL", "door": ""}, "Solvej 4, kl., 8000 Aarhus C"),
        ({**SOLVEJ, "floor": None, "door": None}, "Solvej 4, 8000 Aarhus C"),
        ({**SOLVEJ, "floor": "", "door": "2"}, "Solvej 4, 2, 8000 Aarhus C"),
        ({"street": "Solvej", "house_number": "4B"}, "Solvej 4B"),
        ({"postcode": "8000", "district": "Aarhus C"}, "8000 Aarhus C"),
        ({}, ""),
        (None, ""),
    ],
)
def test_one_danish_address_format(parts, written):
    assert format_address(parts) == written


def test_the_street_line_is_the_address_without_the_town():
    assert street_line(SOLVEJ) == "Solvej 4, 1. tv"
    assert floor_door(SOLVEJ) == "1. tv"
    assert street_line({**SOLVEJ, "floor": None, "door": None}) == "Solvej 4"


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("ANTAL_20_49", "20–49"),
        ("ANTAL_1_1", "1–1"),
        ("ANTAL_1000_999999", "1000 eller flere"),
        ("ANTAL_100", "100 eller flere"),
        ("", None),
        (None, None),
        ("UKENDT", None),
    ],
)
def test_one_label_for_cvrs_employee_intervals(code, label):
    assert interval_label(code) == label


def test_slugs_spell_out_the_danish_letters():
    assert slug("Kærbo Øst & Å") == "kaerbo-oest-aa"
    assert unit_slug("Plejecenter Kærbo Østergård") == "plejecenter-kaerbo-oestergaard"
    assert unit_slug("!!!") == "enhed"
    assert len(unit_slug("x" * 200)) == 80


def test_word_variants_cover_the_cases_sqlite_does_not_fold():
    assert word_variants("ærø") == {"ærø", "Ærø", "ÆRØ"}


def test_content_of_a_unit_without_content_is_none(imported):
    unit = Unit.objects.filter(content__isnull=True).first()
    assert unit is not None and content_of(unit) is None and content_of(None) is None

"""The verdict rule (`plov.supervision.verdicts`): better / about the same / worse than an average,
by a 95 % confidence interval where a share has respondents, else by a 10 % threshold."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plov.supervision.models import QualityResult
from plov.supervision.verdicts import (
    MIN_MUNICIPAL_UNITS,
    Reason,
    Rule,
    Verdict,
    attach_benchmarks,
    compare,
    margin_of,
    rule_text,
)
from plov.units.models import Unit, UnitKind
from tests import country as c

HIGHER, LOWER = QualityResult.Better.HIGHER, QualityResult.Better.LOWER
D = Decimal


# --- the pure rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "better", "verdict"),
    [
        ("5.4", LOWER, Verdict.WORSE),  # pressure ulcers 5,4 % against 4 %: fewer is better
        ("2.5", LOWER, Verdict.BETTER),
        ("4.3", LOWER, Verdict.SAME),  # 0,3 points is within 10 % of 4
        ("5.4", HIGHER, Verdict.BETTER),  # the same numbers the other way round
        ("2.5", HIGHER, Verdict.WORSE),
        ("3.7", HIGHER, Verdict.SAME),
    ],
)
def test_without_respondents_a_difference_counts_above_ten_per_cent_of_the_average(
    value, better, verdict
):
    result = compare(D(value), D("4"), better=better, unit_of_measure="%")
    assert result.verdict == verdict
    assert result.rule == Rule.THRESHOLD
    assert result.margin == D("0.4")
    assert result.difference == D(value) - 4


def test_a_difference_exactly_at_the_margin_is_about_the_same():
    assert compare(D("4.4"), D("4"), better=LOWER).verdict == Verdict.SAME
    assert compare(D("4.401"), D("4"), better=LOWER).verdict == Verdict.WORSE


def test_with_respondents_a_share_is_judged_by_its_95_per_cent_confidence_interval():
    # 80 % satisfied against 86 %: with 40 respondents the margin is 1.96·√(.86·.14/40) ≈ 10,8
    # points, so the unit is about the same; with 400 it is ≈ 3,4 points, so it is worse.
    few = compare(D("80"), D("86"), better=HIGHER, respondents=40, unit_of_measure="%")
    assert few.rule == Rule.CONFIDENCE_INTERVAL
    assert few.margin.quantize(D("0.1")) == D("10.8")
    assert few.verdict == Verdict.SAME
    many = compare(D("80"), D("86"), better=HIGHER, respondents=400, unit_of_measure="%")
    assert many.margin.quantize(D("0.1")) == D("3.4")
    assert many.verdict == Verdict.WORSE
    # the threshold alone (8,6 points) would have called 400 respondents "about the same"
    assert compare(D("80"), D("86"), better=HIGHER, unit_of_measure="%").verdict == Verdict.SAME
    assert compare(
        D("95"), D("86"), better=HIGHER, respondents=400, unit_of_measure="%"
    ).verdict == (Verdict.BETTER)


def test_no_respondents_or_a_figure_that_is_not_a_share_falls_back_to_the_threshold():
    for respondents, unit in ((None, "%"), (0, "%"), (120, "pr. 1.000"), (120, "")):
        margin, rule = margin_of(D("95"), respondents=respondents, unit_of_measure=unit)
        assert (margin, rule) == (D("9.5"), Rule.THRESHOLD), (respondents, unit)


def test_an_average_of_zero_or_a_hundred_per_cent_leaves_no_margin():
    assert compare(D("0.5"), D("0"), better=LOWER, respondents=50, unit_of_measure="%").verdict == (
        Verdict.WORSE
    )
    assert compare(D("0"), D("0"), better=LOWER).verdict == Verdict.SAME
    assert compare(
        D("99"), D("100"), better=HIGHER, respondents=30, unit_of_measure="%"
    ).verdict == (Verdict.WORSE)


def test_without_an_average_there_is_no_verdict_and_the_reason_is_given():
    result = compare(D("5"), None, better=LOWER)
    assert (result.verdict, result.reason, result.known) == (
        Verdict.UNKNOWN,
        Reason.NO_AVERAGE,
        False,
    )
    assert result.text == "Intet landsgennemsnit offentliggjort"
    municipal = compare(D("5"), None, better=LOWER, scope="municipal")
    assert municipal.text == "Intet gennemsnit for kommunen"


def test_without_a_direction_there_is_no_verdict_but_the_difference_is_kept():
    result = compare(D("5.4"), D("4"), better="")
    assert (result.verdict, result.reason) == (Verdict.UNKNOWN, Reason.NO_DIRECTION)
    assert result.difference == D("1.4") and result.margin is None
    assert "ikke oplyst" in result.text


def test_the_verdicts_are_said_in_words():
    assert compare(D("2"), D("4"), better=LOWER).text == "Bedre end landsgennemsnittet"
    assert compare(D("4"), D("4"), better=LOWER).text == "På niveau med landsgennemsnittet"
    assert compare(D("6"), D("4"), better=LOWER, scope="municipal").text == (
        "Dårligere end gennemsnittet i kommunen"
    )


def test_the_rule_the_page_shows_names_its_numbers():
    text = rule_text()
    assert "95 %-konfidensinterval" in text and "10 % af gennemsnittet" in text
    assert f"mindst {MIN_MUNICIPAL_UNITS} steder" in text


# --- with the database: the municipality's average --------------------------------------------


def result(unit: Unit, value: str, **kwargs) -> QualityResult:
    defaults = {
        "kind": QualityResult.Kind.SATISFACTION,
        "code": "BTU-01",
        "name": "Tilfredse med hjælpen samlet set",
        "period": "2025",
        "unit_of_measure": "%",
        "national_average": D("86"),
        "better": HIGHER,
    }
    return QualityResult.objects.create(unit=unit, value=D(value), **{**defaults, **kwargs})


@pytest.fixture
def aarhus_homes(imported):
    """Care homes in one municipality, all published (Solgården, Lindehus and two more)."""
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    homes = [solgaarden, Unit.objects.get(sor_id=c.LINDEHUS)]
    for n in range(2):
        homes.append(
            Unit.objects.create(
                sor_id=f"30000000000{n}",
                name=f"Ekstra plejehjem {n}",
                kind=UnitKind.CARE_HOME,
                owner=solgaarden.owner,
                municipality=solgaarden.municipality,
                visiting_address=solgaarden.visiting_address,
            )
        )
    Unit.objects.filter(pk__in=[u.pk for u in homes]).update(
        published=True, municipality=solgaarden.municipality
    )
    return [Unit.objects.get(pk=u.pk) for u in homes]


def test_the_municipal_average_is_over_the_published_units_of_the_same_kind(aarhus_homes):
    first, *others = aarhus_homes
    mine = result(first, "70")
    for unit, value in zip(others, ("90", "92", "94"), strict=True):
        result(unit, value)
    # a home-care site's figure with the same code is not averaged with care homes
    site = Unit.objects.filter(kind=UnitKind.HOME_CARE_SITE).first()
    Unit.objects.filter(pk=site.pk).update(municipality=first.municipality, published=True)
    result(site, "10")
    # an unpublished unit's figure does not count
    Unit.objects.filter(pk=others[-1].pk).update(published=False)

    (judged,) = attach_benchmarks(
        list(QualityResult.objects.filter(pk=mine.pk).select_related("unit"))
    )
    assert judged.municipal.units == 3
    assert judged.municipal.average == D("84.0")  # (70 + 90 + 92) / 3
    assert judged.municipal.verdict == Verdict.WORSE and judged.municipal.rule == Rule.THRESHOLD
    assert judged.national.verdict == Verdict.WORSE
    assert judged.direction_text == "Flere er bedre"


def test_too_few_units_in_the_municipality_give_no_municipal_average(aarhus_homes):
    first, second, *_ = aarhus_homes
    mine = result(first, "70", better=LOWER)
    result(second, "90")
    (judged,) = attach_benchmarks([QualityResult.objects.select_related("unit").get(pk=mine.pk)])
    assert judged.municipal.verdict == Verdict.UNKNOWN
    assert judged.municipal.reason == Reason.TOO_FEW_UNITS and judged.municipal.units == 2
    assert judged.municipal.text == "For få steder i kommunen har tallet til et gennemsnit"
    assert judged.national.verdict == Verdict.BETTER  # 70 against 86, fewer is better
    assert judged.direction_text == "Færre er bedre"

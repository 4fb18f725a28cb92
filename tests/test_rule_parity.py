"""One rule, two encodings, proven equal over the demo country (issue 14, §3).

"Which agreements count" is written as Python (`publishing.rules.agreement_counts`, used by the
unit page, open data and `refresh_publication`) and as a QuerySet
(`publishing.visibility.counting_agreements`, used by search). The editor's "reasons to hide" is
`refresh.unit_publication_findings`, the evaluation `refresh_publication` stores. These tests
compare them agreement by agreement and unit by unit, on several days.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from plov import clock
from plov.agreements.models import AgreementType
from plov.publishing.refresh import load_inputs, refresh_publication, unit_publication_findings
from plov.publishing.rules import agreement_counts, is_publishable
from plov.publishing.visibility import counting_agreements, visible_units
from plov.units.models import Municipality, Unit, UnitKind


@pytest.fixture
def demo(db):
    call_command("demo", scale=0.05, stdout=io.StringIO(), stderr=io.StringIO())


def days():
    today = clock.today()
    return [today, today - dt.timedelta(days=365), today + dt.timedelta(days=365)]


def test_the_encodings_agree_over_the_demo_country(demo):
    """One demo build (the slow part) for both comparisons."""
    which_agreements_count_is_the_same_rule_in_python_and_sql()
    the_editors_reasons_to_hide_are_the_stored_evaluation_unit_by_unit()


def which_agreements_count_is_the_same_rule_in_python_and_sql():
    inputs = load_inputs()
    units = {u.pk: u for u in Unit.objects.all()}
    codes = list(Municipality.objects.values_list("code", flat=True))
    left_out = 0
    for day in days():
        for code in codes:
            in_force = [
                a
                for unit_id, agreements in inputs.agreements.items()
                for a in agreements
                if a.municipality_id == code and a.in_force(day)
            ]
            python = {
                a.pk
                for a in in_force
                if agreement_counts(a, units[a.unit_id], inputs.described[a.unit_id], day)
            }
            left_out += len(in_force) - len(python)
            assert set(counting_agreements(code, day).values_list("pk", flat=True)) == python, (
                code,
                day,
            )
            shown = {
                a.unit_id
                for a in in_force
                if a.pk in python and units[a.unit_id].published and not units[a.unit_id].closed_on
            }
            assert set(visible_units(code, day).values_list("pk", flat=True)) == shown, (code, day)
    # the rule has cases to tell apart: undescribed home-care driftsoverenskomster
    assert left_out > 0
    assert any(
        a.type == AgreementType.OPERATING_AGREEMENT and units[a.unit_id].is_home_care
        for agreements in inputs.agreements.values()
        for a in agreements
    )


def the_editors_reasons_to_hide_are_the_stored_evaluation_unit_by_unit():
    refresh_publication()
    units = Unit.objects.exclude(kind=UnitKind.HOME_CARE_PROVIDER)
    assert units.filter(published=True).exists() and units.filter(published=False).exists()
    for unit in units:
        findings = unit_publication_findings(unit)
        assert unit.warnings == [f.as_dict() for f in findings], unit.sor_id
        assert unit.published is is_publishable(findings), unit.sor_id

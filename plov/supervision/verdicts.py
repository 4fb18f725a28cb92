"""Whether a unit's quality figure is better than, about the same as, or worse than an average.

The rule, as the unit page states it (`RULE`):

1. Each figure says which way is better (`QualityResult.better`, the file's `bedst`). When the
   file does not say, there is no verdict, and the page says why.
2. The figure is compared with an average: the national average from the agency's file, and
   the municipality's average (the mean of the published units of the same kind in the unit's
   municipality with the same figure and period; only with at least `MIN_MUNICIPAL_UNITS`
   units, the unit itself included). No average: no verdict, and the reason.
3. The difference counts when it is larger than a margin:
   - for a share in per cent with a known number of respondents (`respondents`): the half-width
     of a 95 % confidence interval for a proportion of that many around the average,
     1.96 · √(p(1 − p) / n), in percentage points;
   - otherwise: `THRESHOLD` (10 %) of the average.
   A difference no larger than the margin is "about the same".

`compare` is the pure rule (no database); `attach_benchmarks` reads the municipality averages
for a list of results in one query and hangs a `national` and a `municipal` `Comparison` on
each result, for the unit page, compare and the API.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from plov.supervision.models import QualityResult

Z_95 = 1.96
THRESHOLD = Decimal("0.10")  # without respondents: a difference larger than 10 % of the average
MIN_MUNICIPAL_UNITS = 3
PERCENT_UNITS = {"%", "pct", "pct.", "procent"}
MARGIN_DECIMALS = Decimal("0.001")


class Verdict(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    UNKNOWN = "unknown"  # no average, or no direction: `Comparison.reason` says which


class Rule(StrEnum):
    CONFIDENCE_INTERVAL = "confidence_interval"
    THRESHOLD = "threshold"


class Reason(StrEnum):
    NO_AVERAGE = "no_average"
    TOO_FEW_UNITS = "too_few_units"
    NO_DIRECTION = "no_direction"


Better = QualityResult.Better

RULE = _(
    "Vi sammenligner hvert tal med landsgennemsnittet og med gennemsnittet i kommunen (de "
    "viste steder af samme slags med samme måling, mindst %(min_units)s steder). Er tallet en "
    "andel i procent, og kender vi antallet af besvarelser, er stedet kun bedre eller dårligere, "
    "når forskellen er større end den statistiske usikkerhed ved så mange besvarelser (et 95 "
    "%%-konfidensinterval for en andel). Ellers skal forskellen være større end %(threshold)s "
    "%% af gennemsnittet. Mindre forskelle kalder vi »på niveau med«."
)

DIRECTION_TEXT = {
    Better.HIGHER: _("Flere er bedre"),
    Better.LOWER: _("Færre er bedre"),
}
NO_DIRECTION_TEXT = _("Det er ikke oplyst, om et højt eller et lavt tal er bedst")

NATIONAL_TEXT = {
    Verdict.BETTER: _("Bedre end landsgennemsnittet"),
    Verdict.SAME: _("På niveau med landsgennemsnittet"),
    Verdict.WORSE: _("Dårligere end landsgennemsnittet"),
}
MUNICIPAL_TEXT = {
    Verdict.BETTER: _("Bedre end gennemsnittet i kommunen"),
    Verdict.SAME: _("På niveau med gennemsnittet i kommunen"),
    Verdict.WORSE: _("Dårligere end gennemsnittet i kommunen"),
}
REASON_TEXT = {
    (Reason.NO_AVERAGE, "national"): _("Intet landsgennemsnit offentliggjort"),
    (Reason.NO_AVERAGE, "municipal"): _("Intet gennemsnit for kommunen"),
    (Reason.TOO_FEW_UNITS, "municipal"): _("For få steder i kommunen har tallet til et gennemsnit"),
    (Reason.NO_DIRECTION, "national"): _("Ingen vurdering: det er ikke oplyst, hvad der er bedst"),
    (Reason.NO_DIRECTION, "municipal"): _("Ingen vurdering: det er ikke oplyst, hvad der er bedst"),
}


def rule_text() -> str:
    return str(RULE) % {"min_units": MIN_MUNICIPAL_UNITS, "threshold": int(THRESHOLD * 100)}


@dataclass(frozen=True)
class Comparison:
    """One figure against one average."""

    scope: str  # "national" or "municipal"
    verdict: Verdict
    average: Decimal | None = None
    difference: Decimal | None = None  # value − average, in the figure's unit
    margin: Decimal | None = None  # the difference must be larger than this to count
    rule: Rule | None = None
    reason: Reason | None = None  # why the verdict is unknown
    units: int | None = None  # how many units the municipality's average is over

    @property
    def known(self) -> bool:
        return self.verdict != Verdict.UNKNOWN

    @property
    def text(self) -> str:
        """The verdict in words, or the reason there is none."""
        if self.reason is not None:
            return str(REASON_TEXT[(self.reason, self.scope)])
        texts = NATIONAL_TEXT if self.scope == "national" else MUNICIPAL_TEXT
        return str(texts[self.verdict])


def is_share(unit_of_measure: str) -> bool:
    return (unit_of_measure or "").strip().lower() in PERCENT_UNITS


def margin_of(
    average: Decimal, *, respondents: int | None, unit_of_measure: str
) -> tuple[Decimal, Rule]:
    """How large a difference must be to count, and by which rule."""
    if respondents and respondents > 0 and is_share(unit_of_measure):
        p = min(1.0, max(0.0, float(average) / 100))
        margin = Z_95 * math.sqrt(p * (1 - p) / respondents) * 100
        return Decimal(str(margin)).quantize(MARGIN_DECIMALS), Rule.CONFIDENCE_INTERVAL
    return (abs(Decimal(average)) * THRESHOLD).quantize(MARGIN_DECIMALS), Rule.THRESHOLD


def compare(
    value: Decimal,
    average: Decimal | None,
    *,
    better: str,
    respondents: int | None = None,
    unit_of_measure: str = "",
    scope: str = "national",
    reason_without_average: Reason = Reason.NO_AVERAGE,
    units: int | None = None,
) -> Comparison:
    """The verdict on `value` against `average` (see the module's rule)."""
    if average is None:
        return Comparison(scope, Verdict.UNKNOWN, reason=reason_without_average, units=units)
    average = Decimal(average)
    difference = Decimal(value) - average
    if better not in (Better.HIGHER, Better.LOWER):
        return Comparison(
            scope, Verdict.UNKNOWN, average, difference, reason=Reason.NO_DIRECTION, units=units
        )
    margin, rule = margin_of(average, respondents=respondents, unit_of_measure=unit_of_measure)
    if abs(difference) <= margin:
        verdict = Verdict.SAME
    elif (difference > 0) == (better == Better.HIGHER):
        verdict = Verdict.BETTER
    else:
        verdict = Verdict.WORSE
    return Comparison(scope, verdict, average, difference, margin, rule, units=units)


def latest_per_code(results: Iterable[QualityResult], kind: str) -> list[QualityResult]:
    """The newest period of each figure of `kind` (results come sorted newest period first)."""
    seen: set[str] = set()
    latest = []
    for result in results:
        if result.kind == kind and result.code not in seen:
            seen.add(result.code)
            latest.append(result)
    return latest


# --- With the database --------------------------------------------------------------------


def municipal_averages(results: Iterable[QualityResult]) -> dict[tuple, tuple[Decimal, int]]:
    """(municipality, unit kind, figure kind, code, period) → (mean value, number of units) over
    the published units, for the municipalities and figures of `results` (one query). Each
    result must have its `unit` loaded."""
    results = [r for r in results if r.unit.municipality_id is not None]
    if not results:
        return {}
    rows = (
        QualityResult.objects.filter(
            unit__published=True,
            unit__closed_on__isnull=True,
            unit__municipality_id__in={r.unit.municipality_id for r in results},
            code__in={r.code for r in results},
            period__in={r.period for r in results},
        )
        .values("unit__municipality_id", "unit__kind", "kind", "code", "period")
        .annotate(average=Avg("value"), units=Count("unit_id", distinct=True))
    )
    return {
        (
            row["unit__municipality_id"],
            row["unit__kind"],
            row["kind"],
            row["code"],
            row["period"],
        ): (Decimal(row["average"]), row["units"])
        for row in rows
    }


def attach_benchmarks(results: list[QualityResult]) -> list[QualityResult]:
    """Hang `national` and `municipal` comparisons and `direction_text` on each result."""
    averages = municipal_averages(results)
    for result in results:
        options = {
            "better": result.better,
            "respondents": result.respondents,
            "unit_of_measure": result.unit_of_measure,
        }
        result.national = compare(result.value, result.national_average, **options)
        key = (
            result.unit.municipality_id,
            result.unit.kind,
            result.kind,
            result.code,
            result.period,
        )
        average, units = averages.get(key, (None, 0))
        if average is not None and units < MIN_MUNICIPAL_UNITS:
            result.municipal = compare(
                result.value,
                None,
                scope="municipal",
                reason_without_average=Reason.TOO_FEW_UNITS,
                units=units,
                **options,
            )
        else:
            result.municipal = compare(
                result.value,
                average.quantize(Decimal("0.1")) if average is not None else None,
                scope="municipal",
                units=units or None,
                **options,
            )
        result.direction_text = str(DIRECTION_TEXT.get(result.better, NO_DIRECTION_TEXT))
    return results


def judged_results(unit) -> list[QualityResult]:
    """The unit's newest result of each figure (indicators, then satisfaction), with their
    comparisons: what the unit page shows, for the API."""
    results = list(
        QualityResult.objects.filter(unit=unit).order_by("kind", "name", "code", "-period")
    )
    for result in results:
        result.unit = unit
    latest = latest_per_code(results, QualityResult.Kind.INDICATOR) + latest_per_code(
        results, QualityResult.Kind.SATISFACTION
    )
    return attach_benchmarks(latest)

"""The search's monthly-cost filter and sort (`pris_max`, `sorter=pris`), kept apart from
`plov.public.search` so that its query code stays small.

The total is the SQL sum of the four amounts: NULL when any is missing, exactly as
`plov.units.costs.MonthlyCost.total` (never a partial sum). A filter on a maximum leaves out
the care homes without a total (their price is not known); sorting puts them last.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from plov.units.costs import COST_FIELDS

# The choices the filter offers (kr. per month); any whole number in the URL is accepted.
PRICE_LIMITS = (10_000, 12_500, 15_000, 17_500, 20_000, 25_000)
MAX_PRICE_DIGITS = 7


def total_expression():
    """The unit's monthly total (content__rent_monthly + …); NULL when one is missing."""
    expression = F(f"content__{COST_FIELDS[0]}")
    for name in COST_FIELDS[1:]:
        expression = expression + F(f"content__{name}")
    return expression


def with_max_cost(units: QuerySet, maximum: int) -> QuerySet:
    return units.alias(monthly_total=total_expression()).filter(monthly_total__lte=maximum)


def parse_max_cost(text: str) -> tuple[int | None, str | None]:
    """(maximum, notice): '15000', '15.000' or '15 000 kr.' → 15000; anything else is ignored
    with a Danish notice."""
    value = (text or "").strip().lower().removesuffix("kr.").removesuffix("kr").strip()
    value = value.replace(".", "").replace(" ", "")
    if not value:
        return None, None
    if value.isdigit() and len(value) <= MAX_PRICE_DIGITS:
        return int(value), None
    return None, _(
        "Den højeste pris skal være et beløb i hele kroner, fx 15000. Vi viser alle priser."
    )


def sort_by_total(rows: list[dict]) -> None:
    """Lowest total first; care homes without a total last (in the order they had)."""
    rows.sort(key=lambda r: (r["monthly_total"] is None, r["monthly_total"] or 0))


def price_options() -> list[tuple[int, str]]:
    return [
        (n, _("Højst %(amount)s kr.") % {"amount": f"{n:,}".replace(",", ".")})
        for n in PRICE_LIMITS
    ]

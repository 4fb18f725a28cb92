"""What a resident pays each month, and whether there is room: the rules, without HTTP.

Editors enter, per care home, the monthly rent (husleje, before housing benefit), service
package (servicepakke), meals (forplejning) and other fixed charges, in whole kroner, with the
date the prices apply from; and the free homes now and the expected waiting time in weeks, with
the date of the report. An empty field is "ikke oplyst", never 0 (an entered 0 is a figure).

- `monthly_cost(content)`: the four amounts, their total (only when all four are known: a sum
  of some of them would look like the price and be too low), the dates; None when nothing is
  entered.
- `vacancies(content, today=…)`: the report, `outdated` when it is older than
  `PLOV_VACANCY_MAX_AGE_DAYS` (settings) days; None when nothing is reported.
- `stamp_cost_report(stored, edited, today)`: a save that changes an amount or the date the
  prices apply from records today as the date the unit reported them ("Oplyst af enheden …").
- `vacancy_report_date(...)`: the date a vacancy report is saved with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# (model field, API key, Danish label): the order every page, the API and the CSV use.
COST_PARTS = [
    ("rent_monthly", "rent", _("Husleje (før boligydelse)")),
    ("service_monthly", "service", _("Servicepakke")),
    ("meals_monthly", "meals", _("Forplejning")),
    ("other_monthly", "other", _("Andre faste udgifter")),
]
COST_FIELDS = [name for name, _key, _label in COST_PARTS]
# What makes a new price report: an amount, or the date the prices apply from.
COST_REPORT_FIELDS = [*COST_FIELDS, "cost_valid_from"]
VACANCY_FIGURES = ["free_homes", "waiting_weeks"]
VACANCY_FIELDS = [*VACANCY_FIGURES, "vacancies_reported_on"]
HOME_CARE_PRICE_FIELDS = ["free_services", "extra_services"]
CURRENCY = "DKK"
# The largest amount per month an editor can enter: more is a typing error (or øre).
MAX_MONTHLY_AMOUNT = 100_000
MAX_WAITING_WEEKS = 260

# Where a citizen calculates housing benefit, and the law behind the plejeboliggaranti
# (almenboligloven § 54 a: two months from the general waiting list; not for a chosen home).
HOUSING_BENEFIT_URL = (
    "https://www.borger.dk/bolig-og-flytning/Boligstoette-oversigt/"
    "boligstoette-saerligt-for-dig-der-er/boligstoette-saerligt-for-dig-der-er-pensionist"
)
CARE_HOME_GUARANTEE_LAW_URL = "https://www.retsinformation.dk/eli/lta/2020/1203#P54a"


def vacancy_max_age_days() -> int:
    return settings.PLOV_VACANCY_MAX_AGE_DAYS


@dataclass(frozen=True)
class MonthlyCost:
    rent: int | None
    service: int | None
    meals: int | None
    other: int | None
    valid_from: dt.date | None
    reported_on: dt.date | None

    @property
    def parts(self) -> list[tuple[str, str, int | None]]:
        """(API key, Danish label, amount or None) in the fixed order."""
        return [(key, str(label), getattr(self, key)) for _name, key, label in COST_PARTS]

    @property
    def total(self) -> int | None:
        """The sum, when every amount is known; None otherwise (never a partial sum)."""
        amounts = [amount for _key, _label, amount in self.parts]
        return None if any(a is None for a in amounts) else sum(amounts)

    @property
    def missing(self) -> list[str]:
        """The Danish labels of the amounts not given."""
        return [str(label) for _key, label, amount in self.parts if amount is None]

    @property
    def complete(self) -> bool:
        return self.total is not None


def monthly_cost(content) -> MonthlyCost | None:
    """The unit's monthly cost as entered, or None when no amount is entered."""
    if content is None:
        return None
    amounts = {key: getattr(content, name) for name, key, _label in COST_PARTS}
    if all(v is None for v in amounts.values()):
        return None
    return MonthlyCost(
        **amounts, valid_from=content.cost_valid_from, reported_on=content.cost_reported_on
    )


@dataclass(frozen=True)
class Vacancies:
    free_homes: int | None
    waiting_weeks: int | None
    reported_on: dt.date | None
    outdated: bool
    max_age_days: int

    @property
    def current(self) -> bool:
        return not self.outdated


def is_outdated(reported_on: dt.date | None, today: dt.date, max_age_days: int) -> bool:
    """A report older than `max_age_days` (or without a date) is not current."""
    return reported_on is None or (today - reported_on).days > max_age_days


def vacancies(content, *, today: dt.date, max_age_days: int | None = None) -> Vacancies | None:
    """The unit's vacancy report, or None when neither figure is reported."""
    if content is None or (content.free_homes is None and content.waiting_weeks is None):
        return None
    max_age = vacancy_max_age_days() if max_age_days is None else max_age_days
    return Vacancies(
        free_homes=content.free_homes,
        waiting_weeks=content.waiting_weeks,
        reported_on=content.vacancies_reported_on,
        outdated=is_outdated(content.vacancies_reported_on, today, max_age),
        max_age_days=max_age,
    )


def stamp_cost_report(stored, edited, today: dt.date) -> None:
    """`edited` (about to be saved over `stored`) gets today as the date the unit reported its
    prices when an amount or the valid-from date changes; all amounts removed: no date."""
    if all(getattr(edited, name) is None for name in COST_FIELDS):
        edited.cost_reported_on = None
        return
    changed = stored is None or any(
        getattr(stored, name) != getattr(edited, name) for name in COST_REPORT_FIELDS
    )
    if changed or edited.cost_reported_on is None:
        edited.cost_reported_on = today


def vacancy_report_date(
    figures: dict,
    date: dt.date | None,
    *,
    figures_changed: bool,
    date_changed: bool,
    today: dt.date,
) -> dt.date | None:
    """The date a vacancy report is saved with: none without figures; the date the editor typed;
    today when the figures change and the date was left as it was (a new report is today's)."""
    if all(figures.get(name) is None for name in VACANCY_FIGURES):
        return None
    if date is None or (figures_changed and not date_changed):
        return today
    return date

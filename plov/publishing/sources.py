"""Where a figure comes from and how fresh it is, in one small form everywhere.

The public unit page, compare, the API and the CSV all describe a figure's origin with a
`Source`: a code (`SOR`, `CVR`, `unit`, `supervision`, `quality`) and a date or year. The page
shows it as one short phrase (the template tag `{% source_note %}`, template
`public/_source.html`):

    Fra SOR · Fra CVR (2025) · Oplyst af enheden 12. marts 2026 · Ældretilsynet 3. februar 2026
    · Kvalitetsindikator 2025, landsgennemsnit 87 %

The API carries `source` (the code) and `as_of` (ISO date, or the year for CVR and quality
figures); the CSV the same two columns per figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

SOR = "SOR"
CVR = "CVR"
UNIT = "unit"
SUPERVISION = "supervision"
QUALITY = "quality"
SATISFACTION = "satisfaction"
CODES = (SOR, CVR, UNIT, SUPERVISION, QUALITY, SATISFACTION)


@dataclass(frozen=True)
class Source:
    code: str
    date: dt.date | None = None  # the day the figure was reported, inspected or imported
    year: int | str | None = None  # the year (or period) a CVR or quality figure is for
    average: str = ""  # a quality figure's national average, as shown ("87 %")

    @property
    def as_of(self) -> str | None:
        """For the API and the CSV: an ISO date, else the year or period, else None."""
        if self.date is not None:
            return self.date.isoformat()
        return str(self.year) if self.year not in (None, "") else None

    @property
    def text(self) -> str:
        """The phrase the public pages show, in the active language."""
        date = formats.date_format(self.date, "DATE_FORMAT") if self.date else ""
        if self.code == SOR:
            return _("Fra SOR")
        if self.code == CVR:
            return _("Fra CVR (%(year)s)") % {"year": self.year} if self.year else _("Fra CVR")
        if self.code == UNIT:
            return (
                _("Oplyst af enheden %(date)s") % {"date": date} if date else _("Oplyst af enheden")
            )
        if self.code == SUPERVISION:
            return _("Ældretilsynet %(date)s") % {"date": date} if date else _("Ældretilsynet")
        if self.code in (QUALITY, SATISFACTION):
            what = _("Kvalitetsindikator") if self.code == QUALITY else _("Brugertilfredshed")
            text = f"{what} {self.year}" if self.year else what
            if self.average:
                text += ", " + _("landsgennemsnit %(average)s") % {"average": self.average}
            return text
        return self.code

    def __str__(self) -> str:
        return self.text


def unit_source(date: dt.date | dt.datetime | None) -> Source:
    """A figure the unit's editor entered, as of `date` (a datetime counts by its day)."""
    if isinstance(date, dt.datetime):
        from django.utils import timezone

        date = timezone.localtime(date).date() if timezone.is_aware(date) else date.date()
    return Source(UNIT, date=date)

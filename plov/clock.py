"""plov's one "today": the date in Copenhagen (settings.TIME_ZONE), not the server's.

A server running in UTC would otherwise start the new day an hour (two in summer) late: an
agreement starting on the 1st would not count between midnight and 01:00 Danish time, and the
nightly run just after midnight would publish for yesterday. Every rule that asks for today
calls `today()`; pass a date explicitly to evaluate another day.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The current date in settings.TIME_ZONE (Europe/Copenhagen)."""
    return timezone.localdate()

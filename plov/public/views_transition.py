"""The public transition list (overgangsordning), as a page and as CSV."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from plov import clock
from plov.opendata.dictionary import TRANSITION_COLUMNS, csv_header
from plov.opendata.exports import csv_text
from plov.supervision.models import TRANSITION_ENDS, TransitionProvider


def _current():
    return TransitionProvider.objects.current(clock.today())


def transition_list(request):
    return render(
        request,
        "public/transition_list.html",
        {"providers": _current(), "ends": TRANSITION_ENDS},
    )


def transition_list_csv(request):
    """For Danish Excel, through open data's writer (semicolons, BOM, formula guard)."""
    rows = (
        [p.name, p.cvr_number, p.added_on.isoformat(), p.valid_until.isoformat()]
        for p in _current()
    )
    response = HttpResponse(
        csv_text(csv_header(TRANSITION_COLUMNS), rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="overgangsordning.csv"'
    return response

"""The public transition list (overgangsordning), as a page and as CSV."""

from __future__ import annotations

import csv
import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render

from plov.supervision.models import TRANSITION_ENDS, TransitionProvider


def _current():
    return TransitionProvider.objects.current(dt.date.today())


def transition_list(request):
    return render(
        request,
        "public/transition_list.html",
        {"providers": _current(), "ends": TRANSITION_ENDS},
    )


def transition_list_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="overgangsordning.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Virksomhed", "CVR-nummer", "Optaget på listen", "Gælder til"])
    for p in _current():
        writer.writerow([p.name, p.cvr_number, p.added_on.isoformat(), p.valid_until.isoformat()])
    return response

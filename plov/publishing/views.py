"""A minimal public front page until the public site lands: search by municipality."""

from __future__ import annotations

from django.shortcuts import render

from plov.publishing.listing import units_as_dicts
from plov.publishing.visibility import visible_units
from plov.units.models import Municipality


def home(request):
    municipalities = Municipality.objects.all()
    selected = None
    units = []
    code = request.GET.get("kommune", "")
    if code.isdigit():
        selected = municipalities.filter(code=int(code)).first()
        if selected:
            units = units_as_dicts(visible_units(selected.code).order_by("kind", "name"))
    return render(
        request,
        "publishing/home.html",
        {"municipalities": municipalities, "selected": selected, "units": units},
    )

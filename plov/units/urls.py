"""Where a unit lives on the public site (not a URLconf: the routes are `plov.public.urls`).
`Unit.get_absolute_url` and every link to a unit page (search, the back office, the data-quality
mail, open data) use `unit_url`, so the canonical path is written in one place."""

from __future__ import annotations

from django.urls import reverse

from plov.units.formatting import unit_slug


def unit_url(unit, name: str | None = None) -> str:
    """The canonical path of a unit's page in the active language (`unit`: a Unit or its pk,
    with `name` when only the pk is at hand)."""
    pk = unit if isinstance(unit, int) else unit.pk
    name = name if name is not None else unit.name
    return reverse("public:unit", kwargs={"pk": pk, "slug": unit_slug(name)})

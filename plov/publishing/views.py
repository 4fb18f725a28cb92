"""The agency's data-quality dashboard ("Datakvalitet", /admin/datakvalitet/) and its CSV.

Who sees what (asked of `plov.accounts.scope`, never decided here alone):

- the agency (Sundhedsdatastyrelsen) and superusers: the national table (finding kinds ×
  municipalities, with totals), every municipality's lists, the findings without a
  municipality, the national list of one kind, and the CSV of everything or one municipality;
- a municipality's editors and its contract manager: their own municipality's figures and lists
  and its CSV, nothing else (another municipality's page or CSV answers 403). The lists hold
  every unit whose finding belongs to the municipality (its beliggenhedskommune, else its
  owner's), private providers' units in the municipality included, because the municipality
  follows up on all of them; the unit editor is linked only where the user may open it;
- everyone else (private companies' editors, supervisors): 403.

A finding's municipality is the one `plov.publishing.data_quality.findings` gives it; the counts
are computed from the very rows the lists show, so they always agree.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from plov import clock
from plov.accounts.http import forbidden
from plov.accounts.scope import Scope, municipality_code_for_cvr
from plov.backoffice.base import HOME, ScopedView
from plov.publishing.data_quality import (
    KIND_HELP,
    KINDS,
    NO_MUNICIPALITY,
    counts,
    csv_lines,
    detailed_findings,
    in_municipality,
)
from plov.units.models import Municipality

NO_MUNICIPALITY_LABEL = "Uden kommune"

# Column headings of the national table (the full label is the heading's title and the filter).
KIND_SHORT = {
    "nested_care_home": "Plejeenhed i plejeenhed",
    "invalid_address": "Adresse ikke i DAR",
    "duplicate": "Mulig dublet",
    "no_p_number": "Intet P-nummer",
    "p_number_code": "Forkert eller sekundær branchekode",
    "p_number_other_company": "P-nummer fra anden virksomhed",
    "no_agreement": "Ingen serviceleverance",
    "missing_description": "Mangler aftalebeskrivelse",
    "stale": "Ikke opdateret i et år",
    "no_price": "Pris ikke oplyst",
    "stale_vacancies": "Ledige boliger ikke opdateret",
}


def municipality_of(scope: Scope) -> int | None:
    """The municipality whose data quality a municipal user follows: an editor's or contract
    manager's municipality (by the organisation's CVR), else None."""
    if scope.contract_municipality is not None:
        return scope.contract_municipality
    if scope.is_editor:
        return municipality_code_for_cvr(scope.cvr)
    return None


def may_see_data_quality(scope: Scope, code: int | None = None) -> bool:
    """Whether the user may see the data quality of municipality `code` (None: of any)."""
    if scope.is_agency:
        return True
    own = municipality_of(scope)
    return own is not None and (code is None or code == own)


def dashboard_url(code: int | None = None) -> str:
    if code is None:
        return reverse("plov_data_quality:index")
    return reverse("plov_data_quality:municipality", args=[code])


def public_url(row: dict) -> str:
    if not row["published"]:
        return ""
    from plov.units.urls import unit_url

    with translation.override("da"):
        return unit_url(row["unit_id"], row["name"])


def link_rows(rows: list[dict], scope: Scope) -> list[dict]:
    """Each row with its links: the unit editor where the user may open it, the public page
    where the unit is published. One query for the user's viewable units, none per unit."""
    if scope.is_agency or scope.contract_municipality is not None:
        viewable = None  # every unit
    else:
        viewable = set(
            scope.viewable()
            .filter(pk__in=sorted({r["unit_id"] for r in rows}))
            .values_list("pk", flat=True)
        )
    return [
        r
        | {
            "editor_url": reverse("backoffice:edit", args=[r["unit_id"]])
            if viewable is None or r["unit_id"] in viewable
            else "",
            "public_url": public_url(r),
        }
        for r in rows
    ]


def chosen_kind(request) -> str:
    kind = request.GET.get("type", "")
    return kind if kind in KINDS else ""


class DataQualityMixin(ScopedView):
    header_icon = "warning"

    def allowed(self) -> bool:
        return may_see_data_quality(self.scope)

    def index_breadcrumb(self) -> dict:
        return {"url": dashboard_url(), "label": "Datakvalitet"}


class DataQualityIndexView(DataQualityMixin):
    """The national table (agency); a municipal user goes straight to their municipality."""

    template_name = "data_quality/index.html"
    page_title = "Datakvalitet"

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": "Datakvalitet"}]

    def get(self, request):
        if not self.scope.is_agency:
            return HttpResponseRedirect(dashboard_url(municipality_of(self.scope)))
        rows = detailed_findings()
        summary = counts(rows)
        names = dict(Municipality.objects.values_list("code", "name"))
        table = []
        for code, per_kind in summary["municipalities"].items():
            table.append(
                {
                    "code": NO_MUNICIPALITY if code is None else code,
                    "code3": "" if code is None else f"{code:03d}",
                    "name": NO_MUNICIPALITY_LABEL if code is None else names.get(code, str(code)),
                    "cells": [{"kind": k, "count": per_kind[k]} for k in KINDS],
                    "total": sum(per_kind.values()),
                    "url": dashboard_url(NO_MUNICIPALITY if code is None else code),
                }
            )
        kind = chosen_kind(request)
        listed = link_rows([r for r in rows if r["kind"] == kind], self.scope) if kind else []
        context = self.get_context_data(
            kinds=KINDS,
            columns=[
                {"kind": k, "label": label, "short": KIND_SHORT[k], "help": KIND_HELP[k]}
                for k, label in KINDS.items()
            ],
            kind=kind,
            kind_label=KINDS.get(kind, ""),
            kind_help=KIND_HELP.get(kind, ""),
            table=table,
            national=[summary["national"][k] for k in KINDS],
            national_total=len(rows),
            municipalities_with_findings=sum(1 for r in table if r["code"] != NO_MUNICIPALITY),
            municipalities_total=len(names),
            listed=listed,
            csv_url=reverse("plov_data_quality:csv"),
            today=clock.today(),
        )
        return self.render_to_response(context)


class DataQualityMunicipalityView(DataQualityMixin):
    """One municipality's counts and lists per finding kind, filterable by kind."""

    template_name = "data_quality/municipality.html"

    def dispatch(self, request, *args, code: int, **kwargs):
        self.code = code
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Datakvalitet – {self.name}"

    def get_breadcrumbs_items(self):
        items = [HOME]
        if self.scope.is_agency:
            items.append(self.index_breadcrumb())
        return [*items, {"url": "", "label": self.name}]

    def get(self, request):
        if self.code == NO_MUNICIPALITY:
            if not self.scope.is_agency:
                return forbidden(request)
            self.name = NO_MUNICIPALITY_LABEL
        else:
            municipality = Municipality.objects.filter(code=self.code).first()
            if municipality is None:
                raise Http404("Kommunen findes ikke")
            if not may_see_data_quality(self.scope, self.code):
                return forbidden(request, "Du kan kun se din egen kommunes datakvalitet.")
            self.name = str(municipality)
        rows = in_municipality(detailed_findings(), self.code)
        per_kind = counts(rows)["national"]
        kind = chosen_kind(request)
        linked = link_rows([r for r in rows if not kind or r["kind"] == kind], self.scope)
        sections = [
            {
                "kind": k,
                "label": label,
                "help": KIND_HELP[k],
                "count": per_kind[k],
                "rows": [r for r in linked if r["kind"] == k],
            }
            for k, label in KINDS.items()
            if not kind or k == kind
        ]
        context = self.get_context_data(
            code=self.code,
            name=self.name,
            kinds=KINDS,
            kind=kind,
            summary=[
                {"kind": k, "label": label, "count": per_kind[k]} for k, label in KINDS.items()
            ],
            total=len(rows),
            sections=sections,
            is_agency=self.scope.is_agency,
            csv_url=reverse("plov_data_quality:csv") + "?" + urlencode({"kommune": self.code}),
            today=clock.today(),
        )
        return self.render_to_response(context)


class DataQualityCsvView(DataQualityMixin):
    """One row per finding: everything (agency), or one municipality (?kommune=CODE; a
    municipal user always gets their own)."""

    def get(self, request):
        wanted = request.GET.get("kommune", "")
        if wanted and not wanted.isdigit():
            raise Http404("Ukendt kommune")
        code = int(wanted) if wanted else None
        if not self.scope.is_agency:
            own = municipality_of(self.scope)
            if code is not None and code != own:
                return forbidden(request, "Du kan kun hente din egen kommunes datakvalitet.")
            code = own
        if (
            code not in (None, NO_MUNICIPALITY)
            and not Municipality.objects.filter(code=code).exists()
        ):
            raise Http404("Kommunen findes ikke")
        rows = detailed_findings()
        if code is not None:
            rows = in_municipality(rows, code)
        name = "alle" if code is None else f"{code:03d}"
        response = HttpResponse(
            "".join(csv_lines(rows, base_url=request.build_absolute_uri("/"))).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"datakvalitet-{name}-{clock.today().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

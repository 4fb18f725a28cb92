"""/api/v1/tilsyn/: Ældretilsynet's authoritative list for the supervisors themselves.

Not open data: only a logged-in back-office user (Django session; a supervisor logs in through
SEB) with the supervisor role and a supervising authority, or the agency, gets an answer. A
supervisor sees the units under their own authority (`Scope.authorities`); the agency sees all,
optionally one authority's. Anonymous → 401, any other role → 403.

The rows are `plov.supervision.register`'s, the same the CLI `plov supervision-list` prints:
every open care home and home-care site, published or not, with the authority derived from the
coverage table in force today. JSON (the schemas below) or CSV for Danish Excel.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie

from plov.accounts.scope import Scope
from plov.supervision.models import SupervisingAuthority
from plov.supervision.register import as_csv, changes_since, supervised_units

NO_STORE = "private, no-store"
LOGIN_REQUIRED = "Log ind i Plejeoverblikkets administration (via SEB) for at bruge tilsynslisten."
NOT_A_SUPERVISOR = (
    "Tilsynslisten er kun for Ældretilsynets tilsynsmyndigheder og Sundhedsdatastyrelsen."
)


class SupervisorSession(APIKeyCookie):
    """Django's session cookie, for a supervisor with an authority or for the agency. Refusals
    are answered here, in Danish: 401 without a login, 403 for any other role."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            raise HttpError(401, LOGIN_REQUIRED)
        scope = Scope.for_user(user)
        if not (scope.is_agency or scope.authorities):
            raise HttpError(403, NOT_A_SUPERVISOR)
        return user


router = Router(auth=SupervisorSession(), tags=["Tilsyn (kun for tilsynsbrugere)"])


# --- Schemas -------------------------------------------------------------------------------


class Problem(Schema):
    detail: str = Field(description="Hvad der er galt, på dansk.")


class SupervisedUnit(Schema):
    sor_id: str = Field(description="SOR-ID.")
    name: str = Field(description="Enhedens navn, som i SOR.")
    kind: Literal["care_home", "home_care_site"] = Field(
        description="`care_home` (plejeenhed) eller `home_care_site` (helhedsplejeleverandørsted)."
    )
    owner: str = Field(description="Ejer (institutionsejer i SOR).")
    owner_cvr: str | None = Field(description="Ejerens CVR-nummer.")
    p_number: str | None = Field(description="P-nummer (CVR-produktionsenhed).")
    visiting_address: str = Field(
        description="Besøgsadresse, fx `Adelgade 3, 1. tv, 8660 Skanderborg`."
    )
    municipality: str | None = Field(
        description="Beliggenhedskommune: kommunekoden (3 cifre) for besøgsadressen i DAR; "
        "`null`, når besøgsadressen ikke er en gyldig DAR-adresse."
    )
    municipality_name: str | None = Field(description="Beliggenhedskommunens navn.")
    supervising_authority: str | None = Field(
        description="Tilsynsmyndigheden, der i dag dækker beliggenhedskommunen; `null` = ingen "
        "(en registreringsfejl)."
    )
    published: bool = Field(description="Om enheden vises på Plejeoverblikket.")
    status: Literal["aktiv", "lukket"] = Field(description="`aktiv` eller `lukket` (i SOR).")
    registration_error: str | None = Field(
        description="Registreringsfejl, der giver enheden ingen tilsynsmyndighed; ellers `null`."
    )


class SupervisedChange(SupervisedUnit):
    previous_supervising_authority: str | None = Field(
        description="Tilsynsmyndigheden ved periodens start, når enheden siden er flyttet til en "
        "anden; ellers `null`."
    )


class SupervisedList(Schema):
    authorities: list[str] = Field(
        description="Tilsynsmyndighederne, listen omfatter; tom = alle (Sundhedsdatastyrelsen)."
    )
    total: int = Field(description="Antal enheder.")
    items: list[SupervisedUnit] = Field(description="Enhederne, sorteret efter SOR-ID.")


class SupervisedChanges(Schema):
    authorities: list[str] = Field(
        description="Tilsynsmyndighederne, listen omfatter; tom = alle (Sundhedsdatastyrelsen)."
    )
    since: dt.date = Field(description="Ændringer fra og med denne dag (dansk tid).")
    total: int = Field(description="Antal ændrede enheder.")
    items: list[SupervisedChange] = Field(description="De ændrede enheder, sorteret efter SOR-ID.")


# --- Parameters ----------------------------------------------------------------------------

Authority = Annotated[
    str,
    Query(
        description="Kun enheder under denne tilsynsmyndighed (navnet, fx `Ældretilsynet "
        "Silkeborg`). En tilsynsbruger kan kun vælge sine egne.",
        min_length=1,
        max_length=100,
    ),
]
Since = Annotated[
    str,
    Query(
        description="Dato (ÅÅÅÅ-MM-DD): ændringer fra og med denne dag.",
        example="2026-01-31",
    ),
]
REFUSALS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "CSV (semikolonsepareret, UTF-8 med BOM) til dansk Excel.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


def _authorities(request: HttpRequest, wanted: str | None) -> frozenset[str] | None:
    """The authorities the answer covers (None: all, for the agency)."""
    scope = Scope.for_user(request.user)
    if wanted is not None:
        wanted = wanted.strip()
        if scope.is_agency:
            if not SupervisingAuthority.objects.filter(name=wanted).exists():
                raise HttpError(404, f"Tilsynsmyndigheden {wanted!r} findes ikke.")
            return frozenset({wanted})
        if wanted not in scope.authorities:
            raise HttpError(403, f"Du fører ikke tilsyn for {wanted!r}.")
        return frozenset({wanted})
    return None if scope.is_agency else scope.authorities


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _since(value: str) -> tuple[dt.date, dt.datetime]:
    """The day `siden` names and its first moment in Danish time; 400 when it is no date."""
    try:
        if not DATE.fullmatch(value.strip()):
            raise ValueError(value)
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise HttpError(
            400, f"Ugyldig dato i siden={value!r}: skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-01-31."
        ) from None
    return day, timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _csv(rows: list[dict], filename: str, *, changes: bool) -> HttpResponse:
    response = HttpResponse(
        as_csv(rows, changes=changes).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = NO_STORE
    return response


# --- Operations ----------------------------------------------------------------------------


@router.get(
    "/enheder",
    response={200: SupervisedList, **REFUSALS},
    operation_id="listSupervisedUnits",
    summary="Tilsynsliste",
    description="Den autoritative liste for Ældretilsynet: alle enheder under tilsyn "
    "(offentliggjorte eller ej, men ikke lukkede) under brugerens tilsynsmyndighed; for "
    "Sundhedsdatastyrelsen alle, evt. én myndigheds. Kræver login (sessionscookie).",
)
def list_supervised_units(
    request: HttpRequest, response: HttpResponse, myndighed: Authority = None
):
    authorities = _authorities(request, myndighed)
    rows = supervised_units(authorities=authorities)
    response["Cache-Control"] = NO_STORE
    return {"authorities": sorted(authorities or ()), "total": len(rows), "items": rows}


@router.get(
    "/enheder.csv",
    response=REFUSALS,
    operation_id="exportSupervisedUnits",
    summary="Tilsynsliste som CSV",
    description="Samme liste som `/tilsyn/enheder`, som CSV til dansk Excel (semikolon, "
    "UTF-8 med BOM). Kræver login (sessionscookie).",
    openapi_extra=CSV_RESPONSE,
)
def export_supervised_units(request: HttpRequest, myndighed: Authority = None):
    authorities = _authorities(request, myndighed)
    return _csv(supervised_units(authorities=authorities), "tilsynsliste.csv", changes=False)


@router.get(
    "/aendringer",
    response={200: SupervisedChanges, **REFUSALS},
    operation_id="listSupervisedChanges",
    summary="Ændringer i tilsynslisten",
    description="Enheder oprettet, ændret eller lukket siden en dato, og enheder, der siden "
    "har skiftet tilsynsmyndighed (også dem, der er flyttet fra brugerens myndighed). Kræver "
    "login (sessionscookie).",
)
def list_supervised_changes(
    request: HttpRequest, response: HttpResponse, siden: Since, myndighed: Authority = None
):
    day, since = _since(siden)
    authorities = _authorities(request, myndighed)
    rows = changes_since(since, authorities=authorities)
    response["Cache-Control"] = NO_STORE
    return {
        "authorities": sorted(authorities or ()),
        "since": day,
        "total": len(rows),
        "items": rows,
    }


@router.get(
    "/aendringer.csv",
    response=REFUSALS,
    operation_id="exportSupervisedChanges",
    summary="Ændringer i tilsynslisten som CSV",
    description="Samme ændringsliste som `/tilsyn/aendringer`, som CSV til dansk Excel, med "
    "en ekstra kolonne: Tidligere tilsynsmyndighed. Kræver login (sessionscookie).",
    openapi_extra=CSV_RESPONSE,
)
def export_supervised_changes(request: HttpRequest, siden: Since, myndighed: Authority = None):
    day, since = _since(siden)
    authorities = _authorities(request, myndighed)
    rows = changes_since(since, authorities=authorities)
    return _csv(rows, f"tilsynsliste-aendringer-siden-{day.isoformat()}.csv", changes=True)

"""Service agreements in the back office (DOMAIN.md §5, §7), under /admin/serviceleverancer/.

- Contract managers (driftsoverenskomstansvarlig) list, create, change and end their own
  municipality's agreements; the party is theirs and cannot be chosen.
- The agency (Sundhedsdatastyrelsen) sees every municipality's agreements and may create any,
  Friplejebolig included.
- A private home-care provider's editor writes the agreement descriptions (aftalebeskrivelser)
  of the agreements municipalities hold on its units; contract managers read them.

Every view asks `plov.accounts.scope`; an agreement outside the user's municipality answers 404,
an action the user's role does not allow 403, and neither writes anything. Every change is
audited, then `refresh_publication()` runs so public search reflects it at once.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin import messages

from plov import clock
from plov.accounts.scope import (
    Scope,
    can_create_agreement,
    can_edit_agreement,
    can_edit_unit,
    can_manage_agreements_of,
    can_view_unit,
    editable_units,
    viewable_units,
)
from plov.agreements import actions, history
from plov.agreements.forms import (
    AgreementForm,
    AnnulAgreementForm,
    DescriptionForm,
    EndAgreementForm,
)
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.agreements.queries import (
    ANNULLED,
    EXPIRED,
    IN_FORCE,
    SEARCH_LIMIT,
    UPCOMING,
    agreement_state,
    attention,
    descriptions_for,
    filter_state,
    needs_description,
    search_units,
)
from plov.backoffice.base import HOME, ScopedView
from plov.publishing.visibility import visible_units
from plov.units.formatting import format_address
from plov.units.models import Municipality, Organisation, Unit, UnitKind

PER_PAGE = 50
HOME_CARE_KINDS = (UnitKind.HOME_CARE_PROVIDER, UnitKind.HOME_CARE_SITE)

MISSING_DESCRIPTION = (
    "Enheden vises ikke for kommunen, før leverandøren har skrevet aftalebeskrivelsen"
)

STATES = {IN_FORCE: "I kraft", UPCOMING: "Kommende", EXPIRED: "Udløbet", ANNULLED: "Annulleret"}
STATE_CLASSES = {
    IN_FORCE: "w-status--primary",
    UPCOMING: "",
    EXPIRED: "w-status--label",
    ANNULLED: "w-status--label",
}


# --- helpers (the queries: plov.agreements.queries) -----------------------------------------------


def _redirect_to_index(agreement: ServiceAgreement, scope: Scope) -> HttpResponseRedirect:
    url = reverse("plov_agreements:index")
    if scope.is_agency:
        url += "?" + urlencode({"kommune": agreement.municipality_id})
    return HttpResponseRedirect(url)


# --- the agreements --------------------------------------------------------------------------


class AgreementsMixin(ScopedView):
    """Only contract managers and the agency reach the agreement views."""

    header_icon = "doc-full"

    def allowed(self) -> bool:
        return self.scope.is_agency or self.scope.contract_municipality is not None

    @property
    def own_municipality(self) -> Municipality | None:
        """The contract manager's municipality (None for the agency, who chooses)."""
        if self.scope.is_agency:
            return None
        return Municipality.objects.get(code=self.scope.contract_municipality)

    def index_breadcrumb(self) -> dict:
        return {"url": reverse("plov_agreements:index"), "label": "Serviceleverancer"}


class AgreementIndexView(AgreementsMixin):
    template_name = "agreements/index.html"
    page_title = "Serviceleverancer"

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": "Serviceleverancer"}]

    def get(self, request):
        state = request.GET.get("tilstand", "")
        # Annulled agreements are listed only when asked for ("Annulleret").
        manager = ServiceAgreement.all_objects if state == ANNULLED else ServiceAgreement.objects
        agreements = manager.select_related(
            "municipality", "unit", "unit__owner", "unit__municipality"
        ).order_by("municipality__name", "unit__name", "start", "reference")
        municipality = self.own_municipality
        municipalities = []
        if self.scope.is_agency:
            municipalities = list(Municipality.objects.order_by("name"))
            wanted = request.GET.get("kommune", "")
            if wanted.isdigit():
                municipality = next((m for m in municipalities if m.code == int(wanted)), None)
        if municipality is not None:
            if not can_manage_agreements_of(request.user, municipality):
                raise PermissionDenied
            agreements = agreements.filter(municipality=municipality)
        agreements = filter_state(agreements, state, self.today)
        query = request.GET.get("q", "").strip()[:100]
        if query:
            agreements = agreements.filter(
                Q(unit__name__icontains=query)
                | Q(reference__icontains=query)
                | Q(unit__sor_id=query)
            )
        page = Paginator(agreements, PER_PAGE).get_page(request.GET.get("side"))
        descriptions = descriptions_for(page.object_list)
        rows = []
        for agreement in page.object_list:
            key = agreement_state(agreement, self.today)
            needs = needs_description(agreement)
            description = descriptions.get((agreement.unit_id, agreement.municipality_id), "")
            rows.append(
                {
                    "agreement": agreement,
                    "state": STATES[key],
                    "state_class": STATE_CLASSES[key],
                    "needs_description": needs,
                    "description": description,
                    "missing_description": needs and not description and key != EXPIRED,
                    "can_edit": can_edit_agreement(request.user, agreement)
                    and not agreement.annulled,
                    "address": format_address(agreement.unit.visiting_address),
                }
            )
        params = {k: v for k, v in request.GET.items() if k != "side" and v}
        context = self.get_context_data(
            rows=rows,
            page=page,
            municipality=municipality,
            municipalities=municipalities,
            is_agency=self.scope.is_agency,
            states=STATES,
            state=state,
            query=query,
            querystring=urlencode(params),
            attention=(
                attention(municipality.code, self.today)
                if municipality is not None and not self.scope.is_agency
                else None
            ),
            missing_description_message=MISSING_DESCRIPTION,
        )
        return self.render_to_response(context)


@dataclass
class UnitChoice:
    unit: Unit
    address: str = ""
    agreements: list[str] = field(default_factory=list)


# The agreement form's own fields, carried along when the editor searches or chooses a unit
# (section 1 and section 2 are one form, so nothing typed is lost without JavaScript).
KEPT_FIELDS = ("unit", "reference", "type", "start", "end", "base_revision")
SEARCH, CHOOSE = "soeg", "enhed"


class AgreementFormView(AgreementsMixin):
    """Create (no pk) or change (pk) one agreement, with the unit found by search."""

    template_name = "agreements/form.html"
    agreement: ServiceAgreement | None = None

    def dispatch(self, request, *args, pk: int | None = None, **kwargs):
        self.pk = pk
        return super().dispatch(request, *args, **kwargs)

    def setup_agreement(self, request) -> None:
        if self.pk is None:
            return
        agreement = get_object_or_404(
            ServiceAgreement.objects.select_related("municipality", "unit", "unit__owner"),
            pk=self.pk,
        )
        if not can_manage_agreements_of(request.user, agreement.municipality):
            raise Http404  # another municipality's agreement: not even its existence
        if not can_edit_agreement(request.user, agreement):
            raise PermissionDenied  # e.g. a Friplejebolig: the agency's
        self.agreement = agreement

    def get_page_title(self):
        return "Rediger serviceleverance" if self.agreement else "Ny serviceleverance"

    def get_breadcrumbs_items(self):
        return [HOME, self.index_breadcrumb(), {"url": "", "label": self.get_page_title()}]

    def party(self) -> Municipality | None:
        if self.agreement is not None:
            return self.agreement.municipality
        return self.own_municipality

    def units(self) -> QuerySet[Unit]:
        return viewable_units(self.request.user).select_related("owner", "municipality")

    def params(self):
        """Where the search and the chosen unit come from: the query string on a GET, the
        one form on a POST."""
        return self.request.POST if self.request.method == "POST" else self.request.GET

    def make_form(self, data=None, *, kept=None) -> AgreementForm:
        """The form: bound to `data` when saving; otherwise unbound, showing what was typed
        (`kept`, from a search or a choice) over the stored agreement."""
        initial = {}
        if self.agreement is not None:
            a = self.agreement
            initial = {
                "unit": a.unit_id,
                "reference": a.reference,
                "type": a.type,
                "start": a.start,
                "end": a.end,
                "base_revision": history.base_of(a),
            }
        elif self.scope.is_agency and self.request.GET.get("kommune", "").isdigit():
            initial["municipality"] = int(self.request.GET["kommune"])
        if kept is not None:
            initial.update({name: kept[name] for name in KEPT_FIELDS if name in kept})
            # The party is the agency's choice only; a contract manager's is never read.
            if self.scope.is_agency and self.party() is None and "municipality" in kept:
                initial["municipality"] = kept["municipality"]
        chosen = self.params().get(CHOOSE, "")
        if chosen.isdigit():
            initial["unit"] = int(chosen)
        defaulted = False
        if (
            data is None
            and self.scope.is_agency
            and self.party() is None
            and not initial.get("municipality")
            and str(initial.get("unit") or "").isdigit()
        ):
            # The agency creates: the party is the unit's beliggenhedskommune unless chosen.
            code = (
                self.units()
                .filter(pk=initial["unit"])
                .values_list("municipality_id", flat=True)
                .first()
            )
            if code is not None:
                initial["municipality"] = code
                defaulted = True
        form = AgreementForm(
            data,
            initial=initial,
            party=self.party(),
            by_agency=self.scope.is_agency,
            units=self.units(),
            instance=self.agreement,
        )
        if defaulted:
            form.fields["municipality"].help_text = (
                "Forvalgt: enhedens beliggenhedskommune. Vælg en anden, hvis aftalen er med en "
                "anden kommune."
            )
        return form

    def selected_unit(self, form: AgreementForm) -> Unit | None:
        value = form["unit"].value()
        if value in (None, ""):
            return None
        unit = self.units().filter(pk=value).first() if str(value).isdigit() else None
        return unit if unit is not None and can_view_unit(self.request.user, unit) else None

    def search_results(self) -> tuple[str, list[UnitChoice], bool]:
        query = self.params().get("q", "").strip()[:200]
        if not query:
            return "", [], False
        units = search_units(query, self.units())
        more = len(units) > SEARCH_LIMIT
        units = units[:SEARCH_LIMIT]
        agreements: dict[int, list[str]] = {}
        for a in (
            ServiceAgreement.objects.in_force(self.today)
            .filter(unit__in=[u.pk for u in units])
            .select_related("municipality")
        ):
            agreements.setdefault(a.unit_id, []).append(a.municipality.name)
        choices = [
            UnitChoice(
                unit=u,
                address=format_address(u.visiting_address),
                agreements=sorted(agreements.get(u.pk, [])),
            )
            for u in units
        ]
        return query, choices, more

    def render_form(self, form: AgreementForm, status: int = 200, conflict: str = ""):
        query, results, more = self.search_results()
        unit = self.selected_unit(form)
        description = None
        if self.agreement is not None and needs_description(self.agreement):
            description = (
                AgreementDescription.objects.filter(
                    unit=self.agreement.unit, municipality=self.agreement.municipality
                )
                .exclude(text="")
                .values_list("text", flat=True)
                .first()
                or ""
            )
        context = self.get_context_data(
            form=form,
            agreement=self.agreement,
            party=self.party(),
            is_agency=self.scope.is_agency,
            query=query,
            results=results,
            more_results=more,
            selected_unit=unit,
            selected_address=format_address(unit.visiting_address) if unit else "",
            description=description,
            missing_description_message=MISSING_DESCRIPTION,
            conflict=conflict,
            confirm=form.is_bound and not form.errors and form.needs_confirmation,
        )
        response = self.render_to_response(context)
        response.status_code = status
        return response

    def get(self, request, **kwargs):
        self.setup_agreement(request)
        return self.render_form(self.make_form())

    def post(self, request, **kwargs):
        self.setup_agreement(request)
        party = self.party()
        forged = request.POST.get("municipality")
        if party is not None and forged not in (None, "", str(party.code)):
            # The party is fixed (a contract manager's own municipality, or the agreement's):
            # a request naming another is refused, not quietly redirected.
            raise PermissionDenied
        if request.POST.get("handling") == SEARCH or request.POST.get(CHOOSE):
            # "Søg" or "Vælg": nothing is saved; the page comes back with what was typed.
            return self.render_form(self.make_form(kept=request.POST))
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        data = form.cleaned_data
        party = data["party"]
        if not can_create_agreement(request.user, party, data["unit"], data["type"]):
            raise PermissionDenied
        if form.needs_confirmation:
            # Allowed but unusual (a Lokalplejehjem elsewhere, …): nothing is saved until the
            # user confirms these very warnings.
            return self.render_form(form)
        values = {
            "unit": data["unit"],
            "reference": data["reference"],
            "type": data["type"],
            "start": data["start"],
            "end": data["end"],
        }
        try:
            agreement, verb = self.save(party, values, data.get("base_revision", ""))
        except StaleAgreement as stale:
            return self.refuse_stale(form, stale.current)
        except IntegrityError:
            # Another save took the same aftaleidentifikation a moment ago.
            if self.agreement is not None:
                self.agreement.refresh_from_db()
            form.add_error(
                "reference",
                f"{party} har allerede en serviceleverance med aftaleidentifikationen "
                f"{values['reference']}",
            )
            return self.render_form(form)
        if verb is None:
            messages.info(request, f"Serviceleverancen {agreement.reference}: ingen ændringer.")
            return _redirect_to_index(agreement, self.scope)
        text = f"Serviceleverancen {agreement.reference} med {agreement.unit} er {verb}."
        if needs_description(agreement) and not (
            AgreementDescription.objects.filter(unit=agreement.unit, municipality=party)
            .exclude(text="")
            .exists()
        ):
            messages.warning(request, f"{text} {MISSING_DESCRIPTION}.")
        else:
            messages.success(request, text)
        return _redirect_to_index(agreement, self.scope)

    def refuse_stale(self, form: AgreementForm, current: ServiceAgreement):
        """409: someone else changed (or annulled) the agreement since this form was opened.
        Nothing is saved; the typed values stay in the form, which now starts from the
        current version, so that saving again is a deliberate choice."""
        self.agreement = current
        newer = self.request.POST.copy()
        newer["base_revision"] = history.base_of(current)
        newer.pop("confirm_warnings", None)
        who = history.latest_change(current)
        if current.annulled:
            text = (
                f"Serviceleverancen er ikke gemt: den er annulleret {who}. Din tekst står "
                "stadig i formularen, så du kan kopiere den."
            )
        else:
            text = (
                "Serviceleverancen er ikke gemt: den er ændret "
                f"{who}, efter du åbnede den. Dine indtastninger står stadig i formularen. "
                "Se versionshistorikken, og gem igen, hvis dine ændringer stadig skal gælde."
            )
        fresh = self.make_form(newer)
        fresh.is_valid()
        return self.render_form(fresh, status=409, conflict=text)

    def save(
        self, party: Municipality, values: dict, base: str
    ) -> tuple[ServiceAgreement, str | None]:
        """Create, or change the stored agreement if nobody changed it since `base`."""
        user = self.request.user
        if self.agreement is None:
            return actions.create_agreement(party=party, values=values, user=user), "oprettet"
        with transaction.atomic():
            agreement = (
                ServiceAgreement.all_objects.select_for_update()
                .select_related("municipality", "unit", "unit__owner")
                .get(pk=self.agreement.pk)
            )
            if agreement.annulled or history.is_stale(agreement, base):
                raise StaleAgreement(agreement)
            if actions.change_agreement(agreement, values, user=user) is None:
                return agreement, None  # an unchanged save is not a version
        return agreement, "gemt"


class StaleAgreement(Exception):
    def __init__(self, current: ServiceAgreement):
        super().__init__("stale agreement")
        self.current = current


class AgreementEndView(AgreementsMixin):
    """ "Afslut": set the agreement's end date (today unless another day is chosen)."""

    template_name = "agreements/end.html"
    page_title = "Afslut serviceleverance"

    def get_breadcrumbs_items(self):
        return [HOME, self.index_breadcrumb(), {"url": "", "label": self.page_title}]

    def setup_agreement(self, request, pk: int) -> ServiceAgreement:
        agreement = get_object_or_404(
            ServiceAgreement.objects.select_related("municipality", "unit", "unit__owner"), pk=pk
        )
        if not can_manage_agreements_of(request.user, agreement.municipality):
            raise Http404
        if not can_edit_agreement(request.user, agreement):
            raise PermissionDenied
        return agreement

    def render_form(self, agreement, form):
        return self.render_to_response(
            self.get_context_data(
                agreement=agreement,
                form=form,
                state=STATES[agreement_state(agreement, self.today)],
                address=format_address(agreement.unit.visiting_address),
            )
        )

    def get(self, request, pk: int):
        agreement = self.setup_agreement(request, pk)
        end = self.today if agreement.end is None or agreement.end > self.today else agreement.end
        form = EndAgreementForm(
            initial={"end": max(end, agreement.start), "base_revision": history.base_of(agreement)},
            agreement=agreement,
            by_agency=self.scope.is_agency,
        )
        return self.render_form(agreement, form)

    def post(self, request, pk: int):
        agreement = self.setup_agreement(request, pk)
        form = EndAgreementForm(request.POST, agreement=agreement, by_agency=self.scope.is_agency)
        if not form.is_valid():
            return self.render_form(agreement, form)
        with transaction.atomic():
            agreement = (
                ServiceAgreement.objects.select_for_update()
                .select_related("municipality", "unit", "unit__owner")
                .get(pk=agreement.pk)
            )
            if "base_revision" in request.POST and history.is_stale(
                agreement, form.cleaned_data["base_revision"]
            ):
                messages.error(
                    request,
                    "Serviceleverancen er ikke afsluttet: den er ændret "
                    f"{history.latest_change(agreement)}, efter du åbnede siden. Tjek "
                    "aftalen herunder, og afslut igen.",
                )
                fresh = EndAgreementForm(
                    initial={
                        "end": form.cleaned_data["end"],
                        "base_revision": history.base_of(agreement),
                    },
                    agreement=agreement,
                    by_agency=self.scope.is_agency,
                )
                response = self.render_form(agreement, fresh)
                response.status_code = 409
                return response
            actions.end_agreement(agreement, form.cleaned_data["end"], user=request.user)
        messages.success(
            request,
            f"Serviceleverancen {agreement.reference} med {agreement.unit} slutter "
            f"{agreement.end:%d.%m.%Y}.",
        )
        return _redirect_to_index(agreement, self.scope)


class AgreementAnnulView(AgreementEndView):
    """ "Annullér": the party (its contract manager) or the agency takes back an agreement
    registered by mistake. It is kept, with its versions, but never counted nor shown."""

    template_name = "agreements/annul.html"
    page_title = "Annullér serviceleverance"

    def get(self, request, pk: int):
        agreement = self.setup_agreement(request, pk)
        form = AnnulAgreementForm(initial={"base_revision": history.base_of(agreement)})
        return self.render_form(agreement, form)

    def post(self, request, pk: int):
        agreement = self.setup_agreement(request, pk)
        form = AnnulAgreementForm(request.POST)
        if not form.is_valid():
            return self.render_form(agreement, form)
        with transaction.atomic():
            agreement = (
                ServiceAgreement.objects.select_for_update()
                .select_related("municipality", "unit", "unit__owner")
                .get(pk=agreement.pk)
            )
            if history.is_stale(agreement, form.cleaned_data["base_revision"]):
                messages.error(
                    request,
                    "Serviceleverancen er ikke annulleret: den er ændret "
                    f"{history.latest_change(agreement)}, efter du åbnede siden. Tjek "
                    "aftalen herunder, og annullér igen.",
                )
                fresh = AnnulAgreementForm(
                    initial={
                        "reason": form.cleaned_data["reason"],
                        "base_revision": history.base_of(agreement),
                    }
                )
                response = self.render_form(agreement, fresh)
                response.status_code = 409
                return response
            actions.annul_agreement(agreement, form.cleaned_data["reason"], user=request.user)
        messages.success(
            request,
            f"Serviceleverancen {agreement.reference} med {agreement.unit} er annulleret. Den "
            "tæller ikke længere og vises ikke offentligt; den står stadig i historikken.",
        )
        return _redirect_to_index(agreement, self.scope)


class AgreementHistoryView(AgreementsMixin):
    """Every version of one agreement (annulled ones too): who, when, what changed."""

    template_name = "agreements/history.html"
    page_title = "Versionshistorik"

    def get_breadcrumbs_items(self):
        return [HOME, self.index_breadcrumb(), {"url": "", "label": self.page_title}]

    def get(self, request, pk: int):
        agreement = get_object_or_404(
            ServiceAgreement.all_objects.select_related("municipality", "unit", "unit__owner"),
            pk=pk,
        )
        if not can_manage_agreements_of(request.user, agreement.municipality):
            raise Http404
        return self.render_to_response(
            self.get_context_data(
                agreement=agreement,
                versions=history.versions(agreement),
                state=STATES[agreement_state(agreement, self.today)],
                can_edit=can_edit_agreement(request.user, agreement) and not agreement.annulled,
            )
        )


# --- the providers' agreement descriptions ---------------------------------------------------


class DescriptionsMixin(ScopedView):
    """Editors (of their own units) and the agency reach the description views."""

    header_icon = "edit"

    def allowed(self) -> bool:
        return self.scope.is_agency or self.scope.is_editor

    def described_agreements(self) -> QuerySet[ServiceAgreement]:
        """The home-care driftsoverenskomster municipalities hold on the user's units."""
        return ServiceAgreement.objects.filter(
            unit__in=editable_units(self.request.user),
            type=AgreementType.OPERATING_AGREEMENT,
            unit__kind__in=HOME_CARE_KINDS,
        ).select_related("municipality", "unit", "unit__owner")


@dataclass
class DescriptionRow:
    unit: Unit
    municipality: Municipality
    entries: list[tuple[ServiceAgreement, str]] = field(default_factory=list)
    text: str = ""
    visible: bool = False
    url: str = ""


class DescriptionIndexView(DescriptionsMixin):
    template_name = "agreements/descriptions.html"
    page_title = "Aftalebeskrivelser"

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": self.page_title}]

    def get(self, request):
        agreements = self.described_agreements().order_by(
            "unit__name", "municipality__name", "start"
        )
        municipality = None
        municipalities = []
        if self.scope.is_agency:
            municipalities = list(Municipality.objects.order_by("name"))
            wanted = request.GET.get("kommune", "")
            if wanted.isdigit():
                municipality = next((m for m in municipalities if m.code == int(wanted)), None)
                if municipality is not None:
                    agreements = agreements.filter(municipality=municipality)
        pairs: OrderedDict[tuple[int, int], DescriptionRow] = OrderedDict()
        for agreement in agreements:
            key = (agreement.unit_id, agreement.municipality_id)
            row = pairs.get(key)
            if row is None:
                row = pairs[key] = DescriptionRow(
                    unit=agreement.unit,
                    municipality=agreement.municipality,
                    url=reverse(
                        "plov_agreements:description",
                        args=[agreement.unit_id, agreement.municipality_id],
                    ),
                )
            row.entries.append((agreement, STATES[agreement_state(agreement, self.today)]))
        page = Paginator(list(pairs.values()), PER_PAGE).get_page(request.GET.get("side"))
        rows = list(page.object_list)
        texts = descriptions_for([a for row in rows for a, _state in row.entries])
        for row in rows:
            row.text = texts.get((row.unit.pk, row.municipality.pk), "")
        visible_pairs = set()
        for code in {row.municipality.pk for row in rows}:
            ids = visible_units(code, self.today).filter(
                pk__in=[r.unit.pk for r in rows if r.municipality.pk == code]
            )
            visible_pairs |= {(pk, code) for pk in ids.values_list("pk", flat=True)}
        for row in rows:
            row.visible = (row.unit.pk, row.municipality.pk) in visible_pairs
        params = {k: v for k, v in request.GET.items() if k != "side" and v}
        return self.render_to_response(
            self.get_context_data(
                rows=rows,
                page=page,
                is_agency=self.scope.is_agency,
                municipality=municipality,
                municipalities=municipalities,
                querystring=urlencode(params),
            )
        )


class DescriptionEditView(DescriptionsMixin):
    template_name = "agreements/description_form.html"
    page_title = "Aftalebeskrivelse"

    def get_breadcrumbs_items(self):
        return [
            HOME,
            {"url": reverse("plov_agreements:descriptions"), "label": "Aftalebeskrivelser"},
            {"url": "", "label": f"{self.unit} – {self.municipality}"},
        ]

    def get_page_subtitle(self):
        return f"{self.unit} – {self.municipality}"

    def setup_description(self, request, unit_pk: int, code: int) -> None:
        # Another organisation's unit is not found; neither is a pair without an agreement.
        self.unit = get_object_or_404(editable_units(request.user), pk=unit_pk)
        if not can_edit_unit(request.user, self.unit):
            raise Http404
        self.agreements = list(
            self.described_agreements()
            .filter(unit=self.unit, municipality_id=code)
            .order_by("start")
        )
        if not self.agreements:
            raise Http404
        self.municipality = self.agreements[0].municipality
        self.instance = AgreementDescription.objects.filter(
            unit=self.unit, municipality=self.municipality
        ).first() or AgreementDescription(unit=self.unit, municipality=self.municipality)

    def render_form(self, form):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                unit=self.unit,
                municipality=self.municipality,
                address=format_address(self.unit.visiting_address),
                agreements=[(a, STATES[agreement_state(a, self.today)]) for a in self.agreements],
                visible=visible_units(self.municipality.code, self.today)
                .filter(pk=self.unit.pk)
                .exists(),
            )
        )

    def get(self, request, unit_pk: int, code: int):
        self.setup_description(request, unit_pk, code)
        return self.render_form(DescriptionForm(instance=self.instance))

    def post(self, request, unit_pk: int, code: int):
        self.setup_description(request, unit_pk, code)
        form = DescriptionForm(request.POST, instance=self.instance)
        if not form.is_valid():
            return self.render_form(form)
        actions.save_agreement_description(form.save(commit=False), user=request.user)
        if visible_units(self.municipality.code).filter(pk=self.unit.pk).exists():
            messages.success(
                request,
                f"Aftalebeskrivelsen er gemt. {self.unit} vises for borgere, der søger i "
                f"{self.municipality}.",
            )
        else:
            self.unit.refresh_from_db(fields=["warnings"])
            missing = [w["message"] for w in self.unit.warnings if w.get("level") == "error"]
            messages.warning(
                request,
                "Aftalebeskrivelsen er gemt, men enheden vises endnu ikke"
                + (": " + "; ".join(missing) if missing else "."),
            )
        return HttpResponseRedirect(reverse("plov_agreements:descriptions"))


# --- a unit's agreements, read-only, on its back-office page ---------------------------------


def who_makes_agreements(unit: Unit) -> str:
    """The next step for a unit without an agreement in force: who registers it."""
    where = f" {unit.municipality}" if unit.municipality else ""
    if unit.owner.kind == Organisation.Kind.MUNICIPALITY:
        owner = unit.owner.municipality or unit.municipality
        return (
            "Serviceleverancen oprettes af den driftsoverenskomstansvarlige i "
            f"{owner or 'kommunen'} (myndighedsproduktion for kommunens egne enheder)."
        )
    return (
        "Serviceleverancen oprettes af den driftsoverenskomstansvarlige i den kommune, der har "
        f"aftalen med jer – for en enhed i{where or ' kommunen'} typisk beliggenhedskommunen. "
        "I kan ikke selv oprette den: kontakt kommunen, hvis aftalen mangler."
    )


def unit_agreements_panel(unit: Unit, today: dt.date | None = None) -> dict:
    """The unit's agreements (not annulled) with their state, newest first, and who makes one
    when none is in force. For the unit's page, which everyone who may see the unit reads."""
    today = today or clock.today()
    agreements = list(
        ServiceAgreement.objects.filter(unit=unit)
        .select_related("municipality")
        .order_by("-start", "municipality__name")
    )
    rows = [
        {
            "agreement": a,
            "state": STATES[agreement_state(a, today)],
            "state_class": STATE_CLASSES[agreement_state(a, today)],
        }
        for a in agreements
    ]
    in_force = any(a.in_force(today) for a in agreements)
    return {
        "unit_agreements": rows,
        "unit_has_agreement": in_force,
        "who_makes_agreements": "" if in_force else who_makes_agreements(unit),
        "agreements_apply": unit.kind != UnitKind.HOME_CARE_PROVIDER,
    }

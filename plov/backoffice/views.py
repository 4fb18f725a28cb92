"""The back office's unit pages: dashboard, editor (lock → edit → save → check in), history,
locks overview and audit log.

Every view asks `plov.accounts.scope` first: a unit the user may not see answers 404, an action
the user may not take on a unit they may see answers 403; in both cases nothing is written.
Saving needs the lock (`plov.backoffice.locking`); a save without it is refused with 409 and the
submitted text stays in the form.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plov import clock
from plov.accounts.http import Forbidden, refuses_forbidden
from plov.accounts.scope import (
    Scope,
    can_edit_unit,
    can_release_lock,
    can_reply_to_supervision,
    can_view_unit,
    editable_units,
)
from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.backoffice import actions, history, locking
from plov.backoffice.forms import (
    UnitEditorForm,
)
from plov.backoffice.layout import _images, _sections
from plov.backoffice.locking import MUST_LOCK, LockLost, lock_state, user_name
from plov.media import removal
from plov.media.models import RemovedMedia, restore_days
from plov.opendata.changes import record_content_change
from plov.publishing.refresh import unit_publication_findings
from plov.publishing.rules import AGREEMENT, P_NUMBER, SOR
from plov.registers.models import CvrProductionUnit
from plov.registers.pnumber import check_pnumber, other_company_against
from plov.supervision.views import public_url
from plov.units.costs import (
    stamp_cost_report,
)
from plov.units.models import Unit, UnitContent, UnitKind

CATEGORIES = [P_NUMBER, SOR, AGREEMENT]
PAGE_SIZE = 25
NO_UNITS_TO_EDIT = (
    "Mine enheder er for redaktører af plejeenheder og helhedspleje; du har ingen enheder at "
    "redigere med din rolle. Dit arbejde finder du under "
)
# Mine enheder's filter "Vises" (the start page's counts link to it).
SHOWN_FILTERS = {"": "Alle", "ja": "Vises", "nej": "Vises ikke"}
SAVED_PUBLISHED = "Gemt og publiceret"
SAVED_UNCHANGED = (
    "Gemt – der var ingen ændringer, så der er ikke oprettet en ny version. Låsen er fornyet."
)
SAVED_NOT_SHOWN = "Gemt – enheden vises ikke endnu: "
SAVED_HIDDEN = "Gemt – enheden er skjult og vises ikke længere for borgerne: "
# A save that would take a published unit off the public site needs this confirmation; its
# value is the P-number confirmed, so a P-number changed afterwards is asked about again.
CONFIRM_HIDE = "gem_alligevel"
CONFIRM_HIDE_LABEL = "Gem alligevel – enheden skjules"
# Warnings of the form (`UnitContentForm.warnings`) are confirmed with this checkbox; its value
# is the warnings' signature, so a changed value that still warns is asked about again.
CONFIRM_WARNINGS = "bekraeft_advarsler"
CONFIRM_WARNINGS_LABEL = "Ja, oplysningerne er rigtige – gem"


# --- helpers -------------------------------------------------------------------------------


def _unit_or_404(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("owner", "municipality"), pk=pk)
    if not can_view_unit(request.user, unit):
        raise Http404("Enheden findes ikke")
    return unit


backoffice_view = refuses_forbidden


def _require_edit(request: HttpRequest, unit: Unit) -> None:
    if not can_edit_unit(request.user, unit):
        raise Forbidden("Du har ikke ret til at redigere denne enhed.")


def _editor_url(unit: Unit) -> str:
    return reverse("backoffice:edit", args=[unit.pk])


def _safe_next(request: HttpRequest, default: str) -> str:
    value = request.POST.get("next") or request.GET.get("next")
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


def _paginate(request: HttpRequest, items, size: int):
    return Paginator(items, size).get_page(request.GET.get("p"))


def _grouped_warnings(unit: Unit) -> list[dict]:
    groups = []
    warnings = unit.warnings or []
    categories = CATEGORIES + sorted({w.get("category") for w in warnings} - set(CATEGORIES))
    for category in categories:
        items = [w for w in warnings if w.get("category") == category]
        if items:
            groups.append({"category": category, "items": items})
    return groups


def _publication_messages(
    request: HttpRequest, unit: Unit, *, prefix: str = "", was_published: bool = False
) -> None:
    errors = [w["message"] for w in unit.warnings if w.get("level") == "error"]
    notes = [w["message"] for w in unit.warnings if w.get("level") != "error"]
    if unit.published:
        messages.success(request, prefix + SAVED_PUBLISHED)
    else:
        saved = SAVED_HIDDEN if was_published else SAVED_NOT_SHOWN
        messages.warning(request, prefix + saved + "; ".join(errors or notes))
    if unit.published and notes:
        messages.warning(request, "Bemærk: " + "; ".join(notes))


def _reasons_to_hide(unit: Unit, p_number: str, today: dt.date | None = None) -> list[str]:
    """Why saving `p_number` would take this published unit off the public site (empty: it
    would stay, or it is not shown now). The rules `refresh_publication` applies, for this unit
    with the P-number the editor typed; the P-number is the only field of the form they read.
    A home-care provider's publication follows its sites, not its own P-number."""
    if not unit.published or unit.kind == UnitKind.HOME_CARE_PROVIDER:
        return []
    findings = unit_publication_findings(unit, p_number=p_number, today=today)
    return [f.message for f in findings if f.level == "error"]


def _after_save(request, unit: Unit, content: UnitContent, revision, *, data: dict) -> None:
    """Audit, publication and the change feed after a save or a restore (`backoffice.actions`)."""
    was_shown = unit.published
    actions.content_saved(unit, content, revision, user=request.user, data=data)
    unit.refresh_from_db(fields=["published", "warnings"])
    previous = revision.get_previous()
    record_content_change(  # the change feed; public if the unit was or is shown
        unit.pk, previous.content if previous else None, revision.content,
        public=was_shown or unit.published,
    )  # fmt: skip


# --- dashboard -----------------------------------------------------------------------------


def _missing_descriptions(unit_ids: list[int], today: dt.date) -> dict[int, list[str]]:
    """Home-care driftsoverenskomster in force whose provider description is missing."""
    agreements = (
        ServiceAgreement.objects.in_force(today)
        .filter(
            unit_id__in=unit_ids,
            type=AgreementType.OPERATING_AGREEMENT,
            unit__kind__in=[UnitKind.HOME_CARE_SITE, UnitKind.HOME_CARE_PROVIDER],
        )
        .select_related("municipality")
    )
    described = set(
        AgreementDescription.objects.filter(unit_id__in=unit_ids)
        .exclude(text="")
        .values_list("unit_id", "municipality_id")
    )
    missing: dict[int, set[str]] = {}
    for agreement in agreements:
        if (agreement.unit_id, agreement.municipality_id) not in described:
            missing.setdefault(agreement.unit_id, set()).add(str(agreement.municipality))
    return {k: sorted(v) for k, v in missing.items()}


@backoffice_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = Scope.for_user(request.user)
    if not (scope.is_agency or scope.is_editor):
        # A contract manager or supervisor has no units to edit: their own list, not an empty one.
        back = _back_link(request)
        messages.info(request, NO_UNITS_TO_EDIT + back["back_label"] + ".")
        return redirect(back["back_url"])
    query = (request.GET.get("q") or "").strip()
    shown = request.GET.get("vises") or ""
    if shown not in SHOWN_FILTERS:
        shown = ""
    locked = request.GET.get("laast") == "mig"
    units = editable_units(request.user).select_related("owner", "content__locked_by")
    if query:
        units = units.filter(Q(name__icontains=query) | Q(sor_id__icontains=query))
    if shown == "nej":
        # As the start page counts them: open units that citizens do not see (a home-care
        # provider is never shown itself; its sites are).
        units = units.filter(published=False, closed_on__isnull=True).exclude(
            kind=UnitKind.HOME_CARE_PROVIDER
        )
    elif shown == "ja":
        units = units.filter(published=True)
    if locked:
        units = units.filter(content__locked=True, content__locked_by=request.user)
    units = units.order_by("name", "pk")
    page = _paginate(request, units, PAGE_SIZE)
    rows = []
    unit_list = list(page.object_list)
    missing = _missing_descriptions([u.pk for u in unit_list], clock.today())
    now = timezone.now()
    for unit in unit_list:
        content = getattr(unit, "content", None) if _has_content(unit) else None
        state = lock_state(content, now=now)
        counts = []
        for group in _grouped_warnings(unit):
            levels = {w.get("level") for w in group["items"]}
            counts.append(
                {
                    "category": group["category"],
                    "count": len(group["items"]),
                    "error": "error" in levels,
                    "messages": [w["message"] for w in group["items"]],
                }
            )
        rows.append(
            {
                "unit": unit,
                "warnings": counts,
                "lock": state,
                "lock_mine": state.held_by(request.user),
                "missing_descriptions": missing.get(unit.pk, []),
            }
        )
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "rows": rows,
            "page": page,
            "query": query,
            "shown": shown,
            "shown_filters": SHOWN_FILTERS,
            "locked_mine": locked,
            "filtered": bool(query or shown or locked),
            "query_string": urlencode(
                {
                    k: v
                    for k, v in (("q", query), ("vises", shown), ("laast", "mig" if locked else ""))
                    if v
                }
            ),
            "total": page.paginator.count,
            "is_agency": Scope.for_user(request.user).is_agency,
        },
    )


def _has_content(unit: Unit) -> bool:
    try:
        unit.content  # noqa: B018
    except UnitContent.DoesNotExist:
        return False
    return True


# --- the editor ----------------------------------------------------------------------------


def _back_link(request: HttpRequest) -> dict:
    """Back to the reader's own list: "Mine enheder" for editors and the agency; a contract
    manager's agreements, a supervisor's Tilsyn (they may read a unit here, not edit it)."""
    scope = Scope.for_user(request.user)
    if scope.is_agency or scope.is_editor:
        return {"back_url": reverse("backoffice:dashboard"), "back_label": "Mine enheder"}
    if scope.contract_municipality is not None:
        return {"back_url": reverse("plov_agreements:index"), "back_label": "Serviceleverancer"}
    if scope.authorities:
        return {"back_url": reverse("plov_supervision:index"), "back_label": "Tilsyn"}
    return {"back_url": reverse("wagtailadmin_home"), "back_label": "Forside"}


def unit_agreements_panel(unit: Unit) -> dict:
    from plov.agreements.views import unit_agreements_panel as panel

    return panel(unit)


def _agreements_link(request: HttpRequest, unit: Unit) -> dict:
    """Where the user handles this unit's agreements, if anywhere: contract managers and the
    agency the agreements pages; a private provider's editor the agreement descriptions."""
    from plov.agreements.wagtail_hooks import manages_agreements, writes_descriptions

    if manages_agreements(request):
        return {
            "agreements_url": reverse("plov_agreements:index"),
            "agreements_label": "Serviceleverancer",
        }
    if unit.kind == UnitKind.HOME_CARE_SITE and writes_descriptions(request):
        return {
            "agreements_url": reverse("plov_agreements:descriptions"),
            "agreements_label": "Aftalebeskrivelser",
        }
    return {}


def _render_editor(
    request: HttpRequest,
    unit: Unit,
    content: UnitContent | None,
    form: UnitEditorForm | None = None,
    *,
    refused: bool = False,
    hide_reasons: list[str] | None = None,
    warnings: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_edit = can_edit_unit(user, unit)
    shown = content if content is not None else UnitContent(unit=unit)
    state = lock_state(content, with_taken=True)
    holding = may_edit and locking.holds_lock(content, user)
    if form is None:
        form = UnitEditorForm(instance=shown)
    editing = holding or refused
    production_unit = (
        CvrProductionUnit.objects.filter(p_number=shown.p_number).first()
        if shown.p_number
        else None
    )
    version_count = history.revisions_of(content).count()
    typed_p_number = form.cleaned_data.get("p_number") if hide_reasons else None
    context = {
        "unit": unit,
        "content": shown,
        "form": form,
        "sections": _sections(unit, shown, form, production_unit, typed_p_number),
        "images": _images(shown),
        "warning_groups": _grouped_warnings(unit),
        "lock": state,
        "holding": holding,
        "editing": editing,
        "refused": refused,
        "may_edit": may_edit,
        "may_lock": may_edit and not holding and not state.blocks(user),
        "may_release": can_release_lock(user) and state.locked and not state.held_by(user),
        "must_lock_message": MUST_LOCK,
        "version_count": version_count,
        "media_url": f"/admin/enheder/{unit.pk}/medier/",
        "replies_url": reverse("backoffice:replies", args=[unit.pk])
        if can_reply_to_supervision(user, unit)
        else "",
        "public_url": public_url(unit),
        **_agreements_link(request, unit),
        **unit_agreements_panel(unit),
        **_back_link(request),
        "kind_label": UnitKind(unit.kind).label,
        "hidden_fields": [form["base_revision"]],
        "hide_reasons": hide_reasons or [],
        "confirm_hide": CONFIRM_HIDE,
        "confirm_hide_label": CONFIRM_HIDE_LABEL,
        "confirm_hide_value": typed_p_number or "-",
        "form_warnings": warnings or [],
        "confirm_warnings": CONFIRM_WARNINGS,
        "confirm_warnings_label": CONFIRM_WARNINGS_LABEL,
        "confirm_warnings_value": form.warnings_signature if warnings else "",
        # A form shown again (refused, errors, a question) holds text that is not saved.
        "unsaved": form.is_bound,
    }
    return render(request, "backoffice/editor.html", context, status=status)


@backoffice_view
@require_http_methods(["GET", "POST"])
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    if request.method == "POST":
        _require_edit(request, unit)
        return _save(request, unit)
    content = locking.content_of(unit)
    return _render_editor(request, unit, content)


def _refuse(request, unit: Unit, content: UnitContent | None, data, message: str) -> HttpResponse:
    """The save is not made; the submitted values are shown again, in the form."""
    messages.error(request, message)
    form = UnitEditorForm(data, instance=content or UnitContent(unit=unit))
    return _render_editor(request, unit, content, form, refused=True, status=409)


def _save(request: HttpRequest, unit: Unit) -> HttpResponse:
    user = request.user
    content = locking.content_of(unit)
    data = request.POST
    if data.get("relock"):
        # "Lås og gem": take the lock again (if it is free) and save, unless the content
        # changed meanwhile (checked below against the version the form started from).
        result = locking.acquire(unit, user)
        content = result.content
        if result.acquired:
            messages.info(request, "Enheden er låst til dig igen.")
    if not locking.holds_lock(content, user):
        state = lock_state(content)
        if state.locked:
            reason = f"Dine ændringer er ikke gemt, fordi du ikke har låsen: {state.message}."
        else:
            reason = (
                "Dine ændringer er ikke gemt, fordi du ikke længere har låsen (enheden er tjekket "
                "ind eller låsen er frigivet). " + MUST_LOCK + "."
            )
        return _refuse(
            request,
            unit,
            content,
            data,
            reason + " Din tekst står stadig i formularen herunder, så du kan kopiere den.",
        )

    form = UnitEditorForm(data, instance=content)
    if not form.is_valid():
        messages.error(request, "Enheden er ikke gemt: ret fejlene nedenfor.")
        return _render_editor(request, unit, content, form, status=200)

    p_number = form.cleaned_data.get("p_number", "")
    reasons = _reasons_to_hide(unit, p_number)
    unconfirmed = form.warnings and data.get(CONFIRM_WARNINGS) != form.warnings_signature
    if unconfirmed or (reasons and data.get(CONFIRM_HIDE) != (p_number or "-")):
        # Nothing is saved yet: the editor sees the warnings, or why the unit would disappear,
        # and confirms or corrects. What they typed stays in the form.
        return _render_editor(
            request,
            unit,
            content,
            form,
            hide_reasons=reasons,
            warnings=form.warnings if unconfirmed else [],
            status=200,
        )

    was_published = unit.published
    try:
        with transaction.atomic():
            row = UnitContent.objects.select_for_update().get(pk=content.pk)
            if not locking.holds_lock(row, user):
                raise LockLost
            if "base_revision" in data and form.cleaned_data["base_revision"] != (
                row.latest_revision_id
            ):
                raise _Conflict(row)
            instance = form.save(commit=False)
            # Only the form's fields come from the form; everything else is as stored.
            for model_field in UnitContent._meta.concrete_fields:
                if model_field.name not in form.editorial_fields:
                    setattr(instance, model_field.attname, getattr(row, model_field.attname))
            stamp_cost_report(row, instance, timezone.localdate())
            if not history.changes(row, instance, form.cleaned_data):
                # Nothing to keep: no version, but the save counts as activity on the lock.
                locking.refresh(row, user)
                unchanged = True
            else:
                unchanged = False
                history.ensure_baseline(row)
                instance.latest_revision_id = row.latest_revision_id
                instance.locked_at = timezone.now()
                instance.save()
                form.save_m2m()
                revision = history.create_revision(instance, user)
                # The audit entry and publication in the same transaction: a version is
                # never kept without them.
                _after_save(
                    request,
                    unit,
                    instance,
                    revision,
                    data={"fields": [f for f in form.changed_data if f != "base_revision"]},
                )
    except LockLost:
        content.refresh_from_db()
        return _refuse(request, unit, content, data, "Dine ændringer er ikke gemt: " + MUST_LOCK)
    except _Conflict as conflict:
        current = conflict.content
        latest = history.versions(current)[0] if current.latest_revision_id else None
        newer = data.copy()
        newer["base_revision"] = str(current.latest_revision_id or "")
        detail = (
            f" (version {latest.number}, gemt af {latest.author} {latest.created})"
            if latest
            else ""
        )
        return _refuse(
            request,
            unit,
            conflict.content,
            newer,
            "Dine ændringer er ikke gemt: enheden er blevet gemt af en anden, siden du åbnede "
            f"den{detail}. Din tekst står stadig i formularen; se historikken, før du gemmer igen.",
        )

    if unchanged:
        messages.success(request, SAVED_UNCHANGED)
    else:
        _publication_messages(request, unit, was_published=was_published)
    if data.get("checkin") and locking.check_in(instance, user):
        messages.success(request, "Tjekket ind – enheden er låst op for dine kolleger.")
    return redirect(_editor_url(unit))


class _Conflict(Exception):
    def __init__(self, content: UnitContent):
        super().__init__("conflict")
        self.content = content


@backoffice_view
@require_POST
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    _require_edit(request, unit)
    result = locking.acquire(unit, request.user)
    if result.acquired:
        messages.success(
            request,
            "Enheden er låst til dig, og du kan rette i den. Husk at tjekke ind, når du er færdig.",
        )
        if result.took_over_from is not None:
            messages.info(
                request,
                f"{user_name(result.took_over_from)}s lås var udløbet og er overtaget af dig.",
            )
    else:
        messages.error(
            request,
            f"{result.state.message}. Enheden kan låses, når den er tjekket ind, eller når låsen "
            "udløber.",
        )
    return redirect(_safe_next(request, _editor_url(unit)))


@backoffice_view
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    _require_edit(request, unit)
    content = locking.content_of(unit)
    if content is not None and locking.check_in(content, request.user):
        messages.success(request, "Tjekket ind – enheden er låst op for dine kolleger.")
    else:
        messages.error(request, "Du har ikke låst enheden, så der er intet at tjekke ind.")
    return redirect(_editor_url(unit))


@backoffice_view
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    if not can_release_lock(request.user):
        raise Forbidden("Kun Sundhedsdatastyrelsen kan frigive andres låse.")
    content = locking.content_of(unit)
    holder = request.POST.get("holder")
    expected = int(holder) if holder and holder.isdigit() else None
    state = lock_state(content)
    if content is not None and locking.release_by_admin(
        content, request.user, expected_holder_id=expected
    ):
        messages.success(request, f"Låsen på {unit.name} ({state.holder_name}) er frigivet.")
    else:
        messages.error(request, f"{unit.name} var ikke låst af den bruger; intet er ændret.")
    return redirect(_safe_next(request, _editor_url(unit)))


@backoffice_view
@require_GET
def pnumber_check(request: HttpRequest, pk: int) -> JsonResponse:
    """The P-number check while the editor types (the same check runs on save)."""
    unit = _unit_or_404(request, pk)
    _require_edit(request, unit)
    p_number = re.sub(r"\s+", "", request.GET.get("p", ""))
    result = check_pnumber(p_number).as_dict()
    pu = CvrProductionUnit.objects.filter(p_number=p_number).first() if p_number else None
    result["production_unit"] = (
        {"name": pu.name, "cvr": pu.cvr_number, "industry": pu.primary_industry_code}
        if pu
        else None
    )
    # Another company's production unit: said while typing, asked about on save.
    other = other_company_against(pu, unit.owner.cvr_number if unit.owner_id else None)
    if other:
        result["other_company"] = other
        if result["level"] == "ok":
            result.update(level="warning", message=other)
        else:
            result["message"] += " " + other
    return JsonResponse(result)


# --- history -------------------------------------------------------------------------------


@backoffice_view
@require_GET
def history_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    _require_edit(request, unit)
    return _render_history(request, unit)


def _render_history(
    request: HttpRequest, unit: Unit, *, restore_question: dict | None = None
) -> HttpResponse:
    content = locking.content_of(unit)
    versions = history.versions(content)
    by_id = {v.revision.pk: v for v in versions}

    def chosen(name: str):
        value = request.GET.get(name)
        if not value:
            return None
        if not value.isdigit() or int(value) not in by_id:
            raise Http404("Versionen findes ikke")
        return by_id[int(value)]

    first, second = chosen("a"), chosen("b")
    if first is None and second is None and len(versions) >= 2:
        first, second = versions[1], versions[0]
    rows = []
    if first and second:
        older, newer = sorted((first, second), key=lambda v: v.number)
        rows = history.diff(content, older.revision, newer.revision)
        first, second = older, newer
    state = lock_state(content, with_taken=True)
    return render(
        request,
        "backoffice/history.html",
        {
            "unit": unit,
            "versions": versions,
            "older": first,
            "newer": second,
            "rows": rows,
            "changed_count": sum(1 for r in rows if r.changed),
            "show_all": request.GET.get("alle") == "1",
            "holding": locking.holds_lock(content, request.user),
            "lock": state,
            "may_lock": not state.blocks(request.user),
            "must_lock_message": MUST_LOCK,
            "restore_question": restore_question,
            **(
                {
                    "hide_reasons": restore_question["reasons"],
                    "confirm_hide": CONFIRM_HIDE,
                    "confirm_hide_label": CONFIRM_HIDE_LABEL,
                    "confirm_hide_value": restore_question["p_number"] or "-",
                }
                if restore_question
                else {}
            ),
            "media_events": removal.events(unit),
            "removed_media": RemovedMedia.restorable(unit),
            "restore_days": restore_days(),
        },
    )


@backoffice_view
@require_POST
def restore(request: HttpRequest, pk: int, revision_id: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    _require_edit(request, unit)
    content = locking.content_of(unit)
    versions = {v.revision.pk: v for v in history.versions(content)}
    version = versions.get(revision_id)
    if version is None:
        raise Http404("Versionen findes ikke")
    history_url = reverse("backoffice:history", args=[unit.pk])
    was_published = unit.published
    # The same question as a save: restoring a version may take the unit off the public site.
    p_number = history.as_object(content, version.revision).p_number
    reasons = _reasons_to_hide(unit, p_number)
    if reasons and request.POST.get(CONFIRM_HIDE) != (p_number or "-"):
        if not locking.holds_lock(content, request.user):
            messages.error(request, MUST_LOCK + ". Lås enheden, og gendan derefter versionen.")
            return redirect(history_url)
        return _render_history(
            request,
            unit,
            restore_question={
                "revision": version.revision,
                "number": version.number,
                "p_number": p_number,
                "reasons": reasons,
                "action": f"Gendanner du version {version.number}",
                "advice": f"Version {version.number} er ikke gendannet. Sæt flueben herunder og "
                "klik «Gendan», hvis enheden skal skjules – eller fortryd.",
            },
        )
    try:
        with transaction.atomic():  # the version restored, its audit entry and publication
            revision = history.restore(content, version.revision, request.user)
            _after_save(
                request,
                unit,
                content,
                revision,
                data={"restored_from": version.revision.pk, "restored_version": version.number},
            )
    except LockLost:
        messages.error(request, MUST_LOCK + ". Lås enheden, og gendan derefter versionen.")
        return redirect(history_url)
    _publication_messages(
        request,
        unit,
        prefix=f"Version {version.number} er gendannet. ",
        was_published=was_published,
    )
    return redirect(history_url)

"""/admin/kommuner/<code>/ansoeg/: a municipality's application guidance in the back office,
lock → edit → save → check in, with versions, like a unit's content (`plov.backoffice`).

Who: the municipality's own editors and the agency (`scope.can_edit_application_guidance`);
anyone else gets 403 and nothing is written. Saving and restoring need the lock."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plov.accounts.http import Forbidden, refuses_forbidden
from plov.accounts.scope import Scope, can_edit_application_guidance, can_release_lock
from plov.applying import guidance as rules
from plov.applying.forms import ApplicationGuidanceForm
from plov.applying.models import FIELDS, ApplicationGuidance
from plov.backoffice import locking
from plov.units.models import Municipality

NOT_YOURS = "Du kan kun skrive ansøgningsvejledningen for din egen kommune."


def _municipality(request: HttpRequest, code: int) -> Municipality:
    municipality = get_object_or_404(Municipality, code=code)
    if not can_edit_application_guidance(request.user, municipality):
        raise Forbidden(NOT_YOURS)
    return municipality


def _edit_url(municipality: Municipality) -> str:
    return reverse("applying:edit", args=[municipality.code])


def _labels() -> dict[str, str]:
    return {name: str(ApplicationGuidance._meta.get_field(name).verbose_name) for name in FIELDS}


@refuses_forbidden
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The agency: every municipality and whether it has written its guidance; a municipality's
    editor goes straight to their own."""
    scope = Scope.for_user(request.user)
    if not scope.is_agency:
        if scope.editor_municipality is None:
            raise Forbidden(
                "Ansøgningsvejledningen skrives af kommunens redaktører og Sundhedsdatastyrelsen."
            )
        return redirect(reverse("applying:edit", args=[scope.editor_municipality]))
    filled = {g.municipality_id: g for g in ApplicationGuidance.objects.all() if g.is_filled}
    rows = [(m, filled.get(m.code)) for m in Municipality.objects.order_by("name")]
    return render(
        request, "applying/index.html", {"rows": rows, "missing": len(rows) - len(filled)}
    )


def _render(request, municipality, guidance, form, status=200):
    state = locking.lock_state(guidance, with_taken=True)
    holding = locking.holds_lock(guidance, request.user)
    if not holding and not form.is_bound:  # a refused save keeps what was written, editable
        for field in form.fields.values():
            field.disabled = True
    from plov.applying.views_public import guidance_url

    return render(
        request,
        "applying/edit.html",
        {
            "municipality": municipality,
            "guidance": guidance,
            "form": form,
            "lock": state,
            "holding": holding,
            "may_lock": not state.blocks(request.user),
            "may_release": state.locked and not holding and can_release_lock(request.user),
            "must_lock_message": locking.MUST_LOCK,
            "public_url": guidance_url(municipality),
        },
        status=status,
    )


@refuses_forbidden
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: int) -> HttpResponse:
    municipality = _municipality(request, code)
    guidance = rules.guidance_of(municipality)
    if request.method == "GET":
        form = ApplicationGuidanceForm(instance=guidance or ApplicationGuidance())
        return _render(request, municipality, guidance, form)
    form = ApplicationGuidanceForm(request.POST, instance=ApplicationGuidance())
    if guidance is None or not locking.holds_lock(guidance, request.user):
        messages.error(request, f"{locking.MUST_LOCK}. Det, du skrev, står stadig i felterne.")
        form.is_valid()
        response = _render(request, municipality, guidance, form, status=409)
        return response
    if not form.is_valid():
        messages.error(request, "Ret felterne, der er markeret, og gem igen.")
        return _render(request, municipality, guidance, form, status=400)
    try:
        changed = rules.save(guidance, form.cleaned_data, request.user)
    except locking.LockLost:
        messages.error(request, f"{locking.MUST_LOCK}. Det, du skrev, står stadig i felterne.")
        return _render(request, municipality, rules.guidance_of(municipality), form, status=409)
    if changed:
        labels = _labels()
        messages.success(
            request, "Gemt og publiceret: " + ", ".join(labels[name] for name in changed) + "."
        )
    else:
        messages.info(request, "Gemt – der var ingen ændringer. Låsen er fornyet.")
    return redirect(_edit_url(municipality))


@refuses_forbidden
@require_POST
def lock(request: HttpRequest, code: int) -> HttpResponse:
    municipality = _municipality(request, code)
    result = locking.acquire_content(rules.get_or_create(municipality), request.user)
    if result.acquired:
        messages.success(request, "Låst – du kan nu rette ansøgningsvejledningen.")
    else:
        messages.error(request, f"{result.state.message}. Den kan låses, når den er tjekket ind.")
    return redirect(_edit_url(municipality))


@refuses_forbidden
@require_POST
def check_in(request: HttpRequest, code: int) -> HttpResponse:
    municipality = _municipality(request, code)
    guidance = rules.guidance_of(municipality)
    if guidance is not None and locking.check_in(guidance, request.user):
        messages.success(request, "Tjekket ind – dine kolleger kan nu rette vejledningen.")
    else:
        messages.error(request, "Du har ikke låst vejledningen, så der er intet at tjekke ind.")
    return redirect(_edit_url(municipality))


@refuses_forbidden
@require_POST
def release(request: HttpRequest, code: int) -> HttpResponse:
    municipality = _municipality(request, code)
    if not can_release_lock(request.user):
        raise Forbidden("Kun Sundhedsdatastyrelsen kan frigive andres låse.")
    guidance = rules.guidance_of(municipality)
    if guidance is not None and locking.release_by_admin(guidance, request.user):
        messages.success(request, "Låsen er frigivet.")
    return redirect(_edit_url(municipality))


@refuses_forbidden
@require_GET
def history(request: HttpRequest, code: int) -> HttpResponse:
    municipality = _municipality(request, code)
    guidance = rules.guidance_of(municipality)
    labels = _labels()
    versions = [
        {"version": v, "changed": [labels[n] for n in v.changed]}
        for v in (rules.versions(guidance) if guidance else [])
    ]
    return render(
        request,
        "applying/history.html",
        {
            "municipality": municipality,
            "versions": versions,
            "holding": locking.holds_lock(guidance, request.user),
        },
    )


@refuses_forbidden
@require_POST
def restore(request: HttpRequest, code: int, revision_id: int) -> HttpResponse:
    municipality = _municipality(request, code)
    guidance = rules.guidance_of(municipality)
    if guidance is None:
        raise Http404
    try:
        changed = rules.restore(guidance, revision_id, request.user)
    except ApplicationGuidance.DoesNotExist:
        raise Http404 from None
    except locking.LockLost:
        messages.error(request, f"{locking.MUST_LOCK} – det gælder også gendannelse.")
        return redirect(reverse("applying:history", args=[municipality.code]))
    messages.success(
        request, "Versionen er gendannet som en ny version." if changed else "Ingen ændringer."
    )
    return redirect(_edit_url(municipality))

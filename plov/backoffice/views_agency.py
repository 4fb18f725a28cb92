"""The agency's back-office pages: the locks held now (/admin/enheder/laase/) and the
audit log (/admin/enheder/revisionslog/), Sundhedsdatastyrelsen only."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from plov.accounts.http import Forbidden
from plov.accounts.scope import (
    can_release_lock,
)
from plov.backoffice import locking
from plov.backoffice.audit import ACTIONS, AuditAction
from plov.backoffice.forms import (
    LABELS,
)
from plov.backoffice.locking import format_time, lock_state, user_name
from plov.backoffice.views import _paginate, backoffice_view
from plov.supervision.authorities import MOVED_ACTION, MOVED_LABEL
from plov.units.models import UnitContent

LOG_PAGE_SIZE = 50

ACTION_LABELS = {
    "wagtail.lock": "Låst",
    "wagtail.unlock": "Låst op (tjekket ind)",
    "wagtail.edit": "Ny version gemt",
    "wagtail.revert": "Tidligere version gendannet",
    "wagtail.create": "Oprettet",
    "wagtail.delete": "Slettet",
    **ACTIONS,
    MOVED_ACTION: MOVED_LABEL,
}


# --- the agency's pages --------------------------------------------------------------------


def _require_agency(request: HttpRequest) -> None:
    if not can_release_lock(request.user):
        raise Forbidden("Siden er kun for Sundhedsdatastyrelsen.")


@backoffice_view
@require_GET
def locks_overview(request: HttpRequest) -> HttpResponse:
    _require_agency(request)
    now = timezone.now()
    contents = (
        UnitContent.objects.filter(locked=True)
        .select_related("unit", "locked_by")
        .order_by("locked_at", "pk")
    )
    rows = [
        {"content": c, "unit": c.unit, "lock": lock_state(c, now=now, with_taken=True)}
        for c in contents
    ]
    return render(
        request,
        "backoffice/locks.html",
        {
            "rows": rows,
            "timeout_minutes": int(locking.lock_timeout().total_seconds() // 60),
            "here": request.get_full_path(),
        },
    )


def _plov_app_labels() -> list[str]:
    return [c.label for c in apps.get_app_configs() if c.name.startswith("plov.")]


def _action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    try:
        return str(log_registry.get_action_label(action))
    except Exception:  # an action no longer registered
        return action


@backoffice_view
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_agency(request)
    entries = ModelLogEntry.objects.filter(
        Q(content_type__app_label__in=_plov_app_labels()) | Q(action__startswith="plov.")
    )
    actions = sorted(set(entries.values_list("action", flat=True)), key=_action_label)
    user_ids = set(entries.exclude(user__isnull=True).values_list("user_id", flat=True))
    from django.contrib.auth import get_user_model

    users = sorted(
        get_user_model().objects.filter(pk__in=user_ids), key=lambda u: user_name(u).lower()
    )
    action = request.GET.get("handling") or ""
    user_id = request.GET.get("bruger") or ""
    if action:
        entries = entries.filter(action=action)
    if user_id.isdigit():
        entries = entries.filter(user_id=int(user_id))
    entries = entries.select_related("user", "content_type").order_by("-timestamp", "-pk")
    page = _paginate(request, entries, LOG_PAGE_SIZE)
    rows = []
    for entry in page.object_list:
        model = entry.content_type.model_class() if entry.content_type_id else None
        rows.append(
            {
                "entry": entry,
                "time": format_time(entry.timestamp),
                "user": user_name(entry.user) if entry.user_id else "System",
                "action": _action_label(entry.action),
                "object_type": str(model._meta.verbose_name) if model else "",
                "details": _details(entry),
            }
        )
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "backoffice/audit_log.html",
        {
            "rows": rows,
            "page": page,
            "actions": [(a, _action_label(a)) for a in actions],
            "users": [(str(u.pk), user_name(u)) for u in users],
            "action": action,
            "user_id": user_id,
            "query_string": query.urlencode(),
        },
    )


def _details(entry: ModelLogEntry) -> str:
    data = entry.data or {}
    parts = []
    if "fields" in data:
        labels = [LABELS.get(f, f) for f in data["fields"]]
        parts.append("Ændrede felter: " + (", ".join(labels) if labels else "ingen"))
    if "restored_version" in data:
        parts.append(f"Gendannet fra version {data['restored_version']}")
    if "holder" in data:
        parts.append(f"Låsen tilhørte {data['holder']}")
    if "expired_lock_of" in data:
        parts.append(f"Overtog {data['expired_lock_of']}s udløbne lås")
    if "warnings" in data:
        parts.append("; ".join(data["warnings"]))
    if entry.action.startswith("plov.agreement_"):
        from plov.agreements.history import LABELS as AGREEMENT_LABELS

        parts.append(f"Kommune {data.get('kommune', '')}, SOR-ID {data.get('sor_id', '')}")
        if data.get("reference"):
            parts.append(f"Aftale {data['reference']}")
        changes = data.get("changes")
        if isinstance(changes, dict) and changes and entry.action != AuditAction.AGREEMENT_CREATED:
            parts.append(
                "Ændrede felter: " + ", ".join(AGREEMENT_LABELS.get(k, k) for k in changes)
            )
    return ". ".join(parts)

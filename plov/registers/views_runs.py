"""*Kørsler* (/admin/koersler/), for the agency: the latest register imports (ImportRun) and
background tasks (django-tasks' database backend), failures first in mind: a failed import or
weekly mail is never silent."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_tasks_db.models import DBTaskResult

from plov.accounts.http import forbidden
from plov.accounts.scope import Scope
from plov.registers.models import ImportRun

LIMIT = 50
TASK_STATUS = {
    "READY": "I kø",
    "RUNNING": "Kører",
    "FAILED": "Fejlet",
    "SUCCESSFUL": "Gennemført",
}
TASK_NAMES = {
    "plov.publishing.tasks.send_weekly_data_quality_mail": "Ugentlig datakvalitetsmail",
}


def may_see_runs(user) -> bool:
    return Scope.for_user(user).is_agency


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def runs(request: HttpRequest) -> HttpResponse:
    if not may_see_runs(request.user):
        return forbidden(request)
    tasks = [
        {
            "name": TASK_NAMES.get(task.task_path, task.task_path.rsplit(".", 1)[-1]),
            "status": TASK_STATUS.get(task.status, task.status),
            "failed": task.status == "FAILED",
            "enqueued_at": task.enqueued_at,
            "finished_at": task.finished_at,
            "error": _last_line(task.traceback) if task.status == "FAILED" else "",
            "result": task.return_value if task.status == "SUCCESSFUL" else None,
        }
        for task in DBTaskResult.objects.order_by("-enqueued_at")[:LIMIT]
    ]
    imports = ImportRun.objects.order_by("-started_at")[:LIMIT]
    return TemplateResponse(
        request,
        "registers/runs.html",
        {
            "page_title": "Kørsler",
            "header_title": "Kørsler",
            "imports": imports,
            "tasks": tasks,
            "failed_imports": sum(1 for run in imports if run.status == ImportRun.Status.FAILED),
            "failed_tasks": sum(1 for task in tasks if task["failed"]),
        },
    )

"""Running plov as a service: JSON log lines, one request log line per request, health checks.

- `JsonFormatter`: one JSON object per log record (`ts`, `level`, `logger`, `message`, the
  record's extra fields, and `exc` with the traceback for errors).
- `RequestLogMiddleware`: one line per request on the `plov.request` logger with the method,
  the path (never the query string: a search may hold a citizen's address), the view's name,
  the status, the duration in milliseconds and the numeric user id. Never names, e-mail
  addresses, cookies or tokens.
- `/healthz`: the process answers (200, touches nothing). `/readyz`: the database answers,
  every migration is applied and the cache can be written and read back; otherwise 503 with
  a JSON reason. Both are plain JSON, never cached, and outside the language prefix.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import empty
from django.views.decorators.cache import never_cache

request_logger = logging.getLogger("plov.request")

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                entry[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    """Log each request once, after the response (also for responses raised as exceptions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "view": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": _user_id(request),
            },
        )
        return response


def _user_id(request: HttpRequest) -> int | None:
    """The user's id if the request already looked the user up: logging never costs a session
    read of its own (and /readyz must answer while the database is down)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        return None
    return wrapped.pk if wrapped.is_authenticated else None


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _unapplied_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    if checks["database"] == "ok":
        try:
            pending = _unapplied_migrations()
        except Exception as exc:
            checks["migrations"] = f"unknown: {type(exc).__name__}"
        else:
            checks["migrations"] = (
                "ok" if not pending else f"{len(pending)} not applied: {', '.join(pending[:5])}"
            )
    else:
        checks["migrations"] = "unknown: no database"
    try:
        key, token = f"plov:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
        cache.set(key, token, 10)
        ok = cache.get(key) == token
        cache.delete(key)
        checks["cache"] = "ok" if ok else "not working: a value written was not read back"
    except Exception as exc:
        checks["cache"] = f"unreachable: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )

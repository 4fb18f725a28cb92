"""The development settings (the demo's) keep django_tasks' one INFO line per task out of the
console, but not its errors, nor plov's own messages; production logs every task as before.
A fresh interpreter per case, since logging is set up when Django starts."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import logging, django
django.setup()
logging.getLogger("django_tasks").info("task-started")
logging.getLogger("django_tasks").error("task-failed")
logging.getLogger("plov.demo").info("demo-built")
"""


def console(settings_module: str, tmp_path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLOV_")}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        PLOV_DATA_DIR=str(tmp_path),
        PLOV_SECRET_KEY="probe-only",
        PLOV_ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_the_demo_settings_hide_task_progress_but_not_errors_or_plovs_messages(tmp_path):
    logged = console("plov.settings.dev", tmp_path)
    assert "task-started" not in logged
    assert "task-failed" in logged and "demo-built" in logged


def test_production_still_logs_each_task(tmp_path):
    logged = console("plov.settings.production", tmp_path)
    assert "task-started" in logged and "task-failed" in logged and "demo-built" in logged

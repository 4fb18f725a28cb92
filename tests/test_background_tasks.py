"""Background work as production runs it: django-tasks' database backend and its worker.

`plov data-quality-mail --enqueue` stores the weekly mail as a task; `plov db_worker --batch`
(the worker command, run here in this process for the tasks queued) sends it. A task that fails
(the SMTP relay refuses the connection) is kept as FAILED and shown to the agency under
*Kørsler*, like a failed register import; other roles are refused.
"""

from __future__ import annotations

import io
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from plov.registers.models import ImportRun
from tests.test_data_quality_mail import world  # noqa: F401  (fixture)

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The worker closes its database connection after each task, as a long-running process must:
# that needs real transactions (inside a test's atomic block PostgreSQL refuses the close).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def plov(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def database_tasks(settings, monkeypatch):
    settings.TASKS = DB_BACKEND
    # The worker runs in this process, inside the test's transaction: between tasks it closes
    # old connections (CONN_MAX_AGE 0 here), which would end the test's own.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def test_the_weekly_mail_is_queued_and_sent_by_the_worker(world, database_tasks):  # noqa: F811
    out = plov("data_quality_mail", "--enqueue")
    assert "Sat i kø som baggrundsopgave" in out
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.task_path.endswith("send_weekly_data_quality_mail")
    assert mail.outbox == []  # nothing sent until the worker runs

    plov("db_worker", "--batch", "--interval", "0")
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.traceback
    assert task.return_value["emails"] == len(mail.outbox) > 0
    assert "redaktoer@aarhus.example" in {r for m in mail.outbox for r in m.to}


def test_a_failed_mail_task_is_kept_and_shown_to_the_agency(
    world,  # noqa: F811
    database_tasks,
    settings,
    client,
    caplog,
):
    with socket.socket() as s:  # a port nothing listens on: the relay is down
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    plov("data_quality_mail", "--enqueue")
    plov("db_worker", "--batch", "--interval", "0")
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED"
    assert "ConnectionRefusedError" in task.traceback
    assert any(r.name == "plov.publishing" and r.levelname == "ERROR" for r in caplog.records), (
        "the failure is logged too"
    )
    ImportRun.objects.create(
        register="sor", source="/srv/registers/SorEntity_daily.csv",
        status=ImportRun.Status.FAILED, error="SorEntity_daily.csv:3: missing column EntityTypeName",
    )  # fmt: skip

    client.force_login(world["agency"])
    page = client.get("/admin/koersler/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ugentlig datakvalitetsmail" in text and "Fejlet" in text
    assert "ConnectionRefusedError" in text
    assert "1 af de seneste baggrundsopgaver er fejlet" in text
    assert "missing column EntityTypeName" in text

    for name in ("editor_aarhus", "contract_aarhus"):
        client.force_login(world[name])
        assert client.get("/admin/koersler/").status_code == 403
    client.logout()
    assert client.get("/admin/koersler/").status_code == 302  # to the login

"""Running as a service: the CLI's settings, logs, health checks, security headers, sessions."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db.migrations.recorder import MigrationRecorder
from django.urls import path, reverse

from plov.observability import JsonFormatter
from plov.security import LOGIN_AT
from tests.servers import AppServer, http, server_env
from tests.test_backoffice_editing import make_user

ROOT = Path(__file__).resolve().parent.parent


def _plov(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PLOV_", "DJANGO_"))}
    clean.update(PLOV_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "plov.cli", *args],
        env=clean, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_cli_runs_with_production_settings_unless_told_otherwise(tmp_path):
    show = (
        "from django.conf import settings as s; "
        "print(s.SETTINGS_MODULE, s.DEBUG, s.PLOV_DEMO, s.EMAIL_BACKEND, s.TASKS['default']['BACKEND'],"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, (s.SECURE_PROXY_SSL_HEADER or '-')[0])"
    )
    done = _plov(["shell", "--no-imports", "-c", show], {"PLOV_SECRET_KEY": "x" * 50}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "plov.settings.production", "False", "False",
        "django.core.mail.backends.smtp.EmailBackend", "django_tasks_db.DatabaseBackend",
        "True", "31536000", "HTTP_X_FORWARDED_PROTO",
    ]  # fmt: skip
    # Without the secret key production refuses to start, and says why.
    done = _plov(["shell", "--no-imports", "-c", show], {}, tmp_path)
    assert done.returncode != 0
    assert "PLOV_SECRET_KEY must be set" in done.stderr
    # The demo's settings when asked for.
    done = _plov(
        ["shell", "--no-imports", "-c", show],
        {"DJANGO_SETTINGS_MODULE": "plov.settings.dev"},
        tmp_path,
    )
    assert done.stdout.split()[:3] == ["plov.settings.dev", "True", "True"]


def test_a_failed_import_is_logged_as_an_error(db, tmp_path, caplog):
    from plov.registers.readers import MalformedFile
    from plov.registers.runs import run_import

    path = tmp_path / "cvr.jsonl"
    path.write_text('{"pNummer": 1000000010, \n', encoding="utf-8")
    with pytest.raises(MalformedFile):
        run_import("cvr", path)
    [record] = [r for r in caplog.records if r.name == "plov.registers"]
    assert record.levelno == logging.ERROR
    assert "JSON-syntaksfejl" in record.getMessage()


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


def test_a_server_error_is_logged_with_its_traceback(client, caplog, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    line = json.loads(JsonFormatter().format(record))
    assert line["status_code"] == 500 and "RuntimeError: boom" in line["exc"]


def test_one_json_line_per_request_without_names_emails_or_query(client, db, caplog):
    user = make_user("sub-123", roles=["agency"], cvr="33257872", first="Karen", last="Blixen")
    user.email = "karen@example.dk"
    user.save()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="plov.request"):
        assert client.get("/admin/?token=hemmelig").status_code == 200
        assert client.get("/soeg/?adresse=Vestergade+1").status_code in (200, 400)
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "plov.request"]
    admin, search = (json.loads(line) for line in lines)
    assert admin["status"] == 200 and admin["path"] == "/admin/"
    assert admin["user_id"] == user.pk and admin["duration_ms"] >= 0
    assert search["path"] == "/soeg/" and search["view"] == "public:results"
    text = "\n".join(lines)
    for secret in ("Karen", "Blixen", "karen@example.dk", "sub-123", "hemmelig", "Vestergade"):
        assert secret not in text


def test_healthz_answers_without_the_database(client):
    # No `db` fixture: any database query would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_migrations_and_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok"}

    # A migration not applied (as after deploying new code before `plov migrate`).
    latest = MigrationRecorder.Migration.objects.filter(app="units").latest("id")
    latest.delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["migrations"] == f"1 not applied: units.{latest.name}"


def test_readyz_is_503_when_the_cache_is_unreachable(client, db, settings):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "plov.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/9",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    try:
        response = client.get("/readyz")
    finally:
        caches["default"].close()
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unreachable: ConnectionError"
    assert response.json()["checks"]["database"] == "ok"


def test_public_pages_have_a_strict_content_security_policy(client, db):
    for url in ("/", "/soeg/?kommune=751", "/api/v1/docs", "/kort/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert b"<style" not in response.content, url
        assert b"<script>" not in response.content, url


def test_the_admin_policy_is_scoped_to_admin(client, db):
    user = make_user("agency", roles=["agency"], cvr="33257872")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get(reverse("accounts:login"))["Content-Security-Policy"]


def test_a_session_ends_after_an_hour_idle_and_eight_hours_in_all(client, db, settings):
    assert settings.SESSION_COOKIE_AGE == 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    user = make_user("editor", roles=["agency"], cvr="33257872")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    # Active all along, but logged in 8 h 1 min ago: logged out.
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 8 * 3600 - 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    assert client.get("/admin/").status_code == 302  # stays logged out


def test_production_redirects_to_https_and_sends_hsts_unless_configured_otherwise(tmp_path):
    check = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SECURE)"
    )
    env = {
        "PLOV_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "plov.settings.production",
        "PLOV_SSL_REDIRECT": "0", "PLOV_TRUST_X_FORWARDED_PROTO": "0", "PLOV_HSTS_SECONDS": "0",
    }  # fmt: skip
    done = _plov(["shell", "--no-imports", "-c", check], env, tmp_path)
    assert done.stdout.split() == ["False", "0", "None", "True"]


def test_plov_serve_runs_gunicorn_with_the_collected_static_files(static_data_dir, tmp_path):
    """`plov serve` under production settings on a fresh `collectstatic`: the workers asked
    for, whitenoise serving hashed static files for a year, the security headers."""
    env = server_env(static_data_dir, PLOV_WEB_WORKERS="2", PLOV_WEB_THREADS="2")
    manifest = json.loads((static_data_dir / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["public/css/plov.css"]
    # /healthz, not /readyz: this server has no migrated database (SQLite, nothing else).
    with AppServer(env, tmp_path / "serve.log", ready="/healthz") as server:
        # As behind the TLS-terminating proxy.
        status, headers, body = http(
            "GET", server.base + "/healthz", headers={"X-Forwarded-Proto": "https"}
        )
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "camera=()" in headers["Permissions-Policy"]
        status, headers, body = http("GET", f"{server.base}/static/{hashed}")
        assert status == 200 and b"{" in body
        assert "immutable" in headers["Cache-Control"]
        # the design system's CSS, cut to what plov uses, brotli where the browser takes it
        css = manifest["paths"]["vendor/dkfds/css/dkfds-borgerdk.plov.css"]
        for accepted, encoding in (("br, gzip", "br"), ("gzip", "gzip")):
            status, headers, body = http(
                "GET", f"{server.base}/static/{css}", headers={"Accept-Encoding": accepted}
            )
            assert status == 200 and headers["Content-Encoding"] == encoding
            assert len(body) < 16_000, (encoding, len(body))
        workers = subprocess.run(
            ["ps", "--ppid", str(server.proc.pid), "-o", "pid="], capture_output=True, text=True
        ).stdout.split()
        assert len(workers) == 2, server.log()

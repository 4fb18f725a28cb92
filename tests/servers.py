"""Real app servers for the tests: gunicorn under plov.settings.production on 127.0.0.1.

`collected_static()` runs `plov collectstatic` once per test session (the manifest storage
needs it); `AppServer` starts `plov serve` on a free port with the test database (the one
pytest-django made) and stops it afterwards. `Browser`-less HTTP helpers keep cookies by hand:
production cookies are `Secure`, which an HTTP client would otherwise not send to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("PLOV_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_postgresql(
    why: str = "several server processes writing one SQLite test database would only test "
    "SQLite's locking",
) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(f"needs PostgreSQL: {why} (CI runs this on PostgreSQL)")


def require_redis() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"needs Redis at {REDIS_URL} (PLOV_TEST_REDIS_URL): {exc}")
    return REDIS_URL


def database_url() -> str:
    """The test database pytest-django created, as DATABASE_URL for another process."""
    db = settings.DATABASES["default"]
    user = urllib.parse.quote(db.get("USER") or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLOV_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="plov.settings.production",
        PLOV_SECRET_KEY=settings.SECRET_KEY,  # sessions made by the test must verify
        PLOV_DATA_DIR=str(data_dir),
        PLOV_ALLOWED_HOSTS="127.0.0.1",
        PLOV_SSL_REDIRECT="0",
        PLOV_REQUEST_LOG="0",
        PLOV_LOG_LEVEL="WARNING",
        PLOV_WEB_WORKERS="1",
        PLOV_WEB_THREADS="4",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def static_data_dir(tmp_path_factory) -> Path:
    """A PLOV_DATA_DIR whose static/ holds `plov collectstatic`'s output (once per session)."""
    data_dir = tmp_path_factory.mktemp("plov-data")
    collect_static(data_dir)
    return data_dir


def collect_static(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "plov.cli", "collectstatic", "--noinput", "-v", "0"],
        env=server_env(data_dir), cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


class AppServer:
    """`plov serve` (gunicorn) on a free port; a context manager."""

    def __init__(self, env: dict[str, str], log: Path, ready: str = "/readyz") -> None:
        self.ready = ready
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "PLOV_WEB_BIND": f"127.0.0.1:{self.port}"}
        self.log_path = log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> AppServer:
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "plov.cli", "serve"],
            env=self.env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = http("GET", self.base + self.ready)
                if status == 200:
                    return self
                self.__exit__(None, None, None)  # never leave a server running
                raise AssertionError(f"{self.ready}: {status} {body[:300]!r}")
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise AssertionError(
                        f"server did not start: {self.log_path.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http(
    method: str,
    url: str,
    *,
    cookies: dict[str, str] | None = None,
    data: dict | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Message, bytes]:
    """One request; returns (status, headers, body). Redirects are not followed."""
    headers = {"Referer": url, **(headers or {})}
    body = None
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if files:
        boundary = "plovtestboundary7MA4YWxkTrZu0gW"
        parts = []
        for name, value in (data or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content, ctype) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    elif data is not None:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def set_cookies(headers: Message) -> dict[str, str]:
    """The cookies a response sets."""
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def logged_in_session(user) -> str:
    """A session for `user` in the shared database, as the login view would write it; returns
    the session key (the `sessionid` cookie)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from plov.security import LOGIN_AT

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[LOGIN_AT] = int(time.time())
    session.create()
    return session.session_key

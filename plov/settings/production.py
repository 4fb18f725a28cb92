"""Production: everything sensitive comes from the environment; no defaults for secrets.

The `plov` command and the WSGI application use these settings unless DJANGO_SETTINGS_MODULE
says otherwise. See the README's "Running in production" for every variable.
"""

import os

# One JSON object per log line, one line per request (plov.observability), unless told otherwise.
os.environ.setdefault("PLOV_LOG_FORMAT", "json")
os.environ.setdefault("PLOV_REQUEST_LOG", "1")

from .base import *  # noqa: F403
from .base import env_bool, env_int, env_str

# Background work (the weekly mail, Wagtail's own tasks) in the database, run by
# `plov db_worker` (django-tasks); a failed task stays visible with its traceback.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# TLS. Behind a proxy that terminates TLS, the proxy says so in X-Forwarded-Proto
# (PLOV_TRUST_X_FORWARDED_PROTO=1, the default; set 0 when clients reach plov directly).
if env_bool("PLOV_TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("PLOV_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("PLOV_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PLOV_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("PLOV_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [
    o for o in env_str("PLOV_CSRF_TRUSTED_ORIGINS", env_str("PLOV_BASE_URL", "")).split(",") if o
]
SECURE_CONTENT_TYPE_NOSNIFF = True

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is the domain owner's commitment to the browsers' list (PLOV_HSTS_PRELOAD=1
    # once the agency has decided), not something a deployment should switch on by default.
    "security.W021",
]

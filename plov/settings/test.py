"""Fast, deterministic settings for the test suite. DATABASE_URL picks PostgreSQL in CI."""

import os

os.environ.setdefault("PLOV_SECRET_KEY", "test-only-secret")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# Log records go to pytest (caplog, and the report of a failing test), not to the console.
for _logger in LOGGING["loggers"].values():  # noqa: F405
    _logger.update(handlers=[], propagate=True)

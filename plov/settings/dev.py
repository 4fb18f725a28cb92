"""Local development and the demo: DEBUG on, demo logins on."""

import os

os.environ.setdefault("PLOV_DEBUG", "1")
os.environ.setdefault("PLOV_DEMO", "1")

from .base import *  # noqa: F403

# The demo sends no mail: e-mails (the weekly data-quality summary) are printed instead.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background tasks run at once here (the immediate backend), and django_tasks logs each one's
# start and end at INFO: some 190 lines in `plov demo`, burying its own output. Only its
# warnings and errors (a failed task) are shown; plov's own loggers keep their level.
LOGGING["loggers"]["django_tasks"] = {**LOGGING["loggers"]["django_tasks"], "level": "WARNING"}  # noqa: F405

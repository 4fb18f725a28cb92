"""Local development and the demo: DEBUG on, demo logins on."""

import os

os.environ.setdefault("PLOV_DEBUG", "1")
os.environ.setdefault("PLOV_DEMO", "1")

from .base import *  # noqa: F403

# The demo sends no mail: e-mails (the weekly data-quality summary) are printed instead.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

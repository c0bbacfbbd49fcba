"""Local development: DEBUG on, the throwaway key allowed."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402, F403

# Workflow e-mails are printed to the terminal running the server.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

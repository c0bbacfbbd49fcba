"""Local development: DEBUG on, the throwaway key allowed."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from .base import *  # noqa: E402, F403

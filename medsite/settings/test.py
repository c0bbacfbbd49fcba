"""Settings for the test suite: the same stack as production, made fast."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405 - no collectstatic manifest needed in tests
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests sign in with force_login or client.login, which passes django-axes no request; the lockout's own tests
# (tests/test_admin_door.py) turn it back on.
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver.example"

"""Production: base settings plus HTTPS and cookie hardening.

SECRET_KEY is required here (base refuses to start without it unless DEBUG
is on). Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER through
TRUST_X_FORWARDED_PROTO=1.
"""

from medsite.env import env_bool, env_int

from .base import *  # noqa: F403

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe /healthz over plain HTTP; it must answer, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

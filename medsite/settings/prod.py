"""Production: base settings plus HTTPS, cookie hardening and two-factor sign-in for publishers.

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
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Publishers and superusers sign in with a second factor (SECURITY.md says how they enrol).
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", default=True)
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe /healthz over plain HTTP; it must answer, not redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

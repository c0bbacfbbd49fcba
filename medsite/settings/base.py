"""Settings shared by every environment.

Everything that differs between machines comes from environment variables
(listed in the README and in .env.example). The defaults are safe and need no
setup: a SQLite file beside manage.py and a cache in files beside it.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags, process_link
from js_asset import static_lazy

from medsite.env import env_bool, env_int, env_list, env_str, media_origin

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# A throwaway key is acceptable only while DEBUG is on; anywhere else a
# missing key must stop the process before it serves a single request.
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - used only when DEBUG is on
SECRET_KEY = env_str("SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable, or set DJANGO_DEBUG=1 for local development."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Autocomplete widgets must load before the admin so their templates win.
    "dal",
    "dal_select2",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Third party
    "taggit",
    "django_prose_editor",
    "reversion",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "csp",
    "ninja",  # the read API's docs page serves Swagger UI from ninja's static files, not a CDN
    "corsheaders",
    "django_tasks",
    "django_tasks_db",  # the task queue in our own database: the worker is `manage.py db_worker`
    # Ours
    "publishing",
    "images",
    "readability",
    "articles",
    "drugs",
    "pages",
    "workflow",
    "linkcheck",
    "changelog",
    "feedback",
    "wordpress",
    "search",
    "ops",
    "security",
    "api",
    "demo",
]

MIDDLEWARE = [
    # Outside the page cache, so CORS headers follow each request's Origin (never a stored one) and every API
    # request, cache hit or not, counts towards its client's rate limit (api/ratelimit.py).
    "corsheaders.middleware.CorsMiddleware",
    "api.ratelimit.ApiRateLimitMiddleware",
    # First: a cached page for an anonymous reader needs nothing below, and is
    # stored with the headers the rest of the stack gave it (ops/page_cache.py).
    "ops.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "security.csp.AdminNonceCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers If-None-Match with 304 for pages the cache does not answer.
    "django.middleware.http.ConditionalGetMiddleware",
    "ops.middleware.DatabaseUnavailableMiddleware",
    # Old WordPress addresses (?p=123, /2019/03/14/imuran/): before CommonMiddleware, whose slash redirect it reads.
    "wordpress.redirects.OldAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.SecondFactorRequiredMiddleware",
    "security.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medsite.urls"
WSGI_APPLICATION = "medsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "medsite.context_processors.site",
            ],
            # {% jinja "includes/header.html" %} in every template: the parts shared with the Jinja2 pages.
            "builtins": ["medsite.templatetags"],
        },
    },
    {
        # The listing pages, the parts every public page shares and the article cards (medsite/jinja.py says why).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "medsite" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "medsite.jinja.environment",
            "context_processors": ["medsite.context_processors.site"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes may write at once (editors, imports): wait for the
    # lock instead of failing, and let readers carry on during a write.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", default=True
):
    # Statements a connection runs again and again (every page's) are prepared on the server after their fifth run
    # (psycopg's default), so PostgreSQL plans them once: planning was most of the article page's database time
    # (1 ms of its 1.2 ms statement). Django leaves this off for transaction-pooling proxies (PgBouncer before
    # 1.21), which cannot keep a prepared statement: behind one, set DB_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ops.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Fail fast when Redis is down: pages are then served uncached (publishing.safe_cache).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Without Redis: files every process on this machine shares (gunicorn workers, manage.py), so an edit in one
    # expires the pages the others cached; a per-process memory cache would keep serving them (ops.checks).
    CACHES = {
        "default": {
            "BACKEND": "ops.file_cache.FileCache",
            # Entries are pickles: the directory must be writable by this site's user only (Django makes it 0700).
            "LOCATION": env_str("FILE_CACHE_DIR") or str(BASE_DIR / "var" / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Every account is a staff account (readers never sign in), so every password guards the admin.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Signing in (SECURITY.md). The admin signs in through django-two-factor-auth, whose login asks for a token once an
# account has an authenticator. django-axes pauses sign-in after repeated failures, counted per account and per address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "admin:index"
# On, publishers and superusers must use a second factor before any admin page (security.middleware); prod turns it on.
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", default=False)
# The admin lists authenticator devices; their secret keys stay hidden even from superusers.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A lockout lasts the time its page promises, even if someone keeps trying meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "security.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "security.network.client_ip_address"
# Behind nginx every request comes from the proxy; its X-Forwarded-For names the real client (security.network).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)

# Only staff ever get a session (readers' pages set no cookie). It ends after this long without a request
# (security.middleware.IdleSessionMiddleware); an open change page's presence heartbeat counts as activity.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Response headers. Reader pages are cached and shared between readers, so the policy uses no nonce: no page has inline
# script. The one inline style allowed is the database-outage and error pages' own (templates/500.html, 503.html),
# which must not depend on static files; tests/test_security_headers.py checks its hash. The admin, never cached, adds a
# per-response script nonce and inline styles (security/csp.py).
ERROR_PAGE_STYLE_HASH = "'sha256-Fa6Hr6DKHiG6X7ATrakBSqgp9FOYKVQdAlESCOMQwXI='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, ERROR_PAGE_STYLE_HASH],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE") or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Image originals are kept as uploaded (camera and location data included) and never served (images/storage.py).
IMAGE_ORIGINALS_ROOT = Path(env_str("IMAGE_ORIGINALS_ROOT") or BASE_DIR / "var" / "image-originals")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "image_originals": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": IMAGE_ORIGINALS_ROOT, "base_url": "/never-served/"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# With MEDIA_BUCKET, uploads and renditions go to an S3-compatible bucket shared by every app server
# (django-storages): renditions public and cached for a year (their names change with their content), originals
# under a private prefix, reachable only through signed URLs.
MEDIA_BUCKET = env_str("MEDIA_BUCKET")
MEDIA_ORIGIN = ""
if MEDIA_BUCKET:
    _bucket_options = {
        "bucket_name": MEDIA_BUCKET,
        "endpoint_url": env_str("MEDIA_ENDPOINT_URL") or None,
        "region_name": env_str("MEDIA_REGION") or None,
        "access_key": env_str("MEDIA_ACCESS_KEY_ID") or None,
        "secret_key": env_str("MEDIA_SECRET_ACCESS_KEY") or None,
        "custom_domain": env_str("MEDIA_CUSTOM_DOMAIN") or None,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_bucket_options,
            "location": "media",
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    STORAGES["image_originals"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_bucket_options, "location": "originals", "default_acl": "private", "querystring_auth": True},
    }
    MEDIA_ORIGIN = media_origin(
        bucket=MEDIA_BUCKET,
        endpoint_url=env_str("MEDIA_ENDPOINT_URL"),
        region=env_str("MEDIA_REGION"),
        custom_domain=env_str("MEDIA_CUSTOM_DOMAIN"),
    )
    # Pages show images from the bucket (or the CDN in front of it).
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_ORIGIN)
# While developing, serve files straight from the app folders as they change.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# The image library (images/): the largest upload, the most pixels an image may have (Pillow refuses to decode
# more: a decompression bomb), the widths every image is made in, and whether AVIF is made besides WebP.
IMAGE_MAX_UPLOAD_BYTES = env_int("IMAGE_MAX_UPLOAD_MB", default=20) * 1024 * 1024
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_MEGAPIXELS", default=40) * 1_000_000
IMAGE_RENDITION_WIDTHS = (320, 640, 960, 1280)
IMAGE_AVIF = env_bool("IMAGE_AVIF", default=True)

# Our own rich-text editor extensions (workflow/static/workflow/editor-extensions.js): the link dialog with a chooser
# for our pages, and paste cleanup for Word and Google Docs. The server-side allowlist is publishing/html.py's.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("workflow/editor-extensions.js")],
        "extensions": {"InternalLink": process_link, "PasteCleanup": html_tags([])},
    },
    # Images from the library (images/static/images/editor-image.js), stored as <img data-image="12" alt="...">.
    {
        "js": [static_lazy("images/editor-image.js")],
        "extensions": {"LibraryImage": html_tags(["img"], {"img": ["data-image", "alt"]})},
    },
]

TAGGIT_CASE_INSENSITIVE = True

# Page cache for anonymous readers (ops.page_cache): how long an entry may live
# at most (writes invalidate it sooner), and how long nginx or a CDN may keep
# a page (plus as long again stale while it revalidates). 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_SHARED_SECONDS = env_int("PAGE_CACHE_SHARED_SECONDS", default=20)

# The read API (api/). API_RATE_LIMIT is "requests/seconds" per client address, e.g. "120/60"; empty turns it
# off. Other sites may read /api/ from the browser when their origin is in API_CORS_ORIGINS.
API_RATE_LIMIT = env_str("API_RATE_LIMIT")
# Reader feedback (feedback/): answers per client address as "requests/seconds" (empty: no limit); how long the
# signed page token in a (cached) page stays good, which must outlast PAGE_CACHE_SECONDS; and when a page is flagged
# in the review queue: at least FEEDBACK_FLAG_MIN_VOTES answers in FEEDBACK_FLAG_DAYS, of which this share or more "No".
FEEDBACK_RATE_LIMIT = env_str("FEEDBACK_RATE_LIMIT") or "10/3600"
FEEDBACK_TOKEN_MAX_AGE = env_int("FEEDBACK_TOKEN_MAX_AGE", default=2 * 24 * 3600)
FEEDBACK_FLAG_MIN_VOTES = env_int("FEEDBACK_FLAG_MIN_VOTES", default=10)
FEEDBACK_FLAG_NO_SHARE = float(env_str("FEEDBACK_FLAG_NO_SHARE") or "0.5")
FEEDBACK_FLAG_DAYS = env_int("FEEDBACK_FLAG_DAYS", default=90)
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_PREFLIGHT_MAX_AGE = 86400

SITE_NAME = env_str("SITE_NAME") or "medsite"
# Where the site answers, for links in e-mails (which have no request to build them from).
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

# Workflow e-mails (workflow/notifications.py): SMTP by default; dev prints them, tests keep them in memory.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# A move waits for its e-mails after the commit; a slow mail server must not hold an editor's request for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or f"{SITE_NAME} <noreply@localhost>"
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = SITE_NAME

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
}


# Background tasks (Django's tasks API through the django-tasks backport): the daily link check. The queue lives in
# the database, so nothing else is needed; `manage.py db_worker` runs the tasks (README, "Deployment").
# Queues of the database task backend (django-tasks-db), each with its own worker: "default" for the daily
# link check (long), "derived" for what a save makes due ("See also" lists), so a link check never delays them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "derived"]}}
# A reference whose address has been broken this many days puts its page in the medical review queue.
LINKCHECK_BROKEN_DAYS = env_int("LINKCHECK_BROKEN_DAYS", default=14)
# At review, references published more than this many years ago are pointed out to the reviewer.
REFERENCE_MAX_AGE_YEARS = 5
